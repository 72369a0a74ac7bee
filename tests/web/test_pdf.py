"""PDF documents (maillage/web/pdf.py): laid out by WeasyPrint, text extractable, the title as metadata and
no author; and nothing is fetched while laying out — neither the network nor the server's files."""

import io
import socket

from pypdf import PdfReader

from maillage.web.pdf import pdf_response, render_pdf


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def test_a_template_becomes_a_pdf_whose_text_can_be_read_back(tmp_path):
    pdf = render_pdf(
        "testapp/pdf_sample.html",
        {"line": "Décision : orientation vers le CIDFF", "image_url": "", "stylesheet_url": ""},
        title="Compte rendu de la cellule de suivi",
    )
    reader = read(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Compte rendu de la cellule de suivi" in text
    assert "Réunion à l'école" in text and "orientation vers le CIDFF" in text
    assert "page 1 / 1" in text
    assert reader.metadata.title == "Compte rendu de la cellule de suivi"
    assert reader.metadata.author is None


def test_nothing_is_fetched_neither_the_network_nor_the_servers_files(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'CONTENU-DU-SERVEUR'; }", encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    try:
        pdf = render_pdf(
            "testapp/pdf_sample.html",
            {
                "line": "ligne",
                "image_url": f"http://127.0.0.1:{port}/pixel.png",
                "stylesheet_url": secret.as_uri(),
            },
            title="Essai",
        )
        try:
            connection, _address = listener.accept()
        except TimeoutError:
            connection = None
        assert connection is None, "the PDF's layout opened a connection"
    finally:
        listener.close()
    text = " ".join(page.extract_text() for page in read(pdf).pages)
    assert "CONTENU-DU-SERVEUR" not in text


def test_the_response_is_a_download():
    response = pdf_response(b"%PDF-1.7 ...", "compte-rendu.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
