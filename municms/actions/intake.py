"""Intake: claim a dropped submission, then register it (number, item, revision, event) or quarantine it.

Crash consistency, step by step (any step may be killed):
1. claim: atomic rename inbox/<dep>/<name> → processing/<dep>/<session>--<name>; two processes never get
   the same file. The session holds an flock on processing/.sessions/<session>.lock while it lives.
2. the registered copy is written to a staging folder and put into the register's store inside the ledger
   transaction (number + item + revision + event), then the transaction commits: on disk a rename to
   registered/<year>/<number>/; with the bucket (storage.registered.target s3) an upload, whose failure rolls
   the transaction back (no number taken) and leaves the submission in the inbox (municms.register_store).
3. receipt written, claimed file removed, folder made read-only, signal sent.
recover() (run at the start of every pass) finishes what dead sessions left: claims whose bytes are registered
lose their claim and get their receipt; other claims go back to the inbox; registered folders without a
ledger row are deleted. Numbers are allocated inside the transaction, so they stay gapless.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import signals, workflow
from ..auth import system_actor
from ..clock import Clock
from ..db import database_errors
from ..errors import InvalidTransition, NotFound, PermissionDenied, Problem, StorageError, ValidationError
from ..files import write_atomic
from ..item_checks import intake_warnings
from ..kvkk import Finding, scan_submission
from ..kvkk.scan import strip_original_images
from ..ledger import Ledger, Transaction
from ..model import RECEIVED, SYSTEM, SYSTEM_USER, Event, Item, Revision
from ..paths import InstancePaths
from ..register_store import S3Store, register_store
from ..seminar_checks import receipt_lines
from ..submission import Submission, parse_submission, source_sha256
from ..turkish import slugify
from .intake_claims import (CLAIM_SEPARATOR, HIDDEN, Session, processing_dir, session_alive,
                            session_alive_quiet)
from .intake_files import (IGNORED, is_ignored, protect_register, quarantine_report,
                           receipt_text, remove_tree, still_being_written, unique_target)
from .resubmit import add_revision

log = logging.getLogger("municms.intake")


@dataclass(frozen=True)
class IntakeResult:
    """What happened to one dropped file or folder."""

    status: str       # registered | resubmitted | duplicate | quarantined | skipped | still_writing | failed
    department: str
    name: str
    number: str | None = None
    item: Item | None = None
    rev: int | None = None
    receipt: Path | None = None
    report: Path | None = None
    quarantined: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kvkk: list[Finding] = field(default_factory=list)   # personal data found (masked)

    def as_dict(self) -> dict:
        return {"status": self.status, "department": self.department, "name": self.name, "number": self.number,
                "rev": self.rev, "receipt": str(self.receipt) if self.receipt else None,
                "report": str(self.report) if self.report else None,
                "quarantined": str(self.quarantined) if self.quarantined else None,
                "problems": [p.__dict__ for p in self.problems], "warnings": self.warnings,
                "kvkk": [f.as_dict() for f in self.kvkk]}


# --- the pass ------------------------------------------------------------------------------------------------
def inbox_entries(paths: InstancePaths) -> list[Path]:
    """Dropped files and bundle folders, in register order: department folder, then name."""
    if not paths.inbox.is_dir():
        return []
    entries = []
    for department in sorted(p for p in paths.inbox.iterdir() if p.is_dir() and not is_ignored(p.name)):
        entries.extend(sorted(p for p in department.iterdir() if not is_ignored(p.name)))
    return entries


def intake_all(ledger: Ledger, instance, paths: InstancePaths, clock: Clock, *,
               quiet: float = 0.0) -> list[IntakeResult]:
    """Recover what crashed passes left, then take every entry of every inbox once; an entry changed within
    the last `quiet` seconds is still being copied and is left for the next pass."""
    with Session(paths) as session:
        recover(ledger, instance, paths, clock, session)
        results = []
        for entry in inbox_entries(paths):
            if quiet and still_being_written(entry, quiet):
                results.append(IntakeResult("still_writing", entry.parent.name, entry.name))
            else:
                results.append(_intake_or_fail(ledger, instance, paths, entry, clock, session))
        return results


def _intake_or_fail(ledger, instance, paths, entry: Path, clock: Clock, session: Session) -> IntakeResult:
    """One entry of a pass; an unexpected error (disk, database) is reported and the pass goes on."""
    try:
        return intake_file(ledger, instance, paths, entry, clock, session=session)
    except (*database_errors(), OSError) as exc:
        from ..health import disk_full, is_disk_full
        if is_disk_full(exc):  # every other entry would fail the same way; this one is back in the inbox
            raise disk_full(exc, "gönderi alımı") from exc
        if isinstance(exc, database_errors()):
            raise  # the database is unusable: every other entry would fail the same way
        return _failed(entry, exc)
    except StorageError as exc:  # the bucket of registered originals: nothing registered, the entry is back
        log.error("intake of %s failed: %s", entry, exc.message_en)
        return IntakeResult("failed", entry.parent.name, entry.name, problems=[Problem(
            "", f"{exc.message_tr} Gönderi kaydedilmedi (numara verilmedi); dosya gelen kutusunda bırakıldı ve "
                "sonraki geçişte yeniden denenecek.", exc.message_en)])
    except Exception as exc:
        return _failed(entry, exc)


def _failed(entry: Path, exc: Exception) -> IntakeResult:
    """An entry an unexpected error stopped (it was put back into the inbox): reported, the pass goes on."""
    log.exception("intake of %s failed", entry)
    return IntakeResult("failed", entry.parent.name, entry.name, problems=[Problem(
        "", f"Beklenmeyen bir hata oluştu; dosya gelen kutusunda bırakıldı ve sonraki geçişte yeniden "
            f"denenecek ({type(exc).__name__}: {exc}).", f"unexpected error: {exc!r}")])


def intake_file(ledger: Ledger, instance, paths: InstancePaths, path: Path, clock: Clock, *,
                session: Session | None = None, author: str | None = None) -> IntakeResult:
    """Claim one dropped entry (inbox/<department>/<name>) and register or quarantine it."""
    path = Path(path)
    if session is None:
        with Session(paths) as own:
            return intake_file(ledger, instance, paths, path, clock, session=own, author=author)
    department, name = path.parent.name, path.name
    claimed = session.claim(path)
    if claimed is None:
        return IntakeResult("skipped", department, name)
    return _take_claimed(ledger, instance, paths, claimed, path.parent, name, clock, session, author)


def intake_upload(ledger: Ledger, instance, paths: InstancePaths, department: str, name: str,
                  content: bytes | dict[str, bytes], clock: Clock, *, author: str) -> IntakeResult:
    """Register or quarantine a submission a front end received (web form, JSON API) exactly as if it had
    been dropped into inbox/<department>/<name>: same parser, number, receipt and quarantine report.

    It is written straight into a claim of this call's session rather than into the inbox, so the watcher can
    never take it first (and record the folder instead of `author`). If the process dies, recovery moves the
    claim to the inbox like any other, and the submission is registered on the next pass."""
    with Session(paths) as session:
        claimed = session.claim_target(department, name)
        try:
            if isinstance(content, dict):  # a bundle: index.md plus attachments
                claimed.mkdir()
                for part, data in content.items():
                    (claimed / part).write_bytes(data)
            else:
                claimed.write_bytes(content)
        except BaseException:  # half-written (disk full): never registered, the caller hears of it
            remove_tree(claimed)
            raise
        return _take_claimed(ledger, instance, paths, claimed, paths.inbox / department, name, clock, session,
                             author)


def _take_claimed(ledger, instance, paths, claimed: Path, inbox: Path, name: str, clock: Clock,
                  session: Session, author: str | None) -> IntakeResult:
    """Register or quarantine a claimed entry; an unexpected failure puts it into `inbox` for the next pass."""
    try:
        return _take(ledger, instance, paths, claimed, inbox.name, name, clock, session, author)
    except BaseException:
        if os.path.lexists(claimed):
            inbox.mkdir(parents=True, exist_ok=True)
            os.rename(claimed, unique_target(inbox, name))
        raise


def _take(ledger, instance, paths, claimed: Path, department: str, name: str, clock: Clock, session: Session,
          author: str | None) -> IntakeResult:
    try:
        submission = parse_submission(claimed, department, instance, name=name)
    except ValidationError as exc:
        return quarantine(instance, paths, claimed, department, name, exc.problems, clock)
    submission = replace(submission, warnings=submission.warnings + intake_warnings(submission, instance, paths)
                         + receipt_lines(ledger, instance, submission))
    existing = ledger.find_revision_by_sha(submission.source_sha256, department)
    if existing is not None:
        return _already_registered(ledger, instance, paths, claimed, department, name, existing, clock)
    try:
        return register(ledger, instance, paths, submission, claimed, clock, session,
                        author or f"birim:{department}")
    except (NotFound, InvalidTransition, PermissionDenied, ValidationError) as exc:
        problems = exc.problems if isinstance(exc, ValidationError) else [
            Problem("kayit_no", exc.message_tr, exc.message_en)]
        return quarantine(instance, paths, claimed, department, name, problems, clock)


# --- register ------------------------------------------------------------------------------------------------
def register(ledger: Ledger, instance, paths: InstancePaths, sub: Submission, claimed: Path, clock: Clock,
             session: Session, author: str) -> IntakeResult:
    """Registered copy + ledger rows in one transaction; then receipt, claim removed, folder read-only."""
    now = clock.now()
    findings = scan_submission(sub, instance)  # before staging: the registered copies lose GPS and serials
    store = register_store(instance, paths)
    staging = _stage(store, sub, now.year, session)
    try:
        with ledger.transaction() as tx:
            # Asked again under the write lock: the same bytes sent twice at once (a client retrying while its
            # first request is still being handled, in another worker) must register once, not twice.
            existing = tx.find_revision_by_sha(sub.source_sha256, sub.department)
            if existing is None:
                if sub.kayit_no:
                    item, rev, stored, event = _resubmit(tx, store, sub, staging, clock, author)
                else:
                    item, rev, stored, event = _register_new(tx, instance, store, sub, staging, now, author)
                tx.insert_kvkk_findings(item.id, rev.rev, findings)
    except BaseException:
        remove_tree(staging)
        raise
    if existing is not None:
        remove_tree(staging)
        return _already_registered(ledger, instance, paths, claimed, sub.department, sub.source_name, existing,
                                   clock)
    store.seal(stored)
    receipt = write_receipt(instance, paths, sub.department, sub.source_name, item, rev, sub.warnings, now,
                            findings=findings)
    session.discard(claimed)
    log.info("registered %s/%s as %s rev %s", sub.department, sub.source_name, item.number, rev.rev)
    signal = signals.item_registered if rev.rev == 1 else signals.item_resubmitted
    signal.send("intake", item=item, event=event, revision=rev)
    return IntakeResult("registered" if rev.rev == 1 else "resubmitted", sub.department, sub.source_name,
                        item.number, item, rev.rev, kvkk=findings, receipt=receipt, warnings=list(sub.warnings))


def _register_new(tx: Transaction, instance, store, sub: Submission, staging: Path, now,
                  author: str) -> tuple[Item, Revision, str, Event]:
    seq, number = tx.allocate_number(instance.registration.prefix, now.year)
    draft = Item(number=number, year=now.year, seq=seq, tur=sub.tur, department=sub.department, title=sub.title,
                 state=RECEIVED, unit=instance.unit_for_type(sub.tur), author=author, slug=slugify(sub.title),
                 publish_at=sub.publish_at, expire_at=sub.expire_at, current_rev=1, created_at=now, updated_at=now)
    to_state = workflow.check(draft, workflow.REGISTER, SYSTEM_USER)
    item_id = tx.insert_item(replace(draft, state=to_state))
    stored = f"{now.year}/{number}"
    revision = _revision(sub, item_id, 1, stored, author, now)
    tx.insert_revision(revision)
    event = Event(item_id=item_id, at=now, actor=SYSTEM, action=workflow.REGISTER, from_state=RECEIVED,
                  to_state=to_state, data={"number": number, "source_name": sub.source_name,
                                           "source_sha256": sub.source_sha256, "tur": sub.tur,
                                           "department": sub.department})
    event = replace(event, id=tx.append_event(event))
    store.put(stored, staging)
    return tx.item(item_id), revision, stored, event


def _resubmit(tx: Transaction, store, sub: Submission, staging: Path, clock: Clock,
              author: str) -> tuple[Item, Revision, str, Event]:
    try:
        item = tx.item(sub.kayit_no)
    except NotFound:
        item = None
    if item is None or item.department != sub.department:
        # the same answer whether the number does not exist or is another department's: nothing is revealed
        raise NotFound(f"'{sub.kayit_no}' numaralı kayıt müdürlüğünüzün kayıtları arasında bulunamadı; kayit_no "
                       "yalnız kendi müdürlüğünüzün bir kaydını gösterebilir.",
                       f"kayit_no {sub.kayit_no} is not an item of {sub.department}")
    rev_no = tx.next_rev(item.id)
    stored = f"{item.year}/{item.number}.r{rev_no}"
    revision = _revision(sub, item.id, rev_no, stored, author, clock.now())
    item, event = add_revision(tx, item, revision, system_actor("kayıt"), clock, title=sub.title, slug=slugify(sub.title),
                                publish_at=sub.publish_at, expire_at=sub.expire_at)
    store.put(stored, staging)
    return item, revision, stored, event


def _revision(sub: Submission, item_id: int, rev: int, stored: str, author: str, now) -> Revision:
    return Revision(item_id=item_id, rev=rev, front_matter=sub.front_matter, body=sub.body,
                    source_name=sub.source_name, source_sha256=sub.source_sha256, stored_dir=stored,
                    attachments=[f"ekler/{a.name}" for a in sub.attachments], warnings=list(sub.warnings),
                    author=author, created_at=now)


def _stage(store, sub: Submission, year: int, session: Session) -> Path:
    """Write original bytes, index.md and cleaned attachments into a staging folder of the register's store."""
    from ..attachments import store_attachment

    staging = store.staging_parent(year) / session.staging_name()
    staging.mkdir(mode=0o700)
    if sub.kind == "bundle":
        shutil.copytree(sub.source, staging / "original", ignore=shutil.ignore_patterns(*IGNORED))
        strip_original_images(staging / "original")  # KVKK: no photo is kept with its GPS position
    else:
        shutil.copyfile(sub.source, staging / f"original{Path(sub.source_name).suffix.lower() or '.md'}")
    (staging / "index.md").write_text(sub.index_md(), encoding="utf-8")
    if sub.attachments:
        (staging / "ekler").mkdir()
        for attachment in sub.attachments:
            store_attachment(attachment, staging / "ekler" / attachment.name)
    return staging


# --- duplicates, quarantine, receipts ------------------------------------------------------------------------
def _already_registered(ledger: Ledger, instance, paths: InstancePaths, claimed: Path, department: str,
                        name: str, revision: Revision, clock: Clock) -> IntakeResult:
    """The same bytes were registered before (a re-drop, or a pass killed before removing its claim)."""
    item = ledger.item(revision.item_id)
    findings = ledger.kvkk_findings(item.id, revision.rev)
    receipt = write_receipt(instance, paths, department, name, item, revision, revision.warnings, clock.now(),
                            only_if_missing=True, findings=findings)
    remove_tree(claimed)
    log.info("%s/%s is already registered as %s", department, name, item.number)
    return IntakeResult("duplicate", department, name, item.number, item, revision.rev, kvkk=findings,
                        receipt=receipt)


def write_receipt(instance, paths: InstancePaths, department: str, name: str, item: Item, revision: Revision,
                  warnings: list[str], now, only_if_missing: bool = False,
                  findings: list[Finding] | None = None) -> Path:
    """submissions/receipts/<department>/<name>.alindi.txt (another number's receipt is never overwritten)."""
    folder = paths.receipts / department
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.alindi.txt"
    if target.exists() and item.number not in target.read_text(encoding="utf-8", errors="replace"):
        target = folder / f"{name}.{item.number}.alindi.txt"
    if only_if_missing and target.exists():
        return target
    write_atomic(target, receipt_text(instance, department, name, item, revision, warnings, now, findings or []))
    return target


def quarantine(instance, paths: InstancePaths, claimed: Path, department: str, name: str,
               problems: list[Problem], clock: Clock) -> IntakeResult:
    """Report first, then move the original bytes: a crash in between leaves the claim to be retried."""
    folder = paths.quarantine / department
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_target(folder, name)
    report = folder / f"{target.name}.hata.txt"
    write_atomic(report, quarantine_report(instance, department, name, target, problems, clock.now()))
    os.rename(claimed, target)
    for problem in problems:
        log.warning("quarantined %s/%s: %s", department, name, problem.format_en())
    signals.item_quarantined.send("intake", department=department, name=name, problems=problems, report=report)
    return IntakeResult("quarantined", department, name, report=report, quarantined=target,
                        problems=list(problems))


# --- recovery ------------------------------------------------------------------------------------------------
def recover(ledger: Ledger, instance, paths: InstancePaths, clock: Clock, session: Session) -> dict:
    """Finish what dead intake processes left behind; safe to run while other passes are running."""
    counts = {"receipts": 0, "returned": 0, "orphans": 0}
    processing = processing_dir(paths)
    alive: dict[str, bool] = {session.id: True}
    if processing.is_dir():
        for department in sorted(p for p in processing.iterdir() if p.is_dir() and p.name not in HIDDEN):
            for claimed in sorted(department.iterdir()):
                owner, _, name = claimed.name.partition(CLAIM_SEPARATOR)
                if owner not in alive:
                    alive[owner] = session_alive(paths, owner)
                if alive[owner] or not name:
                    continue
                counts[_recover_claim(ledger, instance, paths, claimed, department.name, name, clock)] += 1
    counts["orphans"] = _remove_orphans(ledger, paths)
    store = register_store(instance, paths)
    if isinstance(store, S3Store) and store.staging.is_dir():
        counts["orphans"] += _remove_dead_staging(paths, store.staging)
    protect_register(paths.registered)
    for finished in sorted((processing / ".done").glob("*")) if processing.is_dir() else []:
        owner = finished.name.partition(CLAIM_SEPARATOR)[0]
        if not alive.get(owner, session_alive_quiet(paths, owner)):
            remove_tree(finished)  # registered before its process died; only the deletion was left
    for lock in (processing / ".sessions").glob("*.lock"):  # sessions that died without claims
        if lock.stem != session.id:
            session_alive(paths, lock.stem)
    if any(counts.values()):
        log.info("recovered: %s", counts)
    return counts


def _recover_claim(ledger, instance, paths, claimed: Path, department: str, name: str, clock) -> str:
    try:
        digest = source_sha256(claimed)
    except FileNotFoundError:  # another recoverer was quicker
        return "returned"
    revision = ledger.find_revision_by_sha(digest, department)
    if revision is not None:
        _already_registered(ledger, instance, paths, claimed, department, name, revision, clock)
        return "receipts"
    inbox = paths.inbox / department
    inbox.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(claimed, unique_target(inbox, name))
    except FileNotFoundError:
        pass
    return "returned"


def _remove_orphans(ledger: Ledger, paths: InstancePaths) -> int:
    """Registered folders without a ledger row, and staging folders of dead sessions; under the write lock."""
    if not paths.registered.is_dir():
        return 0
    removed = 0
    with ledger.transaction() as tx:  # no registration can be between its rename and its commit now
        for year in sorted(p for p in paths.registered.iterdir() if p.is_dir()):
            for folder in _orphan_candidates(year):
                if folder.name.startswith(".staging-"):
                    if not _dead_staging(paths, folder):
                        continue
                elif _has_row(tx, folder.name):
                    if ".r" not in folder.name:
                        break  # numbered folders are checked newest first; see _orphan_candidates
                    continue
                remove_tree(folder)
                removed += 1
    return removed


def _remove_dead_staging(paths: InstancePaths, root: Path) -> int:
    """Staging folders of dead sessions under root/<year>/ (the bucket's staging area: its uploads are
    removed by the registration that next takes their number)."""
    removed = 0
    for year in sorted(p for p in root.iterdir() if p.is_dir()):
        for folder in sorted(year.glob(".staging-*")):
            if _dead_staging(paths, folder):
                remove_tree(folder)
                removed += 1
    return removed


def _dead_staging(paths: InstancePaths, folder: Path) -> bool:
    """A staging folder (.staging-<session>-<n>) whose session is no longer alive."""
    owner = folder.name[len(".staging-"):].rsplit("-", 1)[0]
    return not session_alive_quiet(paths, owner)


def _orphan_candidates(year: Path) -> list[Path]:
    """Staging and revision folders, then numbered folders newest first.

    An orphan's number was allocated in a transaction that never committed, so it is above every committed
    number of the year (a later registration takes the same number and replaces the folder): once a numbered
    folder has its row, the older ones have theirs too.
    """
    names = os.listdir(year)
    first = sorted(n for n in names if n.startswith(".staging-") or ".r" in n)
    numbered = sorted((n for n in names if not n.startswith(".") and ".r" not in n),
                      key=lambda n: int(n.rsplit("-", 1)[-1]) if n.rsplit("-", 1)[-1].isdigit() else 0,
                      reverse=True)
    return [year / n for n in first + numbered]


def _has_row(tx: Transaction, folder_name: str) -> bool:
    number, _, rev = folder_name.partition(".r")
    try:
        item = tx.item(number)
    except NotFound:
        return False
    if item.number != number:
        return False
    return not rev or (rev.isdigit() and tx.revision(item.id, int(rev)) is not None)

