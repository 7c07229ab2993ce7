"""publish and rollback through the command line with the s3 target: items from real intake, approved by real
users, built, checked and deployed into SeaweedFS; the register's export travels in the release."""

from __future__ import annotations

import json

import pytest

from municms.config import load_instance
from municms.model import PUBLISHED


def s3_site(municipality, bucket, prefix: str = "belediye"):
    site = municipality(site="tiny")
    with open(site.root / "instance.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"\ndeploy:\n  target: s3\n  bucket: {bucket.name}\n  endpoint_url: {bucket.endpoint}\n"
                     f"  prefix: {prefix}\n  keep_releases: 3\n")
    site.instance = load_instance(site.root)
    return site


def live(bucket, prefix: str = "belediye") -> str:
    return bucket.read(f"{prefix}/current").decode().strip()


@pytest.mark.slow
def test_publish_and_rollback_from_the_command_line_into_the_bucket(municipality, s3_bucket):
    site = s3_site(municipality, s3_bucket)
    first = site.submit("haber", "Kovadaki İlk Haber", "Nesne deposundan yayımlanan haber.")
    site.approve(first.number)
    done = site.cli("publish", "--system", "--json")
    assert done.returncode == 0, done.stderr
    r1 = json.loads(done.stdout)["release_id"]
    assert live(s3_bucket) == r1 and site.ledger.item(first.number).state == PUBLISHED
    page = f"belediye/releases/{r1}/haberler/2026/kovadaki-ilk-haber/index.html"
    assert "Nesne deposundan yayımlanan haber." in s3_bucket.read(page).decode()
    assert s3_bucket.head(page)["ContentType"] == "text/html; charset=utf-8"
    assert json.loads(s3_bucket.release_file("belediye", r1, "surum.json"))["release"] == r1
    chain = json.loads(s3_bucket.release_file("belediye", r1, "yayin-kaydi/zincir.json"))
    assert chain["count"] == 1  # the publication register's export is in the release
    assert not site.paths.current.exists()  # nothing is served from the instance's own folder

    second = site.submit("duyuru", "Kovadaki Duyuru", "İkinci yayın.")
    site.approve(second.number)
    done = site.cli("publish", "--reason", "Basın toplantısı.", login="mudur1")
    assert done.returncode == 0, done.stderr
    r2 = live(s3_bucket)
    assert r2 > r1 and f"belediye/releases/{r2}/duyurular/2026/kovadaki-duyuru/index.html" in s3_bucket.keys(
        f"belediye/releases/{r2}/duyurular/")
    meta = json.loads(s3_bucket.read(f"belediye/meta/{r2}.json"))
    assert (meta["published_by"], meta["items"]) == ("mudur1", [second.number])
    assert 0 < meta["stats"]["files_uploaded"] < meta["stats"]["files"] // 2  # the rest copied in the store

    listing = json.loads(site.cli("releases", "--json", "--system").stdout)
    assert [(r["id"], r["current"], r["published_by"]) for r in listing["releases"]] == [
        (r2, True, "mudur1"), (r1, False, "sistem")]

    done = site.cli("rollback", "--reason", "Yanlış duyuru", login="mudur1")
    assert (done.returncode, done.stdout) == (0, f"Site geri alındı; yayındaki sürüm: {r1}\n"), done.stderr
    assert live(s3_bucket) == r1
    assert s3_bucket.client.head_object(Bucket=s3_bucket.name, Key="belediye/current")["Metadata"] == {
        "release": r1, "base": r1}
    rollback = [e for e in site.ledger.events() if e.action == "rollback"]
    assert [(e.actor, e.reason, e.data["from"], e.data["to"]) for e in rollback] == [
        ("mudur1", "Yanlış duyuru", r2, r1)]
    two, one = json.loads(site.cli("releases", "--json", "--system").stdout)["releases"]
    assert (two["rolled_back_by"], two["rolled_back_to"], one["restored_by"], one["current"]) == \
        ("mudur1", r1, "mudur1", True)

    done = site.cli("rollback", "--to", r2, "--system", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["current"]["id"] == r2 and live(s3_bucket) == r2


@pytest.mark.slow
def test_publish_into_a_missing_bucket_fails_in_turkish_and_changes_nothing(municipality, s3_bucket):
    site = s3_site(municipality, s3_bucket)
    text = (site.root / "instance.yaml").read_text(encoding="utf-8")
    (site.root / "instance.yaml").write_text(text.replace(f"bucket: {s3_bucket.name}", "bucket: kayip-kova"),
                                             encoding="utf-8")
    item = site.submit("haber", "Gidemeyen Haber", "Metin.")
    site.approve(item.number)
    done = site.cli("publish", "--system")
    assert done.returncode == 1
    assert f"S3 kovası bulunamadı: 'kayip-kova' ({s3_bucket.endpoint})." in done.stderr
    assert site.ledger.item(item.number).state != PUBLISHED
    assert s3_bucket.keys() == []


@pytest.mark.slow
def test_verify_and_check_read_the_live_release_from_the_bucket(municipality, s3_bucket):
    site = s3_site(municipality, s3_bucket)
    for command in (("verify",), ("check", "--site")):
        code, _, err = site.run(*command)
        assert (code, err.strip()) == (
            1, f"HATA: S3 kovasında ({s3_bucket.name}) yayında bir sürüm yok: önce yayımlayın."), command
    item = site.submit("haber", "Kovada Doğrulanan Haber", "Zincir kovadaki sürümle karşılaştırılır.")
    site.approve(item.number)
    done = site.cli("publish", "--system", "--json")
    assert done.returncode == 0, done.stderr
    release = json.loads(done.stdout)["release_id"]
    files = len(s3_bucket.keys(f"belediye/releases/{release}/"))
    code, out, _ = site.run("--json", "verify")
    report = json.loads(out)
    assert (code, report["ok"], report["release"], report["findings"]) == (0, True, release, [])
    assert 100 < report["files"] <= files  # every public file of the release was read and compared
    code, out, _ = site.run("--json", "check", "--site")
    assert code in (0, 1) and json.loads(out)["ok"] is (code == 0)

    # a page changed in the bucket behind the register's back is found, by its address
    page = "haberler/2026/kovada-dogrulanan-haber/index.html"
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=f"belediye/releases/{release}/{page}",
                                Body=b"<p>degistirildi</p>", ContentType="text/html; charset=utf-8")
    code, out, _ = site.run("--json", "verify")
    report = json.loads(out)
    assert (code, report["ok"]) == (1, False)
    assert [(f["kind"], f["name"]) for f in report["findings"]] == [("file-changed", page)]
    assert not list(site.paths.var.glob("yayindaki-*"))  # the downloaded copy is gone
