"""The organisation chart as open data: the chart in force with its change history, and the chart as it stood
after each change date (/api/v1/organizasyon/index.json, /api/v1/organizasyon/<YYYY-MM-DD>.json)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from municms.orgchart import KIND_LABELS, apply_changes, load_changes

from .documents import API, moment, schema_url

FOLDER = API + "organizasyon/"


def _flat(roots, parent: str | None, base: str) -> list[dict]:
    """The units of a chart tree (plugins/orgchart), each with its parent's id, in the order the page shows."""
    units = []
    for node in roots:
        units.append({"kimlik": node.id, "ad": node.name, "tur": node.kind, "tur_adi": KIND_LABELS.get(node.kind, ""),
                      "ust": parent,
                      "yonetici": {"ad": node.head, "unvan": node.head_title} if node.head else None,
                      "bos": node.vacant, "sayfa": base + node.url if node.url else None})
        units += _flat(node.children, node.id, base)
    return units


def _change(change, base: str) -> dict:
    return {"kayit_no": change.number or None, "baslik": change.title, "yururluk": moment(change.in_force),
            "aciklamalar": list(change.lines),
            "adres": f"{base}{FOLDER}{change.in_force.isoformat()}.json"}


def chart_documents(instance, root: Path, today: dt.date, pages: dict[str, str], heads: dict[str, str],
                    base: str) -> dict[str, dict]:
    """Output path → document: the index, and one chart per date on which changes came in force."""
    from orgchart import chart_tree  # the chart plugin (loaded before this one): the same tree as the page

    rows = load_changes(root)
    units, applied, upcoming = apply_changes(instance.org_chart, rows, today)
    documents = {}
    for day in sorted({change.in_force for change in applied}):
        at_day, _, _ = apply_changes(instance.org_chart, rows, day)
        documents[f"{FOLDER}{day.isoformat()}.json"] = {
            "$schema": schema_url(base, "organizasyon-tarihi"), "tarih": day.isoformat(),
            "birimler": _flat(chart_tree(at_day, pages, heads), None, base)}
    documents[f"{FOLDER}index.json"] = {
        "$schema": schema_url(base, "organizasyon"),
        "sayfa": f"{base}kurumsal/organizasyon-semasi/",
        "birimler": _flat(chart_tree(units, pages, heads), None, base),
        "degisiklikler": [_change(change, base) for change in reversed(applied)],
        "yaklasan_degisiklikler": [{**_change(change, base), "adres": None} for change in upcoming],
    }
    return documents
