"""Pelican's Markdown reader with one Markdown object per reader instead of one per file."""

from __future__ import annotations

import re

from markdown import Markdown
from pelican import readers as pelican_readers
from pelican.utils import SafeDatetime, pelican_open

from .options import acted, enabled

# 2026-11-25, 2026-11-25 10:00, 2026-11-25T10:00:30: what dateutil reads as exactly these numbers
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\Z", re.ASCII)


class MarkdownReader(pelican_readers.MarkdownReader):
    """Reads like Pelican's MarkdownReader; its Markdown objects are built once and reset between files.

    It keeps the class name: Pelican records it as the `reader` of every item ("markdown").

    Building a Markdown object loads and configures every extension, which costs about as much as converting
    a page; Markdown documents `reset()` as the way to convert many documents with one object.
    """

    def read(self, source_path):
        self._source_path = source_path
        body = self._markdown("_body")
        prefetch = getattr(self, "prefetch", None)
        converted = prefetch.take(source_path) if prefetch is not None else None
        if converted is None:
            body.reset()
            with pelican_open(source_path) as text:
                converted = body.convert(text), getattr(body, "Meta", None)
        content, meta = converted
        # _parse_metadata converts formatted fields with self._md after taking its meta preprocessor out
        self._md = self._fields_markdown()
        metadata = self._parse_metadata(meta) if meta is not None else {}
        self._md = body
        return content, metadata

    def process_metadata(self, name, value):
        # dateutil's parser costs more than converting a page; plain ISO dates need none of it
        if name in ("date", "modified") and isinstance(value, str):
            plain = _ISO_DATE.match(value.strip())
            if plain:
                try:
                    return SafeDatetime(*(int(part) for part in plain.groups() if part is not None))
                except ValueError:
                    pass  # dateutil reports it as Pelican does
        return super().process_metadata(name, value)

    def _markdown(self, name: str) -> Markdown:
        md = self.__dict__.get(name)
        if md is None:
            md = self.__dict__[name] = Markdown(**self.settings["MARKDOWN"])
        return md

    def _fields_markdown(self) -> Markdown:
        fields = self._markdown("_fields")
        registry = fields.preprocessors
        if "meta" in registry:
            self._meta = registry["meta"], next(i.priority for i in registry._priority if i.name == "meta")
        elif getattr(self, "_meta", None):
            registry.register(self._meta[0], "meta", self._meta[1])
        fields.reset()
        return fields


def use_shared_markdown(readers) -> None:
    if not enabled(readers.settings):
        return
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is pelican_readers.MarkdownReader:
            readers.reader_classes[extension] = MarkdownReader
            acted["shared_markdown"] += 1
