"""What changed between two revisions of an item: front-matter fields, attachments and the body line by line.

Pure (no IO): the editor's item page renders it, every value as text.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from .model import Revision

SAME, ADDED, REMOVED = "same", "added", "removed"


@dataclass(frozen=True)
class FieldChange:
    key: str
    old: str | None      # None: the field was absent
    new: str | None


@dataclass(frozen=True)
class BodyLine:
    kind: str            # same | added | removed
    old_no: int | None   # line number in the old body (None for an added line)
    new_no: int | None
    text: str


@dataclass
class RevisionDiff:
    old_rev: int
    new_rev: int
    fields: list[FieldChange] = field(default_factory=list)
    attachments_added: list[str] = field(default_factory=list)
    attachments_removed: list[str] = field(default_factory=list)
    body: list[BodyLine] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.fields or self.attachments_added or self.attachments_removed
                    or any(line.kind != SAME for line in self.body))


def _shown(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def field_changes(old: dict, new: dict) -> list[FieldChange]:
    """Changed, added and removed front-matter keys, in the new revision's order, then the removed ones."""
    keys = list(new) + [k for k in old if k not in new]
    return [FieldChange(k, _shown(old.get(k)), _shown(new.get(k))) for k in keys if old.get(k) != new.get(k)]


def body_lines(old: str, new: str, context: int | None = None) -> list[BodyLine]:
    """The new body against the old, line by line (every line when context is None)."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[BodyLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    groups = [matcher.get_opcodes()] if context is None else matcher.get_grouped_opcodes(context)
    for group in groups:
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [BodyLine(SAME, i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            rows += [BodyLine(REMOVED, i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [BodyLine(ADDED, None, j + 1, b[j]) for j in range(j1, j2)]
    return rows


def diff_revisions(old: Revision, new: Revision, context: int | None = 3) -> RevisionDiff:
    """Everything that changed from `old` to `new`."""
    old_files, new_files = set(old.attachments), set(new.attachments)
    return RevisionDiff(old.rev, new.rev, field_changes(old.front_matter, new.front_matter),
                        sorted(new_files - old_files), sorted(old_files - new_files),
                        body_lines(old.body, new.body, context))
