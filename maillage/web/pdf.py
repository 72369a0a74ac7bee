"""PDF documents (WeasyPrint, ADR 0033): a template rendered to HTML, then laid out to PDF in the process.

Nothing is fetched while laying out: the document's CSS is inline in its template and every URL it names
(an image, a stylesheet, a font) is refused by `NoFetching` — a PDF never reaches the network nor the
server's files, whatever text ends up in it. Fonts come from the system (Debian's `fonts-dejavu-core`).
The metadata carry the document's `<title>` (`pdf_title`) and nothing about a person: templates set no
author (`templates/web/pdf_base.html`)."""

from django.http import HttpResponse
from django.template.loader import render_to_string


class FetchRefused(ValueError):
    pass


def _fetcher():
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        """Refuses every URL: WeasyPrint logs the refusal and lays out the document without it."""

        def fetch(self, url, headers=None):
            raise FetchRefused(f"Maillage ne charge aucune ressource dans un PDF : {url[:80]}")

    return NoFetching()


def render_pdf(template_name: str, context: dict, *, title: str) -> bytes:
    """The template (a whole HTML document with its inline print CSS) as PDF bytes."""
    from weasyprint import HTML  # loaded on first use: pango and its fonts are heavy

    html = render_to_string(template_name, {**context, "pdf_title": title})
    document = HTML(string=html, base_url="about:blank", url_fetcher=_fetcher())
    return document.write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A download (never shown inline by a browser plug-in that could cache it elsewhere)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
