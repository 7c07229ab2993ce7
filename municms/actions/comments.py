"""Comments on an item: a note by anyone who may see it (the department, its editors, the director), kept
append-only beside the item's events and shown on every screen of the item."""

from __future__ import annotations

from dataclasses import replace

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..errors import Problem, ValidationError
from ..ledger import Ledger
from ..model import Comment
from ._transition import load_actor
from .visibility import visible_item

MAX_LENGTH = 4000


def add_comment(ledger: Ledger, ref: int | str, actor: Actor, clock: Clock, text: str) -> Comment:
    """Write `actor`'s comment on the item's current revision; ValidationError for an empty or long text."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError([Problem("text", "Yorum boş olamaz.", "the comment is empty")],
                              "Yorum kaydedilmedi.", "comment not saved")
    if len(text) > MAX_LENGTH:
        raise ValidationError([Problem("text", f"Yorum en çok {MAX_LENGTH} karakter olabilir ({len(text)} yazıldı).",
                                       f"the comment is longer than {MAX_LENGTH} characters")],
                              "Yorum kaydedilmedi.", "comment not saved")
    with ledger.transaction() as tx:
        item = visible_item(tx, actor, ref)  # the same NotFound for an item the actor may not see
        user = load_actor(tx, actor)
        comment = Comment(item_id=item.id, at=clock.now(), author=user.login, rev=item.current_rev, text=text)
        comment = replace(comment, id=tx.insert_comment(comment))
    signals.comment_added.send("comment", item=item, comment=comment)
    return comment


def item_comments(ledger: Ledger, actor: Actor, ref: int | str) -> list[Comment]:
    """The comments of an item `actor` may see, oldest first."""
    return ledger.comments(visible_item(ledger, actor, ref).id)
