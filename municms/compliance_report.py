"""The compliance report of a built folder (`publish.py check --site`) and the rows of the auditors' page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .checks import CheckProblem, _Site
from .compliance import (CONTACT_RULE, FOOTER_RULE, KEP_RULE, STATEMENT_RULE, Rules, missing_details,
                         findings_on, statement_date, statement_finding)
from .turkish import format_day, format_moment

SEVERITY_TR = {True: "ENGELLEYİCİ", False: "UYARI"}


@dataclass
class Report:
    site: Path
    checked_at: dt.datetime
    pages: int
    findings: list[CheckProblem]

    @property
    def clean(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict:
        return {"ok": self.clean, "site": str(self.site), "checked_at": self.checked_at.isoformat(),
                "pages": self.pages,
                "blocking": sum(1 for f in self.findings if f.blocking),
                "warnings": sum(1 for f in self.findings if not f.blocking),
                "findings": [{"page": f.page, "check": f.rule, "rule": f.basis, "message": f.message_tr,
                              "severity": "block" if f.blocking else "warn"} for f in self.findings]}

    def text(self) -> str:
        head = f"Uyum denetimi: {self.site} ({format_moment(self.checked_at, 'd MMMM y HH:mm')}), {self.pages} sayfa"
        if self.clean:
            return (f"{head}\nBulgu yok: zorunlu sayfalar, her sayfanın alt bilgisindeki bağlantılar ve iletişim "
                    "bilgileri, KEP adresi, ekler ve bağlantılar, erişilebilirlik beyanının tarihi uygun.")
        blocking = sum(1 for f in self.findings if f.blocking)
        lines = [f"{head}: {len(self.findings)} bulgu ({blocking} engelleyici, {len(self.findings) - blocking} "
                 "uyarı; engelleyici bir bulgu varken yayın yapılmaz)"]
        lines += [f"  - {SEVERITY_TR[f.blocking]} {f}" for f in self.findings]
        return "\n".join(lines)


def audit_site(root: Path, instance, now: dt.datetime) -> Report:
    """Every compliance rule and link check over the whole folder, without stopping at a finding."""
    site = _Site(Path(root), instance.municipality.site_url)
    findings = findings_on(site, Rules.of(instance, now))
    pages = len(site.html_files())
    order = {True: 0, False: 1}
    findings.sort(key=lambda f: (order[f.blocking], f.page, f.rule))
    return Report(Path(root), now, pages, findings)


@dataclass(frozen=True)
class Row:
    """One line of the auditors' page: what was checked, under which rule, and the result."""

    check: str
    rule: str
    ok: bool
    result: str
    url: str = ""


def page_rows(rules: Rules, statement_html: str | None, contact_text: str | None) -> list[Row]:
    """The auditors' page: the blocking rules passed (a release is only deployed when they do); the warnings are
    worked out here from the same pages the post-build check reads (their bodies, as rendered)."""
    passed = "Uygun"
    rows = [Row(f"Zorunlu sayfa: {rule.title}", rule.rule, True, passed, rule.url) for rule in rules.required]
    # (addresses are shown, not linked: a missing page would add a broken link here to its own finding)
    names = ", ".join(rule.title for rule in rules.footer)
    rows.append(Row(f"Her sayfanın alt bilgisinde bağlantılar ({names}) ve iletişim bilgileri", FOOTER_RULE,
                    True, passed))
    rows.append(Row("Bağlantılar ve ekler: kırık bağlantı yok, her ek dosya erişilebilir",
                    "Kamu İnternet Siteleri Rehberi (KAMİS)", True, passed))
    kep = rules.contact.kep.strip() if rules.contact is not None else ""
    rows.append(Row("Kayıtlı elektronik posta (KEP) adresi", KEP_RULE, bool(kep),
                    kep if kep else "Uyarı: KEP adresi tanımlı değil"))
    if contact_text is not None and rules.contact is not None:
        absent = missing_details(contact_text, rules.contact)
        rows.append(Row("İletişim sayfasında adres, telefon, e-posta ve KEP adresi", CONTACT_RULE, not absent,
                        passed if not absent else f"Uyarı: eksik bilgiler: {', '.join(absent)}", rules.contact_page))
    if statement_html is not None and rules.statement_page:
        updated = statement_date(statement_html)
        if updated is None:
            result = "Uyarı: beyanda güncelleme tarihi yok"
        elif statement_finding(statement_html, rules) is not None:
            result = f"Uyarı: beyan {rules.statement_max_months} aydan eski (son güncelleme {format_day(updated, 'd MMMM y')})"
        else:
            result = f"Uygun (son güncelleme {format_day(updated, 'd MMMM y')})"
        rows.append(Row(f"Erişilebilirlik beyanı güncel (en çok {rules.statement_max_months} ay)", STATEMENT_RULE,
                        result.startswith("Uygun"), result, rules.statement_page))
    return rows
