"""Releases composed of shards: a changed item writes only its shard, keep-N collects unreferenced shards,
the given build is never modified, and `serve` follows a release's shards but nothing else."""

from __future__ import annotations

import errno
import shutil
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from municms.deploy import get_target
from municms.deploy import shards as shards_module
from municms.deploy.shards import plan_tree, shard_digest
from municms.errors import ConflictError, DeployError
from municms.fragments import resolve_includes
from municms.serve import SiteFiles

from .conftest import CHANGED_PAGE, identity, release_id, shard_links, target_tree as tree


pytestmark = pytest.mark.usefixtures("year_shards")  # the tests name year shards

def stored(paths) -> set[str]:
    return set(os.listdir(paths.var / "shards"))


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder of a tree with its inode, mode, size and mtime: what "not modified" means."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        out[str(path.relative_to(folder))] = (st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_a_changed_item_writes_only_its_shard_and_reuses_every_other(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    first = target.deploy(variants(1), release_id(1), {})
    second = target.deploy(variants(2, changed=True), release_id(2), {})
    old, new = paths.releases / release_id(1), paths.releases / release_id(2)
    before, after = shard_links(old), shard_links(new)

    assert sorted(before) == sorted(after)
    assert {"haberler/2026", "haberler/2025", "theme", "kvkk", "etiket/imar/2026"} <= set(after)
    assert not (new / "haberler").is_symlink() and not (new / "etiket" / "imar").is_symlink()  # real folders
    assert [folder for folder in after if before[folder] != after[folder]] == ["haberler/2026"]
    assert after["haberler/2026"].startswith("haberler+2026-")
    assert stored(paths) == set(before.values()) | set(after.values())
    plan = plan_tree(variants(2, changed=True))
    changed = next(s for s in plan.shards if s.rel == "haberler/2026")
    assert changed.name == after["haberler/2026"]
    stats = second.meta["stats"]
    assert (stats["shards"], stats["shards_new"], stats["shards_reused"]) == (len(after), 1, len(after) - 1)
    assert stats["files_written"] == len(changed.files) + len(plan.top_files) + 1  # + surum.json
    assert stats["files_written"] < first.meta["stats"]["files_written"] / 2

    shard_of = {f"{s.rel}/{f}": s.rel for s in plan.shards for f in s.files}
    for rel in tree(new):  # a file is shared exactly when its shard is reused
        same = (old / rel).stat().st_ino == (new / rel).stat().st_ino
        assert same == (shard_of.get(rel, "haberler/2026") != "haberler/2026"), rel
    assert tree(paths.current) == tree(variants(2, changed=True))
    assert identity(new)["release"] == release_id(2) and identity(new)["sha256"] == plan.tree_digest()
    assert identity(old)["sha256"] != identity(new)["sha256"]


def test_an_identical_rebuild_stores_no_shard(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    shards = stored(paths)
    stats = target.deploy(variants(2), release_id(2), {}).meta["stats"]
    assert (stats["shards_new"], stats["shards_reused"]) == (0, stats["shards"])
    assert stats["files_written"] == len(plan_tree(variants(2)).top_files) + 1
    assert stored(paths) == shards
    assert shard_links(paths.releases / release_id(1)) == shard_links(paths.releases / release_id(2))


def test_every_stored_shard_holds_exactly_what_its_name_says(make_instance, variants):
    instance, paths = make_instance()
    get_target(instance, paths).deploy(variants(1, changed=True), release_id(1), {})
    for name in stored(paths):
        folder = paths.var / "shards" / name
        files = {str(p.relative_to(folder)): shards_module.file_sha256(str(p)) for p in folder.rglob("*")
                 if p.is_file()}
        dirs = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir()]
        assert name.endswith("-" + shard_digest(files, dirs)), name


def test_keep_releases_collects_only_shards_no_kept_release_uses(make_instance, variants):
    instance, paths = make_instance("deploy: {keep_releases: 2}")
    target = get_target(instance, paths)
    used = {}
    for n in range(1, 6):
        target.deploy(variants(n, changed=n % 2 == 0), release_id(n), {})
        kept = [r.id for r in target.releases()]
        used = {rid: set(shard_links(paths.releases / rid).values()) for rid in kept}
        assert stored(paths) == set().union(*used.values()), n
    assert sorted(used) == [release_id(4), release_id(5)]
    # 4 and 5 differ in the changed article's shard only; both versions are kept while both releases are
    assert len(used[release_id(4)] ^ used[release_id(5)]) == 2
    target.rollback()
    assert target.current().id == release_id(4) and tree(paths.current) == tree(variants(4, changed=True))
    target.deploy(variants(6), release_id(6), {})  # 4 is current until now, so it is kept with 6
    assert sorted(r.id for r in target.releases()) == [release_id(5), release_id(6)]
    assert stored(paths) == set().union(*(shard_links(paths.releases / r.id).values() for r in target.releases()))


def test_rollback_switches_back_to_the_old_shards(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    target.deploy(variants(2, changed=True), release_id(2), {})
    assert tree(paths.current) == tree(variants(2, changed=True))
    target.rollback()
    assert tree(paths.current) == tree(variants(1)) and identity(paths.current)["release"] == release_id(1)
    target.rollback(to=release_id(2))
    assert tree(paths.current) == tree(variants(2, changed=True))
    assert identity(paths.current)["release"] == release_id(2)


def test_given_hashes_spare_reading_stored_shards_and_the_build_is_never_modified(make_instance, variants,
                                                                                    monkeypatch):
    instance, paths = make_instance()
    build_dir = variants(1)
    hashes = tree(build_dir)  # what the build's manifest records
    target = get_target(instance, paths)
    target.deploy(build_dir, release_id(1), {}, hashes=hashes, link=True)
    assert tree(paths.current) == tree(build_dir)
    # a kept working tree: one page replaced by rename (as an incremental build writes), deployed again
    page = build_dir / CHANGED_PAGE
    replacement = page.with_name(".#yeni")
    replacement.write_bytes(page.read_bytes() + b"<!-- yeni -->")
    os.replace(replacement, page)
    hashes[CHANGED_PAGE] = shards_module.file_sha256(str(page))
    before, read, real = snapshot(build_dir), [], shards_module.file_sha256

    def reading(path):
        read.append(os.path.relpath(path, build_dir))
        return real(path)

    monkeypatch.setattr(shards_module, "file_sha256", reading)
    target.deploy(build_dir, release_id(2), {}, hashes=hashes, link=True)
    monkeypatch.undo()
    assert snapshot(build_dir) == before
    assert tree(paths.current) == tree(build_dir)
    plan = plan_tree(build_dir)
    [changed] = [s for s in plan.shards if s.rel == "haberler/2026"]
    # only what this deploy writes is read: the top level and the one new shard
    assert sorted(read) == sorted(plan.top_files + [f"haberler/2026/{f}" for f in changed.files])
    assert set(shard_links(paths.current).values()) == {s.name for s in plan.shards}


def test_stale_hashes_of_written_files_mean_hashing_everything(make_instance, variants):
    instance, paths = make_instance()
    build_dir = variants(2, changed=True)
    stale = {**tree(variants(1)), "index.html": "0" * 64}  # a tree changed since its hashes were taken
    get_target(instance, paths).deploy(build_dir, release_id(2), {}, hashes=stale)
    plan = plan_tree(build_dir)
    assert set(shard_links(paths.current).values()) == {s.name for s in plan.shards}
    assert identity(paths.current)["sha256"] == plan.tree_digest()
    assert tree(paths.current) == tree(build_dir)


def test_without_link_files_of_new_shards_move_out_of_the_build(make_instance, variants):
    instance, paths = make_instance()
    build_dir = variants(1)
    expected = tree(build_dir)
    stats = get_target(instance, paths).deploy(build_dir, release_id(1), {}, link=False).meta["stats"]
    assert stats["moved"] == stats["files"] == len(expected) and stats["linked"] == 0
    assert tree(paths.current) == expected
    assert not [p for p in build_dir.rglob("*") if p.is_file()]


def test_another_file_system_means_copies(make_instance, variants, monkeypatch):
    instance, paths = make_instance()
    build_dir = variants(1)
    before = snapshot(build_dir)

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(shards_module.os, "link", cross_device)
    stats = get_target(instance, paths).deploy(build_dir, release_id(1), {}).meta["stats"]
    monkeypatch.undo()
    assert stats["copied"] == stats["files"] and stats["bytes_copied"] > 0
    assert tree(paths.current) == tree(build_dir) and snapshot(build_dir) == before
    assert (paths.current / "index.html").stat().st_ino != (build_dir / "index.html").stat().st_ino


def test_leftovers_and_unreferenced_shards_are_removed(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    shards = paths.var / "shards"
    (shards / "haberler+2026-yarim.tmp" / "a").mkdir(parents=True)  # a deploy killed while storing a shard
    (shards / "eski-0000").mkdir()  # stored, but its release was never renamed into place
    target.deploy(variants(2, changed=True), release_id(2), {})
    assert stored(paths) == set(shard_links(paths.releases / release_id(1)).values()) | set(
        shard_links(paths.releases / release_id(2)).values())


def test_a_build_holding_a_symlink_is_refused(make_instance, variants):
    instance, paths = make_instance()
    build_dir = variants(1)
    (build_dir / "kvkk" / "gizli").symlink_to("/etc/passwd")
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(build_dir, release_id(1), {})
    assert err.value.message_tr == "Derlemede sembolik bağlantı var: kvkk/gizli; yayına alınmadı."
    assert not os.path.lexists(paths.current)


def test_serve_answers_from_the_release_and_its_shards_only(make_instance, variants, tmp_path):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    client = TestClient(SiteFiles(lambda: paths.current))
    page = "/" + CHANGED_PAGE.removesuffix("index.html")
    # a page as served: the release's banner fragment included (municms/fragments.py), as nginx's ssi does
    assert client.get(page).content == resolve_includes((variants(1) / CHANGED_PAGE).read_bytes(), variants(1))
    assert client.get("/theme/css/site.css").content == (variants(1) / "theme/css/site.css").read_bytes()
    assert client.get("/surum.json").json()["release"] == release_id(1)
    target.deploy(variants(2, changed=True), release_id(2), {})
    changed = variants(2, changed=True)
    assert client.get(page).content == resolve_includes((changed / CHANGED_PAGE).read_bytes(), changed)
    assert client.get("/surum.json").json()["release"] == release_id(2)

    secret = tmp_path / "gizli"
    secret.mkdir()
    (secret / "index.html").write_text("gizli", encoding="utf-8")
    release = paths.releases / release_id(2)
    (release / "kacak").symlink_to(secret)  # a symlink of the release to a folder that is not a shard
    shard = Path(os.path.realpath(release / "kvkk"))
    (shard / "kacak").symlink_to(secret)  # a symlink inside a shard leading out of it
    (shard / "parola").symlink_to("/etc/passwd")
    not_found = client.get("/olmayan/").content
    for path in ("/kacak/", "/kacak/index.html", "/kvkk/kacak/", "/kvkk/parola", "/kvkk/../../../gizli/",
                 "/haberler/2026/../../../../gizli/index.html"):
        response = client.get(path)
        assert (response.status_code, response.content) == (404, not_found), path
    assert client.get("/kvkk/").status_code == 200


def test_a_deploy_cut_short_while_storing_shards_leaves_the_site_whole(make_instance, variants, monkeypatch):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    placed, real = [], shards_module.Placer.place

    def failing(self, src, dst):
        if len(placed) == 3:  # the fourth file of the deploy: inside the new haberler/2026 shard or the top level
            # a failing disk, not a full one: a full disk's leftovers are removed at once (tests/reliability)
            raise OSError(errno.EIO, "Input/output error")
        placed.append(dst)
        real(self, src, dst)

    monkeypatch.setattr(shards_module.Placer, "place", failing)
    with pytest.raises(OSError):
        target.deploy(variants(2, changed=True), release_id(2), {})
    monkeypatch.undo()
    assert target.current().id == release_id(1) and tree(paths.current) == tree(variants(1))
    assert [p.name for p in (paths.var / "shards").iterdir() if p.name.endswith(".tmp")]  # cut short mid-shard
    target.deploy(variants(2, changed=True), release_id(2), {})
    assert tree(paths.current) == tree(variants(2, changed=True))
    assert stored(paths) == set(shard_links(paths.releases / release_id(1)).values()) | set(
        shard_links(paths.releases / release_id(2)).values())


def test_exact_hashes_plan_the_release_without_walking_or_reading_the_tree(make_instance, variants, monkeypatch):
    """The publisher's own tree: its hashes name every file, so neither a folder is listed nor a file read."""
    instance, paths = make_instance()
    build_dir = variants(2, changed=True)
    hashes = tree(build_dir)
    walked = plan_tree(build_dir)

    def refused(*args):
        raise AssertionError(f"read or walked: {args}")
    monkeypatch.setattr(shards_module, "file_sha256", refused)
    monkeypatch.setattr(shards_module, "_scan", refused)
    listed = plan_tree(build_dir, hashes, exact=True)
    assert (listed.real_dirs, listed.top_files, listed.hashes) == (walked.real_dirs, walked.top_files, walked.hashes)
    assert [(s.rel, sorted(s.files), sorted(s.dirs), s.digest) for s in listed.shards] == \
        [(s.rel, sorted(s.files), sorted(s.dirs), s.digest) for s in walked.shards]
    get_target(instance, paths).deploy(build_dir, release_id(2), {}, hashes=hashes, exact=True)
    monkeypatch.undo()
    assert tree(paths.current) == tree(build_dir)
    assert identity(paths.current)["sha256"] == walked.tree_digest()


def test_shards_left_by_a_prune_cut_short_are_collected_even_by_a_refused_deploy(make_instance, variants):
    """keep-N deletes a release, then the shards no release links to: a kill between the two leaves shards
    nothing links to. The next deploy's recovery collects them, also when that deploy is refused."""
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    target.deploy(variants(2, changed=True), release_id(2), {})
    first, second = (set(shard_links(paths.releases / release_id(n)).values()) for n in (1, 2))
    assert first - second  # the changed item's shard of the first release
    os.rename(paths.releases / release_id(1), paths.releases / f"{release_id(1)}.tmp")  # as prune() does,
    (paths.releases / f"{release_id(1)}.json").unlink()                                  # killed before
    shutil.rmtree(paths.releases / f"{release_id(1)}.tmp")                               # collect_garbage
    assert stored(paths) == first | second
    with pytest.raises(ConflictError):
        target.deploy(variants(2, changed=True), release_id(2), {})  # already deployed: refused
    assert stored(paths) == second
