"""Pelican plugin: the organisation chart in force at build time as a tree, with its change history.

Every unit shows who heads it and their title (the chart's `head`, else the department's `mudur` in
data/birimler.yaml, with the title of the unit's kind) and links to its page: a department's /birimler/<id>/,
any other unit's corporate page whose slug is the unit's id (/kurumsal/teftis-kurulu/).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pelican import signals

from municms import turkish
from municms.files import safe_yaml
from municms.orgchart import CHANGES_FILE, HEAD_TITLES, apply_changes, load_changes

log = logging.getLogger(__name__)
DEPARTMENT_KINDS = ("mudurluk", "daire-baskanligi")  # listed alphabetically under their office


@dataclass
class Node:
    id: str
    name: str
    kind: str
    head: str
    head_title: str = ""
    url: str = ""         # the unit's page on the site (relative to SITEURL), "" when it has none
    vacant: bool = False  # the post was left by an organisation change and nobody is appointed yet
    children: list["Node"] = field(default_factory=list)


def chart_tree(units, pages: dict[str, str] | None = None, heads: dict[str, str] | None = None) -> list[Node]:
    """Roots of the chart; children in chart order for offices, Turkish alphabetical for departments.

    pages: unit id → its page's URL; heads: unit id → the name to show when the chart names nobody."""
    units = list(units)
    pages, heads = pages or {}, heads or {}
    nodes = {}
    for u in units:
        name = u.head if u.head is not None else heads.get(u.id, "")
        title = (u.head_title or HEAD_TITLES.get(u.kind, "")) if name or u.head == "" else ""
        nodes[u.id] = Node(u.id, u.name, u.kind, name, title, pages.get(u.id, ""), vacant=u.head == "")
    roots = []
    for unit in units:
        if unit.parent and unit.parent in nodes:
            nodes[unit.parent].children.append(nodes[unit.id])
        else:
            roots.append(nodes[unit.id])
    for node in nodes.values():
        offices = [c for c in node.children if c.kind not in DEPARTMENT_KINDS]
        departments = turkish.sort_words([c for c in node.children if c.kind in DEPARTMENT_KINDS],
                                         key=lambda c: c.name)
        node.children = offices + departments
    return roots


def unit_pages(instance, pages) -> dict[str, str]:
    """unit id → URL of its page: departments have /birimler/<id>/, other units a corporate page of their id."""
    by_slug = {page.slug: page.url for page in pages if getattr(page, "yer", "kurumsal") == "kurumsal"}
    found = {unit.id: by_slug[unit.id] for unit in instance.org_chart if unit.id in by_slug}
    found.update({dep: f"birimler/{dep}/" for dep in instance.departments})
    return found


def department_heads(root: Path) -> dict[str, str]:
    """department id → its director's name as data/birimler.yaml gives it (shown on /birimler/<id>/ too)."""
    path = Path(root) / "data" / "birimler.yaml"
    details = safe_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if not isinstance(details, dict):
        return {}
    return {str(key): str(value["mudur"]).strip() for key, value in details.items()
            if isinstance(value, dict) and str(value.get("mudur") or "").strip()}


def _add_chart(generator) -> None:
    instance = generator.settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    now = generator.settings.get("MUNICMS_NOW") or dt.datetime.now(instance.tz)
    try:
        rows = load_changes(instance.root)
    except yaml.YAMLError as exc:  # logged as an error: the build fails and names the file
        log.error("%s okunamadı (geçerli YAML değil): %s", CHANGES_FILE, exc)
        rows = []
    units, applied, upcoming = apply_changes(instance.org_chart, rows, now.astimezone(instance.tz).date())
    try:
        heads = department_heads(Path(generator.settings["PATH"]).parent)
    except yaml.YAMLError:
        heads = {}  # the listings plugin reads the same file and reports it
    generator.context["ORGCHART"] = chart_tree(units, unit_pages(instance, generator.pages), heads)
    generator.context["ORG_CHANGES"] = list(reversed(applied))  # newest first
    generator.context["ORG_UPCOMING"] = upcoming
    generator.context["DEPARTMENT_IDS"] = set(instance.departments)


def register() -> None:
    signals.page_generator_finalized.connect(_add_chart)
