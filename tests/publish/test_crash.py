"""Kill -9 during publish: the served site stays one complete release, and rerunning publish completes the work."""

from __future__ import annotations

import json
import os
import random
import sys

import pytest

from municms.deploy.shards import IDENTITY_FILE, file_sha256, tree_digest
from municms.model import PUBLISHED
from tests.reliability.faults import KillWindow
from tests.tinysite import REPO

def served_release(site) -> str | None:
    """The release var/current serves, checked whole: its surum.json names the release the link points at,
    and the hash of every file served (through the release's shards) adds up to the one it records."""
    if not site.paths.current.exists():
        return None
    said = json.loads((site.paths.current / IDENTITY_FILE).read_text(encoding="utf-8"))
    assert os.path.basename(os.readlink(site.paths.current)) == said["release"]
    root = os.path.realpath(site.paths.current)
    served = {os.path.relpath(os.path.join(folder, name), root): file_sha256(os.path.join(folder, name))
              for folder, _, names in os.walk(root, followlinks=True) for name in names}
    served.pop(IDENTITY_FILE)
    assert tree_digest(served) == said["sha256"]
    return said["release"]


@pytest.mark.slow
def test_killed_publishes_leave_a_whole_site_and_a_rerun_finishes(site):
    rng = random.Random(20261125)
    numbers, kills, round_no = [], 0, 0
    command = [sys.executable, str(REPO / "publish.py"), "--instance", str(site.paths.root), "publish", "--system"]

    def new_item() -> None:
        nonlocal round_no
        round_no += 1
        item = site.submit("haber", f"Kesinti Haberi {round_no}", f"Tur {round_no} metni.")
        site.approve(item.number)
        numbers.append(item.number)

    # One publish that runs to the end tells how long a publish takes on this machine right now, so the kills
    # below land inside a publish (at a random moment of it) whether the machine is idle or busy.
    new_item()
    window = KillWindow(command, rng, 0.1, 0.95, fork=False)
    window.run_to_end()
    served_release(site)
    while kills < 5 and round_no < 30:
        new_item()
        kills += window.kill_once()
        served_release(site)
    assert kills >= 5, f"only {kills} kills landed during a publish"

    result = site.publish()
    assert served_release(site) == result.release_id
    for number in numbers:
        item = site.ledger.item(number)
        assert item.state == PUBLISHED
        assert [e.action for e in site.ledger.events(item.id)].count("publish") == 1
        files = [p for p in site.paths.content.rglob("*.md") if f"Kayit_no: {number}\n" in p.read_text("utf-8")]
        assert len(files) == 1, files
        page = site.paths.current / f"haberler/2026/{files[0].stem}/index.html"
        assert f"Kayıt no: {number}" in page.read_text(encoding="utf-8")
    assert not list(site.paths.content.rglob(".#*"))
    assert not (site.paths.var / "materialise").exists()
