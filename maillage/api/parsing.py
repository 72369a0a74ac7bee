"""What the API reads from a request before its schemas see it: only text that a database can store.

PostgreSQL refuses a NUL character in text, and no UTF-8 column holds a lone surrogate (which JSON can
write as `"\\ud800"`): either one used to reach the database and fail there (500). They are refused where
the request is read, for every operation at once (ADR 0047)."""

import json
import re

from django.http import HttpRequest
from ninja.errors import ValidationError
from ninja.parser import Parser

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Texte impossible à enregistrer : caractère nul ou caractère Unicode isolé."
# ninja answers this (400) when `parse_body` fails, in English: the API says it in French.
NINJA_UNREADABLE_BODY = "Cannot parse request body"
UNREADABLE_BODY_MESSAGE = (
    "Corps de la requête illisible : un document JSON en UTF-8 est attendu, sans caractère nul ni "
    "caractère Unicode isolé."
)


def _unstorable(value) -> bool:
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_unstorable(key) or _unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    return False


class StorableTextParser(Parser):
    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body)
        if _unstorable(data):
            raise ValueError(UNSTORABLE_MESSAGE)  # ninja turns it into its 400
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        refused = [
            {"type": "string_unstorable", "loc": ["query", key], "msg": UNSTORABLE_MESSAGE}
            for key, values in data.lists()
            if _unstorable(key) or _unstorable(values)
        ]
        if refused:
            raise ValidationError(refused)
        return super().parse_querydict(data, list_fields, request)
