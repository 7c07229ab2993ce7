"""Publish: materialise the due items → build (with the post-build checks) → deploy → mark them published.

A failing build or check deploys nothing, leaves every item's state as it was, puts content/ back as it
was and names the item, the page and the rule that failed. The whole pipeline holds the deploy lock, so
two publishes (scheduler, CLI, another process) queue instead of interleaving.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import time
from dataclasses import dataclass, field

from .. import signals, workflow
from ..build import BuildResult, build_site, new_build_id
from ..checks import Embargoed
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..content_change import Change
from ..content_index import ContentIndex
from ..deploy import Release, deploy_lock, get_target
from ..errors import BuildError, DeployError, MunicmsError
from ..ledger import Ledger
from ..materialise import Entry, Placed, clean_leftovers, is_due, load_entries, materialise, place, publication_date
from ..model import APPROVED, SCHEDULED, SYSTEM, Item
from ..paths import InstancePaths
from ..workflow import PUBLISH
from ._transition import apply, event_data, load_actor

log = logging.getLogger(__name__)


@dataclass
class PublishResult:
    """What one publish did: the release it deployed, the items it published, how long it took."""

    release_id: str
    items: list[str] = field(default_factory=list)       # registration numbers now published
    seconds: float = 0.0
    files_written: int = 0
    files_removed: int = 0
    build: BuildResult | None = None

    def as_dict(self) -> dict:
        return {"ok": True, "release_id": self.release_id, "items": self.items, "seconds": round(self.seconds, 3),
                "files_written": self.files_written, "files_removed": self.files_removed}


class PublishError(BuildError):
    """A build or check failed: nothing was deployed; `problems` lists (item, page, rule, message)."""

    def __init__(self, message_tr: str, message_en: str, problems: list[dict]):
        super().__init__(message_tr, message_en)
        self.problems = problems


def select_due(ledger: Ledger, now) -> list[Item]:
    """Approved or scheduled items whose publication time has come (or that have none)."""
    return [item for item in ledger.items() if item.state in (APPROVED, SCHEDULED) and is_due(item, now)]


def embargoed_items(entries: list[Entry], instance: Instance, paths: InstancePaths, now) -> list[Embargoed]:
    """Approved or scheduled items not yet due, with the address each would get: the post-build check proves
    they appear nowhere. A title that a public page also carries (a monthly "Meclis Gündemi") is not
    searched for; the registration number and the address still are."""
    index = ContentIndex.scan(paths.content)
    embargoed = []
    for entry in sorted(entries, key=lambda e: (publication_date(e), e.item.number)):
        item = entry.item
        if item.state not in (APPROVED, SCHEDULED) or is_due(item, now):
            continue
        where = place(entry, instance, index)
        title = "" if item.title in index.titles else item.title
        embargoed.append(Embargoed(item.number, title, where.url if where else ""))
    return embargoed


def publish(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
            reason: str | None = None) -> PublishResult:
    """Run the whole pipeline once for what is due now."""
    started = time.perf_counter()
    with deploy_lock(paths):
        now = clock.now()
        due = select_due(ledger, now)
        may_publish(ledger, due, actor, reason)  # a refused actor stops here, before anything is written
        clean_leftovers(paths)  # of a run that was killed: the ledger and content/ say what is true
        entries = load_entries(ledger)
        change = materialise(entries, instance, paths, now)
        build_id = new_build_id()
        try:
            embargoed = embargoed_items(entries, instance, paths, now)
            with contextlib.redirect_stdout(sys.stderr):  # Pelican's summary line must not mix with --json output
                result = build_site(instance, now=now, build_id=build_id, embargoed=embargoed)
            release = deploy(instance, paths, clock, result, due, actor)
        except MunicmsError as exc:
            change.undo()
            error = explain_failure(exc, change, {e.item.number: e.item.title for e in entries})
            write_failure_log(paths, build_id, error)
            raise error from exc
        except BaseException:
            change.undo()
            raise
        change.commit()
        published = mark_published(ledger, due, actor, clock, change.placed, release, reason)
    return PublishResult(release.id, [item.number for item in published], time.perf_counter() - started,
                         len(change.written), len(change.removed), result)


def may_publish(ledger: Ledger, due: list[Item], actor: Actor, reason: str | None) -> None:
    """Raise PermissionDenied/ValidationError now if `actor` may not publish every due item."""
    user = load_actor(ledger, actor)
    for item in due:
        workflow.check(item, PUBLISH, user, reason=reason)


def deploy(instance: Instance, paths: InstancePaths, clock: Clock, result: BuildResult, due: list[Item],
           actor: Actor) -> Release:
    """Hand the build to the configured target; the build directory is dropped once it is a release."""
    target = get_target(instance, paths, clock)
    meta = {"items": [item.number for item in due], "published_by": actor.login, "build_id": result.build_id}
    try:
        release = target.deploy(result.output, result.build_id, meta)
    finally:
        shutil.rmtree(result.output, ignore_errors=True)
    signals.release_deployed.send(PUBLISH, release=release, actor=actor.login)
    return release


def mark_published(ledger: Ledger, due: list[Item], actor: Actor, clock: Clock, placed: dict[str, Placed],
                   release: Release, reason: str | None = None) -> list[Item]:
    """One transaction: each due item → published with its event; signals after the commit."""
    done = []
    with ledger.transaction() as tx:
        user = load_actor(tx, actor)
        now = clock.now()
        for item in due:
            current = tx.item(item.id)
            if current.state not in (APPROVED, SCHEDULED):
                continue  # withdrawn meanwhile: the next publish takes it down
            where = placed.get(item.number)

            def execute(tx, item, user, to_state, now, where=where):
                return {"slug": where.slug} if where else {}
            data = event_data(actor, {"release": release.id, "url": "/" + where.url if where else ""})
            done.append(apply(tx, current, PUBLISH, user, now, reason=reason, data=data, execute=execute))
    for item, event in done:
        signals.item_published.send(PUBLISH, item=item, event=event)
    return [item for item, _ in done]


def write_failure_log(paths: InstancePaths, build_id: str, error: "PublishError") -> None:
    """The build log of a failed build (successful builds get theirs from build_site)."""
    logs = paths.logs / "builds"
    logs.mkdir(parents=True, exist_ok=True)
    lines = [f"build {build_id}", "status failed"]
    lines += [f"problem {row['item'] or '-'} {row['page'] or '-'} [{row['rule']}] {row['message']}"
              for row in error.problems]
    (logs / f"{build_id}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _owner(page: str, change: Change) -> str | None:
    """The item whose page or source file this is."""
    for number, where in change.placed.items():
        if page.startswith(where.url) or where.source in page:
            return number
    return None


def explain_failure(exc: MunicmsError, change: Change, titles: dict[str, str]) -> PublishError:
    """A Turkish message naming the item, the page and the rule of every problem."""
    rows = []
    for problem in getattr(exc, "problems", None) or []:
        page, rule, message = (getattr(problem, "page", ""), getattr(problem, "rule", ""),
                               getattr(problem, "message_tr", str(problem)))
        number = _owner(page, change) or next((n for n in change.placed if n in message), None)
        rows.append({"item": number, "title": titles.get(number, ""), "page": page, "rule": rule, "message": message})
    if not rows:  # Pelican itself (its messages name the source file) or the deploy target failed
        number = next((n for n, w in change.placed.items() if w.source in exc.message_tr), None)
        rows.append({"item": number, "title": titles.get(number, ""), "page": "",
                     "rule": "deploy" if isinstance(exc, DeployError) else "build", "message": exc.message_tr})
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
    log.error(message_en)
    return PublishError(message_tr, message_en, rows)
