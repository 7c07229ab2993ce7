"""Registered originals and attachments in a bucket (storage.registered.target s3), through the front door: a
bundle dropped into the inbox and taken by the real `intake` command, assigned, approved and published with the
real command line, against a real SeaweedFS on loopback."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile

import pytest

from municms.model import IN_REVIEW
from tests.intake.test_bundles_docx import PDF
from tests.servers import free_port
from tests.storage.conftest import PREFIX, keep_originals_in

pytestmark = pytest.mark.slow

TEXT = ("---\ntur: sayfa\nbaslik: Stratejik Plan 2025-2029\nekler: [plan.pdf]\n---\n"
        "Plan ektedir: [planı indirin](plan.pdf)\n")
PAGE = "kurumsal/stratejik-plan-2025-2029"


def drop_bundle(site, name: str = "stratejik-plan", text: str = TEXT, attachment: bytes = PDF):
    folder = site.paths.inbox / "fen-isleri" / name
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    (folder / "plan.pdf").write_bytes(attachment)
    return folder


def intake(site) -> tuple[int, dict, str]:
    code, out, err = site.run("intake", "--quiet", "0", "--json")
    return code, json.loads(out), err


def drop_notice(site) -> str:
    """A plain announcement of Fen İşleri dropped into its inbox and taken by intake; its number."""
    (site.paths.inbox / "fen-isleri").mkdir(parents=True, exist_ok=True)
    (site.paths.inbox / "fen-isleri" / "duyuru.md").write_text(
        "---\ntur: duyuru\nbaslik: Su Kesintisi\n---\nYarın su kesilecek.\n", encoding="utf-8")
    code, report, err = intake(site)
    assert code == 0, err
    return report["results"][0]["number"]


def publish_through_cli(site, number: str) -> None:
    site.person("web1")  # the editor the item is assigned to
    for args, login in ((("assign", number, "--to", "web1"), "mudur1"), (("review", number), "web1"),
                        (("approve", number), "web2")):
        code, _out, err = site.run(*args, login=login)
        assert code == 0, (args, err)
    code, _out, err = site.run("publish", "--system")
    assert code == 0, err


def local_files(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def test_a_bundle_lives_in_the_bucket_and_is_published_from_it(bucket_site, s3_bucket):
    site = bucket_site
    drop_bundle(site)
    code, report, err = intake(site)
    assert code == 0, err
    [result] = report["results"]
    assert result["status"] == "registered"
    number = result["number"]
    folder = f"{PREFIX}/registered/2026/{number}/"
    assert s3_bucket.keys(f"{PREFIX}/") == [f"{folder}ekler/plan.pdf", f"{folder}index.md",
                                            f"{folder}original/index.md", f"{folder}original/plan.pdf"]
    assert s3_bucket.read(f"{folder}ekler/plan.pdf") == PDF
    assert s3_bucket.read(f"{folder}original/index.md") == TEXT.encode()
    assert s3_bucket.head(f"{folder}ekler/plan.pdf")["Metadata"] == {"sha256": hashlib.sha256(PDF).hexdigest()}
    for key in s3_bucket.keys(f"{PREFIX}/"):
        assert s3_bucket.head(key)["Metadata"]["sha256"] == hashlib.sha256(s3_bucket.read(key)).hexdigest()
    assert local_files(site.paths.registered) == []
    assert local_files(site.paths.inbox) == []

    publish_through_cli(site, number)
    assert (site.paths.current / PAGE / "plan.pdf").read_bytes() == PDF
    assert local_files(site.paths.registered) == []

    # the cache is disposable: lost, it is filled again from the bucket by the next build
    shutil.rmtree(site.paths.registered_cache)
    second = drop_notice(site)
    publish_through_cli(site, second)
    assert (site.paths.current / PAGE / "plan.pdf").read_bytes() == PDF
    assert (site.paths.registered_cache / "2026" / number / "ekler" / "plan.pdf").read_bytes() == PDF
    assert local_files(site.paths.registered) == []


def test_an_unreachable_bucket_leaves_the_submission_in_the_inbox_and_takes_no_number(municipality, s3_bucket):
    site = municipality(site="tiny")
    keep_originals_in(site, f"http://127.0.0.1:{free_port()}", s3_bucket.name)  # nobody listens there
    dropped = drop_bundle(site)
    code, report, _err = intake(site)
    assert code == 1
    [result] = report["results"]
    assert (result["status"], result["number"]) == ("failed", None)
    assert result["problems"][0]["message_tr"].startswith("S3 sunucusuna ulaşılamadı: http://127.0.0.1:")
    assert "numara verilmedi" in result["problems"][0]["message_tr"]
    assert sorted(p.name for p in dropped.iterdir()) == ["index.md", "plan.pdf"]
    assert site.run("list", "--json", "--system")[1].count('"number"') == 0
    assert s3_bucket.keys() == [] and local_files(site.paths.registered) == []

    # the store is back: the same submission gets the first number of the year
    (site.root / "instance.yaml").write_text((site.root / "instance.yaml").read_text(encoding="utf-8")
                                             .rsplit("\nstorage:", 1)[0], encoding="utf-8")
    keep_originals_in(site, s3_bucket.endpoint, s3_bucket.name)
    code, report, err = intake(site)
    assert code == 0, err
    assert report["results"][0]["number"].endswith("-2026-000001")
    assert not dropped.exists()


def test_a_damaged_object_is_refused_and_not_published(bucket_site, s3_bucket):
    site = bucket_site
    drop_bundle(site)
    number = intake(site)[1]["results"][0]["number"]
    site.person("web1")
    for args, login in ((("assign", number, "--to", "web1"), "mudur1"), (("review", number), "web1")):
        assert site.run(*args, login=login)[0] == 0
    key = f"{PREFIX}/registered/2026/{number}/ekler/plan.pdf"
    meta = s3_bucket.head(key)["Metadata"]
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=key, Body=PDF[:-10] + b"bozuk-veri", Metadata=meta)
    shutil.rmtree(site.paths.registered_cache)
    code, _out, err = site.run("approve", number, login="web2")
    assert code == 1
    assert err.startswith(f"HATA: Kovadaki kayıtlı dosya bozuk: '{key}' yazıldığı andaki SHA-256 özetini "
                          "tutmuyor"), err
    assert not (site.paths.registered_cache / "2026" / number).exists()
    assert site.ledger.item(number).state == IN_REVIEW


def test_the_backup_holds_the_originals_of_the_bucket(bucket_site, s3_bucket, tmp_path):
    site = bucket_site
    drop_bundle(site)
    number = intake(site)[1]["results"][0]["number"]
    shutil.rmtree(site.paths.registered_cache, ignore_errors=True)
    code, out, err = site.run("backup", str(tmp_path / "yedek"), "--system")
    assert code == 0, err
    [archive] = sorted((tmp_path / "yedek").glob("municms-yedek-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = [n for n in tar.getnames() if n.startswith("submissions/registered/")]
        assert names == [f"submissions/registered/2026/{number}/{rel}" for rel in
                         ("ekler/plan.pdf", "index.md", "original/index.md", "original/plan.pdf")]
        assert tar.extractfile(f"submissions/registered/2026/{number}/ekler/plan.pdf").read() == PDF
    code, out, err = site.run("backup", "--verify", str(archive))
    assert code == 0, err


def test_leftovers_of_an_uncommitted_registration_are_listed_then_replaced(bucket_site, s3_bucket):
    """What a registration killed between its upload and its commit leaves: objects under a number the ledger
    never committed. doctor lists them; the next registration is given that number and replaces them."""
    site = bucket_site
    drop_bundle(site)
    first = intake(site)[1]["results"][0]["number"]
    leftover = f"{PREFIX}/registered/2026/{first[:-1]}2/index.md"  # the number the next registration gets
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=leftover, Body=b"yarim kalan kayit",
                                Metadata={"sha256": hashlib.sha256(b"yarim kalan kayit").hexdigest()})
    code, out, err = site.run("doctor", "--json")
    assert code == 0, err
    [note] = [f for f in json.loads(out)["findings"] if f["code"] == "register-bucket-leftovers"]
    assert note["level"] == "not"
    assert note["message_tr"].startswith("Kovada hiçbir kaydın göstermediği 1 nesne var")
    assert note["message_tr"].endswith(f": {leftover}.")

    second = drop_notice(site)
    assert f"{PREFIX}/registered/2026/{second}/index.md" == leftover
    assert s3_bucket.keys(f"{PREFIX}/registered/2026/{second}/") == [
        f"{PREFIX}/registered/2026/{second}/index.md", f"{PREFIX}/registered/2026/{second}/original.md"]
    assert b"Su Kesintisi" in s3_bucket.read(leftover)
    code, out, err = site.run("doctor", "--json")
    assert not [f for f in json.loads(out)["findings"] if f["code"] == "register-bucket-leftovers"]


def test_preview_and_an_edit_read_the_attachment_from_the_bucket(bucket_site, s3_bucket):
    """The preview builds the page with the attachment from the bucket (through the instance's cache, which is
    gone before it); an editor's edit keeps the attachment: revision 2 is uploaded with it, nothing on disk."""
    from municms.preview import build_preview

    site = bucket_site
    drop_bundle(site)
    number = intake(site)[1]["results"][0]["number"]
    site.assign(number)
    item = site.review(number)
    shutil.rmtree(site.paths.registered_cache)
    preview = build_preview(site.ledger, site.instance, item, site.clock)
    assert (preview.site / PAGE / "plan.pdf").read_bytes() == PDF
    assert preview.problems == []

    shutil.rmtree(site.paths.registered_cache)
    edited = TEXT.replace("Plan ektedir", "Güncel plan ektedir")
    item = site.edit(number, edited, by="web1", keep=("plan.pdf",))
    assert item.current_rev == 2
    folder = f"{PREFIX}/registered/2026/{number}.r2/"
    assert s3_bucket.keys(folder) == [f"{folder}ekler/plan.pdf", f"{folder}index.md", f"{folder}original/index.md",
                                      f"{folder}original/plan.pdf"]
    assert s3_bucket.read(f"{folder}ekler/plan.pdf") == PDF
    assert s3_bucket.read(f"{folder}original/index.md") == edited.encode()
    assert local_files(site.paths.registered) == []
