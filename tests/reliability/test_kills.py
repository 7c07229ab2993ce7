"""SIGKILL at random moments (seeded) of intake, the JSON API's server, publish and deploy/rollback, each a real
subprocess; after every kill, and after the restart that finishes the work, one checker (invariants.check):
nothing lost or registered twice, numbers gapless, events consistent with states, one complete release served,
the register's chain intact, the ledger sound. 32 kills in all; bench/soak.py runs the long version."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter

import pytest

from municms.deploy.shards import IDENTITY_FILE
from municms.model import APPROVED, CHANGES_REQUESTED, PUBLISHED
from tests.tinysite import build

from .faults import (ApiClient, Killer, KillWindow, Server, deploy_module, drop_files, kill_at_random, publish_py, run,
                     timed)
from .invariants import Drops, check

INTAKE_KILLS, API_KILLS, PUBLISH_KILLS, DEPLOY_KILLS = 10, 8, 4, 10


def assert_sound(root, drops=None, **options) -> None:
    violations = check(root, drops, **options)
    assert violations == [], "\n".join(violations)


@pytest.mark.slow
def test_intake_killed_at_random_moments(municipality, rng):
    m = municipality("bare")
    drops = Drops()
    command = publish_py(m.root, "intake")
    processing = m.paths.submissions / "processing"

    def claimed() -> bool:
        """A run has claimed a file (processing/<department>/<session>--<name>)."""
        return any(p.is_file() for p in processing.glob("*/*") if not p.parent.name.startswith("."))

    drop_files(m.paths, drops, rng, 30)
    duration = timed(command)  # one pass over 30 files
    kills = attempts = 0
    window = duration * 0.6
    while kills < INTAKE_KILLS:
        attempts += 1
        assert attempts <= 4 * INTAKE_KILLS, f"only {kills} kills landed during an intake pass"
        drop_files(m.paths, drops, rng, 30)
        # from its first claim to well into the pass (claim, copy, commit, receipt, cleanup)
        killed = kill_at_random(command, rng, window=window, after=claimed)
        kills += killed
        if not killed:  # the pass ended first: the machine got less busy since the pass was timed
            window *= 0.6
        assert_sound(m.root, drops, settled=False)
        if kills % 5 == 0:  # a restart that runs to the end now and then; the others restart by the next pass
            run(command)
            assert_sound(m.root, drops)
    run(command)
    assert_sound(m.root, drops)
    items = m.ledger.items()
    assert len(items) == sum(1 for _, _, title in drops.entries if title) > 0
    assert sum(1 for _, _, title in drops.entries if title is None) > 0


@pytest.mark.slow
def test_api_server_killed_mid_request(municipality, rng, tmp_path):
    """Department submissions, havale, review, approval by a second person and requests for changes through the
    JSON API of `serve` (two workers) while its workers, and now and then the whole server, are killed."""
    m = municipality("bare")
    tokens = {}
    for login in ("fen1", "mudur1", "web1", "web2"):
        code, out, err = m.run("users", "token", login, login=login)
        assert code == 0, err
        tokens[login] = out.strip()
    site = tmp_path / "bos-site"
    site.mkdir()
    server = Server(m.root, "--dir", str(site), workers=1, fork=True)
    server.start()
    found = []
    killer = Killer(server, rng, API_KILLS, low=0.05, high=0.6, whole_every=1,
                    on_killed=lambda: found.extend(check(m.root, settled=False)))
    client = ApiClient(server.base, tokens)
    outcomes, expected = Counter(), {}
    killer.start()
    try:
        n = 0
        while killer.is_alive() or n < 4:
            n += 1
            number = client.submit("fen1", "duyuru", f"API Duyurusu {n:03d}", f"Metin {n}.")
            outcomes[client.act(number, "assign", "mudur1", to="web1")] += 1
            outcomes[client.act(number, "review", "web1")] += 1
            if n % 3:
                outcomes[client.act(number, "approve", "web2")] += 1  # four-eyes: not the reviewer
                expected[number] = APPROVED
            else:
                outcomes[client.act(number, "request-changes", "web2", reason="Tarih eksik.")] += 1
                expected[number] = CHANGES_REQUESTED
            assert n < 200, "the killer never finished"
    finally:
        killer.stopping.set()
        killer.join(timeout=180)
        client.close()
        server.stop()
    assert killer.error is None, killer.error
    assert found == [], "\n".join(found)  # checked after each kill, before the restart
    assert killer.kills["server"] == API_KILLS, killer.kills
    assert client.retries > 0  # some requests were cut by a kill
    # `serve --dir` runs no inbox watcher: a worker killed between writing its claim and registering it leaves
    # the claim to the next intake pass (serve's watcher, or this one), which finds the retry's registration
    # of the same bytes and only writes the receipt.
    run(publish_py(m.root, "intake"))
    assert_sound(m.root)
    items = {item.number: item for item in m.ledger.items()}
    assert {number: item.state for number, item in items.items()} == expected
    for number, item in items.items():  # every action applied exactly once
        actions = Counter((e.actor, e.action) for e in m.ledger.events(item.id))
        last = "approve" if expected[number] == APPROVED else "request_changes"
        assert actions == Counter({("sistem", "register"): 1, ("mudur1", "assign"): 1, ("web1", "start_review"): 1,
                                   ("web2", last): 1}), (number, actions)
    print(f"API: {len(items)} items, kills {killer.kills}, outcomes {dict(outcomes)}, retries {client.retries}")


@pytest.mark.slow
def test_publish_killed_mid_build_or_deploy(municipality, rng):
    m = municipality("tiny")
    command = publish_py(m.root, "publish", "--system")
    numbers = []

    def approve_one() -> None:
        item = m.submit("haber", f"Kesinti Sonrası Haber {len(numbers) + 1}", "Metin.")
        m.approve(item.number)
        numbers.append(item.number)

    approve_one()
    window = KillWindow(command, rng, 0.15, 0.95)
    window.run_to_end()
    assert_sound(m.root, site_expected=True)
    kills = attempts = 0
    while kills < PUBLISH_KILLS:
        attempts += 1
        assert attempts <= 4 * PUBLISH_KILLS, f"only {kills} kills landed during a publish"
        approve_one()
        kills += window.kill_once()
        assert_sound(m.root, settled=False, site_expected=True)  # the next publish is the restart
    run(command)
    assert_sound(m.root, site_expected=True)
    for number in numbers:
        item = m.ledger.item(number)
        assert item.state == PUBLISHED
        assert [e.action for e in m.ledger.events(item.id)].count("publish") == 1


@pytest.mark.slow
def test_deploy_and_rollback_killed(municipality, rng, tmp_path):
    m = municipality("tiny")
    base = build(m.root, tmp_path / "base", build_id="20261130T000000Z-000000").output

    def variant(n: int):
        rid = f"20261130T{n:06d}Z-{n:06x}"
        folder = tmp_path / "builds" / rid
        shutil.copytree(base, folder)
        page = folder / "index.html"
        page.write_bytes(page.read_bytes().replace(b"</main>", f"<p>Sürüm {n}.</p></main>".encode(), 1))
        (folder / IDENTITY_FILE).unlink(missing_ok=True)
        return folder, rid

    run(deploy_module(m.root, *variant(1)))
    duration = timed(deploy_module(m.root, *variant(2)))
    rollback = publish_py(m.root, "rollback", "--system", "--reason", "Kesinti denemesi")
    back = timed(rollback)  # a rollback only switches the link and records itself: shorter than a deploy
    kills = {"deploy": 0, "rollback": 0}
    n = 2
    while sum(kills.values()) < DEPLOY_KILLS:
        n += 1
        assert n < 6 * DEPLOY_KILLS, f"only {kills} kills landed"
        if n % 2:
            folder, rid = variant(n)
            kills["deploy"] += kill_at_random(deploy_module(m.root, folder, rid), rng, window=duration,
                                              not_before=duration * 0.3)
        else:
            kills["rollback"] += kill_at_random(rollback, rng, window=back * 0.9, not_before=back * 0.2)
        assert_sound(m.root, settled=False, site_expected=True)
    folder, rid = variant(n + 1)
    out = run(deploy_module(m.root, folder, rid)).stdout.splitlines()
    assert json.loads(out[-1])["ok"] is True
    assert os.readlink(m.paths.current) == f"releases/{rid}"
    assert_sound(m.root, site_expected=True)
    assert kills["deploy"] >= 3 and kills["rollback"] >= 3, kills
    print(f"deploy/rollback kills: {kills}")
