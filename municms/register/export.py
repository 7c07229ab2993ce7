"""The register as public files under /yayin-kaydi/: a Turkish page explaining it and how to verify it, the
records per year (HTML and JSON Lines), each item's history, and zincir.json naming the newest record.

Each line of `kayitlar-<year>.jsonl` is the canonical form of one record (see municms.register), so the SHA-256 of
a line without its newline is the record's hash; the files together, in year order, are the whole chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..checks import page_file
from ..turkish import format_moment
from .chain import EXPORT_DIR, State, canonical, record_hash
from .layout import fill

CHAIN_FILE = "zincir.json"
SCHEMA_FILE = "kayit.schema.json"
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(
    default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _when(value: str) -> str:
    return format_moment(dt.datetime.fromisoformat(value), "d MMMM y HH:mm")


_env.filters["when"] = _when


def histories(records: list[dict]) -> dict[str, list[dict]]:
    """Per item number: every record entry naming it, with the record's time, release, hash and the page's hash."""
    state, found = State(), {}
    for record in records:
        state.apply(record)
        for entry in record["items"]:
            found.setdefault(entry["number"], []).append({
                **entry, "at": record["at"], "release": record["release"], "seq": record["seq"],
                "record": state.head, "page_sha256": state.hashes.get(page_file(entry["url"])) if entry["url"] else None})
    return found


def export_files(records: list[dict], site_name: str, layout: str | None = None) -> dict[str, bytes]:
    """Every file of /yayin-kaydi/ (relative to the site root) for the chain `records`; its pages in the site's
    theme when `layout` is the build's layout (municms.register.layout), else in the export's standalone one."""
    years: dict[str, list[dict]] = {}
    for record in records:
        years.setdefault(record["at"][:4], []).append(record)
    hashes = [record_hash(r) for r in records]
    files: dict[str, bytes] = {}
    for year, rows in years.items():
        files[f"{EXPORT_DIR}/kayitlar-{year}.jsonl"] = b"".join(canonical(r) + b"\n" for r in rows)
    chain = {"format": 1, "count": len(records), "head": hashes[-1] if hashes else None,
             "files": [f"kayitlar-{year}.jsonl" for year in sorted(years)], "schema": SCHEMA_FILE,
             "canonical": "json.dumps(record, sort_keys=True, separators=(',', ':'), ensure_ascii=False) UTF-8; "
                          "hash = sha256; previous = hash of the record before (64 zeros for the first)"}
    files[f"{EXPORT_DIR}/{SCHEMA_FILE}"] = (Path(__file__).parent / SCHEMA_FILE).read_bytes()
    files[f"{EXPORT_DIR}/{CHAIN_FILE}"] = (json.dumps(chain, sort_keys=True, indent=1, ensure_ascii=False)
                                            + "\n").encode("utf-8")
    by_item: dict[str, dict[str, list]] = {}
    for number, rows in histories(records).items():
        by_item.setdefault(number.rsplit("-", 2)[-2], {})[number] = rows
    context = {"site_name": site_name, "years": sorted(years, reverse=True), "item_years": sorted(by_item, reverse=True),
               "head": chain["head"], "count": len(records)}
    newest = sorted(years)[-1] if years else None
    record_hashes = dict(zip([r["seq"] for r in records], hashes))
    files[f"{EXPORT_DIR}/index.html"] = _page(
        layout, "index.html", "", INDEX_TITLE,
        f"{site_name} sitesinde yayımlanan her şeyin kaydı: her yayının kaydı, içeriklerin yayın geçmişi, "
        "dosyaların SHA-256 özetleri ve nasıl doğrulanacağı.",
        **context, hashes=record_hashes, records=list(reversed(years.get(newest, [])))[:50])
    for year, rows in years.items():
        files[f"{EXPORT_DIR}/kayitlar-{year}.html"] = _page(
            layout, "year.html", f"kayitlar-{year}.html", f"{year} yılının yayın kayıtları",
            f"{site_name} sitesinin {year} yılındaki yayın kayıtları: yayına alanlar, içerikler, onaylayanlar ve "
            "kayıtların özetleri.", **context, year=year, records=list(reversed(rows)), hashes=record_hashes)
    for year, items in by_item.items():
        files[f"{EXPORT_DIR}/icerikler-{year}.html"] = _page(
            layout, "items.html", f"icerikler-{year}.html", f"{year} yılında kaydedilen içeriklerin yayın geçmişi",
            f"{year} yılında kaydedilen içeriklerin {site_name} sitesindeki yayın geçmişi: ilk yayın, "
            "değişiklikler, geri çekilme, sayfaların özetleri.", **context, year=year,
            items=dict(sorted(items.items())))
    return files


INDEX_TITLE = "Yayın kaydı"


def _page(layout: str | None, name: str, address: str, title: str, description: str, **context) -> bytes:
    """One page: its template's content in the theme's layout, or the whole template in the standalone layout."""
    template = _env.get_template(name)
    if layout is None:
        return template.render(**context, title=title).encode("utf-8")
    values = {**context, "title": title}
    content = Markup("".join(template.blocks["content"](template.new_context(values))))
    trail = [("", INDEX_TITLE)] if not address else [(f"{EXPORT_DIR}/", INDEX_TITLE), ("", title)]
    breadcrumb = Markup(_env.get_template("_breadcrumb.html").render(trail=trail))
    return fill(layout, title=title, description=description, address=address, breadcrumb=breadcrumb,
                content=content).encode("utf-8")


def write_export(root: Path, files: dict[str, bytes]) -> dict[str, str]:
    """Write the export below root as new files (never rewriting one in place); their SHA-256 by path."""
    hashes = {}
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.write_bytes(data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    return hashes
