# Pelican settings for the municms site. Settings only: logic lives in plugins/ and the municms package.
# municms/build.py fills in PATH, OUTPUT_PATH, SITEURL and the instance data at build time.

SITENAME = "Çorum Belediyesi"
DEFAULT_LANG = "tr"
LOCALE = ("tr_TR.UTF-8", "C.UTF-8")
TIMEZONE = "Europe/Istanbul"

PATH = "content"
THEME = "themes/belediye"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["turkish", "sections", "orgchart", "listings", "sitemap", "seminars", "manifest", "share", "jsonapi",
           "speedups", "compliance", "register_layout"]
# speedups: both cores write the pages; ListingsGenerator writes only through the writer, so it may share
SPEEDUPS_SHARED_GENERATORS = ["ListingsGenerator"]

# Dated sections are articles; corporate pages are pages. Attachments sit next to their item.
ARTICLE_PATHS = ["haberler", "duyurular", "mukellef-duyurulari", "faaliyet-raporlari", "seminerler", "e-hizmetler",
                 "mevzuat"]
PAGE_PATHS = ["sayfalar"]
STATIC_PATHS = ["haberler", "duyurular", "mukellef-duyurulari", "faaliyet-raporlari", "seminerler",
                "e-hizmetler", "mevzuat", "sayfalar", "ortak"]
STATIC_EXCLUDE_SOURCES = True
READERS = {"html": None, "rst": None}

# URLs are set per item by the sections plugin (/haberler/2026/<slug>/); these are the fallbacks.
ARTICLE_URL = "{category}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{date:%Y}/{slug}/index.html"
PAGE_URL = "kurumsal/{slug}/"
PAGE_SAVE_AS = "kurumsal/{slug}/index.html"
STATIC_URL = "{path}"
STATIC_SAVE_AS = "{path}"

# Pelican's own listings paginate page 1…N, which shifts every page when one item is added.
# The listings plugin writes stable, year-split listings instead, so these outputs are switched off.
DIRECT_TEMPLATES = []
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_PAGINATION = False
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# Feeds are written per section by the listings plugin.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Escape by default: every value a template prints is text, escaped for HTML. The one exception is body
# HTML, which reaches a page only through the `sanitised` filter (the nh3 policy, municms/sanitize.py).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
# Metadata is text, never Markdown: a Summary line is shown exactly as the department wrote it.
FORMATTED_FIELDS = []

DEFAULT_DATE_FORMAT = "%d.%m.%Y"
SUMMARY_MAX_LENGTH = 40
SLUGIFY_SOURCE = "title"
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False},
        # regulations (Tur: mevzuat): "MADDE 14 –" lines become headings with the anchor #madde-14
        "municms.regulations": {},
    },
    "output_format": "html5",
}
TYPOGRIFY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
OUTPUT_SOURCES = False
RELATIVE_URLS = False
