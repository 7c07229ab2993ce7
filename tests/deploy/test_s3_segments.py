"""Segments of the s3 target: a deploy writes only the segments that changed, nginx finds every file of a release
spread over several releases' prefixes, a removed file is gone, the pointer's list forces a rebase before it
outgrows S3's metadata limit, and pruning keeps exactly the segments kept releases read."""

from __future__ import annotations

import hashlib
import json
import shutil
from urllib.parse import quote

import pytest

from municms.deploy import get_target
from municms.deploy.s3_layout import SEGMENTS_LIMIT, segment, store_named_by_pointer
from municms.errors import NotFound
from municms.fragments import BANNER_FILE, BANNER_INCLUDE

from .conftest import CHANGED_PAGE, release_id, target_tree
from .test_s3 import s3_instance, served_tree, stored_tree
from .test_s3_nginx import fetch, s3_nginx  # noqa: F401 - the fixture


@pytest.mark.parametrize(("path", "expected"), [
    ("index.html", ""),
    ("surum.json", ""),
    ("haberler/index.html", "haberler"),
    ("haberler/2026/isikli-carsi-yenilendi/index.html", "haberler/2026"),
    ("haberler/2026.html", "haberler"),
    ("etiket/imar/2026/index.html", "etiket/2026"),
    ("etiket/imar/index.html", "etiket"),
    ("api/v1/haberler/2026/bim-2026-000001.json", "api/2026"),
    ("api/v1/a/b/2026/x.json", "api"),
    ("pagefind/2026/fragment/tr_1.pf_fragment", "pagefind/2026"),
    ("pagefind/yeni/pagefind.tr.pf_meta", "pagefind"),
    ("theme/css/site.css", "theme"),
    ("2026/index.html", "2026"),
    ("kültür/2026/index.html", ""),  # not an ASCII name: in the root, which every release stores itself
])
def test_segment_of_a_path(path, expected):
    assert segment(path) == expected


@pytest.mark.parametrize(("path", "store"), [
    ("index.html", "R9"),                      # the root: always the live release's own
    ("haberler/2026/a/index.html", "R8"),      # listed
    ("haberler/2025/a/index.html", "R1"),      # not listed: the base
    ("haberler/index.html", "R7"),             # `haberler` is listed apart from `haberler/2026`
    ("etiket/imar/2026/index.html", "R9"),
    ("theme/css/site.css", "R1"),
])
def test_store_named_by_the_pointer(path, store):
    assert store_named_by_pointer(path, "R9", "R1", "etiket/2026=R9;haberler=R7;haberler/2026=R8") == store
    assert store_named_by_pointer(path, "R9", "", "") == "R9"  # a pointer of before segments: all in the release


def nginx_body(build, rel: str) -> bytes:
    """What nginx answers for the built file rel: a page with the banner fragment of the same build included."""
    data = (build / rel).read_bytes()
    banner = (build / BANNER_FILE).read_bytes() if (build / BANNER_FILE).exists() else b""
    return data.replace(BANNER_INCLUDE, banner) if rel.endswith(".html") else data


def assert_served(remote: str, build, bucket, rid: str) -> int:
    """Every file of release rid, fetched through nginx, is the built file; the count."""
    files = json.loads(bucket.read(f"site/www/manifests/{rid}.json"))["files"]
    assert set(files) == set(target_tree(build))
    wrong = []
    for rel in sorted(files):
        if rel.startswith("yayin-kaydi/"):  # the register's export, which the target adds: not in the build
            continue
        status, _, body = fetch(f"{remote}/{quote(rel)}")
        if (status, hashlib.sha256(body).hexdigest()) != (200, hashlib.sha256(nginx_body(build, rel)).hexdigest()):
            wrong.append((rel, status))
    assert wrong == []
    return len(files)


@pytest.mark.slow
def test_releases_spread_over_segments_are_served_whole(make_instance, variants, s3_bucket, s3_nginx):
    instance, paths = s3_instance(make_instance, s3_bucket, keep=2)
    target = get_target(instance, paths)
    r1, r2, r3, r4 = (release_id(n) for n in (1, 2, 3, 4))
    one = variants(1)
    folder = one / "kültür" / "2026"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>Kültür etkinlikleri</p>", encoding="utf-8")
    target.deploy(one, r1, {})
    remote = s3_nginx(paths.root)
    assert assert_served(remote, one, s3_bucket, r1) > 150
    # a pointer written before segments (no base, no list) names a release that stores all of itself
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key="site/www/current", Body=f"{r1}\n".encode(),
                                Metadata={"release": r1})
    for page in ("theme/css/site.css", CHANGED_PAGE, "index.html"):
        assert fetch(f"{remote}/{page}")[::2] == (200, nginx_body(one, page)), page

    # 2: one article changed, another removed; the rest of the site is read from 1's prefix
    two = variants(2, changed=True)
    shutil.copytree(one / "kültür", two / "kültür")
    removed = "haberler/2025/"
    gone = sorted(p.relative_to(two).as_posix() for p in (two / removed).rglob("*") if p.is_file()
                  and p.parent != two / removed)[0]
    (two / gone).unlink()
    second = target.deploy(two, r2, {})
    assert second.meta["stats"]["rebased"] is False and second.meta["stats"]["files_kept"] > 100
    layout = json.loads(s3_bucket.read(f"site/www/manifests/{r2}.json"))
    assert (layout["base"], layout["stores"]["haberler/2026"], layout["stores"]["haberler/2025"]) == (r1, r2, r2)
    assert layout["stores"]["theme"] == r1 and s3_bucket.keys(f"site/www/releases/{r2}/theme/") == []
    assert assert_served(remote, two, s3_bucket, r2) > 150
    assert fetch(f"{remote}/{gone}")[0] == 404  # 1's prefix still has it: nginx does not look there
    assert (one / gone).exists() and s3_bucket.read(f"site/www/releases/{r1}/{gone}")

    # 3: a change in so many segments that their list would pass the pointer's limit: a rebase
    three = variants(3)
    names = [f"bolum-{'uzun-bir-birim-adi-' * 2}{n:03d}" for n in range(SEGMENTS_LIMIT // 50)]
    for name in names:
        (three / name).mkdir()
        (three / name / "index.html").write_text(f"<p>{name}</p>", encoding="utf-8")
    third = target.deploy(three, r3, {})
    assert third.meta["stats"]["rebased"] is True and third.meta["stats"]["files_kept"] == 0
    assert s3_bucket.head("site/www/current")["Metadata"] == {"release": r3, "base": r3}
    assert stored_tree(s3_bucket, f"site/www/releases/{r3}/") == target_tree(three)
    assert assert_served(remote, three, s3_bucket, r3) > 150 + len(names)
    # keep 2: 1 is pruned, but 2 (kept, the one before the live one) reads it: retired, not deleted
    assert [r.id for r in target.releases()] == [r3, r2]
    assert json.loads(s3_bucket.read(f"site/www/meta/{r1}.json"))["retired"] is True
    with pytest.raises(NotFound):
        target.rollback(to=r1)

    back = target.rollback(by="mehmet.mudur")
    assert back.id == r2
    assert assert_served(remote, two, s3_bucket, r2) > 150
    target.rollback(to=r3, by="mehmet.mudur")

    # 4 reads only 3: 2 is pruned and read by no kept release, nor is 1 any more: both deleted
    four = variants(4)
    for name in names:
        shutil.copytree(three / name, four / name)
    fourth = target.deploy(four, r4, {})
    assert fourth.meta["stats"]["rebased"] is False
    assert {k.split("/")[3] for k in s3_bucket.keys("site/www/releases/")} == {r3, r4}
    assert s3_bucket.keys("site/www/meta/") == [f"site/www/meta/{r}.json" for r in (r3, r4)]
    assert s3_bucket.keys("site/www/manifests/") == [f"site/www/manifests/{r}.json" for r in (r3, r4)]
    assert served_tree(s3_bucket, r4) == target_tree(four)
    assert assert_served(remote, four, s3_bucket, r4) > 150
    assert CHANGED_PAGE in target_tree(four)
