"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

The request id comes from the reverse proxy (`X-Request-ID`, accepted only behind a trusted proxy and only if
it looks like an id) or is generated here; it is returned in the `X-Request-ID` response header and shown on
the 500 page, so that support finds the log lines of an error from what the person reads on screen.

No module of Maillage is imported here: gunicorn's master process uses the formatter before Django starts.
"""

import json
import logging
import re
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy sends (nginx's $request_id: 32 hex digits; a UUID; …): letters, digits and a few separators.
# Anything else (spaces, quotes, line breaks, a name…) is replaced by an id of ours.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

_request_id: ContextVar[str | None] = ContextVar("maillage_request_id", default=None)

# Attributes every LogRecord has: whatever else a record carries came from `extra=` and is logged as a field.
_STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Django's own loggers pass the request object along (`extra={"request": …}`): never logged as such.
_NOT_LOGGED = {"request", "server_time"}


def new_request_id() -> str:
    return secrets.token_hex(16)


def sane_request_id(value: str | None) -> str | None:
    return value if value and _SANE_REQUEST_ID.fullmatch(value) else None


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(request_id: str):
    return _request_id.set(request_id)


def unbind_request_id(token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged while it runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """`{"time": …, "level": …, "logger": …, "message": …, <extra fields>…}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._message(record),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRIBUTES and name not in _NOT_LOGGED and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        message = record.getMessage()
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and path != "/":
            # Django's "Internal Server Error: /path" names the raw path: the route stands in for it.
            match = getattr(request, "resolver_match", None)
            message = message.replace(path, f"[{match.view_name if match else 'route inconnue'}]")
        return message
