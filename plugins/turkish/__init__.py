"""Pelican plugin: Turkish dates, casing, sorting and slugs available to every template."""

from pelican import signals

from municms import turkish


def _add_filters(pelican) -> None:
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.update({
        "tr_date": turkish.format_day,                      # 25 Kasım 2026 Çarşamba
        "tr_date_short": lambda d: turkish.format_day(d, "d MMMM y"),
        "tr_datetime": turkish.format_moment,              # 25 Kasım 2026 Çarşamba 14:30
        "tr_month": lambda d: turkish.format_day(d, "LLLL y"),
        "tr_upper": turkish.upper,
        "tr_lower": turkish.lower,
        "tr_slugify": turkish.slugify,
        "tr_sort": lambda values, attribute=None: turkish.sort_words(
            values, key=(lambda v: str(getattr(v, attribute, v) if not isinstance(v, dict) else v[attribute]))
            if attribute else str),
        "iso": lambda d: d.isoformat(),
        "tel_uri": turkish.tel_uri,                         # 0364 225 19 00 → tel:+903642251900
    })


def heading_id(value: str, separator: str = "-") -> str:
    """Heading anchor for the Markdown table of contents: 'Katılım şartları' → 'katilim-sartlari'."""
    return turkish.slugify(value)


def _turkish_heading_ids(pelican) -> None:
    # Markdown's own slugify drops letters without an ASCII base (ı → ''), giving ids like 'katlm-sartlar'.
    if "MUNICMS_INSTANCE" not in pelican.settings:
        return  # another Pelican site built in the same process keeps its own settings
    configs = pelican.settings.get("MARKDOWN", {}).get("extension_configs", {})
    if "markdown.extensions.toc" in configs:
        configs["markdown.extensions.toc"] = {**configs["markdown.extensions.toc"], "slugify": heading_id}


def register() -> None:
    signals.initialized.connect(_add_filters)
    signals.initialized.connect(_turkish_heading_ids)
