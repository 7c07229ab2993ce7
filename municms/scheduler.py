"""The scheduler: publishes what is due, expires what has passed; one pass (`run_due`) or a thread (`Scheduler`).

The thread wakes every `interval` seconds, and at once when an item is approved or withdrawn in this
process (so an emergency banner approved by its second approver is live within seconds). Approvals made by
another process are seen at the next interval through a cheap fingerprint of the ledger.

With the ledger in PostgreSQL (several hosts) only one scheduler acts: the one holding the leader's advisory
lock (Leadership). The others stand by, trying to take it at every interval; when the leader's host dies, the
server drops its connection and the lock, and a standby takes over within one interval.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from . import signals
from .actions.expire import expire_due, schedule_waiting
from .actions.publish import PublishResult, publish, publishable_entries, select_due
from .actions.seminar_upkeep import seminar_upkeep
from .clock import Clock
from .config import Instance
from .deploy import get_target
from .errors import MunicmsError
from .health.diskfull import disk_full, is_disk_full
from .incremental.registry import state_for
from .incremental.search_prep import prepare_soon
from .ledger import Ledger
from .mail import send_outbox
from .materialise import deadline_passed, pending
from .auth import Actor, system_actor
from .model import PUBLISHED
from .paths import InstancePaths
from .seminars.page_data import boundaries_passed
from .workflow import DUE_STATES

log = logging.getLogger(__name__)

WAKE_SIGNALS = (signals.item_approved, signals.item_withdrawn, signals.item_archived,
                signals.seminar_registration_changed, signals.seminar_changed)


@dataclass
class Pass:
    """What one scheduler pass did."""

    scheduled: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    published: PublishResult | None = None

    @property
    def idle(self) -> bool:
        return not (self.scheduled or self.expired or self.published)


def run_due(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor | None = None,
            force_check: bool = True) -> Pass:
    """One pass: schedule future items, expire passed ones, publish if anything public changes."""
    result = Pass()
    result.scheduled = [item.number for item in schedule_waiting(ledger, instance, clock)]
    result.expired = [item.number for item in expire_due(ledger, instance, clock)]
    now = clock.now()
    if result.expired or select_due(ledger, now) or (force_check and _stale(ledger, instance, paths, clock)):
        result.published = publish(ledger, instance, paths, clock, actor or system_actor("zamanlayıcı"))
        log.info("scheduler: release %s, published %s, expired %s", result.published.release_id,
                 result.published.items, result.expired)
    return result


def _stale(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock) -> bool:
    """Nothing deployed yet, or content/ differs from what the ledger says (a withdrawal, an interrupted run);
    items held back at publish are not counted until they change."""
    if get_target(instance, paths, clock).current() is None:
        return True
    return pending(publishable_entries(ledger, clock.now()), instance, paths, clock.now())


def fingerprint(ledger: Ledger, now, tz=None) -> tuple:
    """Changes whenever an item changes (in any process), the clock makes one due or expired, a seminar
    registration or notice changes, a seminar's registration deadline, start or end passes, or a taxpayer
    notice's last day (son_basvuru) is over."""
    items = ledger.items()
    due = tuple(i.number for i in items if i.state in DUE_STATES and (i.publish_at is None or i.publish_at <= now))
    ending = tuple(i.number for i in items if i.state == PUBLISHED and i.expire_at and i.expire_at <= now)
    seminars = [(i.id, i.live_rev) for i in items if i.tur == "seminer" and i.state == PUBLISHED and i.live_rev]
    passed = boundaries_passed([r.front_matter for r in ledger.revisions_at(seminars).values()], now, tz) \
        if seminars and tz is not None else 0
    notices = [(i.id, i.live_rev) for i in items if i.tur == "mukellef-duyurusu" and i.state == PUBLISHED
               and i.live_rev]
    passed += sum(deadline_passed(r.front_matter, now, tz) for r in ledger.revisions_at(notices).values()) \
        if notices and tz is not None else 0
    changed = (max((str(i.updated_at) for i in items), default=""), ledger.seminar_fingerprint(), passed)
    return len(items), changed, due, ending


class Leadership:
    """Who may run the passes: always this process on SQLite (one host; the deploy lock queues the rest), the
    holder of the PostgreSQL advisory lock otherwise."""

    def __init__(self, ledger: Ledger):
        from .db import is_url

        self._lock = None
        if is_url(getattr(ledger, "path", None)):
            from .db.postgres import LEADER_LOCK, AdvisoryLock
            self._lock = AdvisoryLock(ledger.path, LEADER_LOCK)
        self.leading = self._lock is None

    def check(self) -> bool:
        """Take or keep the leadership; False while another host leads (or the server is out of reach)."""
        if self._lock is None:
            return True
        was, self.leading = self.leading, self._lock.try_acquire()
        if self.leading != was:
            log.info("scheduler: %s", "leading (advisory lock taken)" if self.leading else "standing by")
        return self.leading

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self.leading = False


class Scheduler:
    """A daemon thread calling run_due every `interval` seconds and whenever an approval arrives."""

    def __init__(self, ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock,
                 interval: float = 5.0):
        self.ledger, self.instance, self.paths, self.clock = ledger, instance, paths, clock
        self.interval = interval
        self.passes = 0
        self.last_error: MunicmsError | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: tuple | None = None        # ledger fingerprint at the last full check
        self._failed: tuple | None = None      # fingerprint at the last failed publish: do not retry unchanged
        self.leadership = Leadership(ledger)

    def wake(self, *_args, **_kwargs) -> None:
        self._wake.set()

    def start(self) -> "Scheduler":
        for signal in WAKE_SIGNALS:
            signal.connect(self.wake, weak=False)
        self._thread = threading.Thread(target=self._loop, name="municms-scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 60.0) -> None:
        self._stop.set()
        self._wake.set()
        for signal in WAKE_SIGNALS:
            signal.disconnect(self.wake)
        if self._thread is not None:
            self._thread.join(timeout)
        self.leadership.release()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.run_once()
            self._wake.wait(self.interval)

    def seminar_pass(self) -> None:
        """Seminar upkeep (dates, reminders, KVKK erasure) and the outbox; a failure here never stops publishing."""
        try:
            upkeep = seminar_upkeep(self.ledger, self.instance, self.paths, self.clock)
            if not upkeep.idle:
                log.info("scheduler: seminars %s", upkeep)
            sent = send_outbox(self.ledger, self.instance, self.clock)
            if sent.sent or sent.failed:
                log.info("scheduler: e-mails sent %d, failed %d", len(sent.sent), len(sent.failed))
        except MunicmsError as exc:
            log.error("scheduler: seminars: %s", exc.message_en)
        except Exception:
            log.exception("seminar upkeep failed")

    def run_once(self) -> Pass | None:
        """One pass; errors are logged (and kept) so the thread keeps running. None also while another host's
        scheduler leads."""
        if not self.leadership.check():
            return None
        try:
            seen = fingerprint(self.ledger, self.clock.now(), self.instance.tz)
            if seen == self._failed:
                return None  # the last try failed and nothing changed since: do not rebuild in a loop
            result = run_due(self.ledger, self.instance, self.paths, self.clock, force_check=seen[:2] != self._seen)
            self._seen = fingerprint(self.ledger, self.clock.now(), self.instance.tz)[:2]
            self._failed, self.last_error = None, None
            prepare_soon(state_for(self.paths), self.clock.now())  # the next publish's year bundles
            return result
        except MunicmsError as exc:
            self.last_error = exc
            if not is_disk_full(exc):  # a full disk is retried: space comes back without any change to see here
                self._failed = fingerprint(self.ledger, self.clock.now(), self.instance.tz)
            log.error("scheduler: %s", exc.message_en)
        except Exception as exc:  # keep the thread alive; the next pass tries again
            if not is_disk_full(exc):
                log.exception("scheduler pass failed")
            else:
                self.last_error = disk_full(exc, "zamanlanmış yayın")
                log.error("scheduler: %s", self.last_error.message_en)
        finally:
            self.seminar_pass()  # also while publishing fails: e-mails and erasure do not wait for the site
            self.passes += 1
        return None
