"""Publish: materialise the due items → build (with the post-build checks) → deploy → mark them published.

A bad item never blocks the others. A due item whose own page fails a check (or whose source Pelican cannot
read) is held back: it stays out of the release with its state unchanged, the reason goes into the register
as a `hold` event, and the site is built again without it and deployed. It is tried again only once it
changes (a new revision, another state), so nothing rebuilds in a loop. A failure that no due item explains
deploys nothing, leaves every state as it was, puts content/ back and names the item, the page and the rule.

The whole pipeline holds the deploy lock, so two publishes (scheduler, CLI, another process) queue. From the
last look at the ledger to the marks it also holds the ledger's write lock: an item withdrawn (or otherwise
changed) while the site was being built makes the build be made again without it, never deployed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import signals, workflow
from ..auth import Actor
from ..build import BuildResult, build_site, new_build_id
from ..checks import Embargoed
from ..clock import Clock
from ..config import Instance
from ..content_change import Change
from ..content_index import ContentIndex
from ..deploy import Release, deploy_lock, get_target, manifest_hashes
from ..errors import BuildError, ConflictError, DeployError, MunicmsError
from ..incremental import memory
from ..incremental.registry import state_for
from ..ledger import Ledger, Transaction
from ..materialise import (Entry, MaterialiseError, Placed, clean_leftovers, is_due, is_public, load_entries,
                           materialise, place, publication_date)
from ..model import Event, Item, User
from ..paths import InstancePaths
from ..register import deploys as register
from ..register.stamp import Stamp, commit as commit_record, remove_export, tree_files
from ..workflow import DUE_STATES, PUBLISH
from ._transition import apply, event_data, load_actor
from .hold import hold, held_items

log = logging.getLogger(__name__)

MAX_REBUILDS = 3  # items changed while the site was being built: build again at most this often


@dataclass
class PublishResult:
    """What one publish did: the release it deployed, the items it published or held back, how long it took."""

    release_id: str
    items: list[str] = field(default_factory=list)       # registration numbers now published
    seconds: float = 0.0
    files_written: int = 0
    files_removed: int = 0
    build: BuildResult | None = None
    held: dict[str, dict] = field(default_factory=dict)  # held back by this run: number → rule, page, message
    still_held: list[str] = field(default_factory=list)  # held back before and unchanged since: not tried

    def as_dict(self) -> dict:
        return {"ok": True, "release_id": self.release_id, "items": self.items, "seconds": round(self.seconds, 3),
                "files_written": self.files_written, "files_removed": self.files_removed, "held": self.held,
                "still_held": self.still_held}


class PublishError(BuildError):
    """A build or check failed: nothing was deployed; `problems` lists (item, page, rule, message)."""

    def __init__(self, message_tr: str, message_en: str, problems: list[dict]):
        super().__init__(message_tr, message_en)
        self.problems = problems

    def culprits(self, candidates: set[str]) -> dict[str, list[dict]]:
        """The problems of each of `candidates` (due items) that the failure names."""
        found: dict[str, list[dict]] = {}
        for row in self.problems:
            if row["item"] in candidates:
                found.setdefault(row["item"], []).append(row)
        return found


@dataclass
class Work:
    """What one publish works on: every item with (or waiting for) a public file, the due ones, the held ones."""

    now: dt.datetime
    entries: list[Entry]                   # without the items held back before
    due: list[Item]                        # due now and not held back before
    held: dict[str, Event]                 # held back before and unchanged since: left out without a try
    left_out: dict[str, list[dict]] = field(default_factory=dict)  # held back by this run: number → problems

    @classmethod
    def load(cls, ledger: Ledger, now: dt.datetime, left_out: dict[str, list[dict]] | None = None) -> "Work":
        entries = load_entries(ledger)
        due = [e.item for e in entries if e.item.state in DUE_STATES and is_due(e.item, now)]
        held = held_items(ledger, due)
        return cls(now, [e for e in entries if e.item.number not in held], [i for i in due if i.number not in held],
                   held, dict(left_out or {}))

    def kept(self) -> list[Entry]:
        return [e for e in self.entries if e.item.number not in self.left_out]

    def publishing(self) -> list[Item]:
        return [item for item in self.due if item.number not in self.left_out]

    def candidates(self) -> set[str]:
        """Items that may be held back: due now, not yet left out (published ones never are)."""
        return {item.number for item in self.publishing()}


@dataclass
class Built:
    """A build that passed its checks, with the content/ change it was made from."""

    entries: list[Entry]
    change: Change
    result: BuildResult

    def abandon(self) -> None:
        """Put content/ back and drop the build (not deployed)."""
        self.change.undo()
        self.result.discard()


def select_due(ledger: Ledger, now) -> list[Item]:
    """Approved or scheduled items whose publication time has come (or that have none), except those held
    back and unchanged since."""
    due = [item for item in ledger.items() if item.state in DUE_STATES and is_due(item, now)]
    held = held_items(ledger, due)
    return [item for item in due if item.number not in held]


def publishable_entries(ledger: Ledger, now) -> list[Entry]:
    """load_entries() without the items held back: what content/ should now reflect."""
    return Work.load(ledger, now).entries


def embargoed_items(entries: list[Entry], instance: Instance, paths: InstancePaths, now) -> list[Embargoed]:
    """Approved or scheduled items not yet due, with the address each would get: the post-build check proves
    they appear nowhere. A title that a public page also carries (a monthly "Meclis Gündemi") is not
    searched for; the registration number and the address still are."""
    waiting = [entry for entry in entries if entry.item.state in DUE_STATES and not is_due(entry.item, now)]
    index = ContentIndex.scan(paths.content) if waiting else None  # every file's head: only when it is needed
    embargoed = []
    for entry in sorted(waiting, key=lambda e: (publication_date(e), e.item.number)):
        item = entry.item
        where = place(entry, instance, index)
        title = "" if item.title in index.titles else item.title
        embargoed.append(Embargoed(item.number, title, where.url if where else ""))
    return embargoed


def publish(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
            reason: str | None = None) -> PublishResult:
    """Run the whole pipeline once for what is due now; a due item whose page fails is held back."""
    started = time.perf_counter()
    with deploy_lock(paths), memory.building():  # fewer young collections while the pipeline allocates
        work = Work.load(ledger, clock.now())
        may_publish(ledger, work.due, actor, reason)  # a refused actor stops here, before anything is written
        clean_leftovers(paths)  # of a run that was killed: the ledger and content/ say what is true
        rebuilds = 0
        while True:
            built = build_or_hold_back(work, instance, paths)
            if built is not None:
                outcome = deploy_unless_changed(ledger, instance, paths, clock, built, work, actor, reason)
                if outcome is not None:
                    break
                rebuilds += 1  # an item of the build changed meanwhile (withdrawn …)
                if rebuilds > MAX_REBUILDS:
                    raise ConflictError("İçerikler derleme sırasında art arda değişti; yayın yapılmadı. Yeniden "
                                        "deneyin.", f"items changed during {rebuilds} builds; nothing deployed")
            # build again with what the ledger says now: an item approved meanwhile (a banner) joins this run
            work = Work.load(ledger, clock.now(), work.left_out)
            may_publish(ledger, work.due, actor, reason)
        release, published, holds = outcome
    announce(release, published, holds, actor)
    return PublishResult(release.id, [item.number for item, _ in published], time.perf_counter() - started,
                         len(built.change.written), len(built.change.removed), built.result,
                         {item.number: {k: event.data[k] for k in ("rule", "page", "message")} for item, event in holds},
                         sorted(work.held))


def build_or_hold_back(work: Work, instance: Instance, paths: InstancePaths) -> Built | None:
    """Materialise and build what `work` keeps. If the failure names due items, they are left out (None: build
    again); a failure no due item explains is raised. content/ is as it was unless a build is returned."""
    entries, now, build_id, change = work.kept(), work.now, new_build_id(), None
    try:
        change = materialise(entries, instance, paths, now)
        embargoed = embargoed_items(entries, instance, paths, now)
        with contextlib.redirect_stdout(sys.stderr):  # Pelican's summary line must not mix with --json output
            result = build_site(instance, now=now, build_id=build_id, embargoed=embargoed, state=state_for(paths))
        return Built(entries, change, result)
    except MunicmsError as exc:
        if change is not None:
            change.undo()
        error = explain_failure(exc, change.placed if change else {}, entries, work.candidates())
        write_failure_log(paths, build_id, error)
        culprits = error.culprits(work.candidates())
        if not culprits:
            log.error(error.message_en)
            raise error from exc
        log.warning("publish: holding back %s; building again without: %s", ", ".join(sorted(culprits)), "; ".join(
            f"{r['item']} {r['page']} [{r['rule']}] {r['message']}" for rows in culprits.values() for r in rows))
        work.left_out.update(culprits)
        return None
    except BaseException:
        if change is not None:
            change.undo()
        raise


def deploy_unless_changed(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, built: Built,
                          work: Work, actor: Actor, reason: str | None) -> tuple | None:
    """Under the ledger's write lock: unless an item of the build changed meanwhile (None: build dropped),
    deploy it, mark the due items published and record the holds, as one step no withdrawal can split."""
    try:
        with ledger.transaction() as tx:
            now = clock.now()
            moved = changed_since(tx, built.entries, work.now)
            if moved:
                log.info("publish: %s changed during the build; building again", ", ".join(moved))
                outcome = None
            else:
                def stamp(output, hashes):  # the register's record of this release and its export
                    return register.publish_stamp(tx, instance, paths, output, hashes, built.result.build_id,
                                                  built.entries, built.change.placed, work.now, now, actor.login)
                try:
                    release, record = deploy(instance, paths, clock, built.result, work.publishing(), actor, stamp)
                except MunicmsError as exc:
                    error = explain_failure(exc, built.change.placed, built.entries, set())
                    write_failure_log(paths, built.result.build_id, error)
                    log.error(error.message_en)
                    raise error from exc
                built.change.commit()  # content/ is what is public now
                commit_record(tx, record)
                user = load_actor(tx, actor)
                published = mark_published(tx, work.publishing(), user, actor, now, built.change.placed, release,
                                           reason)
                outcome = release, published, record_holds(tx, work.left_out, user, actor, now)
    except BaseException:
        built.abandon()
        raise
    if outcome is None:
        built.abandon()
    return outcome


def changed_since(tx: Transaction, entries: list[Entry], now) -> list[str]:
    """Items public in this build whose state or revision is no longer what the build was made from."""
    current = {item.id: item for item in tx.items()}
    moved = []
    for entry in entries:
        now_item, then = current.get(entry.item.id), entry.actual
        if is_public(entry, now) and (now_item is None or (now_item.state, now_item.current_rev)
                                      != (then.state, then.current_rev)):
            moved.append(entry.item.number)
    return moved


def record_holds(tx: Transaction, left_out: dict[str, list[dict]], user: User, actor: Actor,
                 now) -> list[tuple[Item, Event]]:
    """One `hold` event per item this run left out (its state stays)."""
    done = []
    for number, problems in sorted(left_out.items()):
        item = tx.item(number)
        if item.state in DUE_STATES:
            done.append((item, hold(tx, item, user, now, problems, event_data(actor, {}))))
    return done


def announce(release: Release, published: list[tuple[Item, Event]], holds: list[tuple[Item, Event]],
             actor: Actor) -> None:
    """Signals, after the ledger's commit."""
    signals.release_deployed.send(PUBLISH, release=release, actor=actor.login)
    for item, event in published:
        signals.item_published.send(PUBLISH, item=item, event=event)
    for item, event in holds:
        signals.item_held.send(PUBLISH, item=item, event=event)


def may_publish(ledger: Ledger, due: list[Item], actor: Actor, reason: str | None) -> None:
    """Raise PermissionDenied/ValidationError now if `actor` may not publish every due item."""
    user = load_actor(ledger, actor)
    for item in due:
        workflow.check(item, PUBLISH, user, reason=reason)


def deploy(instance: Instance, paths: InstancePaths, clock: Clock, result: BuildResult, due: list[Item],
           actor: Actor, stamp: Callable[[Path, dict[str, str]], Stamp]) -> tuple[Release, Stamp]:
    """Hand the build, with the publication register's export that `stamp` writes into it, to the configured
    target; the build directory is dropped once it is a release (the publisher's tree loses the export again)."""
    target = get_target(instance, paths, clock)
    meta = {"items": [item.number for item in due], "published_by": actor.login, "build_id": result.build_id}
    hashes = result.hashes if result.hashes is not None else manifest_hashes(paths, result.build_id)
    record = None
    try:
        record = stamp(result.output, hashes if hashes is not None else tree_files(result.output))
        return target.deploy(result.output, result.build_id, meta, hashes=record.hashes, exact=result.shared), record
    finally:
        if result.shared:  # the tree keeps the layout of the export's pages its build wrote
            remove_export(result.output, record.layout if record is not None else None)
        result.discard()


def mark_published(tx: Transaction, due: list[Item], user: User, actor: Actor, now, placed: dict[str, Placed],
                   release: Release, reason: str | None = None) -> list[tuple[Item, Event]]:
    """Inside tx: each due item → published, with its event (the caller sends the signals after the commit)."""
    done = []
    for item in due:
        current = tx.item(item.id)
        if current.state not in DUE_STATES:
            continue  # cannot happen under the write lock (changed_since looked); kept as a guard
        where = placed.get(item.number)

        def execute(tx, item, user, to_state, now, where=where):  # the public site now shows this revision
            return {"live_rev": item.current_rev, **({"slug": where.slug} if where else {})}
        data = event_data(actor, {"release": release.id, "url": "/" + where.url if where else ""})
        done.append(apply(tx, current, PUBLISH, user, now, reason=reason, data=data, execute=execute))
    return done


def write_failure_log(paths: InstancePaths, build_id: str, error: "PublishError") -> None:
    """The build log of a failed build (successful builds get theirs from build_site)."""
    logs = paths.logs / "builds"
    logs.mkdir(parents=True, exist_ok=True)
    lines = [f"build {build_id}", "status failed"]
    lines += [f"problem {row['item'] or '-'} {row['page'] or '-'} [{row['rule']}] {row['message']}"
              for row in error.problems]
    (logs / f"{build_id}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


_QUOTED = re.compile(r"'([^']{3,})'")


def _owner(page: str, placed: dict[str, Placed]) -> str | None:
    """The item whose page or source file this is."""
    for number, where in placed.items():
        if page.startswith(where.url) or where.source in page:
            return number
    return None


def _named(message: str, placed: dict[str, Placed], numbers: list[str]) -> str | None:
    """The item a message names by its registration number or its source file (Pelican's messages)."""
    return next((n for n in numbers if n in message), None) or \
        next((n for n, where in placed.items() if where.source in message), None)


def _linked(message: str, bodies: dict[str, str]) -> str | None:
    """The due item whose body holds the address a check message quotes (its text on a listing or the home
    page: an emergency banner has no page of its own)."""
    quoted = _QUOTED.search(message)
    if quoted is None:
        return None
    href = quoted.group(1).split("#")[0] or quoted.group(1)
    return next((n for n, body in bodies.items() if f"({href}" in body or f'"{href}' in body), None)


def explain_failure(exc: MunicmsError, placed: dict[str, Placed], entries: list[Entry],
                    candidates: set[str]) -> PublishError:
    """A Turkish message naming the item, the page and the rule of every problem; `candidates` are the due
    items a problem on a page of no item may be traced to through the address it quotes."""
    titles = {e.item.number: e.item.title for e in entries}
    numbers = sorted(titles)
    bodies = {e.item.number: e.revision.body for e in entries if e.item.number in candidates}
    rows = []
    for problem in getattr(exc, "problems", None) or []:
        page = getattr(problem, "page", "") or getattr(problem, "file", "")
        rule = getattr(problem, "rule", "") or ("ekler" if isinstance(exc, MaterialiseError) else "build")
        message = getattr(problem, "message_tr", str(problem))
        number = _owner(page, placed) or _named(message, placed, numbers) or _linked(message, bodies)
        rows.append({"item": number, "title": titles.get(number, ""), "page": page, "rule": rule, "message": message})
    if not rows:  # Pelican itself (its messages name the source file, one per line) or the deploy target failed
        rule = "deploy" if isinstance(exc, DeployError) else "build"
        messages = [line[4:] for line in exc.message_tr.splitlines() if line.startswith("  - ")] or [exc.message_tr]
        for message in messages:
            number = _named(message, placed, numbers)
            rows.append({"item": number, "title": titles.get(number, ""), "page": "", "rule": rule,
                         "message": message})
    lines = []
    for row in rows:
        who = f"{row['item']} «{row['title']}»" if row["item"] and row["title"] else (row["item"] or "içerik belirsiz")
        where = f"sayfa {row['page']}, " if row["page"] else ""
        lines.append(f"  - {who}: {where}kural '{row['rule']}': {row['message']}")
    step = "yayına alma" if isinstance(exc, DeployError) else "derleme ya da yayın denetimi"
    message_tr = (f"Yayın yapılmadı: {step} başarısız. Hiçbir şey yayına alınmadı, kayıtların durumu değişmedi, "
                  "content/ eski hâline döndürüldü.\n" + "\n".join(lines))
    message_en = "publish failed; nothing deployed: " + "; ".join(
        f"{r['item'] or '?'} {r['page']} [{r['rule']}] {r['message']}" for r in rows)
    return PublishError(message_tr, message_en, rows)
