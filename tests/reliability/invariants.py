"""The one checker every fault test (and bench/soak.py) runs after a kill and after the restart that follows it.

`check(root, drops, settled=…)` returns a list of violations (empty: all is well), each one line of English
naming what broke and where:

- no submission lost or registered twice: every dropped file is registered exactly once (by its title), or sits
  in the quarantine with its `.hata.txt` report; while not settled (right after a kill) it may also still wait
  in the inbox or in processing/;
- registration numbers gapless per register and year (1..n, the counter at n);
- every event consistent with its item's state: the item's events replayed through the workflow transition
  table (municms/workflow.py) lead to its stored state; no approval and no re-assignment applied twice;
- the served site (var/current) is one complete release: its surum.json names the release it points at and the
  hash of every file served adds up to the one surum.json records;
- the publication register's hash chain intact (and, once settled, `verify`: export and served files agree);
- the ledger passes PRAGMA integrity_check.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from municms.deploy.shards import IDENTITY_FILE, file_sha256, tree_digest
from municms.ledger import open_ledger
from municms.model import RECEIVED
from municms.paths import InstancePaths
from municms.register.chain import check_chain
from municms.register.verify import verify_site
from municms.workflow import APPROVE, ASSIGN, TRANSITIONS

NUMBER = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d+)$")


@dataclass
class Drops:
    """What the test (or the soak) dropped into the inboxes: (department, file name, title or None for a file
    that must be quarantined)."""

    entries: list[tuple[str, str, str | None]] = field(default_factory=list)

    def add(self, department: str, name: str, title: str | None) -> None:
        self.entries.append((department, name, title))


def check(root: Path, drops: Drops | None = None, *, settled: bool = True, site_expected: bool = False,
          verify: bool | None = None) -> list[str]:
    """Every violation of the invariants in the instance at `root` (see the module's docstring).

    settled: a run finished after the last kill (nothing may wait in processing/ or the inbox);
    site_expected: a release was deployed at some point, so var/current must exist;
    verify: run the register's full verify (default: when settled and a site exists)."""
    paths = InstancePaths(Path(root))
    found = integrity(paths)
    if found:
        return found  # a damaged ledger: what it says cannot be trusted
    ledger = open_ledger(paths.database)
    try:
        with ledger._read() as snapshot:  # one read transaction: a server that runs on cannot mix two moments
            items, events, rows = snapshot.items(), snapshot.events(), snapshot.register_records()
            counters = {(prefix, year): last for prefix, year, last in
                        snapshot.conn.execute("SELECT prefix, year, last FROM counters")}
    finally:
        ledger.close()
    found += submissions(paths, items, drops or Drops(), settled)
    found += numbering(items, counters)
    found += event_consistency(items, events)
    release = served_release(paths, found)
    if release is None and site_expected:
        found.append("site: var/current is missing although a release was deployed")
    for problem in check_chain(rows):
        found.append(f"register: record {problem.seq}: {problem.message_tr}")
    if verify if verify is not None else (settled and release is not None and rows):
        report = verify_site(rows, paths.current)
        found += [f"verify: {f.kind} {f.name}: {f.message_tr}" for f in report.findings]
    return found


def integrity(paths: InstancePaths) -> list[str]:
    """PRAGMA integrity_check of the ledger (opened read-only, so the check changes nothing)."""
    if not paths.database.exists():
        return []
    conn = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True, timeout=30)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    return [] if result == ["ok"] else [f"ledger: integrity_check: {'; '.join(result[:5])}"]


def submissions(paths: InstancePaths, items, drops: Drops, settled: bool) -> list[str]:
    """Each dropped file once in the register (or quarantined with a report); no title registered twice."""
    found = []
    titles = Counter(item.title for item in items)
    found += [f"registered twice: {title!r} ({count} items)" for title, count in titles.items() if count > 1]
    processing = paths.submissions / "processing"
    for department, name, title in drops.entries:
        waiting = (paths.inbox / department / name).exists() or (
            (processing / department).is_dir()
            and any(p.name.endswith("--" + name) for p in (processing / department).iterdir()))
        if title is not None:
            if titles[title] == 0 and (settled or not waiting):
                found.append(f"lost: {department}/{name} ({title!r}) is neither registered nor waiting")
        else:
            quarantined = (paths.quarantine / department / name).exists() and \
                (paths.quarantine / department / f"{name}.hata.txt").exists()
            if not quarantined and (settled or not waiting):
                found.append(f"lost: {department}/{name} (to be refused) is not in quarantine with its report")
    if settled:
        left = [p for p in (paths.inbox, processing) if p.is_dir()
                for p in p.rglob("*") if p.is_file() and not {".sessions", ".done"} & set(p.parts)]
        found += [f"left over after the restart: {p.relative_to(paths.root)}" for p in left]
    for item in items:
        if not (paths.registered / str(item.year) / item.number).is_dir():
            found.append(f"{item.number}: no folder in submissions/registered/{item.year}/")
    return found


def numbering(items, counters: dict) -> list[str]:
    """Numbers 1..n in every register and year, each once, and the counter at n."""
    found = []
    seqs = defaultdict(list)
    for item in items:
        match = NUMBER.match(item.number)
        if not match:
            found.append(f"{item.number}: not a registration number")
            continue
        seqs[(match["prefix"], int(match["year"]))].append(int(match["seq"]))
    for key, numbers in sorted(seqs.items()):
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            found.append(f"numbers of {key[0]}-{key[1]} not gapless: missing {missing[:10]}, "
                         f"repeated {sorted(n for n, c in Counter(numbers).items() if c > 1)[:10]}")
        if counters.get(key) != len(numbers):
            found.append(f"counter of {key[0]}-{key[1]} is {counters.get(key)}, the register holds {len(numbers)}")
    return found


def event_consistency(items, events) -> list[str]:
    """Replay every item's events through the transition table; the result must be its stored state."""
    found = []
    by_item = defaultdict(list)
    for event in events:
        if event.item_id is not None:
            by_item[event.item_id].append(event)
    for item in items:
        state, approvals, previous = RECEIVED, set(), None
        for event in by_item.get(item.id, []):
            if event.to_state is None:
                continue  # an event that changes no state (a comment, a hold note)
            rule = TRANSITIONS.get((event.from_state, event.action))
            where = f"{item.number}: event {event.id} {event.action} {event.from_state}→{event.to_state}"
            if event.from_state != state:
                found.append(f"{where}: the item was {state} then")
            elif rule is None or event.to_state not in (rule.to_state, event.from_state):
                found.append(f"{where}: not a transition of the workflow")
            if event.action == APPROVE:
                key = (event.actor, event.data.get("rev"))
                if key in approvals:
                    found.append(f"{where}: {event.actor} approved revision {key[1]} twice")
                approvals.add(key)
            if event.action == ASSIGN and previous is not None and previous.action == ASSIGN and \
                    (previous.actor, previous.data) == (event.actor, event.data):
                found.append(f"{where}: the same havale applied twice")
            state, previous = event.to_state, event
        if state != item.state:
            found.append(f"{item.number}: events lead to {state}, the ledger says {item.state}")
    return found


def served_release(paths: InstancePaths, found: list[str]) -> str | None:
    """The release var/current serves, if it is whole (else a violation is added); None without var/current."""
    if not os.path.lexists(paths.current):
        return None
    link = os.readlink(paths.current)
    if not paths.current.exists():
        found.append(f"site: var/current points at {link}, which does not exist")
        return None
    try:
        said = json.loads((paths.current / IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        found.append(f"site: {IDENTITY_FILE} of {link} unreadable: {exc}")
        return None
    if os.path.basename(link) != said.get("release"):
        found.append(f"site: var/current points at {link}, its {IDENTITY_FILE} names {said.get('release')}")
    root = os.path.realpath(paths.current)
    served = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            full = os.path.join(folder, name)
            try:
                served[os.path.relpath(full, root)] = file_sha256(full)
            except OSError as exc:
                found.append(f"site: {os.path.relpath(full, root)} unreadable: {exc}")
    served.pop(IDENTITY_FILE, None)
    if tree_digest(served) != said.get("sha256"):
        found.append(f"site: the files of release {said.get('release')} do not add up to its {IDENTITY_FILE} "
                     f"({len(served)} files served)")
    return said.get("release")
