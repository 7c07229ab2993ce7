"""rsync target against a real sshd on loopback: only new shards sent, the local layout remotely, pruning of
releases and shards, rollback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from municms.deploy import get_target
from municms.deploy.rsync import RsyncTarget
from municms.errors import ConflictError, DeployError

from .conftest import CHANGED_PAGE, REPO, identity, release_id, shard_links, tree


pytestmark = pytest.mark.usefixtures("year_shards")  # the tests name year shards

def rsync_instance(make_instance, sshd, remote, keep: int = 2, identity=None):
    return make_instance(
        "deploy:\n  target: rsync\n  keep_releases: 5\n"
        f"  rsync: {{host: 127.0.0.1, port: {sshd['port']}, user: {sshd['user']}, path: '{remote}',"
        f" identity_file: '{identity or sshd['identity']}', known_hosts_file: '{sshd['known_hosts']}',"
        f" keep_releases: {keep}}}\n")


@pytest.mark.slow
def test_rsync_deploy_link_dest_and_rollback(make_instance, variants, sshd, tmp_path):
    remote = tmp_path / "uzak" / "site"
    instance, paths = rsync_instance(make_instance, sshd, remote)
    target = get_target(instance, paths)
    assert isinstance(target, RsyncTarget)
    one, two = variants(1), variants(2, changed=True)

    first = target.deploy(one, release_id(1), {"items": ["BİM-2026-000007"], "published_by": "ayse.editor"})
    assert first.current and first.items == ["BİM-2026-000007"] and first.published_by == "ayse.editor"
    assert os.readlink(remote / "current") == f"releases/{release_id(1)}"
    assert tree(remote / "current") == tree(one)

    assert identity(remote / "current")["release"] == release_id(1)
    shards = remote / "shards"
    before = {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in shards.rglob("*")}

    second = target.deploy(two, release_id(2), {"published_by": "sistem"})
    assert tree(remote / "current") == tree(two)
    old, new = remote / "releases" / release_id(1), remote / "releases" / release_id(2)
    assert not (new / "haberler").is_symlink() and (new / "haberler" / "2026").is_symlink()  # the local layout
    links_old, links_new = shard_links(old), shard_links(new)
    assert [folder for folder in links_new if links_old[folder] != links_new[folder]] == ["haberler/2026"]
    assert set(os.listdir(shards)) == set(links_old.values()) | set(links_new.values())
    stats = second.meta["stats"]
    assert (stats["shards_new"], stats["shards_reused"]) == (1, len(links_new) - 1)
    # the shards stored already were neither sent again nor touched
    assert {path: (Path(path).stat().st_ino, Path(path).stat().st_mtime_ns) for path in before} == before
    for rel in ("theme/css/site.css", "kvkk/index.html", "haberler/2025/kurban-bayrami-temizligi/index.html"):
        assert (old / rel).stat().st_ino == (new / rel).stat().st_ino, rel  # one shard, stored once
    for rel in (CHANGED_PAGE, "atom.xml"):  # the changed shard, and a file of the release's own top level
        assert (old / rel).stat().st_ino != (new / rel).stat().st_ino, rel
    assert not (paths.var / "rsync").exists()  # the local staging is gone
    assert [(r.id, r.current) for r in target.releases()] == [(release_id(2), True), (release_id(1), False)]
    with pytest.raises(ConflictError):
        target.deploy(two, release_id(2), {})

    back = target.rollback(by="mehmet.mudur")
    assert back.id == release_id(1) and tree(remote / "current") == tree(one)
    abandoned = {r.id: r for r in target.releases()}[release_id(2)]
    assert abandoned.meta["rolled_back_by"] == "mehmet.mudur" and abandoned.meta["rolled_back_to"] == release_id(1)

    # keep_releases 2 on the far side: 1 (current until now) is neither among the newest two nor just before 3
    target.deploy(variants(3), release_id(3), {})
    assert sorted(p.name for p in (remote / "releases").iterdir()) == sorted(
        f"{release_id(n)}{ext}" for n in (2, 3) for ext in ("", ".json"))
    assert tree(remote / "current") == tree(variants(3))
    assert target.current().id == release_id(3)
    assert set(os.listdir(shards)) == set(shard_links(new).values()) | set(
        shard_links(remote / "releases" / release_id(3)).values())  # 1's own shard went with it


@pytest.mark.slow
def test_rsync_cli_releases_and_leftover_cleanup(make_instance, variants, sshd, tmp_path):
    remote = tmp_path / "uzak"
    instance, paths = rsync_instance(make_instance, sshd, remote)
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {"published_by": "ayse.editor"})
    target.deploy(variants(2), release_id(2), {"published_by": "ayse.editor"})
    (remote / "releases" / f"{release_id(2)}.json").unlink()  # 2 served, its deploy killed before the metadata
    (remote / "releases" / f"{release_id(3)}.tmp" / "yarim").mkdir(parents=True)  # an interrupted upload
    (remote / "shards" / "haberler+2026-yarim.tmp" / "a").mkdir(parents=True)
    (remote / "shards" / "eski-0000").mkdir()  # stored, but its release never renamed into place
    (remote / "releases" / release_id(4)).mkdir()  # renamed into place, never served
    target.deploy(variants(3), release_id(3), {"published_by": "sistem"})
    assert sorted(p.name for p in (remote / "releases").iterdir()) == sorted(
        f"{release_id(n)}{ext}" for n in (2, 3) for ext in ("", ".json"))  # keep_releases 2
    out = subprocess.run([sys.executable, "publish.py", "--instance", str(paths.root), "releases", "--system"],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[1].startswith(f"* {release_id(3)}") and "  sistem  " in out.splitlines()[1]
    assert out.splitlines()[2].startswith(f"  {release_id(2)}")
    assert {r.id: r for r in target.releases()}[release_id(2)].meta["recovered"] is True
    assert tree(remote / "current") == tree(variants(3))
    assert set(os.listdir(remote / "shards")) == set(shard_links(remote / "releases" / release_id(2)).values()) | set(
        shard_links(remote / "releases" / release_id(3)).values())


def test_rsync_unreachable_host_is_a_deploy_error(make_instance, variants, sshd, tmp_path):
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    instance, paths = rsync_instance(make_instance, sshd, tmp_path / "uzak", identity=stranger)
    with pytest.raises(DeployError) as err:
        get_target(instance, paths).deploy(variants(1), release_id(1), {})
    assert err.value.message_tr.startswith("Uzak sunucuda işlem başarısız")
    assert not (tmp_path / "uzak").exists()
