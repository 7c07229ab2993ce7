"""Pelican plugin: the organisation chart in force at build time as a tree, with its change history."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import yaml

from pelican import signals

from municms import turkish
from municms.orgchart import CHANGES_FILE, apply_changes, load_changes

log = logging.getLogger(__name__)


@dataclass
class Node:
    id: str
    name: str
    kind: str
    head: str
    children: list["Node"] = field(default_factory=list)


def chart_tree(units) -> list[Node]:
    """Roots of the chart; children in chart order for offices, Turkish alphabetical for departments."""
    units = list(units)
    nodes = {u.id: Node(u.id, u.name, u.kind, u.head) for u in units}
    roots = []
    for unit in units:
        if unit.parent and unit.parent in nodes:
            nodes[unit.parent].children.append(nodes[unit.id])
        else:
            roots.append(nodes[unit.id])
    for node in nodes.values():
        offices = [c for c in node.children if c.kind != "mudurluk"]
        departments = turkish.sort_words([c for c in node.children if c.kind == "mudurluk"], key=lambda c: c.name)
        node.children = offices + departments
    return roots


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
    generator.context["ORGCHART"] = chart_tree(units)
    generator.context["ORG_CHANGES"] = list(reversed(applied))  # newest first
    generator.context["ORG_UPCOMING"] = upcoming
    generator.context["DEPARTMENT_IDS"] = set(instance.departments)


def register() -> None:
    signals.page_generator_finalized.connect(_add_chart)
