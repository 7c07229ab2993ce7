"""A publisher's tree planned again from its last plan is planned exactly as from scratch, whatever changed."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None)
@given(first=st.dictionaries(a_path(), st.sampled_from("abc"), min_size=1, max_size=25),
       edits=st.lists(st.tuples(a_path(), st.sampled_from("abcd-")), max_size=6))
def test_a_replanned_tree_is_planned_as_from_scratch(tmp_path_factory, first, edits):
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
    plan = replan(before, plan_tree(root, before, exact=True), after)
    if plan is not None:
        assert comparable(plan) == comparable(plan_tree(root, after, exact=True))


def test_a_new_item_in_an_existing_year_is_replanned_and_other_shards_are_kept(tmp_path):
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


def test_a_change_that_moves_a_shard_boundary_plans_from_scratch(tmp_path):
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
