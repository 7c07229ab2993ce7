"""Where things live inside an instance directory (one place, so tests can point it at a temp copy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InstancePaths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def submissions(self) -> Path:
        return self.root / "submissions"

    @property
    def inbox(self) -> Path:
        return self.submissions / "inbox"

    @property
    def quarantine(self) -> Path:
        return self.submissions / "quarantine"

    @property
    def registered(self) -> Path:
        return self.submissions / "registered"

    @property
    def receipts(self) -> Path:
        return self.submissions / "receipts"

    @property
    def var(self) -> Path:
        return self.root / "var"

    @property
    def registered_cache(self) -> Path:
        """Copies of registered folders kept in a bucket (storage.registered.target s3): disposable."""
        return self.var / "cache" / "registered"

    @property
    def database(self) -> Path:
        return self.var / "municms.sqlite3"

    @property
    def builds(self) -> Path:
        return self.var / "build"

    @property
    def releases(self) -> Path:
        return self.var / "releases"

    @property
    def current(self) -> Path:
        return self.var / "current"

    @property
    def logs(self) -> Path:
        return self.var / "logs"

    @property
    def pelicanconf(self) -> Path:
        return self.root / "pelicanconf.py"
