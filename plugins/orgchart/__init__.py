"""Pelican plugin: the organisation chart as a tree for the orgchart page template."""

from __future__ import annotations

from dataclasses import dataclass, field

from pelican import signals

from municms import turkish


@dataclass
class Node:
    id: str
    name: str
    kind: str
    head: str
    children: list["Node"] = field(default_factory=list)


def chart_tree(units) -> list[Node]:
    """Roots of the chart; children in chart order for offices, Turkish alphabetical for departments."""
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
    generator.context["ORGCHART"] = chart_tree(instance.org_chart)
    generator.context["DEPARTMENT_IDS"] = set(instance.departments)


def register() -> None:
    signals.page_generator_finalized.connect(_add_chart)
