"""A refused form: the HTTP status and the error-summary lines (field id, Turkish sentence) of an action's error,
the same for every screen (the screens' share of "errors become messages at one boundary")."""

from __future__ import annotations

from typing import Callable

from ...errors import MunicmsError, PermissionDenied, Problem, ValidationError

# Most specific first: invalid input, a role or four-eyes refusal, anything else the action refused.
STATUS = ((ValidationError, 422), (PermissionDenied, 403), (MunicmsError, 409))


def refusal(exc: MunicmsError, field: str,
            field_of: Callable[[Problem], str] | None = None) -> tuple[int, list[tuple[str, str]]]:
    """(status, lines): one line per problem of the error (at `field_of(problem)`, default `field`), the
    publish pipeline's problem rows (item, page, rule) included; the error's own sentence if it has none."""
    status = next(code for cls, code in STATUS if isinstance(exc, cls))
    problems = getattr(exc, "problems", None) or []
    lines = [(field_of(p) if field_of else field, p.message_tr) for p in problems if hasattr(p, "message_tr")]
    lines += [(field, f"{p.get('item') or '—'}: sayfa {p.get('page')}, kural '{p.get('rule')}': {p.get('message')}")
              for p in problems if isinstance(p, dict)]
    return status, lines or [(field, exc.message_tr)]
