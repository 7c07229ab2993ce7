"""Pelican plugin: the layout of the publication register's pages in the theme (municms/register/layout.py)."""

from pelican import signals

from municms.register.layout import collect, write


def register() -> None:
    signals.all_generators_finalized.connect(collect)
    signals.finalized.connect(write)
