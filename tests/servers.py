"""Real servers for tests on loopback: a free port, waiting for a listener, nginx with the generated config."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

from municms.nginx import DEFAULT_UPSTREAM, prepare_prefix, standalone_conf


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fail_if_exited(proc: subprocess.Popen, what: str) -> None:
    """Fail with the server's stderr if it has exited (it will never listen or answer)."""
    if proc.poll() is not None:
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"{what} exited with {proc.returncode}: {stderr}")


def wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 10) -> None:
    """Return once something listens on 127.0.0.1:port; fail with the server's stderr if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _fail_if_exited(proc, what)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def wait_for_answer(base: str, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    """Return once the server at base answers HTTP (any status): `serve` listens before its workers have
    imported everything, and on a busy machine the first answer can take longer than a request's timeout."""
    import urllib.error
    import urllib.request

    wait_for_port(int(base.rsplit(":", 1)[1].split("/")[0]), proc, what, timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _fail_if_exited(proc, what)
        try:
            with urllib.request.urlopen(base + "/", timeout=timeout):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer at {base}")


class Nginx:
    """Real nginx processes, each serving a root with `municms.nginx.standalone_conf` on a free port."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []

    def start(self, root: Path, upstream: str = DEFAULT_UPSTREAM) -> str:
        """Serve root; /yonetim/ and /kayit/ are proxied to upstream (host:port of the app)."""
        prefix = self.workdir / f"nginx{len(self.procs)}"
        prepare_prefix(prefix)
        port = free_port()
        (prefix / "nginx.conf").write_text(standalone_conf(prefix, root, port, upstream=upstream), encoding="utf-8")
        proc = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(proc)
        wait_for_port(port, proc, "nginx")
        return f"http://127.0.0.1:{port}"

    def stop_all(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGQUIT)  # graceful stop
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def assert_valid_in_http_block(block: str, folder: Path) -> None:
    """`nginx -t` accepts the server block inside a bare http {} block, as a file of sites-enabled/ is read."""
    folder.mkdir()
    (folder / "nginx.conf").write_text(
        f"pid {folder}/nginx.pid; error_log {folder}/error.log; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; {block} }}\n", encoding="utf-8")
    check = subprocess.run(["nginx", "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
