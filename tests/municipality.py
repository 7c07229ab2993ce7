"""A municipality for tests, driven only through the front door: submissions are dropped into the inbox and
registered by the real intake; people are real users (Argon2 passwords) who log in to act; publishing runs the
real pipeline as the scheduler does. No item, author or approval is ever written into the ledger directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from municms import auth
from municms.actions import (approve, archive, assign, discard, edit, reject, request_changes, start_review,
                             withdraw)
from municms.actions.intake import IntakeResult, intake_file
from municms.actions.publish import PublishResult, publish
from municms.actions.users import add_user, init_first_user
from municms.clock import FixedClock
from municms.config import load_instance
from municms.errors import NotFound
from municms.db import ledger_target
from municms.ledger import open_ledger
from municms.model import BIRIM, EDITOR, MUDUR, REGISTERED, YONETICI, Item, User
from municms.paths import InstancePaths
from tests.site_tree import site_files

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "dogru-parola-2026"
ADMIN = "yonetici1"

# The people of a test municipality: login → (role, unit, department). Created on first use, by the
# first yonetici, through the real add_user action.
PEOPLE = {
    "yonetici1": (YONETICI, None, None),
    "mudur1": (MUDUR, None, None), "mudur2": (MUDUR, None, None),
    "web1": (EDITOR, "web", None), "web2": (EDITOR, "web", None), "web3": (EDITOR, "web", None),
    "egitim1": (EDITOR, "egitim", None), "egitim2": (EDITOR, "egitim", None),
    "destek1": (EDITOR, "destek", None),
    "fen1": (BIRIM, None, "fen-isleri"), "mali1": (BIRIM, None, "mali-hizmetler"),
}


def written(value):
    """A front-matter value as a department types it: a moment (`yayin`, `bitis` …) as YYYY-AA-GG SS:DD, in
    the moment's own wall time (the tests' moments are in the instance's time zone)."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value


def submission_text(tur: str, baslik: str, body: str = "Metin.\n", **front) -> str:
    """A Markdown submission as a department writes it (YAML front matter, values as YAML)."""
    data = {"tur": tur, "baslik": baslik, **{key: written(value) for key, value in front.items()}}
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


class Municipality:
    """A fresh instance in a temp folder with its ledger, a fixed clock and people who log in to act."""

    def __init__(self, root: Path, now: dt.datetime):
        self.root = root
        self.instance = load_instance(root)
        self.paths = InstancePaths(root)
        self.ledger = open_ledger(ledger_target(self.instance, self.paths))
        self.clock = FixedClock(now)
        self._actors: dict[str, auth.Actor] = {}
        self._dropped = 0

    # --- people -------------------------------------------------------------------------------------------
    def person(self, login: str) -> User:
        """The user `login` of PEOPLE, created through the real actions on first use."""
        if not self.ledger.has_users():
            init_first_user(self.ledger, self.instance, ADMIN, PASSWORD, self.clock)
        try:
            return self.ledger.user(login)
        except NotFound:
            role, unit, department = PEOPLE[login]
            return add_user(self.ledger, self.instance, login, role, PASSWORD, self.actor(ADMIN), self.clock,
                            unit=unit, department=department)

    def actor(self, login: str) -> auth.Actor:
        """`login` logged in with the right password (once per test)."""
        if login not in self._actors:
            self.person(login)
            self._actors[login] = auth.login_with_password(self.ledger, login, PASSWORD, self.clock)
        return self._actors[login]

    # --- intake -------------------------------------------------------------------------------------------
    def drop(self, department: str, name: str, content: str | bytes | dict[str, bytes | str],
             author: str | None = None) -> IntakeResult:
        """Drop a file (or a bundle folder: {name: bytes}) into the department's inbox; real intake takes it."""
        folder = self.paths.inbox / department
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if isinstance(content, dict):
            target.mkdir()
            for part, data in content.items():
                (target / part).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        elif isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        return intake_file(self.ledger, self.instance, self.paths, target, self.clock, author=author)

    def submit(self, tur: str, title: str, body: str = "Metin.\n", *, department: str = "fen-isleri",
               attachments: dict[str, bytes] | None = None, **front) -> Item:
        """Register a submission through intake and return its item (fails the test if intake refused it)."""
        self._dropped += 1
        text = submission_text(tur, title, body, **({"ekler": list(attachments)} if attachments else {}), **front)
        if attachments:
            result = self.drop(department, f"gonderi-{self._dropped}", {"index.md": text, **attachments})
        else:
            result = self.drop(department, f"gonderi-{self._dropped}.md", text)
        assert result.status == "registered", (result.status, [p.__dict__ for p in result.problems])
        return result.item

    # --- workflow -----------------------------------------------------------------------------------------
    def assign(self, ref, to: str = "web1", by: str = "mudur1", reason: str | None = None) -> Item:
        self.person(to)
        return assign.assign(self.ledger, self.instance, ref, self.actor(by), self.clock, to=to, reason=reason)

    def review(self, ref, by: str = "web1") -> Item:
        return start_review.start_review(self.ledger, self.instance, ref, self.actor(by), self.clock)

    def approve(self, ref, by: str | tuple[str, ...] = "web2", *, reviewer: str = "web1",
                assigner: str = "mudur1") -> Item:
        """Havale to the reviewer, review, then approval by each approver (a registered item to approved)."""
        item = self.ledger.item(ref)
        if item.state == REGISTERED:
            self.assign(ref, to=reviewer, by=assigner)
            item = self.review(ref, by=reviewer)
        for login in (by,) if isinstance(by, str) else by:
            item = approve.approve(self.ledger, self.instance, ref, self.actor(login), self.clock)
        return item

    def request_changes(self, ref, by: str = "web1", reason: str = "Tarih eksik.") -> Item:
        return request_changes.request_changes(self.ledger, self.instance, ref, self.actor(by), self.clock,
                                               reason=reason)

    def reject(self, ref, by: str = "web1", reason: str = "Yetki dışı.") -> Item:
        return reject.reject(self.ledger, self.instance, ref, self.actor(by), self.clock, reason=reason)

    def withdraw(self, ref, by: str = "web1", reason: str | None = None) -> Item:
        return withdraw.withdraw(self.ledger, self.instance, ref, self.actor(by), self.clock, reason=reason)

    def archive(self, ref, by: str = "mudur1", reason: str | None = None) -> Item:
        return archive.archive(self.ledger, self.instance, ref, self.actor(by), self.clock, reason=reason)

    def edit(self, ref, document: str, by: str = "web2", keep: tuple[str, ...] = (),
             uploads: dict[str, bytes] | None = None) -> Item:
        """An editor's edit: the whole Markdown document, as the edit form and the API send it."""
        return edit.edit_item(self.ledger, self.instance, self.paths, ref, self.actor(by), self.clock,
                              edit.Edit(document, list(keep), dict(uploads or {})))

    def discard(self, ref, by: str = "web1", reason: str = "Düzeltme gerekmiyor.") -> Item:
        return discard.discard(self.ledger, self.instance, ref, self.actor(by), self.clock, reason=reason)

    def publish(self, by: str | None = None, reason: str | None = None) -> PublishResult:
        """The real pipeline, as the scheduler inside `serve` runs it (or as `by`, e.g. a mudur with a reason)."""
        actor = self.actor(by) if by else auth.system_actor("zamanlayıcı")
        return publish(self.ledger, self.instance, self.paths, self.clock, actor, reason=reason)

    # --- command line -------------------------------------------------------------------------------------
    def cli(self, *args: str, login: str | None = None, password: str = PASSWORD, stdin: str = "",
            token: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        """`python publish.py --instance ROOT ARGS…` in a real subprocess; `login` adds `--as LOGIN
        --password-stdin` with the password as the first line of standard input."""
        extra = []
        if login is not None:
            self.person(login)
            extra = ["--as", login, "--password-stdin"]
            stdin = password + "\n" + stdin
        env = {k: v for k, v in os.environ.items() if k != "MUNICMS_TOKEN"}
        if token is not None:
            env["MUNICMS_TOKEN"] = token
        return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(self.root), *args,
                               *extra], input=stdin, capture_output=True, text=True, timeout=timeout,
                              cwd=str(self.root), env={**env, "PYTHONPATH": str(REPO)})

    def run(self, *args: str, login: str | None = None, password: str = PASSWORD, stdin: str = "",
            token: str | None = None) -> tuple[int, str, str]:
        """The same command line in this process (fast; same parser, authentication and error boundary):
        (exit code, stdout, stderr)."""
        extra = []
        if login is not None:
            if login in PEOPLE:
                self.person(login)
            extra = ["--as", login, "--password-stdin"]
            stdin = password + "\n" + stdin
        return cli_in_process(self.root, *args, *extra, stdin=stdin, token=token)

    def files(self, root: Path | None = None) -> dict[str, bytes]:
        """Every file of the served release (or of `root`) by relative path."""
        root = root or self.paths.current
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in site_files(root)}

    def close(self) -> None:
        self.ledger.close()


def cli_in_process(root: Path, *args: str, stdin: str = "", token: str | None = None) -> tuple[int, str, str]:
    """`publish.py --instance ROOT ARGS…` in this process (the real parser, authentication and error boundary),
    with MUNICMS_TOKEN set to `token` only: (exit code, stdout, stderr)."""
    from municms.cli import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    saved = sys.stdin, os.environ.pop("MUNICMS_TOKEN", None)
    if token is not None:
        os.environ["MUNICMS_TOKEN"] = token
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--instance", str(root), *args])
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved[0]
        os.environ.pop("MUNICMS_TOKEN", None)
        if saved[1] is not None:
            os.environ["MUNICMS_TOKEN"] = saved[1]
    out.flush()
    return code, out.buffer.getvalue().decode("utf-8"), err.getvalue()


def files_mentioning(root, needle: str) -> list[str]:
    """Every file below root (search index decompressed) whose text contains needle."""
    hits = []
    for path in site_files(root):
        data = path.read_bytes()
        if path.name.endswith((".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")):
            data = gzip.decompress(data)
        if needle.encode("utf-8") in data:
            hits.append(path.relative_to(root).as_posix())
    return hits


def bare_instance(target: Path) -> Path:
    """An instance folder holding only the repository's instance.yaml (workflow and intake need no site)."""
    target.mkdir(parents=True)
    shutil.copy2(REPO / "instance.yaml", target / "instance.yaml")
    return target
