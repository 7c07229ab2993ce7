"""Pelican's articles generator without its quadratic taxonomy loops, and the mixin that shares output."""

from __future__ import annotations

from functools import cache

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
