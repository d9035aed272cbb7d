"""Errors that service functions raise; their messages are Chinese and shown to the user as-is."""


class DomainError(Exception):
    """A request that breaks a rule of the domain (HTTP 400)."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NeedsConfirmation(DomainError):
    """Allowed only when the user confirms a warning (e.g. an eighth branch in a station)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field, code="needs_confirmation")


class NotInScope(Exception):
    """The object is outside the user's subtree; answered exactly like a missing object (404)."""


class ActionDenied(Exception):
    """The object is in scope but the user's role may not do this (HTTP 403)."""

    def __init__(self, message: str = "您的角色无权执行此操作。"):
        super().__init__(message)
        self.message = message


class DomainErrors(DomainError):
    """Several rule breaks found at once (a form or an import row), each tied to its field."""

    def __init__(self, errors: list[DomainError]):
        super().__init__("；".join(e.message for e in errors), field=errors[0].field if errors else None)
        self.errors = errors
