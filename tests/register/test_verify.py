"""`publish.py verify` names what was changed: a live file, a record in the ledger, a deleted record; and
`verify --page` tells a citizen's saved page from one we never published."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3

import pytest

from municms.fragments import banner_bytes, resolve_includes
from tests.municipality import submission_text

PAGE = "duyurular/2026/yol-calismasi/index.html"


def verify(site, *args):
    code, out, err = site.run("--json", "verify", *args)
    return code, json.loads(out)


def findings(report) -> list[tuple[str, str]]:
    return [(f["kind"], f["name"]) for f in report["findings"]]


def sql(site, *statements):
    """What someone with the database file can do: write it with sqlite3 directly."""
    with sqlite3.connect(site.paths.database) as db:
        for statement in statements:
            db.execute(statement)


def replace_file(path, data: bytes) -> bytes:
    """Overwrite a served file in place (through the release's link into its shard); its old bytes."""
    real = os.path.realpath(path)
    old = open(real, "rb").read()
    with open(real, "wb") as handle:
        handle.write(data)
    return old


@pytest.fixture
def published(site):
    item = site.submit("duyuru", "Yol Çalışması", "Çalışma Pazartesi başlayacak.\n")
    site.approve(item.number)
    first = site.publish()
    other = site.submit("haber", "Park Açılışı", "Park Cumartesi açılıyor.\n")
    site.approve(other.number)
    site.publish()
    return item.number, first


@pytest.mark.slow
def test_verify_names_a_changed_file_an_added_one_a_changed_record_and_a_deleted_one(site, published, tmp_path):
    code, report = verify(site)
    assert (code, report["ok"], report["records"], report["findings"]) == (0, True, 2, [])
    copy = tmp_path / "kopya"  # a copy of what is served, as an rsync target's site would be checked
    shutil.copytree(os.path.realpath(site.paths.current), copy)
    assert verify(site, "--site", str(copy)) == (0, report)
    (copy / "duyurular" / "2026" / "yol-calismasi" / "index.html").unlink()
    assert findings(verify(site, "--site", str(copy))[1]) == [("file-missing", PAGE)]
    code, out, _ = site.run("verify")
    assert code == 0 and out.startswith("Yayın kaydı doğrulandı: 2 kayıt, zincir sağlam;")

    page = site.paths.current / PAGE
    old = replace_file(page, page.read_bytes().replace(b"Pazartesi", b"Cuma"))
    (site.paths.current / "sahte.html").write_text("<p>sahte</p>", encoding="utf-8")
    code, report = verify(site)
    assert code == 1 and findings(report) == [("file-changed", PAGE), ("file-added", "sahte.html")]
    code, out, _ = site.run("verify")
    assert code == 1 and f"  - /{PAGE} değiştirilmiş: özeti kayıttakiyle tutmuyor." in out.splitlines()
    replace_file(page, old)
    (site.paths.current / "sahte.html").unlink()
    assert verify(site)[0] == 0

    # one byte of the first record changed in the ledger, with the append-only trigger dropped
    sql(site, "DROP TRIGGER register_no_update",
        "UPDATE register SET record = replace(record, 'Yol Çalışması', 'Yol Çalışmasi') WHERE seq = 1")
    code, report = verify(site)
    assert code == 1 and findings(report) == [("record", "1"), ("export", "1")]
    assert report["findings"][0]["message"].startswith("1. kaydın içeriği değiştirilmiş")
    sql(site, "UPDATE register SET record = replace(record, 'Yol Çalışmasi', 'Yol Çalışması') WHERE seq = 1")
    assert verify(site)[0] == 0

    # the hash stored with it changed too, so the record alone looks whole: the link and the export still tell
    sql(site, "UPDATE register SET hash = '" + "a" * 64 + "' WHERE seq = 1")
    code, report = verify(site)
    assert code == 1 and ("record", "1") in findings(report) and ("record", "2") in findings(report)

    sql(site, "DROP TRIGGER register_no_delete", "DELETE FROM register WHERE seq = 1")
    code, report = verify(site)
    assert code == 1 and ("record", "2") in findings(report) and ("export", "1") in findings(report)
    assert report["findings"][0]["message"] == "1. kayıt eksik (sonraki kayıt 2. sırada)."


@pytest.mark.slow
def test_verify_page_exact_with_the_banner_modified_and_from_an_older_release(site, published, tmp_path):
    number, first = published
    served = site.paths.current / PAGE
    saved_first = tmp_path / "ilk.html"
    saved_first.write_bytes(resolve_includes(served.read_bytes(), site.paths.current))  # no banner yet: nothing
    code, found = verify(site, "--page", str(saved_first))
    assert code == 0 and found["match"] == "banner"
    assert [(s["url"], s["since_release"], s["until"]) for s in found["spans"]] == [
        ("/duyurular/2026/yol-calismasi/", first.release_id, None)]
    exact = tmp_path / "ham.html"
    exact.write_bytes(served.read_bytes())
    assert verify(site, "--page", str(exact))[1]["match"] == "exact"

    # an emergency banner goes up, the page is edited: the old copy is from an earlier time span
    end = site.clock.now() + dt.timedelta(days=1)
    banner = site.submit("acil-duyuru", "Su Kesintisi", "Bugün 14.00'e kadar su verilemeyecek.\n",
                         bitis=end.strftime("%Y-%m-%d %H:%M"))
    site.approve(banner.number, by=("web2", "web3"))  # two approvers for a banner
    site.edit(number, submission_text("duyuru", "Yol Çalışması", "Çalışma Salı başlayacak.\n"), by="web2")
    site.approve(number, by="web3", reviewer="web1")
    changed = site.publish()
    with_banner = resolve_includes(served.read_bytes(), site.paths.current)
    assert banner_bytes(site.paths.current) and banner_bytes(site.paths.current) in with_banner
    assert "Su Kesintisi" in banner_bytes(site.paths.current).decode("utf-8")
    saved_now = tmp_path / "simdi.html"
    saved_now.write_bytes(with_banner)
    code, found = verify(site, "--page", str(saved_now))
    assert (code, found["match"]) == (0, "banner")
    assert [(s["since_release"], s["until"]) for s in found["spans"]] == [(changed.release_id, None)]

    code, found = verify(site, "--page", str(saved_first))
    assert code == 0
    assert [(s["since_release"], s["until_release"]) for s in found["spans"]] == [(first.release_id,
                                                                                   changed.release_id)]
    code, out, _ = site.run("verify", "--page", str(saved_first))
    assert code == 0 and "tarihinden" in out and "tarihine kadar yayında kaldı" in out

    modified = tmp_path / "degistirilmis.html"
    modified.write_bytes(with_banner.replace("Salı".encode(), "Çarşamba".encode()))
    code, found = verify(site, "--page", str(modified))
    assert (code, found["match"], found["spans"]) == (1, None, [])
    code, out, _ = site.run("verify", "--page", str(modified))
    assert code == 1 and out.startswith("Bu sayfa bizim yayımladığımız hiçbir dosyayla aynı değil")


def test_a_record_stripped_of_its_fields_is_named(site, published):
    sql(site, "DROP TRIGGER register_no_update", "UPDATE register SET record = '{\"seq\": 2}' WHERE seq = 2")
    code, report = verify(site)
    assert code == 1 and [f["message"] for f in report["findings"] if f["kind"] == "record"] == [
        "2. kaydın içeriği değiştirilmiş: saklanan özet " + site.ledger.register_head()["hash"][:12] + "…, hesaplanan "
        + hashlib.sha256(b'{"seq":2}').hexdigest()[:12] + "…",
        "2. kayıt bir önceki kayda bağlanmıyor (önceki özet tutmuyor).", "2. kaydın alanları eksik ya da bozuk."]
