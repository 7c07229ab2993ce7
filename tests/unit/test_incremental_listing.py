"""The publisher's folder listings: Pelican's get_files rules over remembered listings give Pelican's result, and
a folder changed since (or listed while it was still changing) is listed again."""

from __future__ import annotations

import os
import time

import pytest
from pelican.generators import ArticlesGenerator, Generator, StaticGenerator

from municms.build import pelican_settings
from municms.config import load_instance
from municms.incremental.listing import RACY_SECONDS, FolderCache, cached_get_files
from tests.tinysite import FIXED_NOW, copy_tiny


@pytest.fixture
def generators(tmp_path):
    root = copy_tiny(tmp_path / "tiny")
    settings = pelican_settings(load_instance(root), tmp_path / "out", "t", FIXED_NOW)
    made = {}
    for cls in (ArticlesGenerator, StaticGenerator):
        made[cls.__name__] = cls(context=settings.copy(), settings=settings, path=settings["PATH"],
                                 theme=settings["THEME"], output_path=str(tmp_path / "out"))
    return root, made


def calls(generators):
    articles, static = generators["ArticlesGenerator"], generators["StaticGenerator"]
    s = articles.settings
    return [(articles, (s["ARTICLE_PATHS"],), {"exclude": s["ARTICLE_EXCLUDES"]}),
            (articles, (s["PAGE_PATHS"],), {"exclude": s["PAGE_EXCLUDES"]}),
            (static, (s["STATIC_PATHS"],), {"exclude": s["STATIC_EXCLUDES"], "extensions": False}),
            (articles, (s["ARTICLE_PATHS"],), {"exclude": s["ARTICLE_EXCLUDES"],
                                               "extensions": articles.readers.disabled_extensions})]


def age(folder, seconds):
    past = time.time() - seconds
    os.utime(folder, (past, past))


def test_the_same_files_as_pelican_for_every_rule_and_after_changes(generators):
    root, made = generators
    cache = FolderCache()
    for _ in range(2):  # listed, then from the remembered listings
        for generator, args, kwargs in calls(made):
            assert cached_get_files(generator, cache)(*args, **kwargs) == Generator.get_files(generator, *args,
                                                                                                **kwargs)
    folder = root / "content" / "haberler" / "2026"
    (folder / "yeni-haber.md").write_text("Title: Yeni\nDate: 2026-11-25\nTur: haber\n\nMetin.\n", encoding="utf-8")
    (folder / ".gizli.md").write_text("", encoding="utf-8")  # IGNORE_FILES (Pelican's rule, whatever it keeps)
    (root / "content" / "haberler" / "2027").mkdir()
    (root / "content" / "haberler" / "2027" / "gelecek.md").write_text("Title: G\n\nM\n", encoding="utf-8")
    for generator, args, kwargs in calls(made):
        found = cached_get_files(generator, cache)(*args, **kwargs)
        assert found == Generator.get_files(generator, *args, **kwargs)
    articles = made["ArticlesGenerator"]
    s = articles.settings
    found = cached_get_files(articles, cache)(s["ARTICLE_PATHS"], exclude=s["ARTICLE_EXCLUDES"])
    assert {"haberler/2026/yeni-haber.md", "haberler/2027/gelecek.md"} <= found


def test_a_folder_listed_while_still_changing_is_listed_again_even_if_its_time_did_not_move(generators):
    root, made = generators
    articles = made["ArticlesGenerator"]
    s = articles.settings
    get_files = cached_get_files(articles, FolderCache())
    folder = root / "content" / "haberler" / "2026"
    age(folder, 0)  # just changed
    get_files(s["ARTICLE_PATHS"], exclude=s["ARTICLE_EXCLUDES"])  # listed while still changing: racy
    stamp = os.stat(folder).st_mtime_ns
    (folder / "ayni-anda.md").write_text("Title: A\nDate: 2026-11-25\nTur: haber\n\nM\n", encoding="utf-8")
    os.utime(folder, ns=(stamp, stamp))  # a coarse file system clock: the folder's time did not change
    assert "haberler/2026/ayni-anda.md" in get_files(s["ARTICLE_PATHS"], exclude=s["ARTICLE_EXCLUDES"])


def test_a_stable_folder_is_not_listed_again_until_it_changes(generators, monkeypatch):
    root, _ = generators
    folder = root / "content" / "haberler" / "2026"
    age(folder, RACY_SECONDS + 60)
    cache = FolderCache()
    cache.entries(str(folder))
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or scandir(path))
    cache.entries(str(folder))
    assert listed == []
    (folder / "sonra.md").write_text("Title: S\n\nM\n", encoding="utf-8")
    names, _, _ = cache.entries(str(folder))
    assert listed == [str(folder)] and "sonra.md" in names
