"""The banner include as serve's file servers resolve it: only the exact line base.html writes, only in HTML
answers, from the release the page comes from; what nginx's SSI does for the same line (tests/e2e/test_banner.py)."""

from __future__ import annotations

import threading
import urllib.request

from fastapi.testclient import TestClient

from municms.fragments import BANNER_FILE, BANNER_INCLUDE
from municms.serve import SiteFiles, make_server

OTHER = b'<!--#include virtual="/etc/passwd" --><!--#echo var="DOCUMENT_URI" -->'


def site(root, banner: bytes | None):
    root.mkdir()
    (root / "index.html").write_bytes(b"<main>\n" + BANNER_INCLUDE + b"\n" + OTHER + b"</main>")
    (root / "404.html").write_bytes(b"<main>" + BANNER_INCLUDE + b"yok</main>")
    (root / "notlar.txt").write_bytes(BANNER_INCLUDE)
    if banner is not None:
        (root / BANNER_FILE).write_bytes(banner)
    return root


def test_site_files_include_the_banner_of_the_release_in_html_answers_only(tmp_path):
    releases = {"a": site(tmp_path / "a", b"<section>ACIL</section>"), "b": site(tmp_path / "b", None)}
    current = ["a"]
    client = TestClient(SiteFiles(lambda: releases[current[0]]))
    home = client.get("/")
    assert home.content == b"<main>\n<section>ACIL</section>\n" + OTHER + b"</main>"
    assert home.headers["content-type"] == "text/html; charset=utf-8" and "etag" not in home.headers
    missing = client.get("/yok/")
    assert (missing.status_code, missing.content) == (404, b"<main><section>ACIL</section>yok</main>")
    assert client.get("/notlar.txt").content == BANNER_INCLUDE  # not HTML: left as it is
    current[0] = "b"  # a release without a fragment includes nothing
    assert client.get("/").content == b"<main>\n\n" + OTHER + b"</main>"


def test_the_tests_file_server_includes_the_banner_too(tmp_path):
    root = site(tmp_path / "site", b"<section>ACIL</section>")
    server = make_server(root, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/") as answer:
            assert answer.read() == b"<main>\n<section>ACIL</section>\n" + OTHER + b"</main>"
        with urllib.request.urlopen(base + "/index.html") as answer:
            assert b"ACIL" in answer.read()
        with urllib.request.urlopen(base + "/notlar.txt") as answer:
            assert answer.read() == BANNER_INCLUDE
    finally:
        server.shutdown()
        server.server_close()
