"""Bad input, with the field it concerns so a form can show the message next to it."""
from __future__ import annotations


class InputError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
