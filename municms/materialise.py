"""Ledger items → content/ files: the only writer of content/ (apart from the demo seed).

An item that is approved, scheduled or published and due (no `yayin`, or `yayin` ≤ now) becomes
`content/<section>/<year>/<slug>.md` (pages: `content/sayfalar/<slug>.md`, undated sections such as
e-services and regulations: `content/e-hizmetler/<slug>.md`, `content/mevzuat/<slug>.md`) with its
attachments in the folder named like the file. Year and slug are
fixed the first time an item is written: later runs find the item's file by its `Kayit_no` line.
Expired items keep their page with `Durum: suresi-doldu`; withdrawn items keep their address, but the page
shows only the public reason (`Durum: geri-cekildi`). Emergency banners (acil-duyuru) go to `data/acil.yaml`,
organisation changes to `data/organizasyon.yaml`. Every write is atomic (temp file + rename); a run that
changes nothing writes nothing; `Change.undo()` puts content/ and data/ back as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from . import turkish
from .config import Instance
from .content_change import Change, same_content
from .content_index import ContentIndex
from .errors import Problem, ValidationError
from .model import APPROVED, ARCHIVED, EXPIRED, PUBLISHED, WITHDRAWN, Item, Revision
from .paths import InstancePaths
from .register_store import register_store
from .seminars.form_token import instance_key
from .seminars.page_data import SeminarRecord, seminar_lines
from .workflow import ENDED_STATES, LIVE_STATES

log = logging.getLogger(__name__)

PAGES_DIR = "sayfalar"
BANNER_FILE = "data/acil.yaml"
ORGCHART_FILE = "data/organizasyon.yaml"
EXPIRED_MARK = "suresi-doldu"
WITHDRAWN_MARK = "geri-cekildi"
# Submission key → Pelican metadata key, per type (after the keys every item has).
TYPE_KEYS = {
    "mukellef-duyurusu": (("son_basvuru", "Son_basvuru"),),
    "seminer": (("egitmen", "Egitmen"), ("yer", "Yer"), ("baslangic", "Baslangic"), ("bitis", "Bitis"),
                ("kontenjan", "Kontenjan"), ("hedef_kitle", "Hedef_kitle"), ("kayit_son", "Kayit_son")),
    "e-hizmet": (("adres", "Adres"), ("grup", "Grup")),
    "mevzuat": (("karar_tarihi", "Karar_tarihi"), ("karar_sayisi", "Karar_sayisi"), ("yururluk", "Yururluk"),
                ("resmi_gazete_tarihi", "Resmi_gazete_tarihi"), ("resmi_gazete_sayisi", "Resmi_gazete_sayisi"),
                ("ilan_tarihi", "Ilan_tarihi")),
}
DAY_KEYS = ("son_basvuru", "kayit_son", "karar_tarihi", "yururluk", "resmi_gazete_tarihi", "ilan_tarihi")
DEADLINE_PASSED_MARK = "gecti"
RESERVED_ROOT = {"kurumsal", "birimler", "etiket", "arama", "api", "yonetim", "kayit", "theme", "sitemaps", "feeds",
                 "acik-veri"}


class MaterialiseError(ValidationError):
    """The ledger asks for a file that cannot be written (a registered attachment is missing)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, "İçerik dosyaları yazılamadı; content/ değişmedi.",
                         "content files could not be written; content/ unchanged")


@dataclass(frozen=True)
class Entry:
    """What materialise needs of one item: the item, its current revision and its approval times."""

    item: Item
    revision: Revision
    approved_at: dt.datetime | None = None   # first time it reached 'approved'
    changed_at: dt.datetime | None = None    # last approval (a later revision)
    was_published: bool = False              # it had a public page once (withdrawn before publication: no page)
    ledger_item: Item | None = None          # the item as the ledger has it, when `item` is its public view
    seminar: SeminarRecord | None = None     # a seminar's registration counts and notice

    @property
    def actual(self) -> Item:
        """The item as the ledger has it (a new revision of published content may be in review)."""
        return self.ledger_item or self.item


@dataclass(frozen=True)
class Placed:
    """Where an item lives: its .md path under content/, slug, publication date and public URL path."""

    source: str
    slug: str
    date: dt.datetime
    url: str


def is_due(item: Item, now: dt.datetime) -> bool:
    return item.publish_at is None or item.publish_at <= now


def is_public(entry: Entry, now: dt.datetime) -> bool:
    """Items that have (or keep) a public page or banner."""
    item = entry.item
    if item.state in LIVE_STATES:
        return is_due(item, now)
    return item.state in ENDED_STATES and (entry.was_published or item.state == EXPIRED)


# -- rendering (pure) ------------------------------------------------------------------------------

def _one_line(value) -> str:
    return " ".join(str(value).split())


def _moment(value, tz) -> str:
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=tz)
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _one_line(value)


def _value(value, tz) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_one_line(v).replace(",", " ") for v in value)
    return _moment(value, tz)


def _parsed(value):
    """Intake stores dates as ISO 8601 text: back to date or datetime (other values unchanged)."""
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                return parse(value.strip())
            except ValueError:
                continue
    return value


def _day(value, tz) -> str:
    """A date the build reads as a day (Son_basvuru, Kayit_son), even when a time was given."""
    value = _parsed(value)
    if isinstance(value, dt.datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(tz).date()
    return _moment(value, tz)


def publication_date(entry: Entry) -> dt.datetime:
    """The date an item is shown with: its `yayin`, else when it was first approved."""
    item = entry.item
    return item.publish_at or entry.approved_at or item.created_at


def metadata(entry: Entry, placed: Placed, instance: Instance, mark: str | None = None,
             form_key: bytes | None = None, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Pelican metadata lines of an item, in a fixed order."""
    item, rev, tz = entry.item, entry.revision, instance.tz
    fm = rev.front_matter
    title = _one_line(fm.get("baslik") or item.title)
    if item.tur == "sayfa":
        lines = [("Title", title), ("Slug", placed.slug), ("Yer", _one_line(fm.get("yer") or "kurumsal")),
                 ("Sira", _one_line(fm.get("sira", 100)))]
    else:
        lines = [("Title", title), ("Date", _moment(placed.date, tz))]
        if entry.changed_at and entry.approved_at and entry.changed_at > entry.approved_at:
            lines.append(("Modified", _moment(entry.changed_at, tz)))
        lines += [("Tur", item.tur), ("Slug", placed.slug)]
        birim = fm.get("birim") or item.department
        if birim in instance.departments:
            lines.append(("Birim", birim))
        if fm.get("etiketler") and mark != WITHDRAWN_MARK:
            lines.append(("Tags", _value(fm["etiketler"], tz)))
    if fm.get("ozet") and mark != WITHDRAWN_MARK:
        lines.append(("Summary", _one_line(fm["ozet"])))
    if mark != WITHDRAWN_MARK:
        for key, name in TYPE_KEYS.get(item.tur, ()):
            if fm.get(key) not in (None, "", []):
                value = _day(fm[key], tz) if key in DAY_KEYS else _value(_parsed(fm[key]), tz)
                lines.append((name, value))
        if item.tur == "mukellef-duyurusu" and now is not None and deadline_passed(fm, now, tz):
            lines.append(("Son_basvuru_durumu", DEADLINE_PASSED_MARK))
        photos = photo_entries(fm)
        photo_names = {p["dosya"] for p in photos}
        listed = [name for name in (PurePosixPath(a).name for a in rev.attachments) if name not in photo_names]
        if listed:
            lines.append(("Ekler", _value(listed, tz)))
        if photos:
            # one line of JSON: alt texts may hold commas, colons and quotes; the build reads it back as data
            lines.append(("Fotograflar", json.dumps(photos, ensure_ascii=False, separators=(", ", ": "))))
        if item.tur == "seminer" and form_key is not None and now is not None:
            lines += seminar_lines(item, fm, entry.seminar, form_key, tz, now)
    lines.append(("Kayit_no", item.number))
    if mark:
        lines.append(("Durum", mark))
    return lines


def photo_entries(front_matter: dict) -> list[dict]:
    """A news item's photos as intake stored them: [{"dosya": name, "alt": text}] (alt on one line)."""
    return [{"dosya": PurePosixPath(str(p["dosya"])).name, "alt": _one_line(p["alt"])}
            for p in front_matter.get("fotograflar") or [] if isinstance(p, dict) and p.get("dosya")]


def deadline_passed(front_matter: dict, now: dt.datetime, tz) -> bool:
    """Whether a notice's `son_basvuru` day is over at `now`. The page says so from the build's clock; this line
    in its file (`Son_basvuru_durumu: gecti`, like a seminar's `Kayit_durumu`) makes the file change when the
    day passes, so the scheduler publishes again and the publisher renders what shows the notice."""
    value = front_matter.get("son_basvuru")
    if value in (None, ""):
        return False
    day = _day(value, tz)
    try:
        return dt.date.fromisoformat(day) < now.astimezone(tz).date()
    except ValueError:
        return False


def render_markdown(lines: list[tuple[str, str]], body: str) -> str:
    """Metadata lines, a blank line, then the Markdown body; always ends with one newline."""
    head = "".join(f"{key}: {value}\n" for key, value in lines)
    return head + "\n" + body.strip("\n") + "\n"


def withdrawn_body(item: Item) -> str:
    reason = (item.public_reason or "").strip() or "Gerekçe belirtilmedi."
    return f"Bu içerik yayından kaldırılmıştır.\n\n**Gerekçe:** {reason}\n"


def item_mark(item: Item) -> str | None:
    """Durum metadata: withdrawn (also once archived) shows the reason, expired keeps its text."""
    if item.state == WITHDRAWN or (item.state == ARCHIVED and item.public_reason):
        return WITHDRAWN_MARK
    if item.state in (EXPIRED, ARCHIVED):
        return EXPIRED_MARK
    return None


def item_files(entry: Entry, placed: Placed, instance: Instance, paths: InstancePaths,
               now: dt.datetime) -> dict[str, bytes | Path]:
    """The files of one item: relative path under the instance root → bytes, or the file to copy."""
    mark = item_mark(entry.item)
    body = withdrawn_body(entry.item) if mark == WITHDRAWN_MARK else entry.revision.body
    key = instance_key(paths.var) if entry.item.tur == "seminer" else None
    text = render_markdown(metadata(entry, placed, instance, mark, key, now), body)
    files: dict[str, bytes | Path] = {f"content/{placed.source}": text.encode("utf-8")}
    if mark != WITHDRAWN_MARK:
        folder = placed.source[:-len(".md")]
        stored = register_store(instance, paths).folder(entry.revision.stored_dir) \
            if entry.revision.attachments else None
        for stored_name in entry.revision.attachments:  # relative to the registered folder, e.g. ekler/x.pdf
            files[f"content/{folder}/{PurePosixPath(stored_name).name}"] = stored / stored_name
    return files


def banner_data(entries: list[Entry], instance: Instance) -> bytes | None:
    """data/acil.yaml: live emergency banners, newest first; None when there is none."""
    live = [e for e in entries if e.item.tur == "acil-duyuru" and e.item.state in LIVE_STATES]
    if not live:
        return None
    live.sort(key=lambda e: (publication_date(e), e.item.number), reverse=True)
    rows = [{"kayit_no": e.item.number, "baslik": _one_line(e.revision.front_matter.get("baslik") or e.item.title),
             "metin": e.revision.body.strip(), "tarih": _moment(publication_date(e), instance.tz),
             "birim": e.item.department} for e in live]
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False).encode("utf-8")


def orgchart_data(entries: list[Entry], instance: Instance) -> bytes | None:
    """data/organizasyon.yaml: published organisation changes in order of their effective date."""
    live = [e for e in entries if e.item.tur == "organizasyon" and e.item.state in LIVE_STATES]
    if not live:
        return None
    rows = [{"kayit_no": e.item.number, "baslik": _one_line(e.revision.front_matter.get("baslik") or e.item.title),
             "yururluk": _value(e.revision.front_matter.get("yururluk", ""), instance.tz),
             "degisiklikler": json.loads(json.dumps(e.revision.front_matter.get("degisiklikler") or [],
                                                    default=str, ensure_ascii=False)),
             "aciklama": e.revision.body.strip()} for e in live]
    rows.sort(key=lambda r: (str(r["yururluk"]), r["kayit_no"]))
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False).encode("utf-8")


# -- where items live -------------------------------------------------------------------------------

def _url(instance: Instance, item: Item, folder: str, slug: str, fm: dict) -> str:
    if item.tur == "sayfa":
        return f"{slug}/" if (fm.get("yer") == "kok") else f"kurumsal/{slug}/"
    section = instance.sections[item.tur]
    return f"{section.slug}/{folder.rsplit('/', 1)[-1]}/{slug}/" if section.dated else f"{section.slug}/{slug}/"


def place(entry: Entry, instance: Instance, index: ContentIndex) -> Placed | None:
    """Where the item's file is (kept if it exists) or goes; None for types without a content file."""
    item = entry.item
    fm = entry.revision.front_matter
    if item.tur != "sayfa" and item.tur not in instance.sections:
        return None
    existing = index.by_number.get(item.number)
    date = publication_date(entry)
    if existing:
        folder, name = existing.rsplit("/", 1)
        slug = name[:-len(".md")]
    else:
        if item.tur == "sayfa":
            folder = PAGES_DIR
        else:
            section = instance.sections[item.tur]
            folder = f"{section.slug}/{date.astimezone(instance.tz):%Y}" if section.dated else section.slug
        taken = index.taken(folder, item.number)
        if item.tur == "sayfa" and fm.get("yer") == "kok":
            taken |= RESERVED_ROOT | {s.slug for s in instance.sections.values()}
        base = item.slug or turkish.slugify(fm.get("baslik") or item.title)
        slug = turkish.distinct_slug(base, taken)
        index.add(folder, slug, item.number)
    return Placed(f"{folder}/{slug}.md", slug, date, _url(instance, item, folder, slug, fm))


# -- applying a plan atomically ---------------------------------------------------------------------

def _owned_files(index: ContentIndex, content: Path) -> set[str]:
    """Files under content/ that belong to items: their .md and everything in their attachment folder."""
    owned = set()
    for source in index.owners:
        owned.add(f"content/{source}")
        folder = content / source[:-len(".md")]
        if folder.is_dir():
            owned.update(f"content/{p.relative_to(content).as_posix()}" for p in folder.rglob("*")
                         if p.is_file() and not p.name.startswith(".#"))
    return owned


def plan(entries: list[Entry], instance: Instance, paths: InstancePaths, now: dt.datetime,
         index: ContentIndex) -> tuple[dict[str, bytes | Path], dict[str, Placed]]:
    """Every file materialise manages, as it should be now; and where each public item lives."""
    wanted: dict[str, bytes | Path] = {}
    placed: dict[str, Placed] = {}
    missing: list[Problem] = []
    public = [e for e in entries if is_public(e, now)]
    # Older items first, so of two with the same title the earlier keeps the plain slug.
    for entry in sorted(public, key=lambda e: (publication_date(e), e.item.number)):
        where = place(entry, instance, index)
        if where is None:
            continue
        placed[entry.item.number] = where
        files = item_files(entry, where, instance, paths, now)
        missing += [Problem("ekler", f"{entry.item.number}: ek '{data.name}' kayıtlı dosyalar arasında yok ({data}).",
                            f"{entry.item.number}: registered attachment {data} is missing", file=rel)
                    for rel, data in files.items() if isinstance(data, Path) and not data.is_file()]
        wanted.update(files)
    for rel, data in ((BANNER_FILE, banner_data(public, instance)), (ORGCHART_FILE, orgchart_data(public, instance))):
        if data is not None:
            wanted[rel] = data
    if missing:
        raise MaterialiseError(missing)
    return wanted, placed


def _diff(entries: list[Entry], instance: Instance, paths: InstancePaths, now: dt.datetime):
    """(files to write → data, files to remove, places) that would make content/ match the ledger."""
    index = ContentIndex.scan(paths.content)
    owned = _owned_files(index, paths.content) | {BANNER_FILE, ORGCHART_FILE}
    wanted, placed = plan(entries, instance, paths, now, index)
    writes = {rel: wanted[rel] for rel in sorted(wanted) if not same_content(instance.root / rel, wanted[rel])}
    removes = [rel for rel in sorted(owned - set(wanted)) if (instance.root / rel).exists()]
    return writes, removes, placed


def pending(entries: list[Entry], instance: Instance, paths: InstancePaths, now: dt.datetime) -> bool:
    """Whether materialise would change anything now (writes nothing)."""
    writes, removes, _ = _diff(entries, instance, paths, now)
    return bool(writes or removes)


def materialise(entries: list[Entry], instance: Instance, paths: InstancePaths, now: dt.datetime) -> Change:
    """Make content/ and data/ match the ledger at `now`; returns the change (undo-able until commit)."""
    writes, removes, placed = _diff(entries, instance, paths, now)
    change = Change(instance.root, paths.var / "materialise" / secrets.token_hex(6), placed=placed)
    try:
        for rel, data in writes.items():
            change.write(rel, data)
        for rel in removes:
            change.remove(rel)
    except BaseException:
        change.undo()  # never leave content/ half written
        raise
    if change.changed:
        log.info("materialise: %d written, %d removed", len(change.written), len(change.removed))
    return change


def clean_leftovers(paths: InstancePaths) -> int:
    """Remove what an interrupted run left (temp files, backups); call only while holding the deploy lock."""
    leftovers = [p for p in paths.content.rglob(".#*") if p.is_file()] if paths.content.is_dir() else []
    leftovers += [p for p in paths.data.glob(".#*") if p.is_file()] if paths.data.is_dir() else []
    for path in leftovers:
        path.unlink()
    shutil.rmtree(paths.var / "materialise", ignore_errors=True)
    return len(leftovers)


def load_entries(ledger) -> list[Entry]:
    """Entries of every item that has or may get a public file (read from the ledger)."""
    views = [(item, view) for item in ledger.items_public_or_live(LIVE_STATES | ENDED_STATES)
             if (view := public_view(item)) is not None]
    revisions = ledger.revisions_at([(view.id, view.current_rev) for _, view in views])
    approvals: dict[int, list] = {}
    published: set[int] = set()
    for event in ledger.state_events((APPROVED, PUBLISHED)):  # three queries for the whole site
        if event.to_state == PUBLISHED:
            published.add(event.item_id)
        else:
            approvals.setdefault(event.item_id, []).append(event)
    counts, notices = ledger.registration_counts(), ledger.seminar_notices()
    entries = []
    for item, view in views:
        times = [e.at for e in approvals.get(item.id, []) if e.data.get("rev", 0) <= view.current_rev]
        entries.append(Entry(view, revisions[(view.id, view.current_rev)], min(times, default=None),
                             max(times, default=None), item.id in published,
                             ledger_item=item if view is not item else None,
                             seminar=SeminarRecord(counts.get(item.id, {}), notices.get(item.id))
                             if item.tur == "seminer" else None))
    return entries


def public_view(item: Item) -> Item | None:
    """The item as the public site sees it, or None if it has no public file.

    Published content whose new revision is being edited, reviewed or sent back stays published in its
    published revision (`live_rev`) until the new one is approved and published; after a withdrawal the
    notice names the published revision, never an unreviewed one."""
    if item.state in LIVE_STATES:
        return item
    if item.state in ENDED_STATES:
        return item if item.live_rev in (None, item.current_rev) else item.with_changes(current_rev=item.live_rev)
    if item.live_rev is not None:
        return item.with_changes(state=PUBLISHED, current_rev=item.live_rev)
    return None
