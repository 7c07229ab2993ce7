"""Pelican's articles generator without its quadratic taxonomy loops, and the mixin that shares output."""

from __future__ import annotations

from functools import cache

from pelican import signals
from pelican.generators import ArticlesGenerator, logger
from pelican.writers import FileOverwriteFailedError

from .prefetch import prefetching


class SharedOutput:
    """A generator that writes only through the writer: a PartWriter may leave some pages to the child."""

    shares_output = True

    def generate_output(self, writer):
        share = getattr(writer, "share", None)
        if share is None:
            return super().generate_output(writer)
        with share():
            return super().generate_output(writer)


@cache
def shared_output_class(generator_class: type) -> type:
    return type(generator_class.__name__, (SharedOutput, generator_class),
                {"__module__": generator_class.__module__, "__doc__": generator_class.__doc__})


def in_order(ordered: list, members: list) -> list:
    """The members in the order of `ordered`; Content compares by identity, so `a in members` is `id(a) in`."""
    ids = {id(member) for member in members}
    return [item for item in ordered if id(item) in ids]


# the values Pelican's generate_articles passes to an article's template besides the global context
_ARTICLE_PASSED = frozenset({"article", "category", "override_output", "url", "blog"})


class FastArticlesGenerator(SharedOutput, ArticlesGenerator):
    """ArticlesGenerator whose tag, category and author pages cost what they write.

    Pelican filters self.dates with `article in articles` (a list) for every tag, category and author, even
    when those pages are switched off: O(articles × articles) on a site with one author or a few categories.
    """

    def generate_context(self):
        files = self.get_files(self.settings["ARTICLE_PATHS"], exclude=self.settings["ARTICLE_EXCLUDES"])
        self._files = (self.settings["ARTICLE_PATHS"], self.settings["ARTICLE_EXCLUDES"], files)
        try:
            with prefetching(self, files):
                super().generate_context()
        finally:
            self._files = None

    def get_files(self, paths, exclude=None, extensions=None):
        """The list made for prefetching is the one Pelican's loop reads: the folders are walked once."""
        kept = getattr(self, "_files", None)
        if kept and kept[0] == paths and kept[1] == exclude and extensions is None:
            return kept[2]
        return super().get_files(paths, exclude=exclude, extensions=extensions)

    def generate_articles(self, write):
        """Pelican's loop; with a writer that keeps groups of pages (the publisher's), the articles of one URL
        folder (a section's year) are one group: a folder whose articles are the objects of the last build,
        none of which moved, with the same global values for their templates, is not gone through again (its
        pages are unchanged, and so are their `article_generator_write_article` signals)."""
        writer = getattr(getattr(write, "func", write), "__self__", None)  # write: partial(writer.write_file, …)
        group = getattr(writer, "page_group", None)
        if group is None or self.translations or self.hidden_translations or self.hidden_articles:
            return super().generate_articles(write)
        bound = tuple(sorted(getattr(write, "keywords", {}).items()))  # relative_urls
        folders: dict[str, list] = {}
        for article in self.articles:
            folders.setdefault(article.save_as.rpartition("/")[0].rpartition("/")[0], []).append(article)
        for folder, articles in folders.items():
            templates = {article.template: self.get_template(article.template) for article in articles}
            ways = [(template, _ARTICLE_PASSED) for template in templates.values()]
            with group(("articles", folder), self.context, ways, (tuple(templates), bound), articles) as unchanged:
                if not unchanged:
                    self._write_articles(write, articles)

    def _write_articles(self, write, articles) -> None:
        """Pelican's generate_articles over some articles."""
        for article in articles:
            signals.article_generator_write_article.send(self, content=article)
            write(article.save_as, self.get_template(article.template), self.context, article=article,
                  category=getattr(article, "category", None), override_output=hasattr(article, "override_save_as"),
                  url=article.url, blog=True)

    def generate_tags(self, write):
        self._write_taxonomy(write, "tag", self.tags.items())

    def generate_categories(self, write):
        self._write_taxonomy(write, "category", self.categories)

    def generate_authors(self, write):
        self._write_taxonomy(write, "author", self.authors)

    def _write_taxonomy(self, write, kind: str, groups) -> None:
        template = self.get_template(kind)
        for wrapper, articles in groups:
            if not wrapper.save_as:
                continue  # write() returns at once for an empty name: the page is switched off
            try:
                write(wrapper.save_as, template, self.context, url=wrapper.url, articles=articles,
                      dates=in_order(self.dates, articles), template_name=kind, blog=True,
                      page_name=wrapper.page_name, all_articles=self.articles, **{kind: wrapper})
            except FileOverwriteFailedError:
                if wrapper.slug:
                    logger.error(_FAILED[kind], wrapper)
                    raise
                logger.info(_INVALID_SLUG[kind], wrapper, extra={"limit_msg": _FURTHER[kind]})


# Pelican's own messages, word for word
_INVALID_SLUG = {kind: f'{kind.capitalize()} "%s" has an invalid slug; skipping writing {kind} page...'
                 for kind in ("tag", "category", "author")}
_FURTHER = {"tag": "Further tags with invalid slugs.", "category": "Further categories with invalid slugs.",
            "author": "Further authors with invalid slugs."}
_FAILED = {kind: f'Failed to write {kind.capitalize()} page for "%s".' for kind in ("tag", "category", "author")}
