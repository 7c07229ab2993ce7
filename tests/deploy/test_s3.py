"""s3 target against a real SeaweedFS on loopback: the key layout, only new files uploaded (the others copied
inside the store), object headers as nginx sends them, the pointer switch, pruning, rollback, leftovers, errors."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from municms.deploy import get_target
from municms.deploy.objects import MIME_TYPES
from municms.deploy.s3 import S3Target
from municms.deploy.s3_layout import segment
from municms.deploy.shards import plan_tree
from municms.errors import ConflictError, DeployError, NotFound

from .conftest import CHANGED_PAGE, release_id, target_tree


def s3_instance(make_instance, bucket, keep: int = 2, prefix: str = "site/www", endpoint: str | None = None,
                name: str | None = None):
    return make_instance(f"deploy:\n  target: s3\n  keep_releases: {keep}\n  bucket: {name or bucket.name}\n"
                         f"  endpoint_url: {endpoint or bucket.endpoint}\n  prefix: {prefix}\n")


def served_tree(bucket, rid: str, prefix: str = "site/www") -> dict[str, str]:
    """path → sha256 of every file of release rid (without its surum.json) where nginx finds it: each under the
    release that stores its segment."""
    files = json.loads(bucket.read(f"{prefix}/manifests/{rid}.json"))["files"]
    return {rel: hashlib.sha256(bucket.release_file(prefix, rid, rel)).hexdigest() for rel in files}


def stored_tree(bucket, base: str) -> dict[str, str]:
    """path → sha256 of every object of a release (without its surum.json), as target_tree() gives a folder."""
    out = {}
    for key in bucket.keys(base):
        rel = key[len(base):]
        if rel != "surum.json":
            out[rel] = hashlib.sha256(bucket.read(key)).hexdigest()
    return out


def test_s3_deploy_copies_what_is_stored_prunes_and_rolls_back(make_instance, variants, s3_bucket):
    instance, paths = s3_instance(make_instance, s3_bucket)
    target = get_target(instance, paths)
    assert isinstance(target, S3Target)
    one, two = variants(1), variants(2, changed=True)
    r1, r2, r3 = release_id(1), release_id(2), release_id(3)

    first = target.deploy(one, r1, {"items": ["BİM-2026-000007"], "published_by": "ayse.editor"})
    assert first.current and first.items == ["BİM-2026-000007"] and first.published_by == "ayse.editor"
    assert first.path == f"s3://{s3_bucket.name}/site/www/releases/{r1}/"
    files = target_tree(one)
    assert stored_tree(s3_bucket, f"site/www/releases/{r1}/") == files
    assert first.meta["stats"]["files"] == len(files) and first.meta["stats"]["files_uploaded"] == len(files)
    assert first.meta["stats"]["files_copied"] == 0
    assert json.loads(s3_bucket.release_file("site/www", r1, "surum.json")) == {
        "release": r1, "build_id": r1, "files": len(files), "sha256": plan_tree(one).tree_digest()}
    pointer = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key="site/www/current")
    # the first release stores every segment itself: it is the base, and the pointer lists nothing
    assert pointer["Body"].read() == f"{r1}\n".encode() and pointer["Metadata"] == {"release": r1, "base": r1}
    assert sorted(k for k in s3_bucket.keys() if not k.startswith("site/www/releases/")) == [
        "site/www/current", f"site/www/manifests/{r1}.json", f"site/www/meta/{r1}.json"]
    segments = {segment(rel) for rel in files}
    assert {"", "haberler/2026", "haberler", "theme", "yayin-kaydi"} <= segments
    assert json.loads(s3_bucket.read(f"site/www/manifests/{r1}.json")) == {
        "release": r1, "files": files, "base": r1, "stores": {seg: r1 for seg in sorted(segments)}}

    second = target.deploy(two, r2, {"published_by": "sistem"})
    stats = second.meta["stats"]
    # the changed article and the files that name the release's build (feeds, listings) are sent again, the
    # other files of their segments copied inside the store, the other segments left where they are
    changed = {rel for rel, sha in target_tree(two).items() if files.get(rel) != sha}
    assert CHANGED_PAGE in changed and len(changed) < 10
    written = {segment(rel) for rel in changed} | {""}
    assert "haberler/2026" in written and len(written) < len(segments) / 2
    in_written = [rel for rel in files if segment(rel) in written]
    assert (stats["files_uploaded"], stats["files_copied"], stats["files_kept"]) == (
        len(changed), len(in_written) - len(changed), len(files) - len(in_written))
    assert (stats["segments"], stats["segments_written"], stats["rebased"]) == (len(segments), len(written), False)
    assert stored_tree(s3_bucket, f"site/www/releases/{r2}/") == {rel: target_tree(two)[rel] for rel in in_written}
    assert served_tree(s3_bucket, r2) == target_tree(two)
    pointer = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key="site/www/current")
    assert pointer["Metadata"] == {"release": r2, "base": r1,
                                   "segments": ";".join(f"{seg}={r2}" for seg in sorted(written - {""}))}
    assert [(r.id, r.current) for r in target.releases()] == [(r2, True), (r1, False)]
    assert (target.current().id, target.current().published_by, target.current().current) == (r2, "sistem", True)
    with pytest.raises(ConflictError):
        target.deploy(two, r2, {})

    back = target.rollback(by="mehmet.mudur")
    assert back.id == r1 and back.meta["restored_by"] == "mehmet.mudur" and back.meta["restored_from"] == r2
    assert s3_bucket.read("site/www/current") == f"{r1}\n".encode()
    assert s3_bucket.head("site/www/current")["Metadata"] == {"release": r1, "base": r1}
    abandoned = {r.id: r for r in target.releases()}[r2]
    assert (abandoned.meta["rolled_back_by"], abandoned.meta["rolled_back_to"]) == ("mehmet.mudur", r1)
    with pytest.raises(ConflictError):
        target.rollback(to=r1)
    with pytest.raises(NotFound):
        target.rollback(to=release_id(9))

    # keep_releases 2: 1 (current until now) is neither among the newest two nor just before 3, but 2 and 3
    # read segments from it: it is retired (out of the list and of rollback's reach) and keeps only those
    third = target.deploy(variants(3), r3, {})
    assert third.meta["stats"]["files_uploaded"] < 10
    assert {k.split("/")[3] for k in s3_bucket.keys("site/www/releases/")} == {r1, r2, r3}
    assert [r.id for r in target.releases()] == [r3, r2]
    retired = json.loads(s3_bucket.read(f"site/www/meta/{r1}.json"))
    assert retired["retired"] is True and retired["stores"] == {seg: r1 for seg in sorted(segments)}
    read = {seg for rid in (r2, r3) for seg, at in json.loads(
        s3_bucket.read(f"site/www/manifests/{rid}.json"))["stores"].items() if at == r1}
    assert "" not in read and "theme" in read and retired["segments_read"] == sorted(read)
    assert stored_tree(s3_bucket, f"site/www/releases/{r1}/") == {rel: sha for rel, sha in files.items()
                                                                  if segment(rel) in read}
    assert served_tree(s3_bucket, r3) == target_tree(variants(3))
    assert served_tree(s3_bucket, r2) == target_tree(two)
    assert identity_of(s3_bucket, r3)["release"] == r3
    with pytest.raises(NotFound):
        target.rollback(to=r1)


def identity_of(bucket, rid: str) -> dict:
    return json.loads(bucket.release_file("site/www", rid, "surum.json"))


def test_objects_carry_the_headers_local_nginx_sends(make_instance, variants, s3_bucket, nginx):
    """Every file of a release, read back from the store, has the Content-Type (with its charset) and the
    Cache-Control that the generated nginx config gives the same file of a local release; text is Turkish."""
    import urllib.request

    build = variants(1)
    instance, paths = s3_instance(make_instance, s3_bucket, prefix="site")
    get_target(instance, paths).deploy(build, release_id(1), {})
    local_instance, local_paths = make_instance()
    get_target(local_instance, local_paths).deploy(build, release_id(1), {})
    base = nginx(local_paths.current)
    files = sorted(target_tree(build)) + ["surum.json"]
    assert len(files) > 150
    kinds = set()
    for rel in files:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/{rel}", method="HEAD"), timeout=10) as answer:
            served = answer.headers
        stored = s3_bucket.head(f"site/releases/{release_id(1)}/{rel}")
        assert (stored["ContentType"], stored["CacheControl"]) == (served["Content-Type"], served["Cache-Control"]), rel
        assert stored.get("ContentLanguage") == ("tr" if "charset=utf-8" in stored["ContentType"] else None), rel
        kinds.add(stored["ContentType"])
    assert {"text/html; charset=utf-8", "text/css; charset=utf-8", "application/json; charset=utf-8",
            "text/xml; charset=utf-8", "text/calendar; charset=utf-8", "application/manifest+json; charset=utf-8",
            "application/javascript; charset=utf-8", "image/png", "image/x-icon", "image/svg+xml", "application/pdf",
            "application/octet-stream"} <= kinds
    caches = {s3_bucket.head(f"site/releases/{release_id(1)}/{rel}")["CacheControl"] for rel in files}
    assert caches == {"no-cache", "public, max-age=300", "public, max-age=31536000, immutable"}


def test_content_types_are_those_of_debian_nginx():
    """The table object headers come from is /etc/nginx/mime.types, extension for extension."""
    text = Path("/etc/nginx/mime.types").read_text(encoding="utf-8")
    listed = {}
    for kind, extensions in re.findall(r"^\s*([\w.+-]+/[\w.+-]+)\s+([^;]+);", text, re.MULTILINE):
        for ext in extensions.split():
            listed[ext] = kind
    ours = {ext: kind for ext, kind in MIME_TYPES.items() if ext not in ("ics", "webmanifest")}
    assert ours == listed


def test_leftovers_of_killed_deploys_are_cleaned(make_instance, variants, s3_bucket):
    instance, paths = s3_instance(make_instance, s3_bucket, keep=5)
    target = get_target(instance, paths)
    r1, r2, r3, r4 = (release_id(n) for n in (1, 2, 3, 4))
    target.deploy(variants(1), r1, {"published_by": "ayse.editor"})
    target.deploy(variants(2), r2, {"published_by": "ayse.editor"})
    client, name = s3_bucket.client, s3_bucket.name
    client.delete_object(Bucket=name, Key=f"site/www/meta/{r2}.json")  # 2 served, killed before its metadata
    for key in (f"site/www/releases/{r4}/index.html", f"site/www/releases/{r4}/theme/a.css",  # never switched to
                f"site/www/manifests/{r4}.json", f"site/www/meta/{release_id(0)}.json"):  # 0: objects gone
        client.put_object(Bucket=name, Key=key, Body=b"yarim" if "/meta/" not in key else b"{}")
    listed = target.releases()  # reading changes nothing
    assert [(r.id, r.current, r.meta.get("recovered")) for r in listed] == [(r2, True, True), (r1, False, None)]
    assert len(s3_bucket.keys(f"site/www/releases/{r4}/")) == 2
    assert (target.current().id, target.current().meta["recovered"]) == (r2, True)

    target.deploy(variants(3), r3, {"published_by": "sistem"})
    assert {k.split("/")[3] for k in s3_bucket.keys("site/www/releases/")} == {r1, r2, r3}
    assert s3_bucket.keys("site/www/manifests/") == [f"site/www/manifests/{r}.json" for r in (r1, r2, r3)]
    assert s3_bucket.keys("site/www/meta/") == [f"site/www/meta/{r}.json" for r in (r1, r2, r3)]
    recovered = {r.id: r for r in target.releases()}[r2]
    assert recovered.meta["recovered"] is True and recovered.published_by == ""

    # a deploy killed after the switch, before its metadata: deploying the same release again completes it
    client.delete_object(Bucket=name, Key=f"site/www/meta/{r3}.json")
    again = target.deploy(variants(3), r3, {"published_by": "sistem"})
    assert again.current and again.published_by == "sistem" and "recovered" not in again.meta
    assert "files_uploaded" not in again.meta["stats"]  # nothing was sent again


def test_missing_bucket_bad_key_unreachable_store_and_missing_variables(make_instance, variants, s3_bucket,
                                                                       monkeypatch):
    from tests.servers import free_port

    build = variants(1)
    instance, paths = s3_instance(make_instance, s3_bucket, name="olmayan-kova")
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(build, release_id(1), {})
    assert err.value.message_tr == (f"S3 kovası bulunamadı: 'olmayan-kova' ({s3_bucket.endpoint}). Kovayı "
                                    "oluşturun ya da instance.yaml'daki deploy.bucket değerini düzeltin.")

    instance, paths = s3_instance(make_instance, s3_bucket)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "yanlis-gizli-anahtar-000000000")
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(build, release_id(1), {})
    where = f"{s3_bucket.endpoint}, kova '{s3_bucket.name}'"
    assert err.value.message_tr == (f"S3 erişim anahtarı reddedildi ({where}): AWS_ACCESS_KEY_ID ve "
                                    "AWS_SECRET_ACCESS_KEY ortam değişkenlerini ve anahtarın bu kovaya yazma iznini "
                                    "denetleyin.")
    with pytest.raises(DeployError):
        get_target(instance, paths).releases()

    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(build, release_id(1), {})
    assert err.value.message_tr == ("S3 erişim anahtarı tanımlı değil: AWS_SECRET_ACCESS_KEY ortam değişkenini "
                                    "ayarlayın (nesne deposunun verdiği erişim anahtarı ve gizli anahtar).")

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "herhangi-bir-anahtar-0000000000")
    nowhere = f"http://127.0.0.1:{free_port()}"
    instance, paths = s3_instance(make_instance, s3_bucket, endpoint=nowhere)
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(build, release_id(1), {})
    assert err.value.message_tr == (f"S3 sunucusuna ulaşılamadı: {nowhere}. Adresi (deploy.endpoint_url) ve ağ "
                                    "bağlantısını denetleyin.")
    assert s3_bucket.keys() == []


@pytest.mark.slow
def test_kill_during_upload_keeps_the_live_release_and_is_cleaned_up(make_instance, variants, s3_bucket,
                                                                    tmp_path):
    """kill -9 of a real deploy subprocess while it uploads: the pointer still names the old, whole release; the
    same release deployed again completes; a half upload of a release never deployed again is removed."""
    import os
    import signal
    import time

    from .conftest import run_deploy, tree

    def served(n: int) -> dict[str, str]:  # what a deploy put there, without the register's export it adds
        files = served_tree(s3_bucket, r[n])
        return {rel: sha for rel, sha in files.items() if not rel.startswith("yayin-kaydi/")}
    from .test_crash import finished, started

    bulk = tmp_path / "bulk"  # 600 more files: an upload long enough to be killed halfway
    for i in range(600):
        folder = bulk / f"{i // 200:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"sayfa-{i:05d}.html").write_text(f"<p>Sayfa {i}</p>" * 20, encoding="utf-8")
    instance, paths = s3_instance(make_instance, s3_bucket, keep=3)
    builds = {n: variants(n, changed=n % 2 == 1, bulk=bulk) for n in range(4)}
    r = {n: release_id(n) for n in builds}
    assert finished(run_deploy(paths, builds[0], r[0]))["ok"] is True

    def kill_midway(n: int, live: int) -> None:
        proc = run_deploy(paths, builds[n], r[n])
        started(proc)
        deadline = time.monotonic() + 60
        while len(s3_bucket.keys(f"site/www/releases/{r[n]}/")) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the deploy ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        assert s3_bucket.read("site/www/current") == f"{r[live]}\n".encode()
        assert f"site/www/meta/{r[n]}.json" not in s3_bucket.keys("site/www/meta/")

    kill_midway(1, live=0)
    assert served(0) == tree(builds[0])
    assert [release.id for release in get_target(instance, paths).releases()] == [r[0]]
    assert finished(run_deploy(paths, builds[1], r[1]))["ok"] is True  # the same release again: completed
    assert served(1) == tree(builds[1])

    kill_midway(2, live=1)
    assert finished(run_deploy(paths, builds[3], r[3]))["ok"] is True  # another release: 2's half is removed
    assert {k.split("/")[3] for k in s3_bucket.keys("site/www/releases/")} == {r[0], r[1], r[3]}
    assert s3_bucket.keys("site/www/manifests/") == [f"site/www/manifests/{r[n]}.json" for n in (0, 1, 3)]
    assert served(3) == tree(builds[3])
