"""Pelican plugin: stable, year-split listings, department and tag pages, feeds and the home page.

Adding one item changes a bounded set of files (its section front page and year archive, its tags' and
department's pages, home, feeds), never a long page 1…N pagination.
"""

from pelican import signals

from .generator import ListingsGenerator


def _generators(pelican):
    return ListingsGenerator if "MUNICMS_INSTANCE" in pelican.settings else None


def register() -> None:
    signals.get_generators.connect(_generators)
