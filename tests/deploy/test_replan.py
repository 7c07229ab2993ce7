"""A publisher's tree planned again from its last plan is planned exactly as from scratch, whatever changed."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

import contextlib

import pytest

from municms.deploy import shards
from municms.deploy.replan import replan
from municms.deploy.shards import Plan, plan_tree

SECTIONS = ["haberler", "duyurular", "etiket/imar", "etiket/su", "kurumsal", "theme/css", "birimler/zabita"]
LEAVES = ["index.html", "atom.xml", "a/index.html", "b/c/index.html", "11/index.html"]
YEARS = ["2024", "2025", "2026", "2027"]


def a_path() -> st.SearchStrategy[str]:
    """Paths like those of a built site: top-level files, section files, year folders, folders without years,
    and now and then a year folder inside a folder that had none."""
    dated = st.builds(lambda s, y, leaf: f"{s}/{y}/{leaf}", st.sampled_from(SECTIONS), st.sampled_from(YEARS),
                      st.sampled_from(LEAVES))
    plain = st.builds(lambda s, leaf: f"{s}/{leaf}", st.sampled_from(SECTIONS), st.sampled_from(LEAVES))
    top = st.sampled_from(["index.html", "404.html", "sitemap.xml"])
    return st.one_of(dated, dated, plain, top)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def comparable(plan: Plan) -> tuple:
    return (sorted(plan.real_dirs), sorted(plan.top_files),
            sorted((s.rel, sorted(s.files), sorted(s.dirs), s.digest) for s in plan.shards), plan.hashes)


@contextlib.contextmanager
def small_folder(limit: int):
    """Folders with years beneath them and at most `limit` files are one shard (the trees here are small)."""
    before = shards.SMALL_FOLDER
    shards.SMALL_FOLDER = limit
    try:
        yield
    finally:
        shards.SMALL_FOLDER = before


@pytest.fixture
def year_shards():
    with small_folder(0):
        yield


@settings(max_examples=400, deadline=None)
@given(first=st.dictionaries(a_path(), st.sampled_from("abc"), min_size=1, max_size=25),
       edits=st.lists(st.tuples(a_path(), st.sampled_from("abcd-")), max_size=6),
       limit=st.sampled_from([0, 1, 2, 3, 5, 8, 64]))
def test_a_replanned_tree_is_planned_as_from_scratch(tmp_path_factory, first, edits, limit):
    before = {rel: digest(v) for rel, v in first.items()}
    after = dict(before)
    for rel, value in edits:  # "-" removes the file
        if value == "-":
            after.pop(rel, None)
        else:
            after[rel] = digest(value)
    if not after or _file_and_folder(after):
        return
    root = tmp_path_factory.mktemp("agac")  # an exact plan reads nothing from the tree
    with small_folder(limit):
        plan = replan(before, plan_tree(root, before, exact=True), after)
        if plan is not None:
            assert comparable(plan) == comparable(plan_tree(root, after, exact=True))


def test_a_small_folder_with_years_is_one_shard_and_splits_when_it_grows(tmp_path):
    """etiket/imar/ with its years is one shard while it holds at most SMALL_FOLDER files; past that, its years
    are shards of their own and it is a real folder of the release."""
    files = {"index.html": digest("1"), "etiket/index.html": digest("2"), "etiket/imar/index.html": digest("3"),
             "etiket/imar/2025/index.html": digest("4"), "etiket/imar/2026/index.html": digest("5")}
    with small_folder(3):
        plan = plan_tree(tmp_path, files, exact=True)
        assert sorted(s.rel for s in plan.shards) == ["etiket/imar"] and plan.real_dirs == ["etiket"]
        grown = {**files, "etiket/imar/2026/02/index.html": digest("6")}
        assert replan(files, plan, grown) is None  # 4 files: it splits
        plan = plan_tree(tmp_path, grown, exact=True)
        assert sorted(s.rel for s in plan.shards) == ["etiket/imar/2025", "etiket/imar/2026"]
        assert plan.real_dirs == ["etiket", "etiket/imar"]
        assert replan(grown, plan, files) is None  # back to 3 files: one shard again
        edited = {**files, "etiket/imar/2026/index.html": digest("5b")}
        assert comparable(replan(files, plan_tree(tmp_path, files, exact=True), edited)) == \
            comparable(plan_tree(tmp_path, edited, exact=True))


def test_a_new_item_in_an_existing_year_is_replanned_and_other_shards_are_kept(tmp_path, year_shards):
    before = {"index.html": digest("1"), "haberler/index.html": digest("2"),
              "haberler/2026/su/index.html": digest("3"), "haberler/2025/yol/index.html": digest("4"),
              "theme/css/site.css": digest("5")}
    old = plan_tree(tmp_path, before, exact=True)
    after = {**before, "index.html": digest("1b"), "haberler/2026/park/index.html": digest("6")}
    plan = replan(before, old, after)
    assert plan is not None
    assert comparable(plan) == comparable(plan_tree(tmp_path, after, exact=True))
    kept = {s.rel for s in plan.shards if any(s is o for o in old.shards)}
    assert kept == {"haberler/2025", "theme"}


def test_a_change_that_moves_a_shard_boundary_plans_from_scratch(tmp_path, year_shards):
    before = {"index.html": digest("1"), "kurumsal/baskan/index.html": digest("2"),
              "haberler/2026/su/index.html": digest("3")}
    old = plan_tree(tmp_path, before, exact=True)
    assert replan(before, old, {**before, "kurumsal/2026/index.html": digest("4")}) is None   # a year appears
    assert replan(before, old, {**before, "duyurular/2026/a/index.html": digest("5")}) is None  # a new section
    emptied = {k: v for k, v in before.items() if not k.startswith("haberler/2026/")}
    assert replan(before, old, emptied) is None  # a shard left empty


def _file_and_folder(files: dict[str, str]) -> bool:
    """A path that is both a file and a folder cannot be a tree."""
    folders = {rel.rsplit("/", 1)[0] for rel in files if "/" in rel}
    prefixes = {"/".join(rel.split("/")[:i]) for rel in folders for i in range(1, rel.count("/") + 2)}
    return bool(prefixes & set(files))
