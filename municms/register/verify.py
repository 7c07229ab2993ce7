"""`publish.py verify`: the chain recomputed from the ledger, compared with the live export, the live files hashed
against the newest record; and `--page`: whether a saved page is one we published, where and when.

A saved page matches when its bytes are those of a file we published (SHA-256 equal), or are equal once the
emergency banner the web server put in (municms.fragments: the include right after <main …>) is replaced by the
include again, for the banner of any release still kept or for no banner. A browser's "complete page" save
rewrites the page and does not match; "HTML only" keeps the bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..fragments import BANNER_FILE, BANNER_INCLUDE
from .chain import check_chain, public_hashes, record_hash, replay
from .stamp import live_release, served_chain, tree_files


@dataclass
class Finding:
    """One problem verify found: what kind, what it names, a Turkish message."""

    kind: str       # record | export | file-changed | file-added | file-missing | release
    name: str
    message_tr: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "message": self.message_tr}


@dataclass
class Report:
    records: int = 0
    head: str | None = None
    release: str | None = None
    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict:
        return {"ok": self.ok, "records": self.records, "head": self.head, "release": self.release,
                "files": self.files, "findings": [f.as_dict() for f in self.findings]}


def verify_site(rows: list[dict], site: Path) -> Report:
    """Check the ledger's register rows, the export served at `site` and the files served there."""
    report = Report(records=len(rows), head=rows[-1]["hash"] if rows else None)
    for problem in check_chain(rows):
        report.findings.append(Finding("record", str(problem.seq), problem.message_tr))
    records = []
    for row in rows:
        try:
            records.append(json.loads(row["record"]))
        except ValueError:
            records.append({})
    _compare_export(records, rows, site, report)
    state = replay([r for r in records if r], lenient=True)
    report.release = live_release(site)
    if state.release is not None and report.release != state.release:
        report.findings.append(Finding("release", report.release or "-", f"Yayındaki sürüm ({report.release}) son "
                                       f"kaydın sürümü ({state.release}) değil."))
    live = public_hashes(tree_files(site)) if Path(site).exists() else {}
    report.files = len(live)
    for path in sorted(set(live) | set(state.hashes)):
        if path not in live:
            report.findings.append(Finding("file-missing", path, f"/{path} kayıtta var ama sitede yok."))
        elif path not in state.hashes:
            report.findings.append(Finding("file-added", path, f"/{path} sitede var ama kayıtta yok (sonradan "
                                                               "eklenmiş)."))
        elif live[path] != state.hashes[path]:
            report.findings.append(Finding("file-changed", path, f"/{path} değiştirilmiş: özeti kayıttakiyle "
                                                                 "tutmuyor."))
    return report


def _compare_export(records: list[dict], rows: list[dict], site: Path, report: Report) -> None:
    """The live export must hold the ledger's records (the newest may be missing only after a rollback, whose
    served release carries the export of its own time) byte for byte."""
    try:
        served = served_chain(site)
    except (OSError, ValueError):
        report.findings.append(Finding("export", "yayin-kaydi", "Yayındaki yayın kaydı okunamıyor."))
        return
    by_seq = {row["seq"]: record_hash(record) if record else row["hash"] for row, record in zip(rows, records)}
    for record in served:
        seq = record.get("seq")
        if seq not in by_seq:
            report.findings.append(Finding("export", str(seq), f"Yayındaki yayın kaydının {seq}. kaydı veritabanında "
                                                               "yok."))
        elif record_hash(record) != by_seq[seq]:
            report.findings.append(Finding("export", str(seq), f"Yayındaki yayın kaydının {seq}. kaydı veritabanındaki "
                                                               "kayıttan farklı."))
    # the export a release carries ends with the record of its own deploy; after a rollback that is an earlier
    # record than the ledger's newest (README)
    release = live_release(site)
    own = [r.get("seq") for r in records if r.get("release") == release and r.get("kind") in ("publish", "deploy")]
    expected = own[-1] if own else (rows[-1]["seq"] if rows else None)
    if rows and served and served[-1].get("seq") != expected:
        report.findings.append(Finding("export", str(expected), "Yayındaki yayın kaydı güncel değil: son kaydı "
                                       f"{served[-1].get('seq')}., olması gereken {expected}."))
    elif rows and not served:
        report.findings.append(Finding("export", "yayin-kaydi", "Yayındaki sitede yayın kaydı yok."))


# -- a saved page ---------------------------------------------------------------------------------------------

_MAIN = re.compile(rb"<main\b[^>]*>")


def page_candidates(data: bytes, banners: list[bytes]) -> list[bytes]:
    """The saved bytes and every way they can be the published file with the server's banner put in."""
    candidates = [data]
    found = _MAIN.search(data)
    if found is None or BANNER_INCLUDE in data:
        return candidates
    start = found.end()
    space = len(data[start:]) - len(data[start:].lstrip())
    for banner in dict.fromkeys([b"", *banners]):
        for cut in range(start, start + space + 1):
            if data[cut:].startswith(banner):
                candidates.append(data[:cut] + BANNER_INCLUDE + data[cut + len(banner):])
    return list(dict.fromkeys(candidates))


def kept_banners(releases: Path) -> list[bytes]:
    """The banner fragment of every release still kept."""
    found = []
    if releases.is_dir():
        for folder in sorted(releases.iterdir()):
            path = folder / BANNER_FILE
            if folder.is_dir() and path.is_file():
                found.append(path.read_bytes())
    return found


def published_spans(records: list[dict]) -> dict[str, list[dict]]:
    """Per file hash: every span (path, the record it appeared in, the record it changed or went away in)."""
    current: dict[str, dict] = {}  # path → its open span
    spans: dict[str, list[dict]] = {}
    for record in records:
        files = record["files"]
        for path in [*files["removed"], *files["changed"]]:
            span = current.pop(path, None)
            if span is not None:
                span["until"], span["until_release"] = record["at"], record["release"]
        for path, digest in files["changed"].items():
            span = {"path": path, "sha256": digest, "since": record["at"], "since_release": record["release"],
                    "since_seq": record["seq"], "until": None, "until_release": None}
            current[path] = span
            spans.setdefault(digest, []).append(span)
    return spans


def verify_page(rows: list[dict], data: bytes, releases: Path) -> dict:
    """Whether a saved page is a file we published: how it matched, its address and when it was public."""
    records = [json.loads(row["record"]) for row in rows]
    spans = published_spans(records)
    for index, candidate in enumerate(page_candidates(data, kept_banners(releases))):
        digest = hashlib.sha256(candidate).hexdigest()
        if digest in spans:
            return {"match": "exact" if index == 0 else "banner", "sha256": digest,
                    "spans": [{**s, "url": "/" + s["path"].removesuffix("index.html")} for s in spans[digest]]}
    return {"match": None, "sha256": hashlib.sha256(data).hexdigest(), "spans": []}
