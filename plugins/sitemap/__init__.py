"""Pelican plugin: sitemap split per section and year, plus robots.txt.

One new item changes only its own section-year part and the index, never the whole sitemap.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

from pelican import signals

from municms.site_files import write_output

_INPUT = "_MUNICMS_SITEMAP_INPUT"


def _collect(generators) -> None:
    settings = generators[0].settings
    context = generators[0].context
    settings[_INPUT] = (list(context.get("articles", [])), list(context.get("pages", [])))


def _urlset(entries) -> str:
    rows = [f"<url><loc>{escape(loc)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
            for loc, lastmod in entries]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


def _entry(article, base: str) -> tuple[str, tuple[str, str]]:
    """(part, (address, lastmod)) of an article; kept on the object while its address, dates and section are
    the same (a publisher keeps articles between builds)."""
    fields = article.__dict__
    key = (base, fields.get("override_url"), article.date, fields.get("modified"), fields.get("section"))
    known = fields.get("_municms_sitemap")
    if known is None or known[0] != key or known[0][1] is None:
        changed = getattr(article, "modified", article.date).date().isoformat()
        part = f"{article.section.slug}-{article.date.year}" if article.section.dated else article.section.slug
        known = article._municms_sitemap = (key, (part, (base + article.url, changed)))
    return known[1]


def _write_sitemaps(pelican) -> None:
    settings = pelican.settings
    if "MUNICMS_INSTANCE" not in settings:
        return
    articles, pages = settings.pop(_INPUT, ([], []))
    instance = settings["MUNICMS_INSTANCE"]
    base = instance.municipality.site_url.rstrip("/") + "/"
    # lastmod comes from the content, never from the clock, so identical inputs give identical files
    newest = max((a.date for a in articles), default=None)
    newest = newest.date().isoformat() if newest else ""
    parts: dict[str, list] = defaultdict(list)
    for article in articles:
        part, entry = _entry(article, base)
        parts[part].append(entry)
    fixed = [(base, newest), (base + "kurumsal/", "")] + [(base + s.slug + "/", newest)
                                                        for s in instance.sections.values()]
    fixed += [(base + p.url, p.modified.date().isoformat() if hasattr(p, "modified") else "") for p in pages]
    fixed += [(base + f"birimler/{d}/", "") for d in instance.departments]
    parts["genel"] = fixed
    index_rows = []
    for name in sorted(parts):
        entries = sorted(parts[name])
        write_output(settings, pelican.output_path, f"sitemaps/{name}.xml", _urlset(entries))
        lastmod = max(lastmod for _, lastmod in entries)
        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        index_rows.append(f"<sitemap><loc>{escape(base)}sitemaps/{name}.xml</loc>{stamp}</sitemap>")
    write_output(settings, pelican.output_path, "sitemap.xml",
                 '<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(index_rows)
                 + "\n</sitemapindex>\n")
    write_output(settings, pelican.output_path, "robots.txt",
                 f"User-agent: *\nAllow: /\nDisallow: /yonetim/\n\nSitemap: {base}sitemap.xml\n")


def register() -> None:
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_write_sitemaps)
