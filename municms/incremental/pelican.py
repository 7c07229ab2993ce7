"""Pelican, kept between publishes: its generators reuse the content objects of unchanged source files, and its
writer renders a page only when the digest of the page's inputs differs from the last successful build.

Still real Pelican: the same readers, generators, signals, plugins, templates and writer classes, subclassed
where they read or write. Every file this writer (and the static generator) puts into the working tree is a
new file moved into place, never an existing file rewritten: releases may share the tree's files by hard links.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import types
from pathlib import Path

from jinja2 import BytecodeCache, meta
from jinja2.bccache import Bucket
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.writers import Writer

from .digest import Digester, quick_key, source_stamp
from .listing import keep_listings

log = logging.getLogger(__name__)


class ContentCache:
    """Content objects by source path, with the stamp of the file they were read from (kept in memory)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, int], object]] = {}
        self.store = None  # ContentStore (set by the state): objects parsed by an earlier process, on disk
        self.read = 0      # files parsed in the last build
        self.reused = 0    # content objects reused in the last build (kept in memory or from the store)
        self.fresh: set[str] = set()   # files parsed in this build
        self.seen: set[str] = set()    # files asked for in this build
        self.settings: dict | None = None
        self.context: dict | None = None

    def reset_counts(self) -> None:
        self.read = self.reused = 0
        self.fresh, self.seen = set(), set()

    def save(self) -> None:
        """Put the objects parsed in this (successful) build into the store."""
        if self.store is not None and self.settings is not None:
            self.store.save(self.entries, self.fresh, self.seen, self.settings, self.context)


def keep_content(generator, cache: ContentCache) -> None:
    """Make an article or page generator (whatever subclass a plugin gave it) read a source file only when it
    changed; reused objects get this build's context and settings."""

    cache.settings, cache.context = generator.settings, generator.context

    def get_cached_data(filename, default=None):
        path = os.path.join(generator.path, filename)
        cache.seen.add(path)
        entry = cache.entries.get(path)
        try:
            stamp = source_stamp(path)
        except OSError:
            return default
        if entry is None or entry[0] != stamp:
            stored = cache.store.get(path, stamp, generator.settings, generator.context) if cache.store else None
            if stored is None:
                cache.read += 1
                return default
            entry = cache.entries[path] = (stamp, stored)
        content = entry[1]
        content._context = generator.context   # links resolve against this build's content
        content.settings = generator.settings
        cache.reused += 1
        return content

    def cache_data(filename, data):
        path = os.path.join(generator.path, filename)
        stamp = source_stamp(path)
        data._municms_stamp = stamp  # what the page digest names it by (no second stat)
        cache.entries[path] = (stamp, data)
        cache.fresh.add(path)

    def add_static_links(content):
        """Pelican's, with the links found in a kept object's HTML kept on it (the HTML does not change)."""
        # the source path and the content folder name the folder links are relative to (relative_dir, which
        # Pelican works out from them on every read)
        key = (content._content, content.source_path, generator.settings["PATH"],
               generator.settings["INTRASITE_LINK_REGEX"])
        known = content.__dict__.get("_municms_static_links")
        if known is None or known[0][0] is not key[0] or known[0][1:] != key[1:]:
            known = content._municms_static_links = (key, frozenset(content.get_static_links()))
        generator.context["static_links"] |= known[1]

    generator.get_cached_data = get_cached_data
    generator.cache_data = cache_data
    generator.add_static_links = add_static_links
    generator.save_cache = lambda: None  # kept in memory; the store is written after a successful build


def replace_file(target: str, data: bytes, before=None) -> bool:
    """Write `data` to `target` as a new file (temp + rename); False (nothing written) if it already holds it.
    `before(target)` runs first when it is written (the publisher's journal)."""
    try:
        with open(target, "rb") as handle:
            if handle.read() == data:
                return False
    except OSError:
        pass
    if before is not None:
        before(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".#")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return True


class _NewFile:
    """A text file handle whose content replaces the target on close, only if it differs."""

    def __init__(self, target: str, encoding: str, state):
        self.target, self.encoding, self.parts, self.state = target, encoding, [], state

    def write(self, text: str) -> None:
        self.parts.append(text)

    def close(self) -> None:
        data = b"".join(p if isinstance(p, bytes) else p.encode(self.encoding) for p in self.parts)
        if replace_file(self.target, data, self.state.record_path):
            self.state.changed.add(self.target)

    def __enter__(self):
        return self

    def __exit__(self, kind, *rest) -> None:
        if kind is None:
            self.close()


class FingerprintWriter(Writer):
    """Pelican's writer that skips a page whose inputs have the digest of the last successful build."""

    state = None  # the SiteState, set by IncrementalPelican

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.state.sequences.begin(entry[1] for entry in self.state.content.entries.values())
        self.digester = Digester(self.state.sequences)

    def _open_w(self, filename, encoding, override=False):
        """Pelican's overwrite rules (the same errors), then a new file instead of the old one opened for writing:
        opening it would empty a file that releases share."""
        if filename in self._overridden_files:
            if override:
                return super()._open_w(filename, encoding, override)  # raises FileOverwriteFailedError
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            return super()._open_w(filename, encoding, override)  # raises FileOverwriteFailedError
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _NewFile(filename, encoding, self.state)

    def _template_globals(self, template) -> frozenset[str]:
        known = self.__dict__.setdefault("_template_names", {}).get(id(template))
        if known is None or known[0] is not template:
            known = self._template_names[id(template)] = (template, template_globals(template))
        return known[1]

    def _globals_digest(self, context: dict, names: frozenset[str]) -> bytes:
        """The digest of the global values a template reads; computed once per set of names and context (the
        context does not change while the generators write)."""
        key = (id(context), names)
        cache = self.__dict__.setdefault("_globals_cache", {})
        if key not in cache:
            cache[key] = (context, self.digester.digest({name: context.get(name) for name in sorted(names)}))
        return cache[key][1]

    @contextlib.contextmanager
    def page_group(self, key, context: dict, templates: list[tuple], plain: tuple, items: list):
        """A group of pages made from `plain` values and `items` (kept content objects, in order) with
        `templates` ((template, names of the values passed to it) for each way the group writes a page):
        yields True, and counts its pages as written unchanged, when all of those are the same as in
        the last successful build (the same objects, none of which moved; the same global values the templates
        read); else yields False and records the pages written inside the block. One listing's pages, say: a
        publish then goes through only the listings its change is on."""
        state = self.state
        digests = tuple(self._globals_digest(context, self._template_globals(template) - set(passed))
                        for template, passed in templates)
        inputs = (digests, plain, state.sequences.epoch)
        known = state.groups.get(key)
        if (known is not None and known[0] == inputs and len(known[1]) == len(items)
                and all(a is b for a, b in zip(known[1], items))):
            state.outputs_seen.update(known[2])
            state.pending_groups[key] = known
            yield True
            return
        names: list[str] = []
        self._group_names = names
        try:
            yield False
        finally:
            self._group_names = None
        state.pending_groups[key] = (inputs, list(items), names)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if name and getattr(self, "_group_names", None) is not None:
            self._group_names.append(name)
        if not name:
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)
        names = self._template_globals(template) - set(kwargs)
        globals_digest = self._globals_digest(context, names)
        quick = quick_key(template.name, name, relative_urls, url, kwargs, globals_digest, self.state.sequences)
        known = self.state.quick.get(name) if quick is not None else None
        if known is not None and known[0] == quick:
            fingerprint = known[1]
        else:
            inputs = {"template": template.name, "name": name, "relative_urls": relative_urls, "url": url,
                      "kwargs": kwargs, "globals": globals_digest}
            fingerprint = self.digester.digest(inputs).hex()
            if quick is not None:
                self.state.quick[name] = (quick, fingerprint)
        if not self.state.needs(name, fingerprint):
            return None
        return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                  override_output, url, **kwargs)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False,
                   feed_title=None):
        if path:
            limit = self.settings["FEED_MAX_ITEMS"]
            inputs = {"feed": path, "url": url, "type": feed_type, "title": feed_title,
                      "elements": [getattr(e, "_article", e) for e in elements[:limit]],
                      "site": (context.get("SITEURL"), context.get("FEED_DOMAIN"), context.get("SITENAME"),
                               context.get("TIMEZONE"), context.get("DEFAULT_LANG"))}
            if not self.state.needs(path, self.digester.digest(inputs).hex()):
                return None
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)


_GLOBALS: dict[tuple, frozenset[str]] = {}
_PARSED: dict[tuple, tuple[frozenset[str], tuple[str, ...]]] = {}


def _syntax(env) -> tuple:
    """The environment's options that change how a template's text parses."""
    return (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, tuple(sorted(env.extensions)))


def _parsed(env, name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The global names one template's own text reads and the templates it names, kept per text (the same theme
    copied to another folder, or read again by a new process's first build, is not parsed again)."""
    source = env.loader.get_source(env, name)[0]
    key = (hashlib.sha256(source.encode("utf-8")).digest(), _syntax(env))
    if key not in _PARSED:
        ast = env.parse(source)
        _PARSED[key] = (frozenset(meta.find_undeclared_variables(ast)),
                        tuple(t for t in meta.find_referenced_templates(ast) if t))
    return _PARSED[key]


def template_globals(template) -> frozenset[str]:
    """Names a template (with what it extends, includes and imports) reads from the global context; kept per
    template file and its modification time (the environment digest renders everything again anyway when a
    template changes)."""
    env = template.environment
    key = (template.filename, os.stat(template.filename).st_mtime_ns if template.filename else 0, template.name)
    if key not in _GLOBALS:
        found, seen, todo = set(), set(), [template.name]
        while todo:
            current = todo.pop()
            if current in seen or current is None:
                continue
            seen.add(current)
            names, referenced = _parsed(env, current)
            found |= names
            todo += referenced
        _GLOBALS[key] = frozenset(found - set(env.globals))
    return _GLOBALS[key]


def _compile_options(env, name: str) -> tuple:
    """What, besides a template's name and text, changes the code Jinja generates for it."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    return (_syntax(env), autoescape, env.optimized, env.finalize, env.newline_sequence, env.keep_trailing_newline,
            env.is_async, env.code_generator_class)


def _renamed(code: types.CodeType, filename: str | None) -> types.CodeType:
    """The compiled template as if compiled from `filename` (Template.filename and tracebacks come from it)."""
    if filename is None or code.co_filename == filename:
        return code
    consts = tuple(_renamed(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the process, per template name, text and the environment options that
    change the generated code: Pelican makes a new environment per generator and per build, and the same theme in
    another instance folder (a new process's first build, each test's copy) compiles to the same code. A cached
    code object is handed out under the file name it is asked for."""

    def __init__(self) -> None:
        self.compiled: dict[tuple, types.CodeType] = {}

    def get_bucket(self, environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = Bucket(environment, repr((name, _compile_options(environment, name))),
                        self.get_source_checksum(source))
        code = self.compiled.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = _renamed(code, filename)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        self.compiled[(bucket.key, bucket.checksum)] = bucket.code


TEMPLATES = MemoryBytecodeCache()   # one for the process: every build's environments share it


class SafeStaticGenerator(StaticGenerator):
    """Static files and theme files are copied as new files, only when they differ (never rewritten in place)."""

    state = None

    def _copy_staticfile(self, sc):
        source = os.path.join(self.path, sc.source_path)
        target = os.path.join(self.output_path, sc.save_as)
        self.state.outputs_seen.add(sc.save_as)
        _copy_new(source, target, self.state)

    def _file_update_required(self, staticfile):
        self.state.outputs_seen.add(staticfile.save_as)
        return super()._file_update_required(staticfile)

    def _copy_paths(self, paths, source, destination, output_path, final_path=None):
        for path in paths:
            source_path = Path(source) / path
            if final_path:
                target = Path(output_path) / destination / final_path
                target = target / source_path.name if source_path.is_file() else target
            else:
                target = Path(output_path) / destination / path
            files = [source_path] if source_path.is_file() else sorted(p for p in source_path.rglob("*")
                                                                       if p.is_file())
            for file in files:
                dest = target if source_path.is_file() else target / file.relative_to(source_path)
                self.state.outputs_seen.add(dest.relative_to(output_path).as_posix())
                _copy_new(str(file), str(dest), self.state)


def _copy_new(source: str, target: str, state) -> None:
    """Copy a static file as a new file, only if the target's bytes differ."""
    with open(source, "rb") as handle:
        if replace_file(target, handle.read(), state.record_path):
            state.changed.add(target)


class IncrementalPelican(Pelican):
    """Pelican whose article and page generators use the state's content cache and whose writer and static
    generator write only what changed."""

    def __init__(self, settings, state):
        self.state = state
        super().__init__(settings)

    def _get_generator_classes(self):
        """Pelican's classes (plugins may still swap them at generator_init), the static one writing safely."""
        bound = {StaticGenerator: _bind(SafeStaticGenerator, state=self.state)}
        return [bound.get(cls, cls) for cls in super()._get_generator_classes()]

    def run(self):
        """Pelican's run, with every article and page generator it makes keeping content between builds."""
        def keep(generator):
            if generator.settings is not self.settings:
                return
            if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
                keep_content(generator, self.state.content)
            keep_listings(generator, self.state.folders)

        signals.generator_init.connect(keep)
        try:
            return super().run()
        finally:
            signals.generator_init.disconnect(keep)

    def _get_writer(self):
        return _bind(FingerprintWriter, state=self.state)(self.output_path, settings=self.settings)


def _bind(cls, **attributes):
    return type(cls.__name__, (cls,), attributes)
