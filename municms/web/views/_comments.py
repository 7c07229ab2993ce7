"""The comment form of the department's and the editor's item pages: one action, one refusal boundary."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ...actions.comments import add_comment
from ...auth import Actor
from ...errors import ConflictError, PermissionDenied, ValidationError
from ._refusal import refusal


async def post_comment(request: Request, actor: Actor, number: str) -> tuple[int, list, str | None]:
    """(status, error lines, notice) of the comment the form sends on item `number`."""
    state = request.app.state
    form = await request.form()
    try:
        await run_in_threadpool(add_comment, state.ledger, number, actor, state.clock, str(form.get("yorum") or ""))
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        status, errors = refusal(exc, "yeni-yorum")
        return status, errors, None
    return 200, [], "Yorumunuz eklendi."
