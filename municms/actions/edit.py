"""An editor's edit: a new revision of an item written in the editorial app or through the API.

The edit is read exactly like a department's submission (the same parser, validation and Turkish messages,
attachments kept, removed or replaced), stored beside the item's other revisions in the register's store, and
recorded as one `edit` event. The workflow table sends the item to review: the new revision needs the
approval of someone other than the editor (four-eyes), whether the item was new or already published. A
published item stays public in its published revision until then (materialise.public_view).
"""

from __future__ import annotations

import shutil
from pathlib import PurePosixPath
from dataclasses import dataclass, field, replace

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..errors import Problem, ValidationError
from ..item_checks import intake_warnings
from ..kvkk import scan_submission
from ..ledger import Ledger
from ..model import IN_REVIEW, Item
from ..paths import InstancePaths
from ..register_store import register_store
from ..seminar_checks import receipt_lines
from ..submission import parse_submission
from ..turkish import slugify
from ..workflow import EDIT, check
from ._transition import Expect, apply, event_data, load_actor, participants
from .edit_lock import refuse_if_locked, release
from .intake import _revision, _stage
from .intake_claims import Session
from .intake_files import remove_tree
from .visibility import visible_item


@dataclass(frozen=True)
class Edit:
    """What the editor wrote: the whole Markdown document (front matter and body, as a department writes its
    index.md; its `ekler` names the attachments), the earlier attachments it keeps and the files it adds."""

    document: str
    keep: list[str] = field(default_factory=list)              # names of the current revision's attachments
    uploads: dict[str, bytes] = field(default_factory=dict)    # new attachments by file name


def edit_item(ledger: Ledger, instance, paths: InstancePaths, ref: int | str, actor: Actor, clock: Clock,
              edit: Edit, expect: Expect | None = None) -> Item:
    """Store `edit` as revision N+1 of the item, authored by `actor`; ValidationError lists every problem."""
    item = visible_item(ledger, actor, ref)
    user = load_actor(ledger, actor)
    check(item, EDIT, user, participants(ledger, item))  # refuse early, before any file is written
    refuse_if_locked(ledger, item, user.login, clock.now())
    current = ledger.revision(item.id, item.current_rev)
    store = register_store(instance, paths)
    with Session(paths) as session:
        bundle = session.claim_target(item.department, f"duzenleme-{user.login}")
        try:
            _write_bundle(bundle, store, item, current, edit)
            sub = parse_submission(bundle, item.department, instance, name=f"{user.login} düzenlemesi")
            if sub.tur != item.tur:
                raise ValidationError([Problem("tur", "Düzenlemede içeriğin türü değiştirilemez.",
                                               "an edit cannot change the type")],
                                      "Düzenleme kaydedilmedi.", "edit not saved")
            sub = replace(sub, warnings=sub.warnings + intake_warnings(sub, instance, paths)
                          + receipt_lines(ledger, instance, sub, item.number))
            findings = scan_submission(sub, instance)  # every revision is scanned, an editor's too
            staging = _stage(store, sub, item.year, session)
        finally:
            remove_tree(bundle)
        try:
            updated, event, stored = _record(ledger, store, ref, actor, clock, sub, staging, expect, findings)
        except BaseException:
            remove_tree(staging)
            raise
    store.seal(stored)
    signals.item_edited.send(EDIT, item=updated, event=event)
    return updated


def _write_bundle(bundle, store, item: Item, current, edit: Edit) -> None:
    """The edit as a department's bundle folder: index.md plus the attachments it keeps and adds."""
    bundle.mkdir()
    folder = store.folder(current.stored_dir) if current and current.attachments else None
    previous = {name.split("/", 1)[-1]: folder / name for name in (current.attachments if current else [])}
    for name in edit.keep:
        if name not in previous:
            raise ValidationError([Problem("ekler", f"'{name}' bu kaydın şimdiki eklerinden biri değil.",
                                           f"{name!r} is not an attachment of the current revision")],
                                  "Düzenleme kaydedilmedi.", "edit not saved")
        shutil.copyfile(previous[name], bundle / name)
    for name, data in edit.uploads.items():
        if name != PurePosixPath(name.replace("\\", "/")).name or name.startswith(".") or name == "index.md":
            raise ValidationError([Problem("ekler", f"'{name}' bir ek dosyasının adı olamaz.",
                                           f"{name!r} cannot name an attachment")],
                                  "Düzenleme kaydedilmedi.", "edit not saved")
        (bundle / name).write_bytes(data)
    (bundle / "index.md").write_text(edit.document, encoding="utf-8")


def _record(ledger: Ledger, store, ref, actor: Actor, clock: Clock, sub, staging, expect,
            findings):
    """The new revision and its event in one transaction; the folder is put into the store inside it."""
    now = clock.now()
    with ledger.transaction() as tx:
        item = visible_item(tx, actor, ref)
        user = load_actor(tx, actor)
        if expect is not None:
            expect(tx, item)
        refuse_if_locked(tx, item, user.login, now)
        rev_no = tx.next_rev(item.id)
        stored = f"{item.year}/{item.number}.r{rev_no}"
        revision = _revision(sub, item.id, rev_no, stored, user.login, now)
        live = item.live_rev is not None  # published content keeps its address and publication time

        def execute(tx, item, user, to_state, now):
            tx.insert_revision(revision)
            tx.insert_kvkk_findings(item.id, rev_no, findings)
            release(tx, item)
            changes = {"current_rev": rev_no, "title": sub.title, "expire_at": sub.expire_at}
            if not live:
                changes.update(slug=slugify(sub.title), publish_at=sub.publish_at)
            if item.state != IN_REVIEW:  # the editor took it into review by editing it
                changes["reviewer"] = user.login
            return changes

        updated, event = apply(tx, item, EDIT, user, now, execute=execute,
                               data=event_data(actor, {"rev": rev_no, "from_rev": item.current_rev}))
        store.put(stored, staging)
    return updated, event, stored
