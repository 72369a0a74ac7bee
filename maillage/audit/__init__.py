"""The audit trail. Callers write `from maillage import audit` then `audit.record(actor=…, action=…, …)`.

Management commands act as `audit.console_actor()`. Both are loaded on first use (PEP 562), so importing
this package never touches models before the app registry is ready.
"""


def __getattr__(name: str):
    if name in ("record", "console_actor"):
        from maillage.audit import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
