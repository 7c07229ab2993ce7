"""`python -m municms.deploy` changes the public site, so it needs a proven mudur or yonetici (or the owner's
--system) and leaves a `deploy` event in the register."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.municipality import PASSWORD

pytestmark = pytest.mark.slow


@pytest.fixture
def built(municipality, tmp_path):
    m = municipality(site="tiny")
    from tests.tinysite import build
    build(m.root, tmp_path / "build", build_id="20261125T090000Z-aaaaaa")
    return m, tmp_path / "build"


def deploy(m, build_dir, *identity, stdin="", token=None):
    env = {k: v for k, v in os.environ.items() if k != "MUNICMS_TOKEN"}
    if token:
        env["MUNICMS_TOKEN"] = token
    done = subprocess.run([sys.executable, "-m", "municms.deploy", "--instance", str(m.root), *identity,
                           str(build_dir), "20261125T090000Z-aaaaaa"], input=stdin, capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_without_credentials_nothing_is_deployed(built):
    m, build_dir = built
    code, lines = deploy(m, build_dir)
    assert code == 1
    assert lines[-1]["ok"] is False and "kimlik doğrulaması ister" in lines[-1]["message"]
    assert not m.paths.current.exists()
    assert [e.action for e in m.ledger.events() if e.action == "deploy"] == []


def test_an_editor_may_not_deploy(built):
    m, build_dir = built
    m.person("web1")
    code, lines = deploy(m, build_dir, "--as", "web1", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    assert lines[-1]["message"] == "Derlenmiş bir siteyi yayına almayı yalnız müdür ya da yönetici yapabilir."
    assert not m.paths.current.exists()


def test_a_mudur_deploys_and_the_register_says_so(built):
    m, build_dir = built
    m.person("mudur1")
    code, lines = deploy(m, build_dir, "--as", "mudur1", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, lines
    assert lines[-1]["id"] == "20261125T090000Z-aaaaaa"
    assert m.paths.current.resolve().name == "20261125T090000Z-aaaaaa"
    events = [e for e in m.ledger.events() if e.action == "deploy"]
    assert [(e.actor, e.data["release"]) for e in events] == [("mudur1", "20261125T090000Z-aaaaaa")]


def test_the_owner_may_deploy_with_system_and_it_is_recorded(built):
    m, build_dir = built
    code, lines = deploy(m, build_dir, "--system")
    assert code == 0, lines
    [event] = [e for e in m.ledger.events() if e.action == "deploy"]
    assert event.actor == "sistem" and event.data["via"].startswith("--system")
