"""Local target: byte-for-byte releases, atomic switch, retries, pruning, rollback (shards: test_shards.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
from zoneinfo import ZoneInfo

import pytest

from municms.actions.rollback import rollback as rollback_action
from municms.auth import AuthenticationFailed, login_with_password
from municms.clock import FixedClock
from municms.deploy import get_target
from municms.deploy.local import LocalTarget
from municms.deploy.shards import plan_tree
from municms.errors import ConflictError, DeployError, NotFound, PermissionDenied
from municms.signals import release_rolled_back

from .conftest import PASSWORD, identity, release_id, shard_links, staff, target_tree as tree

NOW = dt.datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Europe/Istanbul"))
META = {"items": ["BİM-2026-000001", "BİM-2026-000002"], "published_by": "ayse.editor"}


def listing(paths) -> list[str]:
    return sorted(p.name for p in paths.releases.iterdir())


def test_deploy_copies_build_and_switches_current(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths, FixedClock(NOW))
    assert isinstance(target, LocalTarget)
    build_dir = variants(1)
    release = target.deploy(build_dir, release_id(1), {**META, "build_id": release_id(1)})

    assert os.readlink(paths.current) == f"releases/{release_id(1)}"
    assert tree(paths.current) == tree(build_dir)
    assert listing(paths) == [release_id(1), f"{release_id(1)}.json"]
    assert identity(paths.current) == {"release": release_id(1), "build_id": release_id(1),
                                       "files": len(tree(build_dir)), "sha256": plan_tree(build_dir).tree_digest()}
    assert release.id == release_id(1) and release.current is True
    assert release.created_at == "2026-11-25T14:30:00+03:00"
    assert release.items == META["items"] and release.published_by == "ayse.editor"
    assert release.build_id == release_id(1)
    meta = json.loads((paths.releases / f"{release_id(1)}.json").read_text(encoding="utf-8"))
    assert meta["items"] == META["items"] and meta["stats"]["linked"] == meta["stats"]["files"] == len(tree(build_dir))
    assert meta["stats"]["shards_new"] == meta["stats"]["shards"] == len(shard_links(paths.current))
    assert target.current() == release
    assert target.releases() == [release]
    assert not (paths.var / ".current.tmp").exists()


def test_same_release_id_twice_is_a_conflict(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), META)
    with pytest.raises(ConflictError) as err:
        target.deploy(variants(1), release_id(1), META)
    assert err.value.message_tr == f"'{release_id(1)}' kimlikli yayın zaten yapılmış."


def test_bad_release_id_or_missing_build_is_refused(make_instance, variants, tmp_path):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    with pytest.raises(DeployError):
        target.deploy(variants(1), "x.tmp", META)
    with pytest.raises(DeployError):
        target.deploy(variants(1), "../kaçak", META)
    with pytest.raises(DeployError) as err:
        target.deploy(tmp_path / "yok", release_id(1), META)
    assert "Derleme klasörü bulunamadı" in err.value.message_tr
    assert not paths.current.exists()


def test_unfinished_deploys_are_cleaned_up_and_completed(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), META)
    # An interrupted copy, an interrupted prune and a stray temp link.
    (paths.releases / f"{release_id(2)}.tmp" / "yarim").mkdir(parents=True)
    (paths.releases / f"{release_id(9)}.json.tmp").write_text("{", encoding="utf-8")
    os.symlink("releases/nowhere", paths.var / ".current.tmp")
    # A release renamed into place but never switched to (killed before the switch).
    (paths.releases / release_id(3)).mkdir()
    (paths.releases / release_id(3) / "eksik.html").write_text("yarım", encoding="utf-8")

    target.deploy(variants(3), release_id(3), META)
    assert tree(paths.current) == tree(variants(3))
    assert listing(paths) == [release_id(1), f"{release_id(1)}.json", release_id(3), f"{release_id(3)}.json"]
    assert not os.path.lexists(paths.var / ".current.tmp")


def test_deploy_killed_after_switch_is_completed_by_rerun(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), META)
    target.deploy(variants(2), release_id(2), META)
    (paths.releases / f"{release_id(2)}.json").unlink()  # the state a kill after the switch leaves
    inode = (paths.releases / release_id(2) / "index.html").stat().st_ino

    release = target.deploy(variants(2), release_id(2), META)
    assert release.current and release.published_by == "ayse.editor"
    assert (paths.releases / release_id(2) / "index.html").stat().st_ino == inode  # served tree untouched
    assert [r.id for r in target.releases()] == [release_id(2), release_id(1)]


def test_keep_releases_prunes_exactly(make_instance, variants):
    instance, paths = make_instance("deploy: {keep_releases: 3}")
    target = get_target(instance, paths)
    for n in range(1, 7):
        target.deploy(variants(n), release_id(n), META)
    assert [r.id for r in target.releases()] == [release_id(6), release_id(5), release_id(4)]
    target.rollback(to=release_id(4))
    target.deploy(variants(7), release_id(7), META)
    # the three newest stay; 4 (current until this deploy) is neither current nor just before it
    assert [r.id for r in target.releases()] == [release_id(7), release_id(6), release_id(5)]
    target.rollback(to=release_id(5))
    target.deploy(variants(8), release_id(8), META)
    assert [r.id for r in target.releases()] == [release_id(8), release_id(7), release_id(6)]
    assert listing(paths) == sorted(f"{release_id(n)}{ext}" for n in (6, 7, 8) for ext in ("", ".json"))


def test_pruning_never_removes_current_or_its_predecessor(make_instance, variants):
    instance, paths = make_instance("deploy: {keep_releases: 1}")
    target = get_target(instance, paths)
    for n in range(1, 4):
        target.deploy(variants(n), release_id(n), META)
    assert [r.id for r in target.releases()] == [release_id(3), release_id(2)]
    target.rollback()
    assert target.current().id == release_id(2)
    assert tree(paths.current) == tree(variants(2))


def test_rollback_restores_previous_release_byte_for_byte(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths, FixedClock(NOW))
    target.deploy(variants(1), release_id(1), META)
    target.deploy(variants(2, changed=True), release_id(2), META)
    assert tree(paths.current) == tree(variants(2, changed=True))

    back = target.rollback(by="mehmet.mudur")
    assert back.id == release_id(1) and back.current
    assert tree(paths.current) == tree(variants(1))
    abandoned = {r.id: r for r in target.releases()}[release_id(2)]
    assert abandoned.meta["rolled_back_at"] == "2026-11-25T14:30:00+03:00"
    assert abandoned.meta["rolled_back_by"] == "mehmet.mudur"
    assert abandoned.meta["rolled_back_to"] == release_id(1)
    assert back.meta["restored_from"] == release_id(2)

    forward = target.rollback(to=release_id(2))
    assert forward.id == release_id(2) and tree(paths.current) == tree(variants(2, changed=True))


def test_rollback_errors(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    with pytest.raises(NotFound) as err:
        target.rollback()
    assert err.value.message_tr == "Henüz yayında bir sürüm yok; geri alınacak bir şey yok."
    target.deploy(variants(1), release_id(1), META)
    with pytest.raises(NotFound) as err:
        target.rollback()
    assert err.value.message_tr == "Yayındaki sürümden önce bir sürüm yok; geri alınamaz."
    with pytest.raises(NotFound):
        target.rollback(to="20200101T000000Z-000000")
    with pytest.raises(ConflictError):
        target.rollback(to=release_id(1))
    assert target.current().id == release_id(1)


def test_rollback_action_switches_records_and_sends_signal(make_instance, variants):
    instance, paths = make_instance()
    ledger = staff(paths, FixedClock(NOW))
    director = login_with_password(ledger, "mehmet.mudur", PASSWORD, FixedClock(NOW))
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), META)
    target.deploy(variants(2), release_id(2), META)
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    release_rolled_back.connect(receiver)
    try:
        release = rollback_action(ledger, instance, paths, FixedClock(NOW), director, reason="Hatalı duyuru")
    finally:
        release_rolled_back.disconnect(receiver)
    assert release.id == release_id(1)
    assert len(received) == 1
    sender, kwargs = received[0]
    assert sender == "rollback" and kwargs["actor"] == "mehmet.mudur"
    assert kwargs["release"].id == release_id(1) and kwargs["previous"].id == release_id(2)
    assert {r.id: r for r in target.releases()}[release_id(2)].meta["rolled_back_at"] == "2026-11-25T14:30:00+03:00"
    event = ledger.events()[-1]
    assert (event.item_id, event.actor, event.action, event.reason, event.data) == \
        (None, "mehmet.mudur", "rollback", "Hatalı duyuru", {"from": release_id(2), "to": release_id(1)})


def test_rollback_refused_for_an_editor_and_an_unknown_user(make_instance, variants):
    instance, paths = make_instance()
    ledger = staff(paths, FixedClock(NOW))
    editor = login_with_password(ledger, "ayse.editor", PASSWORD, FixedClock(NOW))
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), META)
    target.deploy(variants(2), release_id(2), META)
    events = len(ledger.events())
    with pytest.raises(PermissionDenied) as refused:
        rollback_action(ledger, instance, paths, FixedClock(NOW), editor)
    assert refused.value.message_tr == "Siteyi geri almayı yalnız müdür ya da yönetici yapabilir."
    # an unknown login cannot log in, and a bare login is no actor
    with pytest.raises(AuthenticationFailed):
        login_with_password(ledger, "kimse", PASSWORD, FixedClock(NOW))
    with pytest.raises(PermissionDenied) as refused:
        rollback_action(ledger, instance, paths, FixedClock(NOW), "mehmet.mudur")
    assert refused.value.message_tr.startswith("Kimliği doğrulanmamış bir işlem reddedildi")
    assert target.current().id == release_id(2)
    assert [(e.actor, e.action) for e in ledger.events()[events:]] == [("kimse", "login_failed")]


def test_interrupted_releases_of_other_ids_are_described_or_removed(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths, FixedClock(NOW))
    target.deploy(variants(1), release_id(1), META)
    target.deploy(variants(2), release_id(2), META)
    (paths.releases / f"{release_id(2)}.json").unlink()  # 2 is served, its deploy killed before the metadata
    (paths.releases / release_id(4)).mkdir()  # 4 was renamed into place but never served

    target.deploy(variants(3), release_id(3), META)
    assert listing(paths) == sorted(f"{release_id(n)}{ext}" for n in (1, 2, 3) for ext in ("", ".json"))
    recovered = {r.id: r for r in target.releases()}[release_id(2)]
    assert (recovered.meta["recovered"], recovered.items, recovered.published_by) == (True, [], "")
    assert target.rollback().id == release_id(2)
    assert tree(paths.current) == tree(variants(2))
