"""Atomic, undoable writes of one materialise run under the instance (content/ and data/)."""

from __future__ import annotations

import contextlib
import filecmp
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .materialise import Placed


@dataclass
class Change:
    """What one materialise run did, with what is needed to undo it."""

    root: Path
    backup: Path
    written: list[str] = field(default_factory=list)    # created or replaced
    removed: list[str] = field(default_factory=list)
    placed: dict[str, Placed] = field(default_factory=dict)  # item number → place
    _saved: dict[str, Path | None] = field(default_factory=dict)  # path → backup copy (None: did not exist)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)

    def _save(self, rel: str, move: bool) -> None:
        target = self.root / rel
        if rel in self._saved:
            return
        if not target.exists():
            self._saved[rel] = None
            return
        copy = self.backup / f"{len(self._saved):06d}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        if move:
            os.replace(target, copy)
        else:
            try:
                os.link(target, copy)
            except OSError:
                shutil.copy2(target, copy)
        self._saved[rel] = copy

    def write(self, rel: str, data: bytes | Path) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        # '.#' prefix: Pelican ignores such files, so a leftover from a crash never reaches the site
        tmp = target.parent / f".#{target.name}.{secrets.token_hex(4)}"
        if isinstance(data, Path):
            shutil.copyfile(data, tmp)
        else:
            tmp.write_bytes(data)
        self._save(rel, move=False)
        os.replace(tmp, target)
        self.written.append(rel)

    def remove(self, rel: str) -> None:
        self._save(rel, move=True)
        self.removed.append(rel)
        _prune_empty(self.root / rel, self.root / "content")

    def undo(self) -> None:
        """Put every touched file back as it was before this run."""
        for rel, copy in reversed(list(self._saved.items())):
            target = self.root / rel
            if copy is None:
                if target.exists():
                    target.unlink()
                    _prune_empty(target, self.root / "content")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(copy, target)
        self.commit()

    def commit(self) -> None:
        """Forget the backups: the run stands."""
        shutil.rmtree(self.backup, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.backup.parent.rmdir()  # var/materialise/, when no other run is using it
        self._saved.clear()


def _prune_empty(path: Path, stop: Path) -> None:
    folder = path.parent
    while folder != stop and folder.is_relative_to(stop) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def same_content(target: Path, data: bytes | Path) -> bool:
    if not target.is_file():
        return False
    if isinstance(data, Path):
        return filecmp.cmp(target, data, shallow=False)
    return target.stat().st_size == len(data) and target.read_bytes() == data
