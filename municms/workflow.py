"""The editorial workflow as data: (state, action) → rule; check() decides, pure, no IO.

Roles: ``birim`` acts on its own department's items, ``editor`` on its unit's items, ``mudur`` on all,
``yonetici`` only archives; the built-in actor ``sistem`` (intake, scheduler, publish pipeline) registers,
schedules, publishes and expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
HOLD = "hold"  # publish left an approved item out of a release (its page failed a check); the state stays
EDIT = "edit"  # an editor writes a new revision (of an item in review, or of published content)
DISCARD = "discard"  # a new revision of published content is turned down: the published revision stays
ACTIONS = (REGISTER, ASSIGN, START_REVIEW, APPROVE, REQUEST_CHANGES, RESUBMIT, REJECT, SCHEDULE, PUBLISH,
           EXPIRE, WITHDRAW, ARCHIVE, HOLD, EDIT, DISCARD)

ACTION_LABELS_TR = {
    REGISTER: "kaydetme", ASSIGN: "havale", START_REVIEW: "incelemeye alma", APPROVE: "onaylama",
    REQUEST_CHANGES: "değişiklik isteme", RESUBMIT: "yeniden gönderme", REJECT: "reddetme",
    SCHEDULE: "zamanlama", PUBLISH: "yayımlama", EXPIRE: "süre sonu", WITHDRAW: "geri çekme",
    ARCHIVE: "arşivleme", HOLD: "yayından alıkoyma", EDIT: "düzenleme", DISCARD: "yeni sürümü geri çevirme",
}


# Who may NOT take an action, as relations to the item (four-eyes); checked by check() from Participants.
AUTHOR = "author"            # registered the item (birim:<department> or the submitting user)
EDITOR_OF_REVISION = "editor"  # wrote the current revision
REVIEWER = "reviewer"        # took the item into review
APPROVER = "approver"        # already approved the current revision
RELATION_MESSAGES_TR = {
    AUTHOR: "Kendi hazırladığınız içeriği onaylayamazsınız (dört göz ilkesi).",
    EDITOR_OF_REVISION: "İçeriğin bu sürümünü düzenleyen kişi onu onaylayamaz (dört göz ilkesi).",
    REVIEWER: "İçeriği incelemeye alan kişi onu onaylayamaz; onay başka bir kişiden gelmelidir (dört göz ilkesi).",
    APPROVER: "Bu sürümü zaten onayladınız; ikinci onay başka bir kişiden gelmelidir.",
}


@dataclass(frozen=True)
class Participants:
    """The people an item's current revision already has: the relations four-eyes rules look at."""

    author: str = ""
    editors: frozenset[str] = frozenset()
    reviewer: str | None = None
    approvals: tuple[str, ...] = ()

    def relations(self, login: str) -> list[str]:
        """Every relation `login` has to the item, in the order the rules report them."""
        found = [(AUTHOR, login == self.author), (EDITOR_OF_REVISION, login in self.editors),
                 (REVIEWER, login == self.reviewer), (APPROVER, login in self.approvals)]
        return [relation for relation, holds in found if holds]


@dataclass(frozen=True)
class Rule:
    """Where an action leads from one state, who may take it, who may not, and what else it needs."""

    to_state: str
    roles: frozenset[str]
    reason_required: bool = False          # for every role
    reason_roles: frozenset[str] = frozenset()  # only these roles must give a reason (mudur force-publish)
    not_by: frozenset[str] = frozenset()   # relations that disqualify the actor (four-eyes)
    approvals: dict = field(default_factory=dict)  # tur → distinct approvals needed (default 1)
    live: bool | None = None  # True: only items with a published revision; False: only items without one


def _rule(to_state: str, *roles: str, **options) -> Rule:
    return Rule(to_state, frozenset(roles), **options)


_EDITORS = (EDITOR, MUDUR)
# The approver is never the author, anyone who edited the revision, its reviewer, nor an earlier approver.
_FOUR_EYES = frozenset({AUTHOR, EDITOR_OF_REVISION, REVIEWER, APPROVER})

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (RECEIVED, REGISTER): _rule(REGISTERED, SYSTEM, BIRIM),
    (REGISTERED, ASSIGN): _rule(ASSIGNED, MUDUR),
    (ASSIGNED, ASSIGN): _rule(ASSIGNED, MUDUR),  # re-assignment (havale değişikliği)
    (ASSIGNED, START_REVIEW): _rule(IN_REVIEW, *_EDITORS, not_by=frozenset({AUTHOR, EDITOR_OF_REVISION})),
    (IN_REVIEW, APPROVE): _rule(APPROVED, *_EDITORS, not_by=_FOUR_EYES,
                                approvals={tur: 2 for tur in TWO_APPROVALS_TYPES}),
    (IN_REVIEW, REQUEST_CHANGES): _rule(CHANGES_REQUESTED, *_EDITORS, reason_required=True),
    (CHANGES_REQUESTED, RESUBMIT): _rule(IN_REVIEW, BIRIM, SYSTEM),
    # Rejection ends an item that never was public; published content is never rejected (DISCARD instead).
    (ASSIGNED, REJECT): _rule(REJECTED, *_EDITORS, reason_required=True, live=False),
    (IN_REVIEW, REJECT): _rule(REJECTED, *_EDITORS, reason_required=True, live=False),
    (APPROVED, SCHEDULE): _rule(SCHEDULED, SYSTEM),
    (APPROVED, PUBLISH): _rule(PUBLISHED, SYSTEM, MUDUR, reason_roles=frozenset({MUDUR})),
    (SCHEDULED, PUBLISH): _rule(PUBLISHED, SYSTEM, MUDUR, reason_roles=frozenset({MUDUR})),
    (APPROVED, HOLD): _rule(APPROVED, SYSTEM, MUDUR),  # whoever publishes records why an item stayed out
    (SCHEDULED, HOLD): _rule(SCHEDULED, SYSTEM, MUDUR),
    # an approved item that cannot be published (held back) goes back to its department for a new revision
    (APPROVED, REQUEST_CHANGES): _rule(CHANGES_REQUESTED, *_EDITORS, reason_required=True),
    (SCHEDULED, REQUEST_CHANGES): _rule(CHANGES_REQUESTED, *_EDITORS, reason_required=True),
    (PUBLISHED, EXPIRE): _rule(EXPIRED, SYSTEM),
    (APPROVED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS),
    (SCHEDULED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS),
    (PUBLISHED, WITHDRAW): _rule(WITHDRAWN, *_EDITORS, reason_required=True),  # the public reason
    (EXPIRED, ARCHIVE): _rule(ARCHIVED, MUDUR, YONETICI, SYSTEM),
    (WITHDRAWN, ARCHIVE): _rule(ARCHIVED, MUDUR, YONETICI, SYSTEM),
    # An editor's edit is a new revision in review: it needs an approval by someone else, like new content.
    # Published content stays public in its published revision until the new one is approved and published.
    **{(state, EDIT): _rule(IN_REVIEW, *_EDITORS)
       for state in (ASSIGNED, IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED, PUBLISHED)},
    # A new revision of published content is turned down, not the content: the item goes back to published.
    **{(state, DISCARD): _rule(PUBLISHED, *_EDITORS, reason_required=True, live=True)
       for state in (IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED)},
    # ... and withdrawing it stays possible while a new revision is under way (with the public reason).
    **{(state, WITHDRAW): _rule(WITHDRAWN, *_EDITORS, reason_required=True, live=True)
       for state in (IN_REVIEW, CHANGES_REQUESTED)},
}


def visibility_scope(user: User) -> tuple[str, str | None] | None:
    """The item field that bounds what `user` sees and its value: department staff their department, editors
    their unit; None for everyone else (they see all)."""
    if user.role == BIRIM:
        return "department", user.department
    if user.role == EDITOR:
        return "unit", user.unit
    return None


def may_see(user: User, item: Item) -> bool:
    """Whether `item` lies within the user's visibility scope."""
    scope = visibility_scope(user)
    return scope is None or getattr(item, scope[0]) == scope[1]


def allowed_actions(item: Item, user: User) -> list[str]:
    """Actions this user may try on this item now (for menus; check() still decides)."""
    return [action for (state, action), rule in TRANSITIONS.items()
            if state == item.state and user.role in rule.roles and may_see(user, item) and _fits(rule, item)]


def _fits(rule: Rule, item: Item) -> bool:
    """Whether a rule meant for published content (or for content never published) applies to `item`."""
    return rule.live is None or rule.live == (item.live_rev is not None)


def needs_reason(rule: Rule, action: str, item: Item, user: User) -> bool:
    """Reasons are required by the rule, by the role (mudur force-publish), and for every withdrawal of
    content that is public (the page then shows the reason)."""
    return (rule.reason_required or user.role in rule.reason_roles
            or (action == WITHDRAW and item.live_rev is not None))


def check(item: Item, action: str, user: User, participants: Participants = Participants(), *,
          reason: str | None = None) -> str:
    """The state `action` by `user` leads `item` to; raise InvalidTransition/PermissionDenied otherwise.

    `participants` are the people the current revision already has (author, editors, reviewer, approvers).
    An action needing more approvals than it now has (acil-duyuru: two) keeps the item where it is.
    """
    rule = TRANSITIONS.get((item.state, action))
    label = ACTION_LABELS_TR.get(action, action)
    if rule is None:
        raise InvalidTransition(
            f"{item.number or 'Kayıt'} '{state_label(item.state)}' durumunda; {label} yapılamaz.",
            f"{item.number}: action '{action}' is not allowed in state '{item.state}'")
    if not _fits(rule, item):
        message = (f"{item.number} yayında olan bir içeriğin yeni sürümüdür; reddedilemez. Yeni sürümü 'geri "
                   "çevir' ile reddedin (yayındaki sürüm kalır) ya da içeriği gerekçesiyle geri çekin."
                   if action == REJECT else f"{item.number} hiç yayımlanmadı; {label} yapılamaz.")
        raise InvalidTransition(message, f"{item.number}: '{action}' does not apply (live revision: {item.live_rev})")
    if user.role not in rule.roles:
        raise PermissionDenied(
            f"{label.capitalize()} yetkiniz yok ({ROLE_LABELS_TR.get(user.role, user.role)}: {user.login}).",
            f"role '{user.role}' of '{user.login}' may not '{action}'")
    _check_scope(item, action, user)
    barred = [r for r in participants.relations(user.login) if r in rule.not_by]
    if barred:
        raise PermissionDenied(RELATION_MESSAGES_TR.get(barred[0], f"{label.capitalize()} yapamazsınız."),
                               f"'{user.login}' is {barred[0]} of {item.number}; may not '{action}'")
    if needs_reason(rule, action, item, user) and not (reason or "").strip():
        raise ValidationError([Problem("reason", "Gerekçe yazılması zorunludur.", "a reason is required")],
                              f"{label.capitalize()} için gerekçe zorunludur.", f"'{action}' needs a reason")
    needed = rule.approvals.get(item.tur, 1)
    return rule.to_state if len(set(participants.approvals)) + 1 >= needed else item.state


def _check_scope(item: Item, action: str, user: User) -> None:
    if user.role == EDITOR and item.unit != user.unit:
        raise PermissionDenied(
            f"{item.number} '{item.unit}' biriminin işidir; siz '{user.unit}' biriminin editörüsünüz.",
            f"editor of '{user.unit}' may not act on item of unit '{item.unit}'")
    if user.role == BIRIM and item.department != user.department:
        raise PermissionDenied(
            f"{item.number} başka bir müdürlüğe aittir; yalnız kendi müdürlüğünüzün kayıtlarında işlem yapabilirsiniz.",
            f"department '{user.department}' may not act on item of '{item.department}'")


# Who may switch the public site to another release by hand (rollback, deploying a build made elsewhere).
SITE_SWITCH_ROLES = frozenset({MUDUR, YONETICI, SYSTEM})


# State sets the pipeline shares (materialise, scheduler, publish import these; none keeps its own tuple).
DUE_STATES = frozenset({APPROVED, SCHEDULED})               # approved; published once their time comes
LIVE_STATES = DUE_STATES | {PUBLISHED}                      # may have a public page
ENDED_STATES = frozenset({EXPIRED, WITHDRAWN, ARCHIVED})    # a page that stays only as a notice (if ever public)
