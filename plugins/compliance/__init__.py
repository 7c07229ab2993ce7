"""Pelican plugin: the auditors' compliance report page /uyum-raporu/ (municms/compliance_page.py)."""

from pelican import signals

from municms.compliance_page import collect, write


def register() -> None:
    signals.all_generators_finalized.connect(collect)
    signals.finalized.connect(write)
