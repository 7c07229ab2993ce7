"""Post-build checks on the output: links and anchors resolve, no empty page, embargo, and the compliance rules
(required pages, footer, contact details, accessibility statement: municms/compliance.py).

A build that fails any check is never deployed; every problem is reported at once with page and rule.
"""

from __future__ import annotations

import gzip
import html
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape
from selectolax.lexbor import LexborHTMLParser

from .errors import BuildError

log = logging.getLogger(__name__)
# Pelican's logger class drops any message it has logged before in the process; a compliance warning belongs in
# the result of every build (serve publishes many times in one process)
log.filters.clear()
TEXT_SUFFIXES = (".html", ".xml", ".json", ".txt", ".ics", ".js")
SEARCH_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")  # gzip-compressed Pagefind data


def page_file(url: str) -> str:
    """The output file a site address is served from: /kvkk/ → kvkk/index.html, / → index.html, /a.html → a.html."""
    rel = url.lstrip("/")
    return rel + "index.html" if rel.endswith("/") or not rel else rel


@dataclass(frozen=True)
class CheckProblem:
    page: str      # output file, relative to the site root (instance.yaml for the configuration)
    rule: str      # links | anchors | attachments | empty | embargo | required | footer | contact | kep | statement
    message_tr: str
    basis: str = ""        # the law or guidance the rule comes from, when it is a compliance rule
    blocking: bool = True  # False: a warning, reported but the site is deployed

    def __str__(self) -> str:
        basis = f" (Dayanak: {self.basis})" if self.basis else ""
        return f"{self.page} [{self.rule}]: {self.message_tr}{basis}"


@dataclass(frozen=True)
class Embargoed:
    """An item that must not appear anywhere yet: its reference, title and URL path."""

    ref: str
    title: str
    url: str = ""


class _Site:
    """The output tree, with parsed pages and their element ids cached."""

    def __init__(self, root: Path, site_url: str, files: dict[str, int] | None = None):
        self.root = root
        self.site_url = site_url.rstrip("/")
        self._ids: dict[str, set[str]] = {}
        # one walk of the tree: a page links to ~50 targets, so a set lookup beats a stat() per link (or the
        # file list and sizes a caller already has)
        self.files: dict[str, int] = {}
        self.dirs: set[str] = set()
        if files is not None:
            self.files = dict(files)
            dirs = self.dirs
            for rel in files:
                parent = rel.rpartition("/")[0]
                while parent and parent not in dirs:  # its own parents are in already when it is
                    dirs.add(parent)
                    parent = parent.rpartition("/")[0]
            return
        # a release links its shard folders (municms/deploy): followed, so a live release is checked whole
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            prefix = "" if rel == "." else rel + "/"
            self.dirs.update(prefix + d for d in dirnames)
            for name in filenames:
                self.files[prefix + name] = os.stat(os.path.join(dirpath, name)).st_size

    def html_files(self) -> list[str]:
        return sorted(name for name in self.files if name.endswith(".html"))

    def target_file(self, page: str, href: str) -> tuple[str | None, str]:
        """Map an href on page to (output file or None when external, fragment)."""
        if self.site_url and href.startswith(self.site_url + "/"):
            href = href[len(self.site_url):]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, ""
        path = unquote(parts.path)
        if not path:
            return page, parts.fragment
        base = "/" + os.path.dirname(page) + "/" if not path.startswith("/") else ""
        resolved = os.path.normpath(base + path).lstrip("/") if path != "/" else ""
        if path.endswith("/") or resolved == "":
            resolved = (resolved + "/index.html").lstrip("/")
        elif resolved in self.dirs:
            resolved += "/index.html"
        return resolved, parts.fragment

    def parse(self, page: str) -> LexborHTMLParser:
        """Parse a page once, keeping its element ids for anchor checks."""
        tree = LexborHTMLParser((self.root / page).read_text(encoding="utf-8"))
        self._ids[page] = {node.attributes.get("id") for node in tree.css("[id]")}
        return tree

    def ids(self, page: str) -> set[str]:
        if page not in self._ids:
            self.parse(page)
        return self._ids[page]


def check_links(site: _Site, pages: set[str] | None = None, links: dict[str, frozenset[str]] | None = None,
                anchored: dict[str, frozenset[str]] | None = None, page_checks=()) -> list[CheckProblem]:
    """Links, anchors, attachments and empty pages of every page (or of `pages`), and each of `page_checks`
    (page, parsed tree) → problems on the same parse; each checked page's link targets go into `links`, those
    it links to with a #fragment into `anchored` (an incremental build re-checks a page when a target goes away
    or an anchored target changes)."""
    problems, anchors = [], []
    chosen = site.html_files() if pages is None else sorted(p for p in pages if p in site.files)
    for page in chosen:  # one parse per page: its links are checked and its ids kept for anchors
        tree = site.parse(page)
        targets, with_fragment = set(), set()
        main = tree.css_first("main")
        fragment_file = page.rpartition("/")[2].startswith("_")  # included into pages (_acil.html): no <main>
        if not fragment_file and (main is None or not main.text(strip=True)):
            problems.append(CheckProblem(page, "empty", "Sayfanın ana içeriği boş."))
        attachments = {node.attributes.get("href") for node in tree.css(".attachments a[href]")}
        for node in tree.css("a[href], link[href], img[src], script[src]"):
            href = node.attributes.get("href") or node.attributes.get("src") or ""
            if href.startswith(("mailto:", "tel:")):
                continue
            target, fragment = site.target_file(page, href)
            if target is None:
                continue
            targets.add(target)
            if href in attachments:
                if not site.files.get(target):
                    problems.append(CheckProblem(page, "attachments",
                                                 f"Ek dosya '{href}' çıktıda yok ya da boş."))
            elif target not in site.files:
                problems.append(CheckProblem(page, "links", f"Bağlantı '{href}' hiçbir dosyaya gitmiyor."))
            elif fragment and target.endswith(".html"):
                anchors.append((page, href, target, fragment))
                with_fragment.add(target)
        for page_check in page_checks:
            problems += page_check(page, tree)
        if links is not None:
            links[page] = frozenset(targets)
        if anchored is not None:
            anchored[page] = frozenset(with_fragment)
    problems += [CheckProblem(page, "anchors", f"Bağlantı '{href}': sayfada '#{fragment}' yok.")
                 for page, href, target, fragment in anchors if fragment not in site.ids(target)]
    return problems


def check_embargo(root: Path, embargoed: list[Embargoed], files: set[str] | None = None) -> list[CheckProblem]:
    """No not-yet-due item may appear in any public text file (HTML, feeds, sitemap, JSON, search index); only
    `files` are read when given (the rest were checked against the same items before)."""
    if not embargoed:
        return []
    needles = []
    for item in embargoed:
        # pages and feeds carry the title escaped: "Su & Kanal" is "Su &amp; Kanal" there
        titles = dict.fromkeys((item.title, str(escape(item.title)), html.escape(item.title, quote=False)))
        needles += [(item.ref, item)] + [(t, item) for t in titles] + ([(item.url, item)] if item.url else [])
    problems = []
    paths = sorted(root.rglob("*")) if files is None else [root / rel for rel in sorted(files)]
    for path in paths:
        if path.is_dir() or not path.exists():
            continue
        rel = path.relative_to(root).as_posix()
        if any(item.url and rel.startswith(item.url.strip("/") + "/") for item in embargoed):
            problems.append(CheckProblem(rel, "embargo", "Yayın zamanı gelmemiş bir içeriğin dosyası çıktıda."))
            continue
        if rel.endswith(SEARCH_SUFFIXES):
            text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        elif rel.endswith(TEXT_SUFFIXES):
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        for needle, item in needles:
            if needle and needle in text:
                problems.append(CheckProblem(rel, "embargo",
                                             f"Yayın zamanı gelmemiş '{item.ref}' ({item.title}) bu dosyada geçiyor."))
                break
    return problems


def check_site(root: Path, site_url: str, required=(), embargoed: list[Embargoed] = (), *,
               pages: set[str] | None = None, embargo_files: set[str] | None = None,
               files: dict[str, int] | None = None) -> tuple[dict, dict]:
    """Run every check (links and footers only on `pages`, the embargo scan only over `embargo_files`, when
    given); `required` is the compliance Rules of the build (or only a list of required addresses). Warnings are
    logged; BuildError lists every blocking problem; returns each checked page's link targets and anchored
    targets."""
    from .compliance import Rules, site_findings

    rules = required if isinstance(required, Rules) else Rules.pages_only(required)
    links: dict[str, frozenset[str]] = {}
    anchored: dict[str, frozenset[str]] = {}
    found = (site_findings(Path(root), site_url, rules, pages=pages, files=files, links=links, anchored=anchored)
             + check_embargo(Path(root), list(embargoed), embargo_files))
    for warning in (p for p in found if not p.blocking):
        log.warning("Uyum denetimi uyarısı: %s", warning)
    problems = [p for p in found if p.blocking]
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:200])
        more = f"\n  … ve {len(problems) - 200} sorun daha" if len(problems) > 200 else ""
        error = BuildError(f"Yayın denetimi başarısız ({len(problems)} sorun); hiçbir şey yayımlanmadı:\n{shown}{more}",
                           f"post-build checks failed with {len(problems)} problems")
        error.problems = problems
        raise error
    return links, anchored
