"""The checks that belong to one item: its body links, images and anchors, its attachments, its required fields.

`check_item()` is pure: it reads one revision (type, front matter, body, attachment names) and the instance,
plus the site's current addresses when the caller has them. Intake puts what it finds
on the receipt as warnings, review records it in the register, approval refuses an item with a blocking
problem (one that makes its own page fail the post-build checks whatever else is published), and publish holds
back an approved item whose page still fails. The few helpers at the end read those inputs from disk.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Collection, Iterable
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from .errors import Problem, ValidationError
from .paths import InstancePaths
from .regulations import regulation_ids
from .sanitize import body_anchor, is_site_path
from .submission_types import COMMON, EXTRA
from .turkish import slugify

BODY = "metin"  # the field name problems of the body carry
_MARKDOWN = MarkdownIt("commonmark").enable("table")
_HTML_URL = re.compile(r"""\b(href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_HTML_HEADING_ID = re.compile(r"""<h[2-6]\b[^>]*\bid\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ATTR_ID = re.compile(r"\{:?\s*#([^\s}]+)[^}]*\}\s*$")


@dataclass(frozen=True)
class ItemCheck:
    """One problem of one item: where (field, body line), which rule, the Turkish sentence, and whether it
    stops the item from being built (blocking) or only may (a warning)."""

    field: str
    rule: str          # required | attachments | links | anchors | embeds
    message_tr: str
    message_en: str
    blocking: bool
    line: int | None = None   # line of the body (1 = its first line) for problems of the body

    def problem(self) -> Problem:
        """As a Problem for a ValidationError (the body line is part of the sentence already)."""
        return Problem(self.field, self.message_tr, self.message_en)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Link:
    """A link or image in the body: its address and the body line it is on."""

    kind: str    # link | image
    href: str
    line: int


# --- the pure checks ---------------------------------------------------------------------------------------

def check_item(tur: str, front_matter: dict, body: str, attachments: Iterable[str], instance, *,
               site_paths: Collection[str] | None = None) -> list[ItemCheck]:
    """Every problem of one revision, blocking ones first; `attachments` are the names of its stored files,
    `site_paths` the files of the site now public (None: unknown, absolute links are not checked)."""
    names = {PurePosixPath(a).name for a in attachments}
    found = required_fields(tur, front_matter) + listed_attachments(front_matter, names)
    if "[" in body or "<" in body:  # else the body has no link, image or HTML: nothing to parse (most bodies)
        tokens = _MARKDOWN.parse(body)
        # On the page body ids and in-body '#x' links are both prefixed: a body link reaches the body's own
        # headings, never the theme's ids (icerik …).
        ids = {body_anchor(i) for i in body_ids(body, tokens)}
        if tur == "mevzuat":  # its MADDE lines become headings at build (municms/regulations.py)
            ids |= {body_anchor(i) for i in regulation_ids(body)}
        found += body_links(body, names, instance.municipality.site_url, site_paths, ids, tokens)
    return sorted(found, key=lambda c: (not c.blocking, c.line or 0))


def required_fields(tur: str, front_matter: dict) -> list[ItemCheck]:
    """Every key the type requires has a value."""
    if tur not in EXTRA:
        return [ItemCheck("tur", "required", f"'tur: {tur}' bilinen bir gönderi türü değil.", f"unknown type {tur!r}",
                          True)]
    missing = [key for key, spec in {**COMMON, **EXTRA[tur]}.items()
               if spec.required and front_matter.get(key) in (None, "", [])]
    return [ItemCheck(key, "required", f"'{key}' alanı '{tur}' türü için zorunludur; bu sürümde yok.",
                      f"required field '{key}' is missing", True) for key in missing]


def listed_attachments(front_matter: dict, names: set[str]) -> list[ItemCheck]:
    """Every file listed in `ekler` is among the item's stored attachments."""
    return [ItemCheck("ekler", "attachments", f"'ekler' listesindeki '{name}' dosyası kayıtlı ekler arasında yok.",
                      f"listed attachment '{name}' is not stored", True)
            for name in front_matter.get("ekler") or [] if PurePosixPath(str(name)).name not in names]


def body_links(body: str, attachments: set[str], site_url: str, site_paths: Collection[str] | None,
               ids: set[str], tokens: list | None = None) -> list[ItemCheck]:
    """Links and images of the body: own attachments, own headings, addresses of the site."""
    found = []
    for link in links_of(body, tokens):
        problem = _check_link(link, attachments, site_url.rstrip("/"), site_paths, ids)
        if problem is not None:
            found.append(problem)
    return found


def _check_link(link: Link, attachments: set[str], site_url: str, site_paths: Collection[str] | None,
                ids: set[str]) -> ItemCheck | None:
    href = link.href.strip()
    what = "resim" if link.kind == "image" else "bağlantı"
    where = f"Metnin {link.line}. satırındaki {what} '{href}'"
    if not href or href.startswith(("mailto:", "tel:")):
        return None
    if link.kind == "image" and not is_site_path(href):  # the nh3 policy removes it from the page
        return ItemCheck(BODY, "embeds", f"{where} başka bir adresten yükleniyor; sitemiz sayfalarına başka "
                         "sitelerdeki resimleri koymaz (resim sayfadan çıkarılır). Resmi klasöre koyup 'ekler' "
                         "listesine ekleyin ya da resme bağlantı verin: [açıklama](adres).",
                         f"body line {link.line}: image '{href}' is embedded from another site", True, link.line)
    if site_url and (href == site_url or href.startswith(site_url + "/")):
        href = href[len(site_url):] or "/"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # another site: never requested from here
    path = unquote(parts.path)
    if not path:
        if parts.fragment and body_anchor(parts.fragment) not in ids:
            return ItemCheck(BODY, "anchors", f"{where} sayfada bir ara başlığa gitmiyor: '#{parts.fragment}' "
                             "adında bir başlık yok.", f"body line {link.line}: no anchor '#{parts.fragment}'",
                             True, link.line)
        return None
    if path.startswith("/"):
        if site_paths is None or _on_site(path, site_paths):
            return None
        return ItemCheck(BODY, "links", f"{where} sitede bir sayfaya gitmiyor (şu an yayında olan siteye göre). "
                         "Hedef sayfa yayımlanmadıkça bu içerik yayına alınamaz; adresi denetleyin.",
                         f"body line {link.line}: '{href}' is not a page of the site", False, link.line)
    name = path[2:] if path.startswith("./") else path
    if "/" in name or name in ("..", "."):
        return ItemCheck(BODY, "links", f"{where} göreli bir adres; sayfanın adresine göre çözüleceği için "
                         "sitedeki tam adresini yazın (ör. /duyurular/2026/...).",
                         f"body line {link.line}: relative address '{href}'", False, link.line)
    if name not in attachments:
        return ItemCheck(BODY, "attachments", f"{where} bu içeriğin eklerinde yok: dosyayı klasöre koyup "
                         "'ekler' listesine ekleyin ya da adresi düzeltin.",
                         f"body line {link.line}: '{href}' is not an attachment of the item", True, link.line)
    return None


def _on_site(path: str, site_paths: Collection[str]) -> bool:
    """Does an absolute address name a file of the site (a folder means its index.html)?"""
    rel = os.path.normpath(path).lstrip("/") if path != "/" else ""
    if path.endswith("/") or not rel:
        return (rel + "/index.html").lstrip("/") in site_paths
    return rel in site_paths or rel + "/index.html" in site_paths


def links_of(body: str, tokens: list | None = None) -> list[Link]:
    """Every link and image address of a Markdown body (`tokens`: its parse, if the caller has it), with its
    line (raw HTML included)."""
    lines = body.split("\n")
    found: list[Link] = []
    for token in _MARKDOWN.parse(body) if tokens is None else tokens:
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block":
            found += [Link("image" if attr.lower() == "src" else "link", href, _line_of(lines, start, end, href))
                      for attr, href in _HTML_URL.findall(token.content)]
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                href = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
                kind = "image" if child.type == "image" else "link"
                found.append(Link(kind, href or "", _line_of(lines, start, end, href or "")))
            elif child.type == "html_inline":
                found += [Link("image" if attr.lower() == "src" else "link", href, _line_of(lines, start, end, href))
                          for attr, href in _HTML_URL.findall(child.content)]
    return found


def _line_of(lines: list[str], start: int, end: int, needle: str) -> int:
    """The body line (1-based) of the block [start, end) that holds needle, else the block's first line."""
    for index in range(start, min(end, len(lines))):
        if needle and (needle in lines[index] or unquote(needle) in lines[index]):
            return index + 1
    return start + 1


def body_ids(body: str, tokens: list | None = None) -> set[str]:
    """Ids the body's headings get on the page (h2–h6 keep theirs through sanitising), as the toc extension
    makes them: Turkish slug of the text, `_1`, `_2` … for repeats; `{#id}` and raw `<h2 id>` as written."""
    ids: set[str] = set(_HTML_HEADING_ID.findall(body))
    tokens = _MARKDOWN.parse(body) if tokens is None else tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag == "h1":
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
        explicit = _ATTR_ID.search(text)
        if explicit:
            ids.add(explicit.group(1))
            continue
        base = slugify(text) or "_"
        candidate, count = base, 0
        while candidate in ids:
            count += 1
            candidate = f"{base}_{count}"
        ids.add(candidate)
    return ids


def summary_tr(checks: list[ItemCheck]) -> list[str]:
    """One Turkish line per problem, for receipts and the register (blocking ones say so)."""
    return [(f"alan '{c.field}': " if c.field != BODY else "") + c.message_tr
            + (" Bu düzeltilmeden içerik onaylanamaz." if c.blocking else "") for c in checks]


def event_details_tr(event) -> list[str]:
    """Lines `show` prints under an event: the checks recorded at review, the reasons of a hold."""
    if event.action == "hold":
        rows = event.data.get("problems") or [event.data]
        return [f"      {'sayfa ' + row['page'] + ', ' if row.get('page') else ''}kural '{row.get('rule', '')}': "
                f"{row.get('message', '')}" for row in rows]
    return [f"      {'ENGEL' if row.get('blocking') else 'uyarı'}: "
            f"{'alan ' + repr(row['field']) + ': ' if row.get('field') not in (None, BODY) else ''}"
            f"{row.get('message_tr', '')}" for row in event.data.get("checks") or []]


# --- what the checks read from disk ------------------------------------------------------------------------

def site_paths(instance, paths) -> frozenset[str] | None:
    """The files of the site now public, from the build manifest of var/current (of the newest build when the
    site is served elsewhere: no remote call per submission); None before the first build."""
    folder = paths.var / "manifests"
    try:
        manifest = folder / f"{os.path.basename(os.readlink(paths.current))}.json"
        stamp = manifest.stat().st_mtime_ns
    except OSError:  # no local release (first build, rsync target) or one deployed from elsewhere
        try:
            newest = max(name for name in os.listdir(folder) if name.endswith(".json"))
        except (OSError, ValueError):
            return None
        manifest = folder / newest
        stamp = manifest.stat().st_mtime_ns
    return _manifest_files(manifest, stamp)


@functools.lru_cache(maxsize=4)
def _manifest_files(manifest: Path, stamp: int) -> frozenset[str]:
    return frozenset(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}))


def stored_attachments(instance, paths, revision) -> list[str]:
    """Names of a registered revision's attachments that are really in the register's store."""
    if not revision.attachments:
        return []
    from .register_store import register_store
    folder = register_store(instance, paths).folder(revision.stored_dir)
    return [PurePosixPath(name).name for name in revision.attachments if (folder / name).is_file()]


def check_revision(instance, item, revision, *, with_site: bool = True) -> list[ItemCheck]:
    """check_item() for the registered revision of an item, with what is on disk now (`with_site`: also the
    absolute links against the release now public)."""
    paths = InstancePaths(instance.root)
    attachments = stored_attachments(instance, paths, revision)
    return check_item(item.tur, revision.front_matter, revision.body, attachments, instance,
                      site_paths=site_paths(instance, paths) if with_site else None)


def check_current(reader, instance, item, *, with_site: bool = True) -> list[ItemCheck]:
    """check_revision() for the item's current revision, read through a ledger or a transaction."""
    revision = reader.revision(item.id, item.current_rev)
    return check_revision(instance, item, revision, with_site=with_site) if revision is not None else []


def refuse_blocking(item, checks: list[ItemCheck]) -> None:
    """Raise a ValidationError naming field and line of every blocking problem (an approval stops here)."""
    blocking = [c for c in checks if c.blocking]
    if blocking:
        raise ValidationError([c.problem() for c in blocking],
                              f"{item.number} onaylanamaz: içerik bu hâliyle yayımlanamaz, sayfası yayın denetiminden "
                              "geçemez. Aşağıdakileri gerekçe yazarak müdürlüğünden düzeltmesini isteyin:",
                              f"{item.number} cannot be approved: {len(blocking)} blocking problem(s)")


def intake_warnings(submission, instance, paths) -> list[str]:
    """Receipt warnings for a submission that intake accepted: what would keep it from being published."""
    checks = check_item(submission.tur, submission.front_matter, submission.body,
                        [a.name for a in submission.attachments], instance,
                        site_paths=site_paths(instance, paths))
    return ["Yayın denetimi: " + line for line in summary_tr(checks)]
