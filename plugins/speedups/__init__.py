"""Pelican plugin: faster builds of large sites with Pelican's own generators, readers and writer.

Every piece is a subclass of a Pelican class, wired through Pelican's signals; the output is byte for byte
the output without the plugin:
- one Markdown object per reader, reset between files (Markdown's documented reuse), not one per file, and
  plain ISO dates read without dateutil's parser;
- a forked child converts 70% of the articles' Markdown while Pelican's reading loop does the
  rest and everything else; the article folders are walked once for both;
- tag, category and author pages: nothing is computed for pages that are switched off (`TAG_SAVE_AS = ""`),
  and the pages that are written pick their articles in date order by identity, not by list search;
- two processes write the pages: after every generator has built its context, one forked child renders
  about half of the pages of the generators that only write through the writer; the model is inherited,
  nothing is pickled; its warnings and errors are logged again in the parent, and a failure fails the build.

The plugin acts on a Pelican site whose PLUGINS name it, or on every site when the environment variable
PELICAN_SPEEDUPS is "all" (how Pelican's own test suite runs with it). Settings: SPEEDUPS_PROCESSES (default 2;
1 reads and writes in one process), SPEEDUPS_PARALLEL_MIN (fewest content objects worth a second process),
SPEEDUPS_SHARED_GENERATORS (class names of plugin generators that write only through the writer). A process
with more than one thread (a server) reads and writes alone: a fork would copy locks other threads hold.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from .generators import FastArticlesGenerator, shared_output_class
from .options import acted, enabled
from .readers import use_shared_markdown
from .writer import join_output_child, keep_generators, start_output_child


def _speed_up_generator(generator) -> None:
    if not enabled(generator.settings):
        return
    if type(generator) is ArticlesGenerator:
        generator.__class__ = FastArticlesGenerator
        acted["articles_generator"] += 1
    elif type(generator) is PagesGenerator or type(generator).__name__ in generator.settings.get(
            "SPEEDUPS_SHARED_GENERATORS", ()):
        generator.__class__ = shared_output_class(type(generator))


def register() -> None:
    signals.generator_init.connect(_speed_up_generator)
    signals.readers_init.connect(use_shared_markdown)
    signals.all_generators_finalized.connect(keep_generators)
    signals.get_writer.connect(start_output_child)
    signals.finalized.connect(join_output_child)
