"""Who sees which seminar and whose registrations, for the editorial app's seminar screens (reads only).

Everyone logged in sees the published seminars, staff-only ones included (department staff register their
people for them); the seminar's managers (may_manage) also see the ones not yet published. Personal data:
managers see every registration, department staff the staff registrations of their own department, nobody
else any. Certificates and sign-in sheets are the managers'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..auth import Actor
from ..errors import NotFound, PermissionDenied
from ..ledger import Ledger
from ..materialise import public_view
from ..model import BIRIM, PUBLISHED, STAFF, Item, Registration, User
from ..seminar_checks import SEMINAR
from ..config import Instance
from ..seminars.facts import SeminarFacts, seminar_facts
from ._transition import load_actor
from .seminar_registration import may_manage

ANONYMISED_TR = ("Bu kaydın kişisel verileri saklama süresi dolduğu için silindi (anonimleştirildi); "
                 "katılım belgesi artık düzenlenemez.")
SEMINAR_LIMIT = 5000  # every seminar of many years; the list sorts them by start, so it reads them all


@dataclass(frozen=True)
class Seminar:
    """A seminar as a screen shows it: where it stands and the front matter of the revision shown."""

    facts: SeminarFacts
    front_matter: dict

    @property
    def item(self) -> Item:
        return self.facts.item

    def room(self, instance: Instance) -> str:
        return _name(instance.seminars.room, self.front_matter.get("yer"))

    def trainer(self, instance: Instance) -> str:
        return _name(instance.seminars.trainer, self.front_matter.get("egitmen"))


def _name(lookup, value) -> str:
    """A room's or trainer's name as the instance spells it, else as the submission typed it."""
    text = str(value or "").strip()
    known = lookup(text)
    return known.name if known else text


def published(item: Item) -> Item | None:
    """The seminar as the public site shows it (its published revision), or None while it is not public."""
    view = public_view(item)
    return view if view is not None and view.state == PUBLISHED else None


def _shown(user: User, item: Item) -> Item | None:
    """The seminar as this user sees it: the public version once published; before that only its managers
    see it (the register's version)."""
    return published(item) or (item if may_manage(user, item) else None)


def _rev(item: Item) -> tuple[int, int]:
    return item.id, item.live_rev or item.current_rev   # the revision facts_of() reads


def seminar_list(ledger: Ledger, actor: Actor, now: dt.datetime, tz) -> list[Seminar]:
    """Every seminar `actor` may see, as it stands at `now`, the latest start first (undated ones last);
    four queries whatever the number of seminars."""
    user = load_actor(ledger, actor)
    items = [shown for item in ledger.find_items(tur=SEMINAR, limit=SEMINAR_LIMIT)
             if (shown := _shown(user, item)) is not None]
    revisions = ledger.revisions_at([_rev(item) for item in items])
    counts, notices = ledger.registration_counts(), ledger.seminar_notices()
    seminars = []
    for item in items:
        front = revisions[_rev(item)].front_matter
        seminars.append(Seminar(seminar_facts(item, front, counts.get(item.id, {}), notices.get(item.id), now, tz),
                                front))
    dated = sorted((s for s in seminars if s.facts.start is not None), key=lambda s: (s.facts.start, s.item.id),
                   reverse=True)
    return dated + [s for s in seminars if s.facts.start is None]


def seminar_details(ledger: Ledger, item: Item, now: dt.datetime, tz) -> Seminar:
    """One seminar (as visible_seminar returned it) as it stands at `now`."""
    front = ledger.revision(*_rev(item)).front_matter
    counts = ledger.registration_counts(item.id).get(item.id, {})
    return Seminar(seminar_facts(item, front, counts, ledger.seminar_notice(item.id), now, tz), front)


def _id(value: int | str) -> int | None:
    """A record id from an address (digits only), or None."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def visible_seminar(ledger: Ledger, actor: Actor, item_id: int | str) -> tuple[Item, User]:
    """The seminar (as this actor works with it) and the acting user; NotFound if it is not one they may see."""
    user = load_actor(ledger, actor)
    try:
        item = ledger.item(_id(item_id)) if _id(item_id) is not None else None
    except NotFound:
        item = None
    shown = _shown(user, item) if item is not None and item.tur == SEMINAR else None
    if shown is None:
        raise NotFound("Seminer bulunamadı ya da görme yetkiniz yok.",
                       f"seminar {item_id} not found or not visible to '{user.login}'")
    return shown, user


def managed_seminar(ledger: Ledger, actor: Actor, item_id: int | str, what_tr: str) -> Item:
    """The seminar, if `actor` runs it (an editor of its unit or the director); otherwise PermissionDenied."""
    item, user = visible_seminar(ledger, actor, item_id)
    if not may_manage(user, item):
        raise PermissionDenied(f"{what_tr} yalnız seminerin birimindeki editörler ve müdür görebilir.",
                               f"'{user.login}' does not manage seminar {item.number}")
    return item


def shown_registrations(ledger: Ledger, user: User, item: Item) -> list[Registration]:
    """The registrations whose personal data `user` may see, oldest first (none for most roles)."""
    if may_manage(user, item):
        return ledger.registrations(item.id)
    if user.role == BIRIM and user.department:
        return [r for r in ledger.registrations(item.id)
                if r.audience == STAFF and r.department == user.department]
    return []


def seminar_registration(ledger: Ledger, item: Item, reg_id: int | str) -> Registration:
    """A registration of this seminar, or NotFound."""
    reg = ledger.registration(_id(reg_id)) if _id(reg_id) is not None else None
    if reg is None or reg.item_id != item.id:
        raise NotFound("Bu seminerde böyle bir kayıt yok.", f"registration {reg_id} not of seminar {item.id}")
    return reg


def certificate_registration(ledger: Ledger, actor: Actor, item_id: int | str,
                             reg_id: int | str) -> tuple[Item, Registration]:
    """The seminar and the registration of someone who attended it, for a certificate the managers make;
    NotFound (in Turkish) for anyone else's registration, a non-attendee or anonymised data."""
    item = managed_seminar(ledger, actor, item_id, "Katılım belgelerini")
    reg = seminar_registration(ledger, item, reg_id)
    if reg.attended is not True:
        raise NotFound("Katılım belgesi yalnız semineri katıldı olarak işlenen kişiler için düzenlenir; "
                       "bu kayıt katıldı olarak işlenmemiş.", f"registration {reg_id} did not attend")
    if reg.anonymised_at is not None or not reg.name:
        raise NotFound(ANONYMISED_TR, f"registration {reg_id} is anonymised")
    return item, reg
