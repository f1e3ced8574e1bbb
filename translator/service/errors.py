"""The service's errors: an HTTP status and LibreTranslate's ``{"error": "..."}`` message."""

from __future__ import annotations

from ..errors import ExitCode, TranslatorError


class ApiError(TranslatorError):
    """A request the service refuses; *status* is the HTTP status (400, 403, 413, 429...)."""

    exit_code = ExitCode.USAGE

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def missing(name: str) -> ApiError:
    return ApiError(400, f"Invalid request: missing {name} parameter")


def not_supported(code: str) -> ApiError:
    return ApiError(400, f"{code} is not supported")


def too_long(size: int, limit: int) -> ApiError:
    """LibreTranslate's message for both the character and the batch limit."""
    return ApiError(400, f"Invalid request: request ({size}) exceeds text limit ({limit})")


def wrong_type(name: str, expected: str) -> ApiError:
    return ApiError(400, f"Invalid request: {name} parameter must be {expected}")
