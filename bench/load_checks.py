"""What bench/load.py found: the report (requests, latency percentiles, 412s, publishes) and the invariant
checks over what the clients were answered and what the server stored."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.load_clients import NUMBER, Log


@dataclass
class LoadReport:
    """What the run did and found; `violations` empty means every invariant held."""

    clients: int
    seconds: float
    workers: int
    requests: int = 0
    throughput: float = 0.0
    per_kind: dict[str, dict] = field(default_factory=dict)    # kind → count, statuses, p50/p95/p99 ms
    stale_412: int = 0
    conflicts_409: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    registered: int = 0
    sent_at_once: int = 0          # submissions sent three times at the same moment (a retrying client)
    actions_done: dict[str, int] = field(default_factory=dict)
    publishes_during_run: int = 0
    published_during_run: int = 0
    published_total: int = 0
    drain_seconds: float = 0.0
    setup_seconds: float = 0.0     # people made, serve started (first publish of the site included)
    violations: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}

    def summary(self) -> str:
        lines = [f"{self.clients} clients for {self.seconds:.0f} s against `publish.py serve --workers {self.workers}`"
                 f" ({os.cpu_count()} cores): {self.requests} requests, {self.throughput:.0f}/s",
                 f"  {'kind':16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses"]
        for kind, s in sorted(self.per_kind.items()):
            lines.append(f"  {kind:16} {s['count']:6} {s['p50']:8.1f} {s['p95']:8.1f} {s['p99']:8.1f}  "
                         f"{' '.join(f'{k}×{v}' for k, v in sorted(s['statuses'].items()))}")
        lines += [f"  registered {self.registered} ({self.sent_at_once} of them sent three times at once); "
                  f"successful actions {self.actions_done}",
                  f"  412 (stale ETag, re-read and retried) {self.stale_412}; 409 (state moved on) {self.conflicts_409}",
                  f"  5xx {self.server_errors}; connection errors {self.connection_errors}",
                  f"  releases published by the scheduler during the run {self.publishes_during_run} "
                  f"({self.published_during_run} items); items live at the end {self.published_total} "
                  f"(drained {self.drain_seconds:.1f} s after the clients stopped)",
                  f"  setup (people, serve's first publish) {self.setup_seconds:.1f} s",
                  "  invariants: " + ("all held" if self.ok else f"{len(self.violations)} VIOLATED")]
        lines += [f"    - {v}" for v in self.violations[:30]] + [f"    ! {f}" for f in self.failures[:10]]
        return "\n".join(lines)


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile in milliseconds of sorted seconds."""
    return ordered[max(0, min(len(ordered), int(-(-len(ordered) * q // 1))) - 1)] * 1000 if ordered else 0.0


def summarise(report: LoadReport, log: Log, elapsed: float) -> None:
    kinds: dict[str, list] = {}
    for kind, status, secs in log.requests:
        kinds.setdefault(kind, []).append((status, secs))
    for kind, rows in kinds.items():
        ordered = sorted(secs for _, secs in rows)
        statuses: dict[str, int] = {}
        for status, _ in rows:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        report.per_kind[kind] = {"count": len(rows), "statuses": statuses, "p50": percentile(ordered, .5),
                                 "p95": percentile(ordered, .95), "p99": percentile(ordered, .99)}
    everything = sorted(secs for _, _, secs in log.requests)
    report.per_kind["all"] = {"count": len(everything), "statuses": {}, "p50": percentile(everything, .5),
                              "p95": percentile(everything, .95), "p99": percentile(everything, .99)}
    report.requests = len(log.requests)
    report.throughput = report.requests / elapsed
    report.stale_412 = sum(status == 412 for _, status, _ in log.requests)
    report.conflicts_409 = sum(status == 409 for _, status, _ in log.requests)
    report.server_errors = sum(status >= 500 for _, status, _ in log.requests)
    report.connection_errors = log.connection_errors
    report.registered = len(log.registered)
    report.sent_at_once = len(log.retries)
    for a in log.actions:
        if a["status"] == (201 if a["action"] == "resubmit" else 200):
            report.actions_done[a["action"]] = report.actions_done.get(a["action"], 0) + 1
    report.failures = log.failures


EVENT_OF = {"assign": "assign", "review": "start_review", "approve": "approve",
            "request-changes": "request_changes", "resubmit": "resubmit"}


def check(root: Path, log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """Every invariant of the run, each broken one as a sentence naming the item."""
    found = []
    if any(status >= 500 for _, status, _ in log.requests):
        found.append(f"{sum(s >= 500 for _, s, _ in log.requests)} answers with a 5xx status")
    if log.connection_errors:
        found.append(f"{log.connection_errors} connection errors")
    found += log.anomalies
    found += check_registration(log, items, events)
    found += check_actions(log, items, events)
    return found + check_published(root, items)


def check_registration(log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """Each 201 exactly one item: numbers unique and gapless, titles unique, nothing registered unanswered, a
    submission sent several times at once registered once."""
    found = []
    numbers = [r["number"] for r in log.registered]
    titles = [r["title"] for r in log.registered]
    if len(set(numbers)) != len(numbers):
        found.append(f"a number answered twice: {sorted(n for n in set(numbers) if numbers.count(n) > 1)}")
    if len(set(titles)) != len(titles):
        found.append("one submitted title registered twice")
    by_number = {i["number"]: i for i in items}
    if set(by_number) != set(numbers):
        found.append(f"items without a 201: {sorted(set(by_number) - set(numbers))[:5]}; "
                     f"201s without an item: {sorted(set(numbers) - set(by_number))[:5]}")
    for r in log.registered:
        if r["number"] in by_number and by_number[r["number"]]["title"] != r["title"]:
            found.append(f"{r['number']}: title {by_number[r['number']]['title']!r}, submitted {r['title']!r}")
    for answers in log.retries:   # the same bytes sent at once: registered once, the others told `duplicate`
        if sorted(status for status, _ in answers) != [200] * (len(answers) - 1) + [201] or \
                len({number for _, number in answers}) != 1:
            found.append(f"one submission sent {len(answers)} times at once was answered {answers}")
    registers = [e for i in items for e in events[i["number"]] if e["action"] == "register"]
    if len(registers) != len(items):
        found.append(f"{len(registers)} register events for {len(items)} items")
    sequences: dict[tuple, list[int]] = {}
    for number in by_number:
        parts = NUMBER.match(number)
        sequences.setdefault((parts["prefix"], parts["year"]), []).append(int(parts["seq"]))
    for key, seqs in sequences.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            found.append(f"numbers of {'-'.join(key)} not gapless from 1: {sorted(seqs)[:10]}…")
    return found


def check_actions(log: Log, items: list[dict], events: dict[str, list[dict]]) -> list[str]:
    """No lost or phantom update: each 2xx action is exactly one event of its item by its actor, no two
    successes carried the same ETag, every item's events chain from state to state to its final state, every
    approved item went live."""
    found = []
    # a resubmission answers 201 (200 is `duplicate`: the same bytes already registered, nothing new)
    done = [a for a in log.actions if a["status"] == (201 if a["action"] == "resubmit" else 200)]
    etags = [(a["number"], a["if_match"]) for a in done if a["if_match"]]
    if len(set(etags)) != len(etags):
        found.append(f"two successful actions on one ETag: {[e for e in set(etags) if etags.count(e) > 1][:5]}")
    answered: dict[tuple, int] = {}
    for a in done:
        key = (a["number"], EVENT_OF[a["action"]], None if a["action"] == "resubmit" else a["login"])
        answered[key] = answered.get(key, 0) + 1
    recorded: dict[tuple, int] = {}
    for number, rows in events.items():
        for e in rows:
            if e["action"] in EVENT_OF.values():
                # intake records a resubmission as `sistem` (via kayıt); its author is on the revision
                key = (number, e["action"], None if e["action"] == "resubmit" else e["actor"])
                recorded[key] = recorded.get(key, 0) + 1
    for key in sorted(set(answered) | set(recorded), key=str):
        if answered.get(key, 0) != recorded.get(key, 0):
            found.append(f"{key[0]}: {key[1]} by {key[2]}: {answered.get(key, 0)} successful answers, "
                         f"{recorded.get(key, 0)} events")
    approved = {a["number"] for a in done if a["action"] == "approve"}
    for item in items:
        moves = [e for e in sorted(events[item["number"]], key=lambda e: e["id"]) if e["to_state"]]
        for before, after in zip(moves, moves[1:]):
            if before["to_state"] != after["from_state"]:
                found.append(f"{item['number']}: event {after['id']} ({after['action']}) from "
                             f"{after['from_state']}, the one before left it {before['to_state']}")
        if moves and moves[-1]["to_state"] != item["state"]:
            found.append(f"{item['number']}: state {item['state']}, last event to {moves[-1]['to_state']}")
        if item["number"] in approved and item["state"] != "published":
            found.append(f"{item['number']}: approved (200) but {item['state']} at the end")
    return found


def check_published(root: Path, items: list[dict]) -> list[str]:
    """Every published item is in the served release: its JSON (kayit_no) and its page."""
    current = root / "var" / "current"
    pages = {}
    for folder, _, names in os.walk(current / "api" / "v1", followlinks=True):   # a release links its shards
        for name in names:
            data = json.loads((Path(folder) / name).read_text(encoding="utf-8")) if name.endswith(".json") else 0
            if isinstance(data, dict) and data.get("kayit_no"):
                pages[data["kayit_no"]] = data.get("sayfa", "")
    found = []
    for item in items:
        if item["state"] != "published":
            continue
        if item["number"] not in pages:
            found.append(f"{item['number']} published but not in var/current")
            continue
        page = current / re.sub(r"^https?://[^/]+/", "", pages[item["number"]]) / "index.html"
        if not page.is_file():
            found.append(f"{item['number']}: its page {page.relative_to(current)} is missing from var/current")
    return found


