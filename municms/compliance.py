"""Compliance of a built site with the rules Turkish public bodies follow: required corporate pages, the rights
links in every page's footer, contact details and the KEP address, a current accessibility statement.

Each finding names the page, the rule it comes from and what to do, in Turkish. Blocking findings stop a deploy
(municms/checks.py check_site runs these checks after every build); warnings are reported and logged but do not
hold back an urgent announcement: the KEP address or the contact page's details missing, the accessibility
statement undated or older than compliance.statement_max_months.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from babel.dates import get_month_names

from .checks import CheckProblem, _Site, check_links, page_file

REPORT_URL = "/uyum-raporu/"         # the auditors' page (municms/compliance_page.py writes it)
CONFIG_PAGE = "instance.yaml"        # the "page" of a finding about the configuration


@dataclass(frozen=True)
class Rule:
    """A page or link a rule requires: its address, title and the rule's source."""

    url: str
    title: str
    rule: str


@dataclass(frozen=True)
class Rules:
    """What the checks need from instance.yaml, and the day the site is checked on."""

    required: tuple[Rule, ...]
    footer: tuple[Rule, ...] = ()
    contact: object = None           # config Contact (address, phone, email, kep); None: not checked
    contact_page: str = "/iletisim/"
    statement_page: str = ""         # "": the statement's date is not checked
    statement_max_months: int = 12
    today: dt.date | None = None

    @classmethod
    def of(cls, instance, now: dt.datetime) -> "Rules":
        settings = instance.compliance
        return cls(tuple(Rule(p.url, p.title, p.rule) for p in settings.required_pages),
                   tuple(Rule(p.url, p.title, p.rule) for p in settings.footer_links),
                   instance.municipality.contact, settings.contact_page, settings.statement_page,
                   settings.statement_max_months, now.astimezone(instance.tz).date())

    @classmethod
    def pages_only(cls, urls) -> "Rules":
        """Only the given pages are required (a preview, a caller that checks nothing else)."""
        from .config import RequiredPage
        return cls(tuple(Rule(p.url, p.title, p.rule) for p in (RequiredPage(url=u) for u in urls)))


FOOTER_RULE = "Başbakanlık Genelgesi 2007/4; Kamu İnternet Siteleri Rehberi (KAMİS)"
CONTACT_RULE = "Başbakanlık Genelgesi 2007/4 (iletişim bilgileri)"
KEP_RULE = "7201 sayılı Tebligat Kanunu m.7/a (kamu kurumlarının KEP adresi)"
STATEMENT_RULE = "KAMİS erişilebilirlik ölçütleri; 5378 sayılı Engelliler Hakkında Kanun"


def _problem(page: str, check: str, message: str, rule: str, blocking: bool = True) -> CheckProblem:
    return CheckProblem(page, check, message, rule, blocking)


# -- the checks -------------------------------------------------------------------------------------------

def site_findings(root: Path, site_url: str, rules: Rules, *, pages: set[str] | None = None,
                  files: dict[str, int] | None = None, links: dict | None = None,
                  anchored: dict | None = None) -> list[CheckProblem]:
    """Links, anchors, attachments, empty pages and the footer of every page (or of `pages`), then the
    site-wide rules; `links`/`anchored` receive each checked page's link targets (see checks.check_links)."""
    return findings_on(_Site(Path(root), site_url, files), rules, pages=pages, links=links, anchored=anchored)


def findings_on(site: _Site, rules: Rules, *, pages: set[str] | None = None, links: dict | None = None,
                anchored: dict | None = None) -> list[CheckProblem]:
    footer = [footer_check(site, rules)] if rules.footer or rules.contact is not None else []
    return check_links(site, pages, links, anchored, page_checks=footer) + site_wide(site, rules)


def site_wide(site: _Site, rules: Rules) -> list[CheckProblem]:
    """The rules about the site as a whole (cheap: a few pages and the configuration)."""
    return (required_pages(site, rules) + kep_address(rules) + contact_page(site, rules)
            + statement_current(site, rules))


def required_pages(site: _Site, rules: Rules) -> list[CheckProblem]:
    """Every required page is there and its main content is not empty."""
    found = []
    for rule in rules.required:
        path = page_file(rule.url)
        name = f"'{rule.url}' ({rule.title})" if rule.title != rule.url else f"'{rule.url}'"
        if path not in site.files:
            found.append(_problem(path, "required", f"Zorunlu sayfa {name} eksik. Bu adreste "
                                  "bir sayfa yayımlayın (ör. content/sayfalar/ altında, adresine uygun Slug ile).",
                                  rule.rule))
        elif not _main_text(site, path):
            found.append(_problem(path, "required", f"Zorunlu sayfa {name} boş. Sayfanın "
                                  "içeriğini yazıp yeniden yayımlayın.", rule.rule))
    return found


def footer_check(site: _Site, rules: Rules):
    """A check of one parsed page: its footer links to every rights page and shows the contact details."""
    wanted = {page_file(rule.url): rule for rule in rules.footer}
    seen: dict[str, tuple[list[Rule], list[str]]] = {}  # footer HTML → what it lacks (most pages share one footer)

    def lacks(page: str, footer) -> tuple[list[Rule], list[str]]:
        targets = {site.target_file(page, node.attributes.get("href") or "")[0] for node in footer.css("a[href]")}
        absent = missing_details(footer.text(separator=" "), rules.contact) if rules.contact is not None else []
        return [rule for rel, rule in wanted.items() if rel not in targets], absent

    def check(page: str, tree) -> list[CheckProblem]:
        if page.rpartition("/")[2].startswith("_"):  # fragments included into pages have no footer
            return []
        footer = tree.css_first("body > footer")  # the page's own footer, not an article's
        if footer is None:
            return [_problem(page, "footer", "Sayfada alt bilgi (footer) yok: Bilgi Edinme, KVKK, Erişilebilirlik ve "
                             "İletişim bağlantıları ile iletişim bilgileri her sayfanın alt bilgisinde olmalı. "
                             "Sayfanın şablonunun base.html'i genişlettiğini denetleyin.", FOOTER_RULE)]
        key = footer.html
        result = seen.get(key)
        if result is None:
            result = lacks(page, footer)
            if _absolute_links(key):  # a footer with relative links means something else on another page
                seen[key] = result
        missing, absent = result
        found = []
        if missing:
            names = ", ".join(f"{rule.title} ({rule.url})" for rule in missing)
            found.append(_problem(page, "footer", f"Alt bilgide şu bağlantılar yok: {names}. Bu bağlantılar her "
                                  "sayfanın alt bilgisinde olmalı; temanın base.html dosyasını düzeltin.",
                                  FOOTER_RULE))
        if absent:
            found.append(_problem(page, "contact", f"Alt bilgide şu iletişim bilgileri yok: {', '.join(absent)}. "
                                  "instance.yaml'daki municipality.contact bölümünü ve temanın base.html "
                                  "dosyasını denetleyin.", CONTACT_RULE))
        return found

    return check


_HREF = re.compile(r'href="([^"]*)"')


def _absolute_links(html: str) -> bool:
    """Every link of the fragment is site-absolute or external: it means the same on every page."""
    return all(href.startswith(("/", "http://", "https://", "mailto:", "tel:")) for href in _HREF.findall(html))


def kep_address(rules: Rules) -> list[CheckProblem]:
    """The municipality has a KEP address in instance.yaml (a warning: older instance files have none)."""
    if rules.contact is None or rules.contact.kep.strip():
        return []
    return [_problem(CONFIG_PAGE, "kep", "Kayıtlı elektronik posta (KEP) adresi yok. instance.yaml'da "
                     "municipality.contact.kep alanına belediyenin KEP adresini yazın (ör. "
                     "kurumadi@hs01.kep.tr); adres alt bilgide ve iletişim sayfasında gösterilir.", KEP_RULE,
                     blocking=False)]


def contact_page(site: _Site, rules: Rules) -> list[CheckProblem]:
    """The contact page shows the address, phone, e-mail and KEP address of instance.yaml (a warning)."""
    path = page_file(rules.contact_page)
    if rules.contact is None or path not in site.files:
        return []  # a missing contact page is a required-page finding
    absent = missing_details(_main_text(site, path), rules.contact)
    if not absent:
        return []
    return [_problem(path, "contact", f"İletişim sayfasında şu bilgiler yok: {', '.join(absent)}. Sayfaya "
                     "instance.yaml'daki municipality.contact değerlerini aynen yazın.", CONTACT_RULE,
                     blocking=False)]


def statement_current(site: _Site, rules: Rules) -> list[CheckProblem]:
    """The accessibility statement carries the date of its last update, not older than the limit (a warning)."""
    if not rules.statement_page or rules.today is None:
        return []
    path = page_file(rules.statement_page)
    if path not in site.files:
        return []  # a missing statement is a required-page finding when it is required
    tree = site.parse(path)
    main = tree.css_first("main")
    finding = statement_finding(main.html if main is not None else "", rules)
    return [finding] if finding else []


def statement_finding(html: str, rules: Rules) -> CheckProblem | None:
    """The warning about a statement's date from its HTML (the auditors' page uses the same function)."""
    path = page_file(rules.statement_page)
    updated = statement_date(html)
    if updated is None:
        return _problem(path, "statement", "Erişilebilirlik beyanında güncelleme tarihi yok. Beyanın sonuna "
                        "\"Bu beyan 20 Kasım 2026 tarihinde güncellenmiştir.\" biçiminde bir cümle (ya da "
                        "<time datetime=\"2026-11-20\"> öğesi) ekleyin.", STATEMENT_RULE, blocking=False)
    if _months_between(updated, rules.today) > rules.statement_max_months or \
            (_months_between(updated, rules.today) == rules.statement_max_months and rules.today.day > updated.day):
        return _problem(path, "statement", f"Erişilebilirlik beyanı {rules.statement_max_months} aydan eski (son "
                        f"güncelleme {updated.isoformat()}). Sitenin erişilebilirliğini yeniden değerlendirip beyanı "
                        "ve tarihini güncelleyin.", STATEMENT_RULE, blocking=False)
    return None


# -- reading dates and text -------------------------------------------------------------------------------

_MONTHS = {name.casefold(): number for number, name in get_month_names("wide", locale="tr").items()}
_WORDS = re.compile(r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_TIME = re.compile(r"<time\b[^>]*\bdatetime=\"(\d{4})-(\d{2})-(\d{2})")
_TAG = re.compile(r"<[^>]+>")


def statement_date(html: str) -> dt.date | None:
    """The newest date the statement gives: a <time datetime>, "20 Kasım 2026" or "20.11.2026"."""
    dates = []
    for year, month, day in _TIME.findall(html):
        dates.append(_date(year, month, day))
    text = _TAG.sub(" ", html)
    for day, month, year in _WORDS.findall(text):
        dates.append(_date(year, _MONTHS[month.casefold()], day))
    for day, month, year in _DOTTED.findall(text):
        dates.append(_date(year, month, day))
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _date(year, month, day) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def missing_details(text: str, contact) -> list[str]:
    """Which of the contact details of instance.yaml (address, phone, e-mail, KEP) the text does not show."""
    text = _squeeze(text)
    details = [("adres", contact.address), ("telefon", contact.phone), ("e-posta", contact.email),
               ("KEP adresi", contact.kep)]
    return [label for label, value in details if value.strip() and _squeeze(value) not in text]


def _squeeze(text: str) -> str:
    """Text compared without spaces and case: "0364 225 19 00" is found however it is spaced."""
    return re.sub(r"\s+", "", text).casefold()


def _main_text(site: _Site, path: str) -> str:
    main = site.parse(path).css_first("main")
    return main.text(separator=" ", strip=True) if main is not None else ""
