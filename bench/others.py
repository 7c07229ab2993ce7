"""The same generated corpus as a stock Pelican site and as a Hugo site, for bench/run.py.

Stock Pelican: the corpus' content folder with a plain pelicanconf.py, Pelican's `simple` theme and its content
cache, as a municipality would run it (`pelican content -s pelicanconf.py`). Hugo: the same articles and pages,
their metadata as Hugo front matter, a minimal theme of the same pages (article, paginated section and tag
lists, home, feeds).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

ARTICLE_SECTIONS = ["haberler", "duyurular", "mukellef-duyurulari"]
PAGE_SECTIONS = ["sayfalar"]

STOCK_PELICANCONF = """\
SITENAME = "Çorum Belediyesi"
SITEURL = ""
PATH = {content!r}
TIMEZONE = "Europe/Istanbul"
DEFAULT_LANG = "tr"
THEME = "simple"
ARTICLE_PATHS = {articles!r}
PAGE_PATHS = {pages!r}
ARTICLE_URL = "{{category}}/{{date:%Y}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{date:%Y}}/{{slug}}/index.html"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
# the org chart page needs municms' own template, which the simple theme does not have
IGNORE_FILES = [".#*", "organizasyon-semasi.md"]
"""


def stock_pelican_site(content: Path, target: Path) -> Path:
    """A pelicanconf.py for stock Pelican over content; its cache lives next to it."""
    target.mkdir(parents=True, exist_ok=True)
    conf = target / "pelicanconf.py"
    conf.write_text(STOCK_PELICANCONF.format(content=str(content), articles=ARTICLE_SECTIONS,
                                             pages=PAGE_SECTIONS, cache=str(target / "cache")), encoding="utf-8")
    return conf


HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
languageCode = "tr"
defaultContentLanguage = "tr"
title = "Çorum Belediyesi"
timeZone = "Europe/Istanbul"
disableKinds = ["robotstxt"]
[pagination]
  pagerSize = 10
[taxonomies]
  tag = "tags"
  category = "categories"
[permalinks.page]
  haberler = "/:section/:year/:slug/"
  duyurular = "/:section/:year/:slug/"
  mukellef-duyurulari = "/:section/:year/:slug/"
  sayfalar = "/kurumsal/:slug/"
[outputs]
  home = ["html", "rss"]
  section = ["html", "rss"]
  taxonomy = ["html"]
  term = ["html", "rss"]
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="tr"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body><header><h1><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></h1>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
{{ block "main" . }}{{ end }}
<footer>{{ .Site.Title }}</footer></body></html>
""",
    "single.html": """{{ define "title" }}{{ .Title }} - {{ .Site.Title }}{{ end }}
{{ define "main" }}<article><h2>{{ .Title }}</h2>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05" }}">{{ .Date.Format "02.01.2006" }}</time>
{{ with .Params.tags }}<p>{{ range . }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>{{ end }}
{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h2>{{ .Title }}</h2>
{{ range .Paginator.Pages }}<article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<time>{{ .Date.Format "02.01.2006" }}</time><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h2>{{ .Title }}</h2><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "home.html": """{{ define "main" }}{{ $pages := where .Site.RegularPages "Section" "in" (slice "haberler" "duyurular" "mukellef-duyurulari") }}
{{ range (.Paginate $pages).Pages }}<article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def _front_matter(text: str) -> tuple[dict, str]:
    """Pelican's `Key: value` header lines and the body after them."""
    head, _, body = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    return meta, body


def _hugo_page(meta: dict, body: str, section: str) -> str:
    front = {"title": meta.get("title", ""), "slug": meta.get("slug") or None}
    if "date" in meta:
        front["date"] = dt.datetime.fromisoformat(meta["date"]).isoformat() + "+03:00"
    if meta.get("tags"):
        front["tags"] = [t.strip() for t in meta["tags"].split(",") if t.strip()]
    if section in ARTICLE_SECTIONS:
        front["categories"] = [section]
    if meta.get("summary"):
        front["summary"] = meta["summary"]
    for key in ("tur", "birim"):
        if key in meta:
            front[key] = meta[key]
    # JSON front matter: Hugo reads it as is, and no quoting of Turkish text can go wrong
    return json.dumps({k: v for k, v in front.items() if v is not None}, ensure_ascii=False, indent=1) + "\n\n" + body


def hugo_site(content: Path, target: Path) -> Path:
    """A Hugo site with the articles and pages of content."""
    if target.exists():
        shutil.rmtree(target)
    (target / "layouts").mkdir(parents=True)
    (target / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (target / "layouts" / name).write_text(text, encoding="utf-8")
    for section in ARTICLE_SECTIONS + PAGE_SECTIONS:
        for source in sorted((content / section).rglob("*.md")):
            if source.name == "organizasyon-semasi.md":
                continue  # as for stock Pelican
            meta, body = _front_matter(source.read_text(encoding="utf-8"))
            rel = source.relative_to(content)
            page = target / "content" / rel
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_hugo_page(meta, body, section), encoding="utf-8")
    return target
