"""The editorial workflow as data: (state, action) → rule; check() decides, pure, no IO.

Roles: ``birim`` acts on its own department's items, ``editor`` on its unit's items, ``mudur`` on all,
``yonetici`` only archives; the built-in actor ``sistem`` (intake, scheduler, publish pipeline) registers,
schedules, publishes and expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .errors import InvalidTransition, PermissionDenied, Problem, ValidationError
from .model import (APPROVED, ARCHIVED, ASSIGNED, BIRIM, CHANGES_REQUESTED, EDITOR, EXPIRED, IN_REVIEW, MUDUR,
                    PUBLISHED, RECEIVED, REGISTERED, REJECTED, ROLE_LABELS_TR, SCHEDULED, SYSTEM,
                    TWO_APPROVALS_TYPES, WITHDRAWN, YONETICI, Item, User, state_label)

# Actions.
REGISTER = "register"
ASSIGN = "assign"
START_REVIEW = "start_review"
APPROVE = "approve"
REQUEST_CHANGES = "request_changes"
RESUBMIT = "resubmit"
REJECT = "reject"
SCHEDULE = "schedule"
PUBLISH = "publish"
EXPIRE = "expire"
WITHDRAW = "withdraw"
ARCHIVE = "archive"
ACTIONS = (REGISTER, ASSIGN, START_REVIEW, APPROVE, REQUEST_CHANGES, RESUBMIT, REJECT, SCHEDULE, PUBLISH,
           EXPIRE, WITHDRAW, ARCHIVE)

ACTION_LABELS_TR = {
    REGISTER: "kaydetme", ASSIGN: "havale", START_REVIEW: "incelemeye alma", APPROVE: "onaylama",
    REQUEST_CHANGES: "değişiklik isteme", RESUBMIT: "yeniden gönderme", REJECT: "reddetme",
    SCHEDULE: "zamanlama", PUBLISH: "yayımlama", EXPIRE: "süre sonu", WITHDRAW: "geri çekme",
    ARCHIVE: "arşivleme",
}


@dataclass(frozen=True)
class Rule:
    """Where an action leads from one state, who may take it, and whether a reason is required."""

    to_state: str
    roles: frozenset[str]
    reason_required: bool = False          # for every role
    reason_roles: frozenset[str] = frozenset()  # only these roles must give a reason (mudur force-publish)
    four_eyes: bool = False                # approver ≠ author ≠ last editor; two approvers for acil-duyuru


def _rule(to_state: str, *roles: str, **options) -> Rule:
    return Rule(to_state, frozenset(roles), **options)


_EDITORS = (EDITOR, MUDUR)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (RECEIVED, REGISTER): _rule(REGISTERED, SYSTEM, BIRIM),
    (REGISTERED, ASSIGN): _rule(ASSIGNED, MUDUR),
    (ASSIGNED, ASSIGN): _rule(ASSIGNED, MUDUR),  # re-assignment (havale değişikliği)
    (ASSIGNED, START_REVIEW): _rule(IN_REVIEW, *_EDITORS),
    (IN_REVIEW, APPROVE): _rule(APPROVED, *_EDITORS, four_eyes=True),
    (IN_REVIEW, REQUEST_CHANGES): _rule(CHANGES_REQUESTED, *_EDITORS, reason_required=True),
    (CHANGES_REQUESTED, RESUBMIT): _rule(IN_REVIEW, BIRIM, SYSTEM),
    (ASSIGNED, REJECT): _rule(REJECTED, *_EDITORS, reason_required=True),
    (IN_REVIEW, REJECT): _rule(REJECTED, *_EDITORS, reason_required=True),
    (APPROVED, SCHEDULE): _rule(SCHEDULED, SYSTEM),
    (APPROVED, PUBLISH): _rule(PUBLISHED, SYSTEM, MUDUR, reason_roles=frozenset({MUDUR})),
    (SCHEDULED, PUBLISH): _rule(PUBLISHED, SYSTEM, MUDUR, reason_roles=frozenset({MUDUR})),
    (PUBLISHED, EXPIRE): _rule(EXPIRED, SYSTEM),
    (APPROVED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS),
    (SCHEDULED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS),
    (PUBLISHED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS, reason_required=True),  # the public reason
    (EXPIRED, ARCHIVE): _rule(ARCHIVED, MUDUR, YONETICI, SYSTEM),
    (WITHDRAWN, ARCHIVE): _rule(ARCHIVED, MUDUR, YONETICI, SYSTEM),
}


def may_see(user: User, item: Item) -> bool:
    """Department staff see their department's items, editors their unit's, everyone else all."""
    if user.role == BIRIM:
        return item.department == user.department
    if user.role == EDITOR:
        return item.unit == user.unit
    return True


def allowed_actions(item: Item, user: User) -> list[str]:
    """Actions this user may try on this item now (for menus; check() still decides)."""
    return [action for (state, action), rule in TRANSITIONS.items()
            if state == item.state and user.role in rule.roles and may_see(user, item)]


def check(item: Item, action: str, user: User, approvals: Iterable[str] = (), *,
          last_editor: str | None = None, reason: str | None = None) -> str:
    """The state `action` by `user` leads `item` to; raise InvalidTransition/PermissionDenied otherwise.

    `approvals` are the logins that already approved the current revision; `last_editor` is the author
    of the current revision. For acil-duyuru the first approval keeps the item in review.
    """
    rule = TRANSITIONS.get((item.state, action))
    label = ACTION_LABELS_TR.get(action, action)
    if rule is None:
        raise InvalidTransition(
            f"{item.number or 'Kayıt'} '{state_label(item.state)}' durumunda; {label} yapılamaz.",
            f"{item.number}: action '{action}' is not allowed in state '{item.state}'")
    if user.role not in rule.roles:
        raise PermissionDenied(
            f"{label.capitalize()} yetkiniz yok ({ROLE_LABELS_TR.get(user.role, user.role)}: {user.login}).",
            f"role '{user.role}' of '{user.login}' may not '{action}'")
    _check_scope(item, action, user)
    if rule.four_eyes:
        return _four_eyes(item, user, list(approvals), last_editor, rule.to_state)
    if (rule.reason_required or user.role in rule.reason_roles) and not (reason or "").strip():
        raise ValidationError([Problem("reason", "Gerekçe yazılması zorunludur.", "a reason is required")],
                              f"{label.capitalize()} için gerekçe zorunludur.", f"'{action}' needs a reason")
    return rule.to_state


def _check_scope(item: Item, action: str, user: User) -> None:
    if user.role == EDITOR and item.unit != user.unit:
        raise PermissionDenied(
            f"{item.number} '{item.unit}' biriminin işidir; siz '{user.unit}' biriminin editörüsünüz.",
            f"editor of '{user.unit}' may not act on item of unit '{item.unit}'")
    if user.role == BIRIM and item.department != user.department:
        raise PermissionDenied(
            f"{item.number} başka bir müdürlüğe aittir; yalnız kendi müdürlüğünüzün kayıtlarında işlem yapabilirsiniz.",
            f"department '{user.department}' may not act on item of '{item.department}'")


def _four_eyes(item: Item, user: User, approvals: list[str], last_editor: str | None, to_state: str) -> str:
    if user.login == item.author:
        raise PermissionDenied("Kendi hazırladığınız içeriği onaylayamazsınız (dört göz ilkesi).",
                               f"'{user.login}' is the author of {item.number}")
    if last_editor and user.login == last_editor:
        raise PermissionDenied("İçeriği son düzenleyen kişi onu onaylayamaz (dört göz ilkesi).",
                               f"'{user.login}' is the last editor of {item.number}")
    if user.login in approvals:
        raise PermissionDenied("Bu sürümü zaten onayladınız; ikinci onay başka bir kişiden gelmelidir.",
                               f"'{user.login}' already approved {item.number}")
    needed = 2 if item.tur in TWO_APPROVALS_TYPES else 1
    return to_state if len(set(approvals)) + 1 >= needed else item.state
