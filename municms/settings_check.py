"""Checks of pelicanconf.py values the build relies on; every problem is reported at once."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError, Problem

REQUIRED_TEMPLATES = ("base.html", "index.html", "article.html", "page.html", "section.html",
                      "archive.html", "tag.html", "tags.html", "department.html", "departments.html",
                      "eservices.html", "orgchart.html", "search.html", "404.html", "corporate.html",
                      "regulations.html", "regulation.html")
REQUIRED_PLUGINS = ("turkish", "sections", "listings")


def _line(source: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*=", source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None


def check_pelican_settings(settings: dict, file: str) -> None:
    """Raise ConfigError listing every unusable setting."""
    source = Path(file).read_text(encoding="utf-8") if Path(file).is_file() else ""
    problems: list[Problem] = []

    def add(key: str, tr: str, en: str) -> None:
        problems.append(Problem(key, tr, en, _line(source, key), file))

    content = Path(settings["PATH"])
    if not content.is_dir():
        add("PATH", f"İçerik klasörü '{content}' yok.", f"content directory {content} does not exist")
    theme = Path(settings["THEME"])
    if not (theme / "templates").is_dir():
        add("THEME", f"Tema '{theme}' bulunamadı ya da templates/ klasörü yok.",
            f"theme {theme} not found or has no templates/")
    else:
        missing = [t for t in REQUIRED_TEMPLATES if not (theme / "templates" / t).is_file()]
        if missing:
            add("THEME", f"Temada eksik şablonlar: {', '.join(missing)}.", f"theme lacks templates: {missing}")
    plugins = settings.get("PLUGINS") or []
    if not isinstance(plugins, (list, tuple)) or not all(isinstance(p, str) for p in plugins):
        add("PLUGINS", "Eklenti adlarının listesi olmalıdır.", "PLUGINS must be a list of names")
        plugins = []
    plugin_dirs = [Path(p) for p in settings.get("PLUGIN_PATHS") or []]
    for name in plugins:
        if not any((d / name / "__init__.py").is_file() or (d / f"{name}.py").is_file() for d in plugin_dirs):
            add("PLUGINS", f"'{name}' eklentisi PLUGIN_PATHS içinde bulunamadı.", f"plugin {name!r} not found")
    for name in REQUIRED_PLUGINS:
        if name not in plugins:
            add("PLUGINS", f"'{name}' eklentisi zorunludur.", f"plugin {name!r} is required")
    if settings.get("DEFAULT_LANG") != "tr":
        add("DEFAULT_LANG", "Site dili 'tr' olmalıdır.", "DEFAULT_LANG must be 'tr'")
    try:
        ZoneInfo(str(settings.get("TIMEZONE")))
    except (ZoneInfoNotFoundError, ValueError):
        add("TIMEZONE", f"'{settings.get('TIMEZONE')}' bilinen bir saat dilimi değil.", "unknown TIMEZONE")
    for key in ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS"):
        value = settings.get(key)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            add(key, "Klasör adlarının listesi olmalıdır.", f"{key} must be a list of folder names")
    if settings.get("DEFAULT_PAGINATION"):
        add("DEFAULT_PAGINATION", "Sayfa 1…N bölmesi kapalı olmalıdır (False); listeler yıllara bölünür.",
            "DEFAULT_PAGINATION must be False: listings are split by year")
    if (settings.get("JINJA_ENVIRONMENT") or {}).get("autoescape") is not True:
        add("JINJA_ENVIRONMENT", "Şablonlarda otomatik kaçış açık olmalıdır: JINJA_ENVIRONMENT içinde "
            "'autoescape': True.", "JINJA_ENVIRONMENT must set 'autoescape': True")
    if settings.get("FORMATTED_FIELDS"):
        add("FORMATTED_FIELDS", "Üst bilgi alanları düz metindir; FORMATTED_FIELDS boş liste ([]) olmalıdır.",
            "FORMATTED_FIELDS must be []: metadata is text, not Markdown")
    if settings.get("RELATIVE_URLS"):
        add("RELATIVE_URLS", "Göreli adresler desteklenmiyor; False olmalıdır.", "RELATIVE_URLS must be False")
    if problems:
        raise ConfigError(problems)
