"""The Nu Html Checker reports no error on any built HTML page of the demo site."""

from __future__ import annotations

import json
import subprocess

import pytest

from .site import html_pages


def vnu_errors(vnu_command: list[str], target) -> list[dict]:
    result = subprocess.run([*vnu_command, "--skip-non-html", str(target)], capture_output=True, text=True,
                            timeout=300)
    report = json.loads(result.stderr or result.stdout)  # vnu writes its JSON report to stderr
    return [m for m in report["messages"] if m["type"] == "error"]


@pytest.mark.slow
def test_every_built_page_is_valid_html(built_demo, vnu_command):
    pages = html_pages(built_demo)
    assert len(pages) > 20, "the demo site looks empty"
    errors = vnu_errors(vnu_command, built_demo)
    listing = "\n".join(f"{m['url'].split(str(built_demo))[-1]}:{m.get('lastLine')}: {m['message']}"
                        for m in errors)
    assert errors == [], f"{len(errors)} HTML errors in {len(pages)} pages:\n{listing}"


def test_checker_reports_invalid_html(tmp_path, vnu_command):
    """The check above can fail: a page with a skipped heading level and a stray attribute is reported."""
    page = tmp_path / "index.html"
    page.write_text('<!DOCTYPE html><html lang="tr"><head><title>t</title></head>'
                    '<body><h1>a</h1><h3>b</h3><p foo="1">c</p></body></html>', encoding="utf-8")
    messages = [m["message"] for m in vnu_errors(vnu_command, tmp_path)]
    assert len(messages) == 2, messages
