"""Plain data of the ledger: items, revisions, events, users; state and role constants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

# States of DESIGN.md, in workflow order.
RECEIVED = "received"
REGISTERED = "registered"
ASSIGNED = "assigned"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
REJECTED = "rejected"
APPROVED = "approved"
SCHEDULED = "scheduled"
PUBLISHED = "published"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
ARCHIVED = "archived"
STATES = (RECEIVED, REGISTERED, ASSIGNED, IN_REVIEW, CHANGES_REQUESTED, REJECTED, APPROVED, SCHEDULED,
          PUBLISHED, EXPIRED, WITHDRAWN, ARCHIVED)

STATE_LABELS_TR = {
    RECEIVED: "alındı", REGISTERED: "kaydedildi", ASSIGNED: "havale edildi", IN_REVIEW: "incelemede",
    CHANGES_REQUESTED: "değişiklik istendi", REJECTED: "reddedildi", APPROVED: "onaylandı",
    SCHEDULED: "zamanlandı", PUBLISHED: "yayında", EXPIRED: "süresi doldu", WITHDRAWN: "geri çekildi",
    ARCHIVED: "arşivlendi",
}

# Entering one of these closes the register line (the closing date of the kayıt defteri).
CLOSING_STATES = frozenset({REJECTED, PUBLISHED, EXPIRED, WITHDRAWN, ARCHIVED})

# Roles.
BIRIM = "birim"
EDITOR = "editor"
MUDUR = "mudur"
YONETICI = "yonetici"
ROLES = (BIRIM, EDITOR, MUDUR, YONETICI)
ROLE_LABELS_TR = {BIRIM: "birim personeli", EDITOR: "editör", MUDUR: "müdür", YONETICI: "yönetici",
                  "sistem": "sistem"}

# The built-in actor of intake, scheduler and publish pipeline; never stored in the users table.
SYSTEM = "sistem"

# Emergency banners need this many distinct approvers.
TWO_APPROVALS_TYPES = frozenset({"acil-duyuru"})


@dataclass(frozen=True)
class Item:
    """One registered document (a line of the kayıt defteri) and its current workflow state."""

    id: int | None = None
    number: str = ""
    year: int = 0
    seq: int = 0
    tur: str = ""
    department: str = ""
    title: str = ""
    state: str = RECEIVED
    unit: str = ""
    assignee: str | None = None
    author: str = ""
    slug: str = ""
    publish_at: dt.datetime | None = None
    expire_at: dt.datetime | None = None
    current_rev: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    public_reason: str | None = None
    reviewer: str | None = None            # who took the item into review (four-eyes)
    live_rev: int | None = None            # the revision the public site shows (set on publication)

    def with_changes(self, **changes) -> "Item":
        return replace(self, **changes)


ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class Revision:
    """One version of an item's content, as submitted (or edited); immutable once stored."""

    item_id: int | None = None
    rev: int = 1
    front_matter: dict = field(default_factory=dict)
    body: str = ""
    source_name: str = ""
    source_sha256: str = ""
    stored_dir: str = ""
    attachments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    author: str = ""
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class Event:
    """One line of the append-only audit log: who did what, when, from which state to which."""

    id: int | None = None
    item_id: int | None = None
    at: dt.datetime | None = None
    actor: str = ""
    action: str = ""
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Comment:
    """A note on an item by someone who may see it (append-only), on the revision current when written."""

    id: int | None = None
    item_id: int | None = None
    at: dt.datetime | None = None
    author: str = ""
    rev: int = 1
    text: str = ""


@dataclass(frozen=True)
class EditLock:
    """Who is editing an item's content in the editorial app, since when and until when (renewed on use)."""

    item_id: int
    login: str
    taken_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class User:
    """A person who may act: department staff, editor of a unit, director or administrator."""

    login: str
    role: str
    unit: str | None = None
    department: str | None = None
    password_hash: str = ""
    active: bool = True


SYSTEM_USER = User(login=SYSTEM, role=SYSTEM)


def state_label(state: str) -> str:
    """The Turkish label of a state (the state id itself if unknown)."""
    return STATE_LABELS_TR.get(state, state)


# Seminar registrations: a place (kesin), the waiting list (yedek), or given up (iptal).
CONFIRMED = "kesin"
WAITING = "yedek"
CANCELLED = "iptal"
REGISTRATION_LABELS_TR = {CONFIRMED: "kesin kayıt", WAITING: "yedek liste", CANCELLED: "kaydı iptal"}
CITIZEN = "vatandas"
STAFF = "personel"


@dataclass(frozen=True)
class Registration:
    """One person's registration for a seminar. Name, e-mail and phone are None once anonymised."""

    id: int | None = None
    item_id: int = 0
    status: str = CONFIRMED
    audience: str = CITIZEN
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    department: str | None = None
    created_at: dt.datetime | None = None
    changed_at: dt.datetime | None = None
    registered_by: str = ""          # 'web' (the public form) or the login of the staff member who entered it
    consent_at: dt.datetime | None = None
    attended: bool | None = None     # None: not marked yet
    reminded_at: dt.datetime | None = None
    anonymised_at: dt.datetime | None = None


@dataclass(frozen=True)
class SeminarNotice:
    """What happened to a seminar beyond its text: cancelled (with the public reason) or postponed (earlier
    dates, oldest first, as [start, end] ISO strings); `dates` are the dates registrants were last told."""

    item_id: int
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = None
    postponed_from: tuple[tuple[str, str], ...] = ()
    dates: tuple[str, str] | None = None


@dataclass(frozen=True)
class OutboxMessage:
    """An e-mail queued in the same transaction as the change it tells about; sent by municms.mail."""

    id: int | None = None
    created_at: dt.datetime | None = None
    kind: str = ""
    recipient: str = ""
    subject: str = ""
    body: str = ""
    registration_id: int | None = None
    sent_at: dt.datetime | None = None
    attempts: int = 0
    last_error: str | None = None
