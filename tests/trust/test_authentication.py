"""Every command that changes state or shows non-public data proves who runs it; refusals change nothing
and are on the register."""

from __future__ import annotations

import json

import pytest

from municms import auth
from municms.errors import PermissionDenied
from municms.model import ASSIGNED, REGISTERED
from tests.municipality import PASSWORD

# Each command that changes state, with the arguments it needs (REF is the registered item's number).
STATE_CHANGING = [
    ("assign", "REF", "--to", "web1"),
    ("review", "REF"),
    ("approve", "REF"),
    ("request-changes", "REF", "--reason", "Eksik."),
    ("reject", "REF", "--reason", "Yetki dışı."),
    ("withdraw", "REF", "--reason", "Hatalı."),
    ("archive", "REF"),
    ("publish",),
    ("rollback", "--reason", "Deneme."),
    ("users", "token", "web1"),
    ("users", "token", "web1", "--revoke"),
    ("users", "deactivate", "web1"),
    ("users", "password", "web1", "--new-password-stdin"),
]
READING = [("list",), ("show", "REF"), ("defter", "--from", "2026-01-01", "--to", "2026-12-31"), ("releases",),
           ("users", "list")]


@pytest.fixture
def registered(municipality):
    m = municipality()
    for login in ("web1", "mudur1"):
        m.person(login)
    item = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    return m, item


def _args(command, number):
    return [number if part == "REF" else part for part in command]


def _without_refusals(dump):
    """The ledger without the events of refused logins (which the refusal itself adds)."""
    tables = dict(dump)
    events = tuple(row for row in tables["events"] if row[4] != auth.FAILED_LOGIN)
    return {**tables, "events": events}


@pytest.mark.parametrize("command", STATE_CHANGING + READING, ids=lambda c: " ".join(c))
def test_without_credentials_nothing_happens_and_the_attempt_is_recorded(registered, command):
    m, item = registered
    before = m.ledger.dump()
    code, out, err = m.run(*_args(command, item.number), stdin="yeni-parola-2026\n")
    assert code == 1
    assert "kimlik doğrulaması ister" in err
    assert out == ""
    assert _without_refusals(m.ledger.dump()) == _without_refusals(before)
    refused = [e for e in m.ledger.events() if e.action == auth.FAILED_LOGIN]
    assert [(e.actor, e.data["why"], e.data["command"]) for e in refused] == [("-", "no credentials", command[0])]


@pytest.mark.parametrize("command", STATE_CHANGING + READING, ids=lambda c: " ".join(c))
def test_wrong_password_is_refused_and_recorded(registered, command):
    m, item = registered
    before = m.ledger.dump()
    code, out, err = m.run(*_args(command, item.number), login="mudur1", password="yanlis-parola",
                           stdin="yeni-parola-2026\n")
    assert (code, out) == (1, "")
    assert "Kullanıcı adı ya da parola hatalı." in err
    assert _without_refusals(m.ledger.dump()) == _without_refusals(before)
    refused = [e for e in m.ledger.events() if e.action == auth.FAILED_LOGIN]
    assert [(e.actor, e.data["why"]) for e in refused] == [("mudur1", "wrong password")]


def test_the_right_password_acts_and_the_event_names_the_person(registered):
    m, item = registered
    code, out, err = m.run("assign", item.number, "--to", "web1", "--json", login="mudur1")
    assert code == 0, err
    assert json.loads(out)["item"]["state"] == ASSIGNED
    assert [(e.actor, e.action) for e in m.ledger.events(item.id)] == [("sistem", "register"), ("mudur1", "assign")]


def test_unknown_login_gets_the_same_message_as_a_wrong_password(registered):
    m, item = registered
    code, _, err = m.run("list", login="kimse", password="bir-parola-2026")
    assert code == 1
    assert "Kullanıcı adı ya da parola hatalı." in err


def test_failed_logins_are_throttled_even_for_the_right_password(registered):
    m, _ = registered
    for _ in range(auth.MAX_FAILURES):
        assert m.run("list", login="web1", password="yanlis-parola")[0] == 1
    code, _, err = m.run("list", login="web1")
    assert code == 1
    assert "Çok fazla hatalı giriş denemesi" in err
    assert [e.action for e in m.ledger.events() if e.actor == "web1"][-1] == auth.THROTTLED_LOGIN


def test_the_throttle_lifts_when_the_window_has_passed(registered):
    m, _ = registered
    m.person("web1")
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthenticationFailed):
            auth.login_with_password(m.ledger, "web1", "yanlis-parola", m.clock)
    with pytest.raises(auth.AuthenticationFailed) as locked:
        auth.login_with_password(m.ledger, "web1", PASSWORD, m.clock)
    assert "15 dakika" in locked.value.message_tr
    m.clock.advance(auth.FAILURE_WINDOW)
    assert auth.login_with_password(m.ledger, "web1", PASSWORD, m.clock).login == "web1"


def test_users_init_makes_the_first_yonetici_once(municipality):
    m = municipality()
    code, out, err = m.run("users", "init", "ilkyonetici", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    assert m.ledger.user("ilkyonetici").role == "yonetici"
    code, _, err = m.run("users", "init", "ikinci", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    assert "İlk yönetici zaten oluşturulmuş" in err
    with pytest.raises(Exception):
        m.ledger.user("ikinci")


def test_only_a_yonetici_adds_users(registered):
    m, _ = registered
    editor_token = m.run("users", "token", "web1", login="web1")[1].strip()
    code, _, err = m.run("users", "add", "yeni", "--role", "yonetici", "--password-stdin",
                         stdin=PASSWORD + "\n", token=editor_token)
    assert code == 1
    assert "Kullanıcı eklemeyi yalnız yönetici yapabilir." in err
    admin_token = m.run("users", "token", "yonetici1", login="yonetici1")[1].strip()
    code, out, err = m.run("users", "add", "yeni", "--role", "editor", "--unit", "web", "--password-stdin",
                           stdin=PASSWORD + "\n", token=admin_token)
    assert code == 0, err
    assert m.ledger.user("yeni").role == "editor"
    assert auth.login_with_password(m.ledger, "yeni", PASSWORD, m.clock).login == "yeni"
    added = [e for e in m.ledger.events() if e.action == "user_add" and e.data["login"] == "yeni"]
    assert [e.actor for e in added] == ["yonetici1"]


def test_a_personal_token_names_its_login_and_can_be_revoked(registered):
    m, item = registered
    code, token, err = m.run("users", "token", "mudur1", login="mudur1")
    token = token.strip()
    assert code == 0 and token.startswith("mct1.mudur1."), err
    assert m.ledger.dump().__repr__().count(token) == 0  # stored only as a hash
    assert m.run("assign", item.number, "--to", "web1", token=token)[0] == 0
    assert m.ledger.events(item.id)[-1].actor == "mudur1"
    # someone else cannot reuse it under another name
    forged = token.replace("mct1.mudur1.", "mct1.web1.")
    assert m.run("list", token=forged)[0] == 1
    assert m.run("users", "token", "mudur1", "--revoke", token=token)[0] == 0
    code, _, err = m.run("list", token=token)
    assert code == 1
    assert "geçersiz ya da iptal edilmiş" in err


def test_a_user_cannot_make_a_token_for_someone_else(registered):
    m, _ = registered
    code, _, err = m.run("users", "token", "mudur1", login="web1")
    assert code == 1
    assert "yalnız kullanıcının kendisi ya da bir yönetici" in err


def test_a_deactivated_user_can_no_longer_act(registered):
    m, item = registered
    token = m.run("users", "token", "mudur1", login="mudur1")[1].strip()
    assert m.run("users", "deactivate", "mudur1", login="yonetici1")[0] == 0
    assert m.run("assign", item.number, "--to", "web1", login="mudur1")[0] == 1
    assert m.run("assign", item.number, "--to", "web1", token=token)[0] == 1
    assert m.ledger.item(item.number).state == REGISTERED


def test_password_change_by_the_user(registered):
    m, _ = registered
    code, _, err = m.run("users", "password", "web1", "--new-password-stdin", login="web1",
                         stdin="baska-bir-parola\n")
    assert code == 0, err
    with pytest.raises(PermissionDenied):
        auth.login_with_password(m.ledger, "web1", PASSWORD, m.clock)
    assert auth.login_with_password(m.ledger, "web1", "baska-bir-parola", m.clock).login == "web1"


def test_actions_refuse_a_bare_login(registered):
    from municms.actions.assign import assign
    m, item = registered
    with pytest.raises(PermissionDenied):
        assign(m.ledger, m.instance, item.number, "mudur1", m.clock, to="web1")
    forged = auth.Actor("mudur1", "password")
    with pytest.raises(PermissionDenied):
        assign(m.ledger, m.instance, item.number, forged, m.clock, to="web1")
    assert m.ledger.item(item.number).state == REGISTERED


def test_system_is_never_a_default(registered):
    m, _ = registered
    code, _, err = m.run("publish")
    assert code == 1
    code, _, err = m.run("users", "add", "x", "--role", "yonetici", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    with pytest.raises(Exception):
        m.ledger.user("x")


def test_owner_system_run_is_recorded(municipality):
    m = municipality(site="tiny")
    item = m.submit("duyuru", "Meclis Toplantısı Gündemi")
    m.approve(item.number)
    code, out, err = m.run("publish", "--system", "--json")
    assert code == 0, err
    published = [e for e in m.ledger.events(item.id) if e.action == "publish"]
    assert [(e.actor, e.data["via"].startswith("--system (işletim sistemi kullanıcısı ")) for e in published] == \
        [("sistem", True)]


def test_a_hash_from_older_parameters_moves_to_todays_at_the_next_login(registered):
    """Hashes stored before the OWASP profile (argon2-cffi's default, 64 MiB and 4 lanes) keep working and are
    rehashed once, at the first successful login, with an event that names both parameter sets."""
    from argon2 import PasswordHasher
    m, _ = registered
    with m.ledger.transaction() as tx:  # what an instance that ran the older parameters has stored
        tx.update_user("web1", password_hash=PasswordHasher().hash(PASSWORD))
    assert m.run("list", login="web1", password="yanlis-parola")[0] == 1
    assert m.ledger.user("web1").password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert m.run("list", login="web1")[0] == 0
    assert m.run("list", login="web1")[0] == 0
    assert m.ledger.user("web1").password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    rehashed = [e for e in m.ledger.events() if e.action == auth.REHASHED]
    assert [(e.actor, e.data) for e in rehashed] == [("web1", {"from": "m=65536,t=3,p=4", "to": "m=19456,t=2,p=1"})]
    assert auth.login_with_password(m.ledger, "web1", PASSWORD, m.clock).login == "web1"
