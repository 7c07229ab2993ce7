"""The process-wide cache of compiled templates: the same theme in another folder reuses the compiled code under
its own file name, and nothing that changes the generated code (the text, autoescape, syntax options) is mixed up."""

from __future__ import annotations

import jinja2

from municms.incremental.pelican import MemoryBytecodeCache

BASE = "<title>{% block title %}{% endblock %}</title>{{ body }}"
PAGE = '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}\n'


def theme(folder, page: str = PAGE):
    folder.mkdir()
    (folder / "base.html").write_text(BASE, encoding="utf-8")
    (folder / "page.html").write_text(page, encoding="utf-8")
    return folder


def environment(folder, cache, **options) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache,
                              **{"autoescape": True, **options})


def test_a_copied_theme_reuses_the_code_under_its_own_file_name(tmp_path, monkeypatch):
    cache = MemoryBytecodeCache()
    one, two = theme(tmp_path / "bir"), theme(tmp_path / "iki")
    values = {"title": "Işık & Gölge", "body": "<b>"}
    first = environment(one, cache).get_template("page.html")
    assert first.render(values) == "<title>Işık &amp; Gölge</title>&lt;b&gt;"  # base.html compiled too
    compiled, compile_ = [], jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, filename=None, *a, **k:
                        compiled.append(name) or compile_(self, source, name, filename, *a, **k))
    second_env = environment(two, cache)
    second = second_env.get_template("page.html")
    assert second.render(values) == "<title>Işık &amp; Gölge</title>&lt;b&gt;"
    assert compiled == []  # both templates came from the cache
    assert (first.filename, second.filename) == (str(one / "page.html"), str(two / "page.html"))
    assert second_env.get_template("base.html").filename == str(two / "base.html")


def test_text_autoescape_and_syntax_options_each_compile_their_own_code(tmp_path):
    cache = MemoryBytecodeCache()
    values = {"title": "A & B", "body": "<i>"}
    escaped = environment(theme(tmp_path / "a"), cache).get_template("page.html").render(values)
    raw = environment(theme(tmp_path / "b"), cache, autoescape=False).get_template("page.html").render(values)
    changed = environment(theme(tmp_path / "c", PAGE.replace("{{ title }}", "[{{ title }}]")), cache)
    trimmed = environment(theme(tmp_path / "d"), cache, trim_blocks=True).get_template("page.html").render(values)
    assert (escaped, raw) == ("<title>A &amp; B</title>&lt;i&gt;", "<title>A & B</title><i>")
    assert changed.get_template("page.html").render(values) == "<title>[A &amp; B]</title>&lt;i&gt;"
    assert trimmed == escaped
    assert len(cache.compiled) == 2 + 2 + 1 + 2  # base+page per autoescape and per trim_blocks; page changed once
