"""A response's text as its reader gets it, for the canaries: JSON decoded (the API escapes accents), a PDF's
extracted text (its streams are compressed: the raw bytes would hide a name from any search)."""

import io
import json

from pypdf import PdfReader


def readable_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(body))
        text = " ".join(page.extract_text() for page in reader.pages)
        text += " " + " ".join(str(value) for value in (reader.metadata or {}).values())
    else:
        text = body.decode("utf-8", errors="replace")
        if kind.startswith("application/json"):
            try:
                text = json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                pass
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{headers}\n{text}"
