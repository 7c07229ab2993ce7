"""The seminars of the editorial app's screens (reads only): who sees which seminar and whose registrations
is seminar_views' rule (the JSON API's too); here the screens' share: the front matter shown with a seminar
(room, trainer), a seminar from an address, and the managers' documents (sign-in sheet, certificates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..auth import Actor
from ..config import Instance
from ..errors import NotFound, PermissionDenied
from ..ledger import Ledger
from ..model import Item, Registration, User
from ..seminars.facts import SeminarFacts
from . import seminar_views as views
from ._transition import load_actor
from .seminar_registration import may_manage
from .seminar_views import visible_seminars

ANONYMISED_TR = ("Bu kaydın kişisel verileri saklama süresi dolduğu için silindi (anonimleştirildi); "
                 "katılım belgesi artık düzenlenemez.")


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


def _id(value: int | str) -> int | None:
    """A record id from an address (ASCII digits only), or None."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _with_front_matter(ledger: Ledger, facts: list[SeminarFacts]) -> list[Seminar]:
    wanted = [(f.item.id, f.item.live_rev or f.item.current_rev) for f in facts]   # the revision facts_of reads
    revisions = ledger.revisions_at(wanted)
    return [Seminar(f, revisions[key].front_matter) for f, key in zip(facts, wanted)]


def seminar_list(ledger: Ledger, actor: Actor, now: dt.datetime, tz) -> list[Seminar]:
    """Every seminar `actor` may see (seminar_views decides), as it stands at `now`, the latest start first."""
    return _with_front_matter(ledger, visible_seminars(ledger, actor, now, tz))


def visible_seminar(ledger: Ledger, actor: Actor, item_id: int | str, now: dt.datetime,
                    tz) -> tuple[Seminar, User]:
    """The seminar with the id of an address and the acting user; NotFound if it is not one they may see."""
    user = load_actor(ledger, actor)
    number = _id(item_id)
    if number is None:
        raise NotFound("Seminer bulunamadı ya da görme yetkiniz yok.", f"seminar '{item_id}' is not an id")
    [seminar] = _with_front_matter(ledger, [views.visible_seminar(ledger, actor, number, now, tz)])
    return seminar, user


def managed_seminar(ledger: Ledger, actor: Actor, item_id: int | str, what_tr: str, now: dt.datetime,
                    tz) -> Seminar:
    """The seminar, if `actor` runs it (an editor of its unit or the director); otherwise PermissionDenied."""
    seminar, user = visible_seminar(ledger, actor, item_id, now, tz)
    if not may_manage(user, seminar.item):
        raise PermissionDenied(f"{what_tr} yalnız seminerin birimindeki editörler ve müdür görebilir.",
                               f"'{user.login}' does not manage seminar {seminar.item.number}")
    return seminar


def seminar_registration(ledger: Ledger, item: Item, reg_id: int | str) -> Registration:
    """A registration of this seminar, or NotFound."""
    reg = ledger.registration(_id(reg_id)) if _id(reg_id) is not None else None
    if reg is None or reg.item_id != item.id:
        raise NotFound("Bu seminerde böyle bir kayıt yok.", f"registration {reg_id} not of seminar {item.id}")
    return reg


def certificate_registration(ledger: Ledger, actor: Actor, item_id: int | str, reg_id: int | str,
                             now: dt.datetime, tz) -> tuple[Seminar, Registration]:
    """The seminar and the registration of someone who attended it, for a certificate the managers make;
    NotFound (in Turkish) for anyone else's registration, a non-attendee or anonymised data."""
    seminar = managed_seminar(ledger, actor, item_id, "Katılım belgelerini", now, tz)
    reg = seminar_registration(ledger, seminar.item, reg_id)
    if reg.attended is not True:
        raise NotFound("Katılım belgesi yalnız semineri katıldı olarak işlenen kişiler için düzenlenir; "
                       "bu kayıt katıldı olarak işlenmemiş.", f"registration {reg_id} did not attend")
    if reg.anonymised_at is not None or not reg.name:
        raise NotFound(ANONYMISED_TR, f"registration {reg_id} is anonymised")
    return seminar, reg

