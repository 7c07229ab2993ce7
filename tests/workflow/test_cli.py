"""The workflow CLI through real subprocesses: exit codes, Turkish messages, --json, the register."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from municms.actions.resubmit import add_revision
from municms.model import BIRIM, CHANGES_REQUESTED, EDITOR, IN_REVIEW, MUDUR, PUBLISHED, REGISTERED, Revision
from municms.passwords import verify_password
from tests.tinysite import REPO


def cli(instance_dir, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(instance_dir), *args],
                          input=stdin, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_users_add_validates_hashes_and_records(instance_dir, ledger):
    done = cli(instance_dir, "users", "add", "ayse", "--role", "editor", "--unit", "web", "--password-stdin",
               "--json", stdin="uzun-bir-parola\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["user"] == {"login": "ayse", "role": "editor", "unit": "web",
                                               "department": None, "active": True}
    stored = ledger.user("ayse")
    assert stored.password_hash.startswith("$argon2id$") and verify_password(stored.password_hash, "uzun-bir-parola")
    [event] = ledger.events()
    assert (event.item_id, event.actor, event.action, event.data) == \
        (None, "sistem", "user_add", {"login": "ayse", "role": "editor", "unit": "web", "department": None})

    bad = cli(instance_dir, "users", "add", "veli", "--role", "birim", "--department", "yok", "--unit", "web",
              "--password-stdin", stdin="kisa\n")
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[:4] == [
        "HATA: Kullanıcı eklenemedi.",
        "  - alan 'unit': Birim yalnız editörler için verilir.",
        "  - alan 'department': Birim personeli için müdürlük zorunludur: fen-isleri, mali-hizmetler, bilgi-islem.",
        "  - alan 'password': Parola en az 10 karakter olmalıdır."]
    again = cli(instance_dir, "users", "add", "ayse", "--role", "mudur", "--password-stdin", stdin="uzun-bir-parola\n")
    assert (again.returncode, again.stderr.strip()) == (1, "HATA: 'ayse' adlı kullanıcı zaten var.")
    # --exists-ok (used by `make run` for the demo logins): the same user again changes nothing, exit 0;
    # the same login with another role is still an error
    same = cli(instance_dir, "users", "add", "ayse", "--role", "editor", "--unit", "web", "--password-stdin",
               "--exists-ok", stdin="baska-bir-parola\n")
    assert (same.returncode, same.stdout) == (0, "Kullanıcı zaten var: ayse (editor); değiştirilmedi.\n")
    assert verify_password(ledger.user("ayse").password_hash, "uzun-bir-parola") and len(ledger.events()) == 1
    other = cli(instance_dir, "users", "add", "ayse", "--role", "mudur", "--password-stdin", "--exists-ok",
                stdin="uzun-bir-parola\n")
    assert (other.returncode, other.stderr.strip()) == (1, "HATA: 'ayse' adlı kullanıcı zaten var.")
    usage = cli(instance_dir, "users", "add", "veli", "--role", "mudur")
    assert usage.returncode == 2 and "kullanım hatası" in usage.stderr
    by_editor = cli(instance_dir, "users", "add", "veli", "--role", "mudur", "--password-stdin", "--as", "ayse",
                    stdin="uzun-bir-parola\n")
    assert (by_editor.returncode, by_editor.stderr.strip()) == \
        (1, "HATA: Kullanıcı eklemeyi yalnız yönetici yapabilir.")
    listed = cli(instance_dir, "users", "list", "--json")
    assert [u["login"] for u in json.loads(listed.stdout)["users"]] == ["ayse"]


@pytest.mark.slow
def test_the_whole_review_cycle_on_the_command_line(instance_dir, ledger, clock, item, user):
    made = item(state=REGISTERED)
    director, first, second = user(MUDUR), user(EDITOR), user(EDITOR)

    done = cli(instance_dir, "assign", made.number, "--to", first.login, "--as", director.login)
    assert (done.returncode, done.stdout.strip()) == \
        (0, f"{made.number} {first.login} kişisine havale edildi. Durum: havale edildi.")
    assert cli(instance_dir, "review", made.number, "--as", first.login).returncode == 0

    no_reason = cli(instance_dir, "request-changes", made.number, "--as", first.login)
    assert (no_reason.returncode, no_reason.stderr.splitlines()[0]) == \
        (1, "HATA: Değişiklik isteme için gerekçe zorunludur.")
    done = cli(instance_dir, "request-changes", made.number, "--as", first.login, "--reason", "Tarih yanlış.",
               "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["item"]["state"] == CHANGES_REQUESTED
    shown = cli(instance_dir, "show", made.number)
    assert "Değişiklik isteği (müdürlüğe gönderilen not):" in shown.stdout
    assert "Gerekçe:\nTarih yanlış." in shown.stdout and f"kayit_no: {made.number}" in shown.stdout

    with ledger.transaction() as tx:
        add_revision(tx, tx.item(made.id), Revision(body="Düzeltildi.", author="birim-yazar"), "sistem", clock)
    approved = cli(instance_dir, "approve", made.number, "--as", director.login)
    assert approved.returncode == 0  # the director is neither author nor last editor
    published = item(state=PUBLISHED)
    withdrawn = cli(instance_dir, "withdraw", published.number, "--as", second.login)
    assert (withdrawn.returncode, withdrawn.stderr.splitlines()[0]) == \
        (1, "HATA: Geri çekme için gerekçe zorunludur.")
    withdrawn = cli(instance_dir, "withdraw", published.number, "--as", second.login, "--reason", "Hatalı bilgi.",
                    "--json")
    assert json.loads(withdrawn.stdout)["item"]["public_reason"] == "Hatalı bilgi."

    shown = json.loads(cli(instance_dir, "show", made.number, "--json").stdout)
    assert [(e["action"], e["to_state"]) for e in shown["events"]] == [
        ("register", "registered"), ("assign", "assigned"), ("start_review", "in_review"),
        ("request_changes", "changes_requested"), ("resubmit", "in_review"), ("approve", "approved")]
    assert [r["rev"] for r in shown["revisions"]] == [1, 2] and shown["approvals"] == [director.login]


def test_refusals_and_usage_errors_exit_codes(instance_dir, item, user):
    made = item(state=IN_REVIEW, author="yazar")
    author = user(EDITOR, login="yazar")
    own = cli(instance_dir, "approve", made.number, "--as", author.login)
    assert (own.returncode, own.stderr.strip()) == \
        (1, "HATA: Kendi hazırladığınız içeriği onaylayamazsınız (dört göz ilkesi).")
    wrong_state = cli(instance_dir, "assign", made.number, "--to", author.login, "--as", user(MUDUR).login)
    assert (wrong_state.returncode, wrong_state.stderr.strip()) == \
        (1, f"HATA: {made.number} 'incelemede' durumunda; havale yapılamaz.")
    missing = cli(instance_dir, "show", "BİM-2026-000404", "--json")
    assert missing.returncode == 1 and json.loads(missing.stdout)["error"] == "NotFound"
    assert cli(instance_dir, "approve", made.number).returncode == 2
    assert cli(instance_dir, "list", "--state", "bitti").returncode == 2


def test_department_staff_list_only_their_department(instance_dir, item, user):
    own = item(department="fen-isleri")
    other = item(department="mali-hizmetler", title="Emlak Vergisi Son Gün")
    staff = user(BIRIM, department="fen-isleri")
    mine = json.loads(cli(instance_dir, "list", "--as", staff.login, "--json").stdout)
    assert [i["number"] for i in mine["items"]] == [own.number]
    everything = cli(instance_dir, "list")
    assert own.number in everything.stdout and other.number in everything.stdout
    denied = cli(instance_dir, "show", other.number, "--as", staff.login)
    assert (denied.returncode, denied.stderr.strip()) == (1, f"HATA: {other.number} kaydını görme yetkiniz yok.")


def test_defter_text_csv_and_json(instance_dir, ledger, item, user):
    first = item(title="Işıklı Çarşı İhalesi")
    second = item(state=PUBLISHED, department="mali-hizmetler", title="Emlak Vergisi Son Gün", assignee="ed")
    text = cli(instance_dir, "defter", "--from", "2026-11-01", "--to", "2026-11-30")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0] == "Deneme Belediyesi — Kayıt Defteri (01.11.2026 – 30.11.2026)"
    header, rule, row1, row2 = lines[2:6]
    assert header.split("  ")[0] == "Kayıt No" and set(rule) == {"-", " "}
    assert row1.index("Fen İşleri Müdürlüğü") == row2.index("Mali Hizmetler Müdürlüğü") == header.index("Müdürlük")
    assert row2.index("yayında") == header.index("Durum")

    raw = cli(instance_dir, "defter", "--from", "2026-11-25", "--to", "2026-11-25", "--format", "csv",
              "--output", str(instance_dir / "defter.csv"))
    assert raw.returncode == 0
    data = (instance_dir / "defter.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Kayıt No", "Kayıt Tarihi", "Müdürlük", "Konu", "Havale Edilen", "Durum", "Kapanış Tarihi"],
                    [first.number, "25.11.2026", "Fen İşleri Müdürlüğü", "Işıklı Çarşı İhalesi", "", "kaydedildi", ""],
                    [second.number, "25.11.2026", "Mali Hizmetler Müdürlüğü", "Emlak Vergisi Son Gün", "ed",
                     "yayında", ""]]
    as_json = json.loads(cli(instance_dir, "defter", "--from", "2026-11-26", "--to", "2026-12-31", "--json").stdout)
    assert as_json == {"ok": True, "from": "2026-11-26", "to": "2026-12-31", "rows": []}
    backwards = cli(instance_dir, "defter", "--from", "2026-12-01", "--to", "2026-11-01")
    assert (backwards.returncode, backwards.stderr.splitlines()[0]) == (1, "HATA: Tarih aralığı geçersiz.")


def test_reject_on_the_command_line(instance_dir, item, user):
    made = item(state=IN_REVIEW)
    editor = user(EDITOR)
    done = cli(instance_dir, "reject", made.number, "--as", editor.login, "--reason", "Mevzuata aykırı.", "--json")
    payload = json.loads(done.stdout)["item"]
    assert (done.returncode, payload["state"], payload["state_label"]) == (0, "rejected", "reddedildi")
    assert payload["closed_at"].endswith("+03:00")  # the CLI's clock runs in the instance's time zone
    shown = cli(instance_dir, "show", made.number)
    assert "Durum: reddedildi" in shown.stdout and "(Mevzuata aykırı.)" in shown.stdout
    again = cli(instance_dir, "reject", made.number, "--as", editor.login, "--reason", "Yine.")
    assert (again.returncode, again.stderr.strip()) == \
        (1, f"HATA: {made.number} 'reddedildi' durumunda; reddetme yapılamaz.")
