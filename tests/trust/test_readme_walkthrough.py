"""The README's walkthrough, run as written: `make run`'s demo logins, `serve` running, each command typed in a
terminal that asks for its password; the scheduler publishes what two people approved."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_instance
from tests.servers import free_port

DEMO_PASSWORD = "corum-demo-2026"  # the Makefile's demo password, as the README says
pytestmark = pytest.mark.slow


def walkthrough_lines() -> list[str]:
    """The shell lines of the README block marked as the walkthrough."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- walkthrough", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def in_terminal(command: str, cwd: Path, password: str, timeout: float = 60) -> tuple[int, str]:
    """Run `command` with bash in a pseudo-terminal, typing `password` at every password prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a shell in a terminal of its own
        os.chdir(cwd)
        os.execvpe("bash", ["bash", "-c", command], {k: v for k, v in os.environ.items() if k != "MUNICMS_TOKEN"})
    output, answered, deadline = b"", 0, time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"no answer from {command!r}: {output.decode(errors='replace')}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if output.count(b"Parola (") > answered:
            os.write(fd, password.encode() + b"\n")
            answered += 1
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", errors="replace")


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def demo_checkout(tmp_path) -> Path:
    """A copy of the repository's instance laid out like a checkout: publish.py, the samples, .venv."""
    root = copy_instance(REPO, tmp_path / "corum")
    for name in ("publish.py", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "tests" / "fixtures" / "samples", root / "tests" / "fixtures" / "samples")
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def test_readme_walkthrough_as_written(demo_checkout):
    python = REPO / ".venv" / "bin" / "python"
    stamp = REPO / ".venv" / ".municms-installed"
    # -o: never reinstall here. The checkout's pyproject.toml is a copy, possibly newer than the stamp, and
    # `pip install -e .` run in the checkout would point the shared .venv at a folder without municms.
    made = subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "-o", str(stamp), "demo-users",
                           f"PY={python}", f"PY_STAMP={stamp}"],
                          cwd=demo_checkout, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    port = free_port()
    serve = subprocess.Popen([str(python), "publish.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
                             cwd=demo_checkout, stdout=subprocess.PIPE, text=True,
                             stderr=(demo_checkout.parent / "serve.log").open("w"))
    try:
        assert "Site yayında" in serve.stdout.readline()
        year = dt.date.today().year  # the README was written in 2026; numbers and addresses carry this year
        lines = [line.replace("BİM-2026-", f"BİM-{year}-") for line in walkthrough_lines()]
        assert len(lines) == 5
        code, output = in_terminal(lines[0], demo_checkout, DEMO_PASSWORD)
        assert code == 0, output
        number = f"BİM-{year}-000001"
        for _ in range(60):  # "registered within seconds"
            code, output = in_terminal(lines[1], demo_checkout, DEMO_PASSWORD)
            assert code == 0, output
            if number in output:
                break
            time.sleep(0.5)
        assert number in output and "Parola (mudur)" in output
        for line in lines[2:]:
            code, output = in_terminal(line, demo_checkout, DEMO_PASSWORD)
            assert code == 0, f"{line}\n{output}"
        assert "onaylandı" in output
        url = f"http://127.0.0.1:{port}/duyurular/{year}/isikli-carsi-ihalesi-sonuclandi/"
        deadline = time.monotonic() + 60
        while fetch_status(url) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert fetch_status(url) == 200, (demo_checkout.parent / "serve.log").read_text()
    finally:
        serve.terminate()
        serve.wait(timeout=30)
