"""A folder with year folders beneath it and at most SMALL_FOLDER files (a tag's or a department's listings on a
small site) is one shard: a release links it once instead of once per year, and a change in it stores that
folder's shard again."""

from __future__ import annotations

import os

from municms.deploy import get_target, shards
from municms.deploy.shards import is_year, plan_tree

from .conftest import CHANGED_PAGE, release_id, shard_links, tree


def files_under(hashes: dict[str, str], folder: str) -> int:
    return sum(1 for rel in hashes if rel.startswith(folder + "/"))


def test_small_folders_with_years_are_one_shard_and_large_ones_are_split_by_year(variants):
    build = variants(1)
    plan = plan_tree(build)
    assert plan.real_dirs, "the demo has a folder large enough to be split by year"
    for shard in plan.shards:
        name = shard.rel.rpartition("/")[2]
        has_year = any(is_year(part) for rel in shard.files for part in rel.split("/")[:-1])
        assert is_year(name) or not has_year or len(shard.files) <= shards.SMALL_FOLDER, shard.rel
    for folder in plan.real_dirs:
        assert files_under(plan.hashes, folder) > shards.SMALL_FOLDER, folder
    merged = [s.rel for s in plan.shards
              if not is_year(s.rel.rpartition("/")[2]) and any(is_year(p) for f in s.files for p in f.split("/"))]
    assert merged, "the demo has a small folder with years (a tag's listings)"
    before, shards.SMALL_FOLDER = shards.SMALL_FOLDER, 0
    try:
        by_year = plan_tree(build)
    finally:
        shards.SMALL_FOLDER = before
    assert len(plan.shards) < len(by_year.shards)


def test_a_release_links_a_small_folder_once_and_a_change_stores_only_its_shard(make_instance, variants):
    instance, paths = make_instance()
    target = get_target(instance, paths)
    target.deploy(variants(1), release_id(1), {})
    second = target.deploy(variants(2, changed=True), release_id(2), {})
    old, new = shard_links(paths.releases / release_id(1)), shard_links(paths.releases / release_id(2))
    plan = plan_tree(variants(2, changed=True))
    assert sorted(old) == sorted(new) == sorted(s.rel for s in plan.shards)
    [owner] = [s.rel for s in plan.shards if CHANGED_PAGE.startswith(s.rel + "/")]
    assert [folder for folder in new if old[folder] != new[folder]] == [owner]
    assert (second.meta["stats"]["shards_new"], second.meta["stats"]["shards_reused"]) == (1, len(new) - 1)
    assert tree(paths.current) == tree(variants(2, changed=True))
    assert len(new) == sum(1 for folder, dirs, files in os.walk(paths.releases / release_id(2))
                           for name in dirs + files if os.path.islink(os.path.join(folder, name)))
