"""Domain errors raised by services; views and the API turn them into clear French messages."""


class DomainError(Exception):
    """An operation that the rules refuse (illegal transition, invalid input beyond form validation)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDeniedError(DomainError):
    """The actor may not do this. Views answer 403, or 404 when the object itself must stay hidden."""

    def __init__(self, message: str = "Vous n'avez pas les droits nécessaires pour cette action."):
        super().__init__(message)


class ConflictError(DomainError):
    """Someone changed the object since the form was read: the save is refused, nothing is overwritten."""
