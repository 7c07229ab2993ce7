"""A real PostgreSQL server for tests: Debian's binaries, `initdb` into a temp folder, `pg_ctl start` on a free
loopback port (its unix socket in the same folder). PostgreSQL refuses to run as root, so when the tests run as
root the server runs as the `postgres` OS user (runuser), in a folder given to that user.

    server = PgServer.start()          # one per test session
    url = server.create_database()     # a fresh, empty database per test: postgresql://municms@127.0.0.1:PORT/t_N
    server.stop()
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "municms"


def bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin with initdb and pg_ctl (Debian's layout), else the PATH's."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
                   if p.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def available() -> bool:
    folder = bin_dir()
    if folder is None or not (folder / "pg_ctl").is_file():
        return False
    return os.geteuid() != 0 or _os_user("postgres") is not None


def _os_user(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One running server; `create_database()` gives each test its own database."""

    def __init__(self, root: Path, port: int, bindir: Path, user: str | None):
        self.root, self.port, self.bindir, self.user = root, port, bindir, user
        self._names = itertools.count(1)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.root,
                                env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
        if result.returncode:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr}\n{log}")
        return result

    @classmethod
    def start(cls) -> "PgServer":
        bindir = bin_dir()
        if bindir is None:
            raise RuntimeError("PostgreSQL binaries not found")
        user = None
        root = Path(tempfile.mkdtemp(prefix="municms-pg-"))
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            account = _os_user("postgres")
            user = account.pw_name
            os.chown(root, account.pw_uid, account.pw_gid)
        root.chmod(0o700)
        server = cls(root, free_port(), bindir, user)
        server._run("initdb", "-D", str(server.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        server._run("pg_ctl", "-D", str(server.data), "-l", str(server.log), "-o", options, "-w", "-t", "60", "start")
        return server

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres"):
        """Run one statement as the superuser (autocommit) and return its rows, if any."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else None

    def create_database(self) -> str:
        """A new empty database (UTF-8) and its URL."""
        name = f"t_{os.getpid()}_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
