"""The audit trail. Callers write `from maillage import audit` then `audit.record(actor=…, action=…, …)`.

`record` is loaded on first use (PEP 562), so importing this package never touches models before the app
registry is ready.
"""


def __getattr__(name: str):
    if name == "record":
        from maillage.audit.services import record

        return record
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
