"""The Nu Html Checker reports no error on any built HTML page of the demo site."""

from __future__ import annotations

import json
import subprocess

import pytest

from municms.fragments import BANNER_FILE

from .site import html_pages

# Checked in the same run as the site (one Java start), to show the checker does report errors.
BROKEN_PAGE = ('<!DOCTYPE html><html lang="tr"><head><title>t</title></head>'
               '<body><h1>a</h1><h3>b</h3><p foo="1">c</p></body></html>')


def vnu_errors(vnu_command: list[str], *targets) -> list[dict]:
    """Errors the checker reports for the HTML files in targets (directories or files)."""
    result = subprocess.run([*vnu_command, "--skip-non-html", *map(str, targets)], capture_output=True, text=True,
                            timeout=600)
    output = (result.stderr or result.stdout).strip()  # the JSON report goes to stderr
    if result.returncode == 0 and not output:
        return []
    return [m for m in json.loads(output)["messages"] if m["type"] == "error"]


@pytest.mark.slow
def test_every_built_page_is_valid_html(built_demo, vnu_command, tmp_path):
    # every page; the banner fragment (/_acil.html) is checked inside the pages that include it (test_banner.py)
    pages = [page for page in html_pages(built_demo) if page.name != BANNER_FILE]
    assert len(pages) > 100, f"the demo site looks empty: {len(pages)} pages"
    broken = tmp_path / "broken" / "index.html"
    broken.parent.mkdir()
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    errors = vnu_errors(vnu_command, *pages, broken.parent)
    in_broken = [m["message"] for m in errors if m["url"].endswith("/broken/index.html")]
    assert len(in_broken) == 2, f"the checker missed the errors of a broken page: {in_broken}"
    in_site = [m for m in errors if str(built_demo) in m["url"]]
    listing = "\n".join(f"{m['url'].split(str(built_demo))[-1]}:{m.get('lastLine')}: {m['message']}"
                        for m in in_site)
    assert in_site == [], f"{len(in_site)} HTML errors in {len(pages)} pages:\n{listing}"
