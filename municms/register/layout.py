"""The register's pages in the site's theme. The export is written at deploy time, after Pelican ran, so the build
renders the theme template `register` (it extends base.html: head, share metadata, header, navigation, footer,
emergency banner) once, with markers where each page's own parts go, into yayin-kaydi/_sablon.html. The export
reads that layout from the tree it deploys, fills the markers with escaped text and its rendered (autoescaped)
content, and replaces the whole yayin-kaydi/ folder, so the layout never becomes public. A tree without a usable
layout (an older build) gets the export's standalone layout instead.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from ..site_files import write_output
from .chain import EXPORT_DIR

LAYOUT_FILE = f"{EXPORT_DIR}/_sablon.html"  # a `_` file: a fragment to the post-build checks, never deployed
TEMPLATE = "register"
# Plain ASCII without &, <, >, " or ': autoescaping and the share metadata leave them as they are.
TITLE = "%%MUNICMS-REGISTER-TITLE%%"
DESCRIPTION = "%%MUNICMS-REGISTER-DESCRIPTION%%"
# The layout's own address stands for the page's in its canonical address and og:url (a link that resolves in
# the built tree, which the post-build link check requires).
ADDRESS = "/" + LAYOUT_FILE
BREADCRUMB = "%%MUNICMS-REGISTER-BREADCRUMB%%"
CONTENT = "%%MUNICMS-REGISTER-CONTENT%%"
_ONCE = (BREADCRUMB, CONTENT)
_INPUT = "_MUNICMS_REGISTER_LAYOUT"


def collect(generators) -> None:
    """Keep the template and the context every page is rendered with, once every generator has its context."""
    generator = generators[0]
    if generator.settings.get("MUNICMS_INSTANCE") is None:
        return
    generator.settings[_INPUT] = (generator.get_template(TEMPLATE), generator.context)


def write(pelican) -> None:
    """Render the layout (after every other output, with the same context) into the output."""
    kept = pelican.settings.pop(_INPUT, None)
    if kept is None:
        return
    template, context = kept
    html = template.render({**context, "output_file": LAYOUT_FILE, "url": LAYOUT_FILE, "page_url": LAYOUT_FILE,
                            "share_title": TITLE, "share_description": DESCRIPTION,
                            "register_marks": {"title": TITLE, "breadcrumb": BREADCRUMB, "content": CONTENT}})
    write_output(pelican.settings, pelican.output_path, LAYOUT_FILE, html)


def read_layout(root: Path) -> str | None:
    """The layout the build left in the tree at root, if it has one with every marker (else None)."""
    try:
        text = (Path(root) / LAYOUT_FILE).read_bytes().decode("utf-8")  # exactly: the publisher's tree gets it back
    except (OSError, UnicodeDecodeError):
        return None
    if any(text.count(mark) != 1 for mark in _ONCE) or any(mark not in text for mark in (TITLE, DESCRIPTION, ADDRESS)):
        return None
    return text


def fill(layout: str, *, title: str, description: str, address: str, breadcrumb: Markup, content: Markup) -> str:
    """One page of the export: the layout with its markers replaced. Title, description and address (the page's
    file in yayin-kaydi/, "" for the index) are text, escaped here; breadcrumb and content are HTML the export's
    autoescaping templates rendered."""
    head, _, tail = layout.partition(CONTENT)  # the content is inserted last: nothing in it is taken for a marker
    parts = []
    for part in (head, tail):
        for mark, value in ((TITLE, escape(title)), (DESCRIPTION, escape(description)),
                            (ADDRESS, escape(f"/{EXPORT_DIR}/{address}")), (BREADCRUMB, Markup(breadcrumb))):
            part = part.replace(mark, str(value))
        parts.append(part)
    return parts[0] + str(Markup(content)) + parts[1]
