"""Typed schema of instance.yaml: every problem is collected, then reported at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from .errors import ConfigError, Problem
from .turkish import fold
from .yamlmarks import line_of, load_with_lines, yaml_error_line

SUBMISSION_TYPES = ("haber", "duyuru", "mukellef-duyurusu", "faaliyet-raporu", "sayfa",
                    "organizasyon", "seminer", "e-hizmet", "acil-duyuru", "mevzuat")
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_RE = re.compile(ID_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    address: str
    phone: str
    email: str
    kep: str = ""
    call_center: str = ""
    working_hours: str = ""


class Municipality(_Strict):
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    site_url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    timezone: str = "Europe/Istanbul"
    contact: Contact


class Register(_Strict):
    prefix: str = Field(min_length=1, max_length=8)


class Head(_Strict):
    """Who heads a unit: their name and, when it is not the usual one of the unit's kind, their title."""

    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=80)  # empty: the kind's title (Müdür, Daire Başkanı …)


class OrgUnit(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    kind: Literal["baskanlik", "kurul", "baskan-yardimciligi", "daire-baskanligi", "mudurluk", "birim"]
    parent: str | None = None
    head: Head | None = None

    @pydantic.field_validator("head", mode="before")
    @classmethod
    def _name_only(cls, value):
        """`head: "Ad Soyad"` (the older form) is a head with the kind's title."""
        if isinstance(value, str):
            return {"name": value} if value.strip() else None
        return value


class Section(_Strict):
    slug: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    dated: bool = True


class Room(_Strict):
    """A room seminars are held in: its seats and how it can be reached (shown to citizens)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    capacity: int = Field(gt=0)
    accessible: bool = False     # step-free access for wheelchair users
    access_note: str = ""        # e.g. "Giriş katında; indüksiyon döngüsü var."


class Trainer(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    unit: str = ""               # the unit they belong to, when they are staff


class SeminarSettings(_Strict):
    """Rooms and trainers of the Eğitim unit's seminars (a submission names them by name or id)."""

    rooms: list[Room] = Field(default_factory=list)
    trainers: list[Trainer] = Field(default_factory=list)
    # KVKK: registrants' names, e-mail addresses and phone numbers are erased this many days after the seminar
    # ended (or was cancelled); the counts, statuses, departments and attendance stay for the yearly report.
    retention_days: int = Field(default=90, ge=1, le=3650)
    # The public registration form: posts one client address may send in 10 minutes (a family or an office
    # behind one address may need more).
    form_posts_per_10_minutes: int = Field(default=5, ge=1, le=1000)

    def room(self, text: str) -> Room | None:
        return _named(self.rooms, text)

    def trainer(self, text: str) -> Trainer | None:
        return _named(self.trainers, text)


def _named(entries, text: str):
    """The entry whose id or name is `text` as people type it (any case, with or without Turkish letters)."""
    wanted = fold(str(text or ""))
    return next((e for e in entries if wanted in (fold(e.id), fold(e.name))), None) if wanted else None


class Smtp(_Strict):
    """The mail server seminar e-mails go out through (the password, if any, from MUNICMS_SMTP_PASSWORD)."""

    host: str = Field(min_length=1)
    port: int = Field(default=25, gt=0, lt=65536)
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    sender_name: str = ""
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    timeout: float = Field(default=15, gt=0)


class Listings(_Strict):
    latest: int = Field(default=10, gt=0)
    home_latest: int = Field(default=6, gt=0)
    month_split_over: int = Field(default=60, gt=0)


class Home(_Strict):
    """The home page's task block: the most-used e-services in this order (slugs of e-hizmet pages), the Beyaz
    Masa e-service and the e-Devlet address; news and announcements come after."""
    eservices: list[str] = Field(default_factory=list, max_length=12)
    beyaz_masa: str = ""
    e_devlet: str = Field(default="https://www.turkiye.gov.tr/", pattern=r"^https://[^\s/]+(/[^\s]*)?$")


class Attachments(_Strict):
    max_bytes: int = Field(default=20_000_000, gt=0)
    allowed_types: list[str] = Field(min_length=1)


class KvkkSettings(_Strict):
    """The personal-data scan: what the municipality publishes itself is not personal data. Its contact phone,
    e-mail and KEP address, the host of site_url and the phones of data/birimler.yaml count already."""

    own_domains: list[str] = Field(default_factory=list)   # e-mail domains (subdomains included)
    own_phones: list[str] = Field(default_factory=list)    # published numbers, in any usual form


class IntakeSettings(_Strict):
    # An inbox entry changed within this many seconds is still being written: `watch` waits until it has been
    # this quiet, one-shot `intake` leaves it for its next pass.
    quiet_seconds: float = Field(default=0.5, ge=0)


class Editorial(_Strict):
    """The editorial web app under /yonetim/."""

    # A session unused this long ends; a form sent after that is kept as a draft for its user.
    idle_minutes: int = Field(default=30, gt=0)
    # An editor who opens an item's edit form holds its edit lock this long (renewed while they work on it).
    edit_lock_minutes: int = Field(default=30, gt=0)
    # The largest request the app accepts (a form or an API submission with all its attachments); each
    # attachment is still held to attachments.max_bytes. Unset: five attachments of the largest size.
    max_request_bytes: int | None = Field(default=None, gt=0)
    # Days an item may stay open after registration before the director's "Gecikenler" lists it: per type,
    # `default` for the others.
    sla_days: dict[str, int] = Field(default_factory=lambda: {"default": 5})

    def sla_for(self, tur: str) -> int:
        """The SLA in days of a submission type."""
        return self.sla_days.get(tur, self.sla_days.get("default", 5))


class ServeSettings(_Strict):
    """`publish.py serve`: the web server of the site and the editorial app."""

    # Processes answering requests, all on one port; 0: one per CPU core, at most 4 (`serve --workers` wins).
    workers: int = Field(default=0, ge=0)
    # Every night at this time (site time, HH:MM) a full build is compared with what incremental publishing
    # built; a difference is reported and every page is rendered again at the next publish. Empty: never.
    full_rebuild_at: str = Field(default="03:30", pattern=r"^$|^([01]\d|2[0-3]):[0-5]\d$")

    def full_rebuild_time(self):
        import datetime as dt
        return dt.time.fromisoformat(self.full_rebuild_at) if self.full_rebuild_at else None


class BackupSettings(_Strict):
    """`publish.py backup` and the daily backup inside `serve` (municms/backup/)."""

    dir: str = Field(default="var/backups", min_length=1)   # relative to the instance folder, or absolute
    # Every day at this time (site time, HH:MM) `serve` takes a backup. Empty: never.
    daily_at: str = Field(default="02:30", pattern=r"^$|^([01]\d|2[0-3]):[0-5]\d$")
    keep: int = Field(default=7, ge=1)                      # the newest this many archives stay in `dir`
    # A second place for each daily archive: a folder, or an rsync target over ssh (user@host:/path).
    copy_to: str = ""
    ssh_port: int = Field(default=22, ge=1)
    identity_file: str = ""
    known_hosts_file: str = ""

    def daily_time(self):
        import datetime as dt
        return dt.time.fromisoformat(self.daily_at) if self.daily_at else None

    def folder(self, root: Path) -> Path:
        """The folder archives are written to (dir relative to the instance folder)."""
        return (Path(root) / self.dir).resolve()


class RsyncTarget(_Strict):
    """Another host reached over ssh; releases live under <path>/releases, the site at <path>/current."""

    host: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._:-]+$")
    port: int = Field(default=22, ge=1)
    user: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    path: str = Field(min_length=1, pattern=r"^/")
    identity_file: str = ""
    known_hosts_file: str = ""
    keep_releases: int | None = Field(default=None, ge=1)


class Licence(_Strict):
    """The licence the site's open data (/api/v1/) is published under: its name and the address of its text."""

    name: str = Field(min_length=1, max_length=120)
    url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")


class OpenData(_Strict):
    """The static JSON API (/api/v1/) and its page /acik-veri/."""

    licence: Licence = Licence(name="Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)",
                               url="https://creativecommons.org/licenses/by/4.0/deed.tr")
    # who answers questions about the data (shown on /acik-veri/); empty: the municipality's e-mail address
    contact: str = Field(default="", max_length=200)


class Deploy(_Strict):
    target: Literal["local", "rsync", "s3"] = "local"
    keep_releases: int = Field(default=5, ge=1)
    rsync: RsyncTarget | None = None
    # target s3 (municms.deploy.s3): a bucket of an S3-compatible object store, its address, the folder (key
    # prefix) the site's releases live under, and the region where the store wants one; the key comes from the
    # standard AWS environment variables, never from this file
    bucket: str = Field(default="", pattern=r"^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    endpoint_url: str = Field(default="", pattern=r"^$|^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$")
    prefix: str = Field(default="", pattern=r"^$|^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?$")
    region: str = Field(default="", pattern=r"^$|^[a-z0-9-]+$")


class RegisteredStorage(_Strict):
    """Where registered originals and attachments live (municms.register_store): the instance's
    submissions/registered/ folder (local), or a bucket of an S3-compatible object store (s3), under
    <prefix>/registered/; the key comes from the standard AWS environment variables, as for deploy."""

    target: Literal["local", "s3"] = "local"
    bucket: str = Field(default="", pattern=r"^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    endpoint_url: str = Field(default="", pattern=r"^$|^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$")
    prefix: str = Field(default="", pattern=r"^$|^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?$")
    region: str = Field(default="", pattern=r"^$|^[a-z0-9-]+$")


class Storage(_Strict):
    registered: RegisteredStorage = RegisteredStorage()


# Pages a Turkish municipality must publish, each with the rule it comes from (shown in the compliance report
# and in every finding); a build without one of them is not deployed. instance.yaml may list others.
KNOWN_RULES = {
    "/kurumsal/": ("Kurumsal", "5393 sayılı Belediye Kanunu; Kamu İnternet Siteleri Rehberi (KAMİS)"),
    "/kurumsal/baskan/": ("Başkan", "Kamu İnternet Siteleri Rehberi (KAMİS)"),
    "/kurumsal/organizasyon-semasi/": ("Organizasyon Şeması", "Başbakanlık Genelgesi 2007/4; KAMİS"),
    "/birimler/": ("Birimler", "Başbakanlık Genelgesi 2007/4 (birimlerin görevleri ve iletişim bilgileri)"),
    "/kurumsal/meclis/": ("Belediye Meclisi", "5393 sayılı Belediye Kanunu (meclis kararlarının duyurulması)"),
    "/kurumsal/stratejik-plan/": ("Stratejik Plan", "5018 sayılı Kamu Mali Yönetimi ve Kontrol Kanunu m.9; "
                                  "5393 sayılı Belediye Kanunu m.41"),
    "/kurumsal/butce/": ("Bütçe", "5018 sayılı Kamu Mali Yönetimi ve Kontrol Kanunu; 5393 sayılı Belediye Kanunu"),
    "/faaliyet-raporlari/": ("Faaliyet Raporları", "5393 sayılı Belediye Kanunu m.56; 5018 sayılı Kanun m.41"),
    "/bilgi-edinme/": ("Bilgi Edinme", "4982 sayılı Bilgi Edinme Hakkı Kanunu; Başbakanlık Genelgesi 2007/4"),
    "/kvkk/": ("KVKK Aydınlatma Metni", "6698 sayılı Kişisel Verilerin Korunması Kanunu m.10"),
    "/erisilebilirlik/": ("Erişilebilirlik Beyanı", "5378 sayılı Engelliler Hakkında Kanun; KAMİS erişilebilirlik "
                          "ölçütleri (WCAG)"),
    "/iletisim/": ("İletişim", "Başbakanlık Genelgesi 2007/4; 7201 sayılı Tebligat Kanunu m.7/a (KEP)"),
    "/sikca-sorulan-sorular/": ("Sıkça Sorulan Sorular", "Kamu İnternet Siteleri Rehberi (KAMİS)"),
}
DEFAULT_REQUIRED_PAGES = list(KNOWN_RULES)
OWN_RULE = "Kurum kararı (instance.yaml)"
# The links every page's footer must carry (the citizen's rights and how to reach the municipality).
DEFAULT_RIGHTS_LINKS = ["/bilgi-edinme/", "/kvkk/", "/erisilebilirlik/", "/iletisim/"]
URL_PATH = r"^/([^\s/]+/)*$"


class RequiredPage(_Strict):
    """A page the site must have: its address, its title and the rule that requires it."""

    url: str = Field(pattern=URL_PATH)
    title: str = ""
    rule: str = ""

    @pydantic.model_validator(mode="before")
    @classmethod
    def _with_known_rule(cls, value):
        """A plain address ("/kvkk/", the older form) is a required page; a known address without a title or
        rule gets its known ones."""
        value = {"url": value} if isinstance(value, str) else value
        if isinstance(value, dict) and isinstance(value.get("url"), str):
            title, rule = KNOWN_RULES.get(value["url"], (value["url"], OWN_RULE))
            value = {**value, "title": value.get("title") or title, "rule": value.get("rule") or rule}
        return value


class Compliance(_Strict):
    """What `check --site` and every publish check the built site against (municms/compliance.py)."""

    required_pages: list[RequiredPage] = Field(default_factory=lambda: [RequiredPage(url=u)
                                                                        for u in DEFAULT_REQUIRED_PAGES])
    footer_links: list[RequiredPage] = Field(default_factory=lambda: [RequiredPage(url=u)
                                                                      for u in DEFAULT_RIGHTS_LINKS])
    contact_page: str = Field(default="/iletisim/", pattern=URL_PATH)
    statement_page: str = Field(default="/erisilebilirlik/", pattern=URL_PATH)
    # the accessibility statement must have been updated within this many months (else a warning)
    statement_max_months: int = Field(default=12, ge=1, le=120)


class Instance(_Strict):
    municipality: Municipality
    registration: Register
    org_chart: list[OrgUnit] = Field(min_length=1)
    departments: list[str] = Field(min_length=1)
    editorial_units: list[str] = Field(min_length=1)
    routing: dict[str, str]
    sections: dict[str, Section]
    listings: Listings = Listings()
    home: Home = Home()
    attachments: Attachments
    intake: IntakeSettings = IntakeSettings()
    kvkk: KvkkSettings = KvkkSettings()
    deploy: Deploy = Deploy()
    storage: Storage = Storage()
    editorial: Editorial = Editorial()
    serve: ServeSettings = ServeSettings()
    seminars: SeminarSettings = SeminarSettings()
    smtp: Smtp | None = None
    compliance: Compliance = Compliance()
    open_data: OpenData = OpenData()
    backup: BackupSettings = BackupSettings()
    # The ledger in PostgreSQL (large installations, several hosts); none: the SQLite file var/municms.sqlite3.
    # $MUNICMS_DATABASE_URL overrides it (a password belongs there, not in this file).
    database_url: str | None = Field(default=None, pattern=r"^postgres(ql)?://\S+$")

    # Filled in by load_instance; not part of the file.
    root: Path = Field(default=Path("."), exclude=True)

    @property
    def required_pages(self) -> list[str]:
        """The addresses of the required pages (compliance.required_pages)."""
        return [page.url for page in self.compliance.required_pages]

    @property
    def units_by_id(self) -> dict[str, OrgUnit]:
        return {unit.id: unit for unit in self.org_chart}

    def department_name(self, dep_id: str) -> str:
        unit = self.units_by_id.get(dep_id)
        return unit.name if unit else dep_id

    def unit_for_type(self, tur: str) -> str:
        """The editorial unit whose queue receives a submission of this type."""
        return self.routing.get(tur, self.routing["default"])

    def section_for_type(self, tur: str) -> Section | None:
        return self.sections.get(tur)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.municipality.timezone)


# Turkish sentences for pydantic's error types; English comes from pydantic itself.
_TR_MESSAGES = {
    "missing": "Bu alan zorunludur.",
    "extra_forbidden": "Bu alan tanınmıyor (yazım hatası olabilir).",
    "string_type": "Metin bekleniyordu.",
    "string_too_short": "Bu alan boş bırakılamaz.",
    "string_too_long": "Değer çok uzun.",
    "string_pattern_mismatch": "Biçim geçersiz.",
    "int_type": "Tam sayı bekleniyordu.",
    "int_parsing": "Tam sayı bekleniyordu.",
    "int_from_float": "Tam sayı bekleniyordu.",
    "bool_type": "evet/hayır (true/false) bekleniyordu.",
    "bool_parsing": "evet/hayır (true/false) bekleniyordu.",
    "list_type": "Liste bekleniyordu.",
    "dict_type": "Eşleme (anahtar: değer) bekleniyordu.",
    "model_type": "Eşleme (anahtar: değer) bekleniyordu.",
    "too_short": "Liste boş olamaz.",
    "too_long": "Liste çok uzun.",
    "greater_than": "Değer sıfırdan büyük olmalıdır.",
    "greater_than_equal": "Değer çok küçük.",
    "literal_error": "İzin verilen değerlerden biri olmalıdır.",
}


_RSYNC_PATTERN_MESSAGES = {
    ("rsync", "host"): "Sunucu adı ya da IP adresi yazın (ör. web1.corum.bel.tr).",
    ("rsync", "path"): "Tam yol yazın: / ile başlamalı (ör. /srv/municms).",
    ("rsync", "user"): "Kullanıcı adı yalnızca harf, rakam, nokta, tire ve alt çizgi içerebilir.",
    ("deploy", "bucket"): "Kova adı 3-63 karakter olmalı; küçük harf, rakam, nokta ve tire içerebilir "
                          "(ör. corum-belediyesi-site).",
    ("deploy", "endpoint_url"): "Nesne deposunun adresini yol olmadan, http:// ya da https:// ile yazın "
                                "(ör. https://s3.eu-central-1.amazonaws.com ya da http://10.0.0.7:8333).",
    ("deploy", "prefix"): "Kovadaki klasörü harf, rakam, nokta, tire ve alt çizgiyle, parçaları / ile ayırarak "
                          "yazın (ör. site ya da siteler/corum).",
    ("deploy", "region"): "Bölgeyi küçük harf, rakam ve tireyle yazın (ör. eu-central-1).",
    ("registered", "bucket"): "Kova adı 3-63 karakter olmalı; küçük harf, rakam, nokta ve tire içerebilir "
                              "(ör. corum-belediyesi-kayit).",
    ("registered", "endpoint_url"): "Nesne deposunun adresini yol olmadan, http:// ya da https:// ile yazın "
                                    "(ör. https://s3.eu-central-1.amazonaws.com ya da http://10.0.0.7:8333).",
    ("registered", "prefix"): "Kovadaki klasörü harf, rakam, nokta, tire ve alt çizgiyle, parçaları / ile "
                              "ayırarak yazın (ör. kayit ya da belediyeler/corum).",
    ("registered", "region"): "Bölgeyi küçük harf, rakam ve tireyle yazın (ör. eu-central-1).",
    ("home", "e_devlet"): "Adresi https:// ile yazın (ör. https://www.turkiye.gov.tr/).",
    ("licence", "url"): "Lisans metninin adresini http:// ya da https:// ile yazın "
                        "(ör. https://creativecommons.org/licenses/by/4.0/deed.tr).",
}


def _tr_message(error: dict) -> str:
    base = _TR_MESSAGES.get(error["type"], "Değer geçersiz.")
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{base} İzin verilenler: {expected.replace(' or ', ' ya da ')}."
    if error["type"] == "string_pattern_mismatch" and error["loc"][:1] == ("compliance",):
        return f"{base} Site içi bir adres yazın: / ile başlayıp / ile bitmeli (ör. /kvkk/)."
    if error["type"] == "string_pattern_mismatch" and tuple(error["loc"][-2:]) in _RSYNC_PATTERN_MESSAGES:
        return f"{base} {_RSYNC_PATTERN_MESSAGES[tuple(error['loc'][-2:])]}"
    if error["type"] == "string_pattern_mismatch":
        return f"{base} Yalnızca küçük harf, rakam ve tire kullanın (ör. fen-isleri) ya da adresi http(s):// ile yazın."
    if error["type"] in ("greater_than", "greater_than_equal"):
        limit = error.get("ctx", {}).get("gt", error.get("ctx", {}).get("ge"))
        return f"Değer {limit} sayısından büyük olmalıdır." if "gt" in error.get("ctx", {}) \
            else f"Değer en az {limit} olmalıdır."
    return base


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


_KIND_TR = {"rooms": "salonun", "trainers": "eğitmenin"}


def _cross_checks(inst: Instance, lines: dict) -> list[Problem]:
    """Referential rules pydantic cannot see: ids exist, are unique, the chart is a tree."""
    problems: list[Problem] = []

    def add(path: tuple, tr: str, en: str) -> None:
        problems.append(Problem(_dotted(path), tr, en, line_of(lines, path)))

    ids = [unit.id for unit in inst.org_chart]
    seen: set[str] = set()
    for index, unit in enumerate(inst.org_chart):
        if unit.id in seen:
            add(("org_chart", index, "id"), f"'{unit.id}' kimliği birden fazla kez kullanılmış.",
                f"duplicate unit id '{unit.id}'")
        seen.add(unit.id)
        if unit.parent is not None and unit.parent not in ids:
            add(("org_chart", index, "parent"), f"Üst birim '{unit.parent}' organizasyon şemasında yok.",
                f"parent '{unit.parent}' is not in org_chart")
    roots = [u for u in inst.org_chart if u.parent is None]
    if len(roots) != 1:
        add(("org_chart",), "Organizasyon şemasında üst birimi olmayan tam bir birim (başkanlık) olmalıdır.",
            f"org_chart needs exactly one root, found {len(roots)}")
    by_id = inst.units_by_id
    for index, unit in enumerate(inst.org_chart):  # cycles
        walk, cur = set(), unit
        while cur is not None and cur.parent is not None:
            if cur.id in walk:
                add(("org_chart", index, "parent"), f"'{unit.id}' biriminin üst birim zinciri döngü içeriyor.",
                    f"parent chain of '{unit.id}' has a cycle")
                break
            walk.add(cur.id)
            cur = by_id.get(cur.parent)
    for key in ("departments", "editorial_units"):
        values = getattr(inst, key)
        for index, dep in enumerate(values):
            if dep not in by_id:
                add((key, index), f"'{dep}' organizasyon şemasında tanımlı değil.",
                    f"'{dep}' is not a unit of org_chart")
            if values.index(dep) != index:
                add((key, index), f"'{dep}' birden fazla kez yazılmış.", f"'{dep}' listed twice")
    for index, slug in enumerate(inst.home.eservices):
        if not _ID_RE.match(slug):
            add(("home", "eservices", index), f"'{slug}' bir e-hizmet adresi değil: yalnızca küçük harf, rakam ve "
                "tire kullanın (ör. borc-sorgulama).", f"'{slug}' is not an e-service slug")
        elif inst.home.eservices.index(slug) != index:
            add(("home", "eservices", index), f"'{slug}' birden fazla kez yazılmış.", f"'{slug}' listed twice")
    if inst.home.beyaz_masa and not _ID_RE.match(inst.home.beyaz_masa):
        add(("home", "beyaz_masa"), f"'{inst.home.beyaz_masa}' bir e-hizmet adresi değil: yalnızca küçük harf, "
            "rakam ve tire kullanın (ör. beyaz-masa-basvurusu).", "beyaz_masa is not an e-service slug")
    if "e-hizmet" not in inst.sections and (inst.home.eservices or inst.home.beyaz_masa):
        add(("home",), "Ana sayfada e-hizmet gösterilemez: sections bölümünde 'e-hizmet' yok.",
            "home lists e-services but there is no e-hizmet section")
    if "default" not in inst.routing:
        add(("routing",), "'default' yönlendirmesi zorunludur.", "routing needs a 'default' entry")
    for kind, entries in (("rooms", inst.seminars.rooms), ("trainers", inst.seminars.trainers)):
        names: dict[str, str] = {}  # folded id or name → the entry that has it (a submission names either)
        for index, entry in enumerate(entries):
            for field, value in (("id", entry.id), ("name", entry.name)):
                key = fold(value)
                if names.get(key, entry.id) != entry.id:
                    add(("seminars", kind, index, field), f"'{value}' başka bir {_KIND_TR[kind]} kimliği ya da "
                        "adıyla aynı (büyük-küçük harf ve Türkçe harfler ayırt edilmez).",
                        f"{kind[:-1]} {value!r} is the id or name of another one")
                names.setdefault(key, entry.id)
        if kind == "trainers":
            for index, trainer in enumerate(entries):
                if trainer.unit and trainer.unit not in by_id:
                    add(("seminars", kind, index, "unit"), f"'{trainer.unit}' organizasyon şemasında tanımlı değil.",
                        f"'{trainer.unit}' is not a unit of org_chart")
    for tur, unit in inst.routing.items():
        if tur != "default" and tur not in SUBMISSION_TYPES:
            add(("routing", tur), f"'{tur}' bilinen bir gönderi türü değil. Türler: {', '.join(SUBMISSION_TYPES)}.",
                f"unknown submission type '{tur}'")
        if unit not in inst.editorial_units:
            add(("routing", tur), f"'{unit}' bir yayın birimi değil (editorial_units: {', '.join(inst.editorial_units)}).",
                f"'{unit}' is not an editorial unit")
    slugs: dict[str, str] = {}
    for tur, section in inst.sections.items():
        if tur not in SUBMISSION_TYPES:
            add(("sections", tur), f"'{tur}' bilinen bir gönderi türü değil. Türler: {', '.join(SUBMISSION_TYPES)}.",
                f"unknown submission type '{tur}'")
        if section.slug in slugs:
            add(("sections", tur, "slug"), f"'{section.slug}' adresi '{slugs[section.slug]}' türünde de kullanılıyor.",
                f"section slug '{section.slug}' used twice")
        slugs[section.slug] = tur
    for tur, days in inst.editorial.sla_days.items():
        if tur != "default" and tur not in SUBMISSION_TYPES:
            add(("editorial", "sla_days", tur),
                f"'{tur}' bilinen bir gönderi türü değil. Türler: {', '.join(SUBMISSION_TYPES)}.",
                f"unknown submission type '{tur}'")
        if days <= 0:
            add(("editorial", "sla_days", tur), "Süre en az 1 gün olmalıdır.", "SLA must be at least one day")
    if inst.deploy.target == "rsync" and inst.deploy.rsync is None:
        add(("deploy", "target"), "'rsync' hedefi için deploy.rsync bölümü (host, path) gereklidir.",
            "deploy.target rsync needs a deploy.rsync section")
    problems += _s3_checks(inst.deploy, lines)
    problems += _s3_checks(inst.storage.registered, lines, ("storage", "registered"), "kayit")
    try:
        ZoneInfo(inst.municipality.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        add(("municipality", "timezone"), f"'{inst.municipality.timezone}' bilinen bir saat dilimi değil.",
            "unknown timezone")
    from .attachments import refused_type_tr  # SVG, HTML and other types a browser runs are never attachments
    for index, mime in enumerate(inst.attachments.allowed_types):
        if refused_type_tr(mime):
            add(("attachments", "allowed_types", index), refused_type_tr(mime), f"attachment type {mime} refused")
    return problems


def _s3_checks(settings, lines: dict, section: tuple = ("deploy",), example: str = "site") -> list[Problem]:
    """The s3 target needs its bucket and the store's address; they mean nothing for another target.
    `section`: where `settings` is in instance.yaml (deploy, storage.registered)."""
    found = []
    where = _dotted(section)
    fields = {"bucket": f"kova adı (ör. corum-belediyesi-{example})",
              "endpoint_url": "nesne deposunun adresi (ör. https://s3.eu-central-1.amazonaws.com)"}
    if settings.target == "s3":
        for name, what in fields.items():
            if not getattr(settings, name):
                found.append(Problem(f"{where}.{name}", f"'s3' hedefi için {where}.{name} gereklidir: {what}.",
                                     f"{where}.target s3 needs {where}.{name}", line_of(lines, section)))
    else:
        for name in ("bucket", "endpoint_url", "prefix", "region"):
            if getattr(settings, name):
                found.append(Problem(f"{where}.{name}", f"{where}.{name} yalnız 's3' hedefi için geçerlidir; "
                                     f"hedef '{settings.target}'. Ya 'target: s3' yazın ya da bu satırı silin.",
                                     f"{where}.{name} is only for target s3", line_of(lines, (*section, name))))
    return found


def parse_instance(text: str, file: str = "instance.yaml") -> Instance:
    """Validate instance.yaml text; raise ConfigError listing every problem."""
    try:
        data, lines = load_with_lines(text)
    except Exception as exc:  # yaml.YAMLError and its kin
        raise ConfigError([Problem("", "YAML sözdizimi hatalı: " + str(getattr(exc, "problem", exc)),
                                   f"invalid YAML: {exc}", yaml_error_line(exc), file)]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem("", "Dosya boş ya da bir eşleme (anahtar: değer) değil.",
                                   "file is empty or not a mapping", 1, file)])
    legacy = _move_required_pages(data, lines, file)
    if legacy:
        raise ConfigError(legacy)
    try:
        inst = Instance.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = [Problem(_dotted(err["loc"]), _tr_message(err), err["msg"],
                            line_of(lines, err["loc"]), file) for err in exc.errors()]
        raise ConfigError(problems) from None
    problems = [Problem(p.field, p.message_tr, p.message_en, p.line, file) for p in _cross_checks(inst, lines)]
    if problems:
        raise ConfigError(problems)
    return inst


def _move_required_pages(data: dict, lines: dict, file: str) -> list[Problem]:
    """The older top-level `required_pages: [/url/, …]` is read as compliance.required_pages (each address with
    its known rule); both at once is an error, since it is not clear which list is meant."""
    if "required_pages" not in data:
        return []
    compliance = data.get("compliance")
    if isinstance(compliance, dict) and "required_pages" in compliance:
        return [Problem("required_pages", "Zorunlu sayfalar iki yerde yazılmış: üst düzeydeki 'required_pages' "
                        "listesini silin ve sayfaları yalnızca 'compliance.required_pages' altında, her birinin "
                        "dayandığı kuralla yazın.", "required_pages given both at the top level and under compliance",
                        line_of(lines, ("required_pages",)), file)]
    pages = data.pop("required_pages")
    data["compliance"] = {**compliance, "required_pages": pages} if isinstance(compliance, dict) \
        else {"required_pages": pages}
    return []


def find_instance_dir(explicit: str | Path | None = None) -> Path:
    """The instance is --instance DIR, else $MUNICMS_INSTANCE, else the current directory."""
    import os
    candidate = Path(explicit or os.environ.get("MUNICMS_INSTANCE") or Path.cwd())
    return candidate.resolve()


def load_instance(root: str | Path | None = None) -> Instance:
    """Read and validate <root>/instance.yaml."""
    root = find_instance_dir(root)
    path = root / "instance.yaml"
    if not path.is_file():
        raise ConfigError([Problem("", f"{path} bulunamadı. --instance ile kurulum klasörünü verin.",
                                   f"{path} not found", None, str(path))])
    inst = parse_instance(path.read_text(encoding="utf-8"), str(path))
    return inst.model_copy(update={"root": root})
