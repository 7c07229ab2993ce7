"""The auditors' page /uyum-raporu/: the compliance rules of municms/compliance.py and their results, written
by the Pelican plugin `compliance` (plugins/compliance) in the theme, like any page of the build.

It is written during the build, before the post-build checks, so the full and the incremental build write it
the same way (as a plugin output: only when its bytes change). The blocking rules are shown as passed: a build
that breaks one is never deployed, so no published copy of this page can say otherwise. The warnings are worked
out from the same page bodies the post-build check reads, with the same functions, for the day of the build.
"""

from __future__ import annotations

from markupsafe import Markup

from .compliance import REPORT_URL, Rules, page_file
from .compliance_report import page_rows
from .site_files import write_output

TEMPLATE = "compliance"
_INPUT = "_MUNICMS_COMPLIANCE_PAGE"


def collect(generators) -> None:
    """Keep what the page needs once every generator has its context: the template, the context, the rows."""
    generator = generators[0]
    settings = generator.settings
    instance = settings.get("MUNICMS_INSTANCE")
    if instance is None:
        return
    rules = Rules.of(instance, settings["MUNICMS_NOW"])
    pages = {"/" + page.url: page for page in generator.context.get("pages", [])}
    statement = pages.get(rules.statement_page)
    contact = pages.get(rules.contact_page)
    rows = page_rows(rules, statement.content if statement is not None else None,
                     Markup(contact.content).striptags() if contact is not None else None)
    settings[_INPUT] = (generator.get_template(TEMPLATE), generator.context, rules.today, rows)


def write(pelican) -> None:
    """Render the page with the theme (after every other output, with the same context) into the output."""
    settings = pelican.settings
    kept = settings.pop(_INPUT, None)
    if kept is None:
        return
    template, context, today, rows = kept
    save_as = page_file(REPORT_URL)
    url = save_as[:-len("index.html")]
    html = template.render({**context, "output_file": save_as, "url": url, "page_url": url,
                            "share_title": "Uyum Raporu",
                            "share_description": "Sitenin kamu kurumlarına ilişkin kurallara göre denetiminin "
                                                 "sonucu: zorunlu sayfalar, iletişim bilgileri, erişilebilirlik.",
                            "checked_on": today, "rows": rows, "warnings": sum(1 for row in rows if not row.ok)})
    write_output(settings, pelican.output_path, save_as, html)
