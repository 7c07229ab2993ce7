"""Build the public site with Pelican used as a library: settings → Pelican.run() into a fresh directory."""

from __future__ import annotations

import copy
import hashlib
import datetime as dt
import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from pelican import Pelican
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings

from .checks import Embargoed, check_site
from .compliance import Rules
from .config import Instance
from .errors import BuildError, ConfigError, Problem
from .files import write_atomic
from .paths import InstancePaths
from .search import index_site
from .settings_check import check_pelican_settings

log = logging.getLogger(__name__)

# Written into every build: `build --output DIR` replaces DIR only when it is empty or holds this file, so a
# folder of someone's own files given by mistake is never deleted. Constant, so releases share it unchanged.
BUILD_MARKER = ".municms-build"
MARKER_TEXT = "Bu klasör municms ile oluşturulmuş bir site derlemesidir; yeni derleme onu bütünüyle değiştirir.\n"


@dataclass
class BuildResult:
    build_id: str
    output: Path
    seconds: float
    articles: int
    pages: int
    files: int
    warnings: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds of pelican, search, checks, manifest
    # an incremental build (municms.incremental): what it wrote and removed, pages rendered, sources parsed
    written: list[str] | None = None
    removed: list[str] | None = None
    rendered: int | None = None
    read: int | None = None
    # the publisher's working tree (not a folder of this build): deployed from, never deleted; its sha256 per file
    shared: bool = False
    hashes: dict[str, str] | None = None

    def discard(self) -> None:
        """Drop the built folder once deployed or abandoned (the publisher's working tree stays)."""
        if not self.shared:
            shutil.rmtree(self.output, ignore_errors=True)


class _Collector(logging.Handler):
    """Keeps Pelican's warnings and errors so a build with errors fails instead of logging and going on."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def raise_errors(self) -> None:
        """BuildError listing every error Pelican or a plugin logged (a build with one is not used)."""
        errors = [r for r in self.records if r.levelno >= logging.ERROR]
        if errors:
            raise BuildError("Site oluşturulamadı:\n" + "\n".join(f"  - {r.getMessage()}" for r in errors),
                             "build failed: " + "; ".join(r.getMessage() for r in errors))


def new_build_id(now: dt.datetime | None = None) -> str:
    """Sortable, unique id: 20261125T101500Z-3fa9c1."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def pelican_settings(instance: Instance, output: Path, build_id: str, now: dt.datetime) -> dict:
    """Read pelicanconf.py of the instance, check it, and add what only the build knows."""
    paths = InstancePaths(instance.root)
    if not paths.pelicanconf.is_file():
        raise ConfigError([Problem("", f"{paths.pelicanconf} bulunamadı.", "pelicanconf.py not found",
                                   None, str(paths.pelicanconf))])
    raw = dict(copy.deepcopy(DEFAULT_CONFIG), **get_settings_from_file(str(paths.pelicanconf)))
    for key in ("PATH", "THEME"):  # relative to the instance directory
        raw[key] = str(instance.root / raw[key])
    raw["PLUGIN_PATHS"] = [str(instance.root / p) for p in raw.get("PLUGIN_PATHS") or []]
    check_pelican_settings(raw, str(paths.pelicanconf))
    override = {
        "PATH": raw["PATH"], "THEME": raw["THEME"], "PLUGIN_PATHS": raw["PLUGIN_PATHS"],
        "OUTPUT_PATH": str(output),
        "SITEURL": "",
        "SITENAME": instance.municipality.name,
        "AUTHOR": instance.municipality.name,
        "TIMEZONE": instance.municipality.timezone,
        "MUNICMS_INSTANCE": instance,
        "MUNICMS_BUILD_ID": build_id,
        "MUNICMS_NOW": now,
        "MUNICMS_MANIFEST": {},
    }
    return read_settings(str(paths.pelicanconf), override=override)


def build_site(instance: Instance, output: Path | None = None, now: dt.datetime | None = None,
               build_id: str | None = None, check: bool = True, embargoed: list[Embargoed] = (),
               search: bool = True, state=None) -> BuildResult:
    """Build the whole site into output (default var/build/<id>/); nothing is written if the build or a check fails.

    With a publisher `state` (municms.incremental), only what changed since its last build is rendered, checked
    and written into its working tree, and the result's output is that tree (`output` is not used)."""
    now = now or dt.datetime.now(instance.tz)
    build_id = build_id or new_build_id()
    paths = InstancePaths(instance.root)
    if state is not None:
        return _build_incremental(instance, paths, now, build_id, check, embargoed, search, state)
    output = Path(output) if output else paths.builds / build_id
    check_output_replaceable(output)
    staging = output.parent / f".{output.name}.tmp-{secrets.token_hex(4)}"
    settings = pelican_settings(instance, staging, build_id, now)

    started = time.perf_counter()
    phases: dict[str, float] = {}
    collector = _Collector()
    pelican_logger = logging.getLogger()  # Pelican and our plugins log under different names
    pelican_logger.addHandler(collector)
    try:
        staging.mkdir(parents=True)
        site = Pelican(settings)
        site.run()
        collector.raise_errors()
        phases["pelican"] = time.perf_counter() - started
        if search:  # a preview has no search page to feed
            index_site(staging, now=now)
        phases["search"] = time.perf_counter() - started - sum(phases.values())
        if check:
            check_site(staging, instance.municipality.site_url, Rules.of(instance, now), embargoed)
        phases["checks"] = time.perf_counter() - started - sum(phases.values())
        (staging / BUILD_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        manifest = build_manifest(settings, staging, instance, build_id)
        phases["manifest"] = time.perf_counter() - started - sum(phases.values())
        _replace_dir(staging, output)
        write_manifest(paths, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        pelican_logger.removeHandler(collector)
    seconds = time.perf_counter() - started
    stats = settings.get("MUNICMS_STATS", {})
    files = sum(len(names) for _, _, names in os.walk(output))
    warnings = [r.getMessage() for r in collector.records if r.levelno == logging.WARNING]
    result = BuildResult(build_id, output, seconds, stats.get("articles", 0), stats.get("pages", 0), files, warnings,
                         {name: round(value, 3) for name, value in phases.items()})
    _write_build_log(paths, result)
    return result


def _build_incremental(instance: Instance, paths: InstancePaths, now: dt.datetime, build_id: str,
                       check: bool, embargoed, search: bool, state) -> BuildResult:
    """The publisher's working tree brought up to date; the result is that tree itself (the caller holds the
    deploy lock, so nothing changes it until it is deployed: a deploy links its files, never changes them)."""
    from .incremental.build import build_incremental
    from .incremental.registry import save

    built = build_incremental(instance, state, now, build_id, embargoed, check=check, search=search)
    started = time.perf_counter()
    manifest = {"build_id": build_id, "shared": {}, "sources": {},
                "files": {rel: {"sha256": digest, "sources": []} for rel, digest in sorted(built.hashes.items())}}
    write_manifest(paths, manifest)
    save(state, paths)
    state.end_journal()
    phases = {**built.phases, "manifest": round(time.perf_counter() - started, 3)}
    result = BuildResult(build_id, built.tree, built.seconds + phases["manifest"], built.articles, built.pages,
                         len(built.hashes), built.warnings, phases, built.written, built.removed, built.rendered,
                         built.read, shared=True, hashes=built.hashes)
    _write_build_log(paths, result)
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_manifest(settings: dict, output: Path, instance: Instance, build_id: str) -> dict:
    """For each output file: its hash and the sources it was made from, with their hashes."""
    content_root = Path(settings["PATH"])
    recorded = settings["MUNICMS_MANIFEST"]
    files, sources = {}, {}
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = path.relative_to(output).as_posix()
        made_from = sorted(recorded.get(rel, ()))
        if not made_from:
            made_from = ["theme"] if rel.startswith("theme/") else ["*"]
        for source in made_from:
            if source not in sources and (content_root / source).is_file():
                sources[source] = _sha256(content_root / source)
        files[rel] = {"sha256": _sha256(path), "sources": made_from}
    # Every page also depends on the templates, the settings and the instance data.
    shared = [instance.root / "instance.yaml", instance.root / "pelicanconf.py"]
    shared += sorted((Path(settings["THEME"])).rglob("*.*")) + sorted((instance.root / "data").glob("*.yaml"))
    shared_hashes = {p.relative_to(instance.root).as_posix() if p.is_relative_to(instance.root) else str(p): _sha256(p)
                     for p in shared if p.is_file()}
    return {"build_id": build_id, "shared": shared_hashes, "sources": sources, "files": files}


KEEP_MANIFESTS = 20  # the newest builds' manifests (a release older than these is checked against the newest)


def write_manifest(paths: InstancePaths, manifest: dict) -> Path:
    """Store the manifest next to, not inside, the public tree; drop those of all but the newest builds."""
    folder = paths.var / "manifests"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{manifest['build_id']}.json"
    write_atomic(target, orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS))  # the same bytes as json, ~10× faster
    done = sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")), key=_mtime)
    for old in done[:-KEEP_MANIFESTS]:
        if old != target:
            old.unlink(missing_ok=True)
    return target


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def check_output_replaceable(output: Path) -> None:
    """Refuse an output path that holds anything but an earlier build: replacing it would delete those files."""
    if not os.path.lexists(output):
        return
    if not output.is_dir():
        raise BuildError(f"'{output}' bir klasör değil; site oluşturulmadı. Var olmayan ya da boş bir klasör "
                         "verin.", f"output {output} exists and is not a directory")
    if (output / BUILD_MARKER).is_file() or not any(output.iterdir()):
        return
    raise BuildError(f"'{output}' klasörü boş değil ve bir municms derlemesi değil; içindekiler silinmesin diye "
                     "site oluşturulmadı. Var olmayan ya da boş bir klasör verin.",
                     f"output {output} is not empty and holds no {BUILD_MARKER}: refusing to replace it")


def _replace_dir(staging: Path, output: Path) -> None:
    """Move the finished build into place; an earlier build (checked again now) is replaced as a whole."""
    check_output_replaceable(output)
    if output.exists():
        old = output.parent / f".{output.name}.old-{secrets.token_hex(4)}"
        output.rename(old)
        staging.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(output)


def _write_build_log(paths: InstancePaths, result: BuildResult) -> None:
    logs = paths.logs / "builds"
    logs.mkdir(parents=True, exist_ok=True)
    lines = [f"build {result.build_id}", f"output {result.output}", f"seconds {result.seconds:.2f}",
             f"articles {result.articles}", f"pages {result.pages}", f"files {result.files}"]
    lines += [f"phase {name} {seconds:.2f}" for name, seconds in result.phases.items()]
    lines += [f"warning {w}" for w in result.warnings]
    (logs / f"{result.build_id}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
