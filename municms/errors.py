"""One exception hierarchy for municms; front ends turn these into user messages in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and what is wrong, in Turkish and English."""

    field: str
    message_tr: str
    message_en: str = ""
    line: int | None = None
    file: str = ""

    def format_tr(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"satır {self.line}")
        if self.field:
            where.append(f"alan '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message_tr}" if prefix else self.message_tr

    def format_en(self) -> str:
        where = [p for p in (self.file, f"line {self.line}" if self.line is not None else "",
                             f"field '{self.field}'" if self.field else "") if p]
        text = self.message_en or self.message_tr
        return f"{', '.join(where)}: {text}" if where else text


class MunicmsError(Exception):
    """Base of every error municms reports to a user."""

    exit_code = 1

    def __init__(self, message_tr: str, message_en: str = ""):
        super().__init__(message_en or message_tr)
        self.message_tr = message_tr
        self.message_en = message_en or message_tr


class ValidationError(MunicmsError):
    """Input (a submission, instance.yaml, a setting) has one or more problems, all listed."""

    def __init__(self, problems: list[Problem], message_tr: str = "Girdi geçersiz.",
                 message_en: str = "Invalid input."):
        super().__init__(message_tr, message_en)
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [self.message_en] + [f"  - {p.format_en()}" for p in self.problems]
        return "\n".join(lines)

    def format_tr(self) -> str:
        return "\n".join([self.message_tr] + [f"  - {p.format_tr()}" for p in self.problems])


class ConfigError(ValidationError):
    """instance.yaml or pelicanconf.py is invalid; the build stops before writing anything."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, "Yapılandırma geçersiz; hiçbir dosya yazılmadı.",
                         "Configuration is invalid; nothing was written.")


class PermissionDenied(MunicmsError):
    """The acting user's role may not perform this action."""


class InvalidTransition(MunicmsError):
    """The item's current state does not allow this action."""


class NotFound(MunicmsError):
    """A referenced item, user or release does not exist."""


class ConflictError(MunicmsError):
    """A concurrent change or a lock prevents the action."""


class TooLarge(MunicmsError):
    """A request body above the app's upload limit: refused before it is read."""


class BuildError(MunicmsError):
    """The site could not be built or failed a post-build check."""


class DeployError(MunicmsError):
    """The built site could not be deployed."""


class StorageError(MunicmsError):
    """The bucket of registered originals could not be written or read, or an object in it is damaged."""


class RateLimited(MunicmsError):
    """Too many requests from one sender in a short time (the public registration form)."""


class BackupError(MunicmsError):
    """A backup archive could not be written, or one given to verify or restore is damaged or unusable."""
