"""The API's request and response bodies (pydantic), and how ledger objects become them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...model import Event, Item, Revision, state_label


class ItemOut(BaseModel):
    """A line of the register and its workflow state."""

    number: str = Field(description="kayıt numarası, ör. BİM-2026-000123")
    title: str
    tur: str = Field(description="içerik türü: haber, duyuru, mukellef-duyurusu …")
    department: str = Field(description="gönderen müdürlük")
    unit: str = Field(description="inceleyen yayın birimi (web, egitim, destek)")
    state: str = Field(description="iş akışı durumu (received, registered, assigned, in_review …)")
    state_label: str = Field(description="durumun Türkçe adı")
    assignee: str | None = None
    reviewer: str | None = None
    author: str
    current_rev: int
    live_rev: int | None = Field(None, description="sitede yayında olan sürüm (yayımlanmadıysa null)")
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    publish_at: dt.datetime | None = None
    expire_at: dt.datetime | None = None
    public_reason: str | None = None
    etag: str = Field(description="bu sürümün ETag değeri; değişikliklerde If-Match başlığına yazılır")


class ItemPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None = Field(description="sonraki sayfa için `cursor`; son sayfada null")


class KvkkFindingOut(BaseModel):
    kind: str = Field(description="tc_kimlik | iban | telefon | eposta | plaka | gps | seri_no | taranamadi")
    label_tr: str
    masked: str = Field(description="bulunan değer, maskeli (ör. 123******50)")
    place: str = Field(description="yeri: alan, metin satırı ya da ek (sayfa, paragraf, hücre)")
    message_tr: str
    open: bool = Field(description="açık: onay için gerekçe gerekir; kapalı: kayıtta temizlendi (gps, seri_no) "
                                   "ya da ek taranamadı, elle denetlenmeli (taranamadi)")
    status_tr: str = Field(description="açık | kayıtta temizlendi | elle denetleyin")


class RevisionOut(BaseModel):
    rev: int
    front_matter: dict[str, Any]
    body: str
    source_name: str
    attachments: list[str]
    warnings: list[str]
    author: str
    created_at: dt.datetime | None = None
    kvkk: list[KvkkFindingOut] = Field(default_factory=list,
                                       description="bu sürümde bulunan kişisel veriler (KVKK), maskeli")


class EventOut(BaseModel):
    id: int
    at: dt.datetime | None = None
    actor: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = None
    data: dict[str, Any]


class ReleaseOut(BaseModel):
    id: str
    created_at: str | None = None
    current: bool
    published_by: str | None = None
    items: list[str] = Field(description="bu yayında yayımlanan kayıtların numaraları")
    rolled_back_at: str | None = None


class Action(str, Enum):
    assign = "assign"
    review = "review"
    approve = "approve"
    request_changes = "request-changes"
    reject = "reject"
    withdraw = "withdraw"
    archive = "archive"
    discard = "discard"


class ActionIn(BaseModel):
    """Body of a workflow action: the reason (required for request-changes, reject and published withdraw) and,
    for assign, the editor it goes to."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=10_000, description="gerekçe")
    to: str | None = Field(None, max_length=200, description="havale edilecek editörün kullanıcı adı (assign)")
    kvkk_gerekce: str | None = Field(None, max_length=10_000,
                                     description="approve: sürümde açık kişisel veri (KVKK) bulguları varken "
                                                 "onaylamanın gerekçesi (bulgu yoksa kullanılmaz)")


class SubmissionIn(BaseModel):
    """A submission as JSON: the front-matter keys of the inbox format (tur, baslik, ozet, yayin …) and the
    Markdown body. `department` names the department for a mudur or yonetici token."""

    model_config = ConfigDict(extra="allow")
    tur: str = Field(description="haber | duyuru | mukellef-duyurusu | faaliyet-raporu | sayfa | organizasyon "
                                 "| seminer | e-hizmet | acil-duyuru | mevzuat")
    baslik: str
    body: str = Field(description="Markdown metin")
    department: str | None = Field(None, description="müdürlük (yalnız müdür ve yönetici anahtarları için)")


class SubmissionOut(BaseModel):
    status: str = Field(description="registered (yeni kayıt), resubmitted (yeni sürüm) ya da duplicate "
                                    "(aynı dosya daha önce kaydedilmiş)")
    number: str
    rev: int
    receipt: str = Field(description="alındı belgesinin metni (submissions/receipts/… dosyasıyla aynı)")
    warnings: list[str]
    kvkk: list[KvkkFindingOut] = Field(default_factory=list,
                                       description="kişisel veri taraması (KVKK) bulguları; değerler maskeli")
    item: ItemOut


def item_out(item: Item, etag: str) -> ItemOut:
    return ItemOut(number=item.number, title=item.title, tur=item.tur, department=item.department,
                   unit=item.unit, state=item.state, state_label=state_label(item.state), assignee=item.assignee,
                   reviewer=item.reviewer, author=item.author, current_rev=item.current_rev,
                   live_rev=item.live_rev,
                   created_at=item.created_at, updated_at=item.updated_at, closed_at=item.closed_at,
                   publish_at=item.publish_at, expire_at=item.expire_at, public_reason=item.public_reason,
                   etag=etag)


def revision_out(rev: Revision, findings=()) -> RevisionOut:
    return RevisionOut(rev=rev.rev, front_matter=rev.front_matter, body=rev.body, source_name=rev.source_name,
                       attachments=rev.attachments, warnings=rev.warnings, author=rev.author,
                       created_at=rev.created_at, kvkk=[f.as_dict() for f in findings])


def event_out(event: Event) -> EventOut:
    return EventOut(id=event.id, at=event.at, actor=event.actor, action=event.action,
                    from_state=event.from_state, to_state=event.to_state, reason=event.reason, data=event.data)


def release_out(release) -> ReleaseOut:
    items = [str(i.get("number", i.get("id", ""))) if isinstance(i, dict) else str(i) for i in release.items]
    return ReleaseOut(id=release.id, created_at=release.created_at, current=release.current,
                      published_by=release.published_by or None, items=items,
                      rolled_back_at=release.meta.get("rolled_back_at"))
