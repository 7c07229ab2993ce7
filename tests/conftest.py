"""Shared fixtures: the system browser, the pinned dev tools, a copy of the demo instance, a built and served site.

Folders add their own conftest.py for their own fixtures; the names here stay generic.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.servers import Nginx

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FIXED_NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
INSTANCE_PARTS = ("instance.yaml", "pelicanconf.py", "content", "data", "plugins", "themes")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require(available: bool, what: str) -> None:
    """A missing test tool fails the test in CI (CI set) and skips it elsewhere, saying what to install."""
    if available:
        return
    reason = f"{what} is missing; `make test` installs it"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright launches the Debian Chromium; nothing is downloaded, no background traffic."""
    require(CHROMIUM.is_file(), f"Chromium ({CHROMIUM})")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The pinned axe-core, to inject with page.evaluate (a strict CSP would block a script tag)."""
    require(AXE_JS.is_file(), f"axe-core ({AXE_JS.relative_to(REPO)}, from `npm ci`)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """The Nu Html Checker command line, without the files to check."""
    require(shutil.which("java") is not None, "Java (default-jre-headless)")
    require(VNU_JAR.is_file(), f"the Nu Html Checker ({VNU_JAR.relative_to(REPO)}, from `npm ci`)")
    return ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def copy_instance(source: Path, target: Path) -> Path:
    """Copy the parts of an instance that a build reads (skipping caches) into target; parts the source
    lacks (a fixture instance has no theme of its own) come from the repository."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in INSTANCE_PARTS:
        part = source / name if (source / name).exists() else REPO / name
        if part.is_dir():
            shutil.copytree(part, target / name, ignore=ignore)
        elif part.is_file():
            shutil.copy2(part, target / name)
    return target


@pytest.fixture
def demo_instance(tmp_path):
    """Factory: demo_instance(name="instance") copies the repository's instance into tmp_path/name."""

    def make(name: str = "instance") -> Path:
        return copy_instance(REPO, tmp_path / name)

    return make


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    """The demo site built once per worker, with the clock fixed at 2026-11-25 12:00 Europe/Istanbul."""
    from municms.build import build_site
    from municms.config import load_instance

    root = copy_instance(REPO, tmp_path_factory.mktemp("demo") / "instance")
    output = root.parent / "site"
    build_site(load_instance(root), output, now=FIXED_NOW, build_id="test-demo")
    return output


@pytest.fixture(scope="session")
def site_server():
    """Factory: site_server(directory) serves a built site on a free loopback port and returns its base URL."""
    from municms.serve import make_server

    servers = []

    def serve(directory: Path) -> str:
        server = make_server(Path(directory), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_url(built_demo, site_server) -> str:
    """Base URL (no trailing slash) of the built demo site served on loopback."""
    return site_server(built_demo)


@pytest.fixture
def nginx(tmp_path):
    """nginx(root) → base URL of a real nginx (generated standalone config) serving root on loopback."""
    require(shutil.which("nginx") is not None, "nginx")
    servers = Nginx(tmp_path)
    yield servers.start
    servers.stop_all()


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server (tests.pgserver) for the session, on a free loopback port."""
    from tests import pgserver

    require(pgserver.available(), "PostgreSQL (Debian package postgresql: initdb, pg_ctl)")
    server = pgserver.PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, empty PostgreSQL database for this test."""
    return pg_server.create_database()


@pytest.fixture
def ledger_backend() -> str:
    """Where the municipality fixture keeps its ledger: "sqlite" here; a folder's conftest.py overrides this
    fixture with params=LEDGER_BACKENDS to run its tests on both."""
    return "sqlite"


LEDGER_BACKENDS = ("sqlite", "postgresql")


def use_postgres(root: Path, url: str) -> None:
    """Point the instance at `url` (database_url in its instance.yaml) and create the schema there."""
    from municms.ledger import migrate

    path = root / "instance.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\ndatabase_url: {url}\n", encoding="utf-8")
    migrate(url)


@pytest.fixture
def municipality(tmp_path, ledger_backend, request):
    """Factory: municipality(site="bare"|"tiny"|"demo", now=FIXED_NOW) → tests.municipality.Municipality, a fresh
    instance whose items come only from real intake and whose people log in with real passwords.

    bare: the repository's instance.yaml only (workflow, intake, register); tiny: the small fixed site of
    tests/fixtures/tiny (fast builds); demo: a copy of the whole demo instance. Its ledger is the SQLite file,
    or a fresh PostgreSQL database of the session's server when ledger_backend is "postgresql"."""
    from tests.municipality import Municipality, bare_instance
    from tests.tinysite import copy_tiny

    made = []
    server = request.getfixturevalue("pg_server") if ledger_backend == "postgresql" else None

    def make(site: str = "bare", now: dt.datetime = FIXED_NOW, name: str | None = None) -> Municipality:
        target = tmp_path / (name or f"{site}-{len(made) + 1}")
        root = {"bare": bare_instance, "tiny": copy_tiny, "demo": lambda t: copy_instance(REPO, t)}[site](target)
        if server is not None:
            use_postgres(root, server.create_database())
        made.append(Municipality(root, now))
        return made[-1]

    yield make
    for m in made:
        m.close()
