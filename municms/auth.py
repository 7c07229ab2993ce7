"""Who acts: a person proven by password or personal token, or the built-in system actor of `serve`.

Every action takes an `Actor`, and only this module makes one: `login_with_password`, `login_with_token`,
`login_with_session` (the editorial web app's session cookie, see `start_session`), `system_actor`
(scheduler, watcher, intake inside `serve`) and `owner_system_actor` (the instance owner's
explicit `--system`). A bare login string is refused by the actions, so no front end can act for someone
it did not authenticate. Failed logins are events in the register; too many in a window lock the login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pwd
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock
from .errors import NotFound, PermissionDenied
from .ledger import Ledger
from .model import SYSTEM, YONETICI, Event, User
from .passwords import hash_password, needs_rehash, parameters, verify_password

TOKEN_PREFIX = "mct1"
FAILED_LOGIN = "login_failed"
REHASHED = "password_rehashed"          # a stored hash moved to today's Argon2 parameters at login
THROTTLED_LOGIN = "login_throttled"   # an attempt refused unchecked; does not extend the lock
MAX_FAILURES = 5                      # failed logins of one login inside the window lock it …
FAILURE_WINDOW = dt.timedelta(minutes=15)   # … until the oldest of them is this old
_PROOF = object()                     # only this module's constructors hold it


class AuthenticationFailed(PermissionDenied):
    """Wrong, unknown, inactive or throttled credentials; the message never says which login exists."""


@dataclass(frozen=True)
class Actor:
    """An authenticated actor: its login, how it was proven, and (for the system) on whose behalf."""

    login: str
    via: str                           # password | token | session | system
    detail: str = ""                   # system: scheduler, watcher, intake, --system (os user …)
    _proof: object = field(default=None, repr=False, compare=False)

    @property
    def authentic(self) -> bool:
        return self._proof is _PROOF

    @property
    def is_system(self) -> bool:
        return self.login == SYSTEM


def _throttled(ledger: Ledger, login: str, clock: Clock) -> None:
    now = clock.now()
    # A read on every login and every API request; the write lock is taken only to record a refusal.
    if ledger.count_events(login, FAILED_LOGIN, now - FAILURE_WINDOW) >= MAX_FAILURES:
        with ledger.transaction() as tx:
            tx.append_event(Event(at=now, actor=login, action=THROTTLED_LOGIN, data={"why": "throttled"}))
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise AuthenticationFailed(
            f"Çok fazla hatalı giriş denemesi: '{login}' için girişler {minutes} dakika boyunca durduruldu. "
            "Daha sonra yeniden deneyin ya da yöneticiye başvurun.",
            f"login '{login}' throttled after {MAX_FAILURES} failures in {minutes} min")


def _fail(ledger: Ledger, login: str, clock: Clock, via: str, why: str) -> AuthenticationFailed:
    with ledger.transaction() as tx:
        tx.append_event(Event(at=clock.now(), actor=login, action=FAILED_LOGIN, data={"via": via, "why": why}))
    if via == "token":
        return AuthenticationFailed("Kişisel anahtar (MUNICMS_TOKEN) geçersiz ya da iptal edilmiş.",
                                    f"token for '{login}' rejected: {why}")
    return AuthenticationFailed("Kullanıcı adı ya da parola hatalı.", f"login '{login}' rejected: {why}")


def _active_user(ledger: Ledger, login: str) -> User | None:
    try:
        user = ledger.user(login)
    except NotFound:
        return None
    return user if user.active else None


def login_with_password(ledger: Ledger, login: str, password: str, clock: Clock) -> Actor:
    """The actor `login` if `password` is right and the login is active and not throttled."""
    login = (login or "").strip()
    _throttled(ledger, login, clock)
    user = _active_user(ledger, login)
    if user is None or not verify_password(user.password_hash, password):
        raise _fail(ledger, login, clock, "password", "unknown or inactive" if user is None else "wrong password")
    if needs_rehash(user.password_hash):
        _rehash(ledger, user, password, clock)
    return Actor(user.login, "password", _proof=_PROOF)


def _rehash(ledger: Ledger, user: User, password: str, clock: Clock) -> None:
    """Store the proven password under today's parameters (the password itself is unchanged)."""
    new_hash = hash_password(password)
    with ledger.transaction() as tx:
        if tx.user(user.login).password_hash != user.password_hash:
            return  # changed since it was read (a password change or a concurrent login): keep that
        tx.update_user(user.login, password_hash=new_hash)
        tx.append_event(Event(at=clock.now(), actor=user.login, action=REHASHED,
                              data={"from": parameters(user.password_hash), "to": parameters(new_hash)}))


def token_hash(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to store them (no slow hash needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_token(token: str) -> str | None:
    """The login a token names (mct1.<login>.<secret>), or None if it is not shaped like one."""
    prefix, _, rest = (token or "").strip().partition(".")
    login, _, secret = rest.rpartition(".")
    return login if prefix == TOKEN_PREFIX and login and len(secret) >= 32 else None


def new_token(login: str) -> str:
    return f"{TOKEN_PREFIX}.{login}.{secrets.token_urlsafe(32)}"


def login_with_token(ledger: Ledger, token: str, clock: Clock) -> Actor:
    """The actor a personal token names, if the token is stored, not revoked, and its login is active."""
    login = parse_token(token)
    if login is None:
        raise _fail(ledger, "?", clock, "token", "malformed token")
    _throttled(ledger, login, clock)
    row = ledger.token(token_hash(token.strip()))
    user = _active_user(ledger, login)
    if row is None or row["login"] != login or row["revoked_at"] or user is None:
        raise _fail(ledger, login, clock, "token", "unknown, revoked or inactive")
    return Actor(login, "token", _proof=_PROOF)


SESSION_TOUCH = dt.timedelta(seconds=15)   # last_seen is written at most this often per session
SESSION_PURGE = dt.timedelta(days=1)       # sessions idle this long past the timeout are deleted at any login


class SessionExpired(AuthenticationFailed):
    """The session exists but was idle too long; `login` says whose it was (to keep their unsent form)."""

    def __init__(self, login: str):
        super().__init__("Oturumunuzun süresi doldu; lütfen yeniden giriş yapın.", f"session of '{login}' expired")
        self.login = login


@dataclass(frozen=True)
class Session:
    """A new editorial session: the id for the cookie (stored only hashed) and its CSRF token."""

    id: str
    csrf_token: str


def start_session(ledger: Ledger, actor: Actor, clock: Clock, idle_timeout: dt.timedelta) -> Session:
    """A server-side session for an actor just proven by password; stale sessions of anyone are purged."""
    if not actor.authentic or actor.is_system:
        raise PermissionDenied("Oturum yalnız parolasıyla giriş yapan bir kullanıcı için açılır.",
                               f"no session for {actor!r}")
    session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
    now = clock.now()
    with ledger.transaction() as tx:
        tx.delete_sessions(idle_before=now - idle_timeout - SESSION_PURGE)
        tx.insert_session(token_hash(session.id), actor.login, session.csrf_token, now)
    return session


def session_csrf_token(ledger: Ledger, session_id: str) -> str | None:
    """The CSRF token of a stored session (expired or not), without touching it; None if there is none."""
    row = ledger.session(token_hash(session_id)) if session_id else None
    return row["csrf_token"] if row else None


def login_with_session(ledger: Ledger, session_id: str, clock: Clock, idle_timeout: dt.timedelta) -> Actor:
    """The actor of a live session of an active user; marks it seen. An idle one raises SessionExpired."""
    id_hash = token_hash(session_id or "")
    row = ledger.session(id_hash) if session_id else None
    if row is None:
        raise AuthenticationFailed("Oturum bulunamadı; lütfen giriş yapın.", "no such session")
    now = clock.now()
    if _active_user(ledger, row["login"]) is None:  # deactivated: every session of theirs ends at once
        with ledger.transaction() as tx:
            tx.delete_sessions(login=row["login"])
        raise AuthenticationFailed("Oturum bulunamadı; lütfen giriş yapın.", f"'{row['login']}' is inactive")
    if now - row["last_seen"] > idle_timeout:
        raise SessionExpired(row["login"])
    if now - row["last_seen"] >= SESSION_TOUCH:
        with ledger.transaction() as tx:
            tx.touch_session(id_hash, now)
    return Actor(row["login"], "session", _proof=_PROOF)


def end_session(ledger: Ledger, session_id: str) -> None:
    """Logout, or the end of an expired session: the row is deleted, the cookie is worthless."""
    with ledger.transaction() as tx:
        tx.delete_session(token_hash(session_id or ""))


def end_sessions(ledger: Ledger, login: str) -> int:
    """Every session of `login` ends (after a password change: other browsers must log in again)."""
    with ledger.transaction() as tx:
        return tx.delete_sessions(login=login)


def system_actor(detail: str) -> Actor:
    """The built-in `sistem` of the long-running parts of `serve` (scheduler, watcher, intake)."""
    return Actor(SYSTEM, "system", detail, _proof=_PROOF)


def owner_system_actor(instance_root: Path, database: Path) -> Actor:
    """`--system`: the instance owner's own automation. Allowed only to the OS user owning the ledger
    (or root); the OS user is recorded on every event."""
    owned = database if database.exists() else Path(instance_root)
    uid = os.geteuid()
    if uid not in (0, owned.stat().st_uid):
        raise PermissionDenied(
            "--system yalnız kurulumun sahibi olan işletim sistemi kullanıcısına açıktır.",
            f"--system refused: uid {uid} does not own {owned}")
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = str(uid)
    return Actor(SYSTEM, "system", f"--system (işletim sistemi kullanıcısı {name})", _proof=_PROOF)


def may_manage(actor_user: User, login: str) -> bool:
    """A user manages their own password and tokens; a yonetici manages everyone's."""
    return actor_user.role == YONETICI or actor_user.login == login
