"""The workflow CLI: credentials, exit codes, Turkish messages, --json, the register. The first two tests run every
command as a real subprocess of publish.py; the others run the same command line in the test's process (`here`:
the same parser, authentication and error boundary, without a Python start-up per command)."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest

from municms.errors import NotFound
from municms.model import CHANGES_REQUESTED, IN_REVIEW, PUBLISHED
from municms.passwords import verify_password
from tests.municipality import PASSWORD, submission_text
from tests.workflow.reach import reach

NEEDS_CREDENTIALS = ("HATA: Bu komut kimlik doğrulaması ister: --as KULLANICI (parola sorulur ya da "
                     "--password-stdin ile okunur) ya da MUNICMS_TOKEN ortam değişkeninde kişisel anahtar "
                     "(publish.py users token KULLANICI ile alınır).")


def token_of(m, login: str) -> str:
    """A personal token `login` gets for themselves (`users token LOGIN --as LOGIN --password-stdin`)."""
    done = m.cli("users", "token", login, login=login)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def here(m, *args: str, **options) -> subprocess.CompletedProcess:
    """`publish.py ARGS…` in this process (m.run), shaped like m.cli's result."""
    code, out, err = m.run(*args, **options)
    return subprocess.CompletedProcess(list(args), code, out, err)


@pytest.mark.slow
def test_users_init_add_validates_hashes_and_records(municipality):
    m = municipality(site="tiny")
    init = m.cli("users", "init", "yonetici1", "--password-stdin", stdin=PASSWORD + "\n")
    assert (init.returncode, init.stdout) == (0, "İlk yönetici oluşturuldu: yonetici1.\n")
    second = m.cli("users", "init", "baska", "--password-stdin", stdin=PASSWORD + "\n")
    assert (second.returncode, second.stderr.strip()) == \
        (1, "HATA: İlk yönetici zaten oluşturulmuş; yeni kullanıcıları bir yönetici 'users add' ile ekler.")
    admin = token_of(m, "yonetici1")
    assert admin.startswith("mct1.yonetici1.")

    done = m.cli("users", "add", "ayse", "--role", "editor", "--unit", "web", "--password-stdin", "--json",
                 stdin="uzun-bir-parola\n", token=admin)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["user"] == {"login": "ayse", "role": "editor", "unit": "web",
                                               "department": None, "active": True}
    stored = m.ledger.user("ayse")
    assert stored.password_hash.startswith("$argon2id$") and verify_password(stored.password_hash, "uzun-bir-parola")
    assert [(e.item_id, e.actor, e.action, e.data) for e in m.ledger.events()] == [
        (None, "sistem", "user_init", {"login": "yonetici1", "role": "yonetici", "via": "users init"}),
        (None, "yonetici1", "token_issue", {"login": "yonetici1", "token_id": 1}),
        (None, "yonetici1", "user_add", {"login": "ayse", "role": "editor", "unit": "web", "department": None})]

    bad = m.cli("users", "add", "veli", "--role", "birim", "--department", "yok", "--unit", "web",
                "--password-stdin", stdin="kisa\n", token=admin)
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[:4] == [
        "HATA: Kullanıcı eklenemedi.",
        "  - alan 'unit': Birim yalnız editörler için verilir.",
        "  - alan 'department': Birim personeli için müdürlük zorunludur: fen-isleri, mali-hizmetler, bilgi-islem.",
        "  - alan 'password': Parola en az 10 karakter olmalıdır."]
    again = m.cli("users", "add", "ayse", "--role", "mudur", "--password-stdin", stdin="uzun-bir-parola\n",
                  token=admin)
    assert (again.returncode, again.stderr.strip()) == (1, "HATA: 'ayse' adlı kullanıcı zaten var.")
    # --exists-ok (used by `make run` for the demo logins): the same user again changes nothing, exit 0;
    # the same login with another role is still an error
    same = m.cli("users", "add", "ayse", "--role", "editor", "--unit", "web", "--password-stdin", "--exists-ok",
                 stdin="baska-bir-parola\n", token=admin)
    assert (same.returncode, same.stdout) == (0, "Kullanıcı zaten var: ayse (editor); değiştirilmedi.\n")
    assert verify_password(m.ledger.user("ayse").password_hash, "uzun-bir-parola")
    assert [e.action for e in m.ledger.events()].count("user_add") == 1
    other = m.cli("users", "add", "ayse", "--role", "mudur", "--password-stdin", "--exists-ok",
                  stdin="uzun-bir-parola\n", token=admin)
    assert (other.returncode, other.stderr.strip()) == (1, "HATA: 'ayse' adlı kullanıcı zaten var.")
    # who adds must prove it: no credentials, or a password prompt without a terminal, is refused
    anonymous = m.cli("users", "add", "veli", "--role", "mudur", "--password-stdin", stdin="uzun-bir-parola\n")
    assert (anonymous.returncode, anonymous.stderr.strip()) == (1, NEEDS_CREDENTIALS)
    no_terminal = m.cli("users", "add", "veli", "--role", "mudur", token=admin)
    assert no_terminal.returncode == 1 and no_terminal.stderr.startswith("HATA: Parola sorulamıyor (terminal yok)")
    ayse = m.cli("users", "token", "ayse", login="ayse", password="uzun-bir-parola").stdout.strip()
    by_editor = m.cli("users", "add", "veli", "--role", "mudur", "--password-stdin", stdin="uzun-bir-parola\n",
                      token=ayse)
    assert (by_editor.returncode, by_editor.stderr.strip()) == \
        (1, "HATA: Kullanıcı eklemeyi yalnız yönetici yapabilir.")
    listed = m.cli("users", "list", "--json", login="yonetici1")
    assert sorted(u["login"] for u in json.loads(listed.stdout)["users"]) == ["ayse", "yonetici1"]
    refused = m.cli("users", "list", token=ayse)
    assert (refused.returncode, refused.stderr.strip()) == \
        (1, "HATA: Kullanıcıları listelemeyi yalnız yönetici yapabilir.")
    with pytest.raises(NotFound):
        m.ledger.user("veli")


@pytest.mark.slow
def test_the_whole_review_cycle_on_the_command_line(municipality):
    m = municipality(site="tiny")
    [published] = reach(m, PUBLISHED, title="Yayındaki Duyuru")
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")

    done = m.cli("assign", made.number, "--to", "web1", login="mudur1")
    assert (done.returncode, done.stdout.strip()) == \
        (0, f"{made.number} web1 kişisine havale edildi. Durum: havale edildi.")
    assert m.cli("review", made.number, login="web1").returncode == 0

    no_reason = m.cli("request-changes", made.number, login="web1")
    assert (no_reason.returncode, no_reason.stderr.splitlines()[0]) == \
        (1, "HATA: Değişiklik isteme için gerekçe zorunludur.")
    done = m.cli("request-changes", made.number, "--reason", "Tarih yanlış.", "--json", login="web1")
    assert done.returncode == 0 and json.loads(done.stdout)["item"]["state"] == CHANGES_REQUESTED
    shown = m.cli("show", made.number, login="web1")
    assert "Değişiklik isteği (müdürlüğe gönderilen not):" in shown.stdout
    assert "Gerekçe:\nTarih yanlış." in shown.stdout and f"kayit_no: {made.number}" in shown.stdout

    # the department drops its corrected file into its inbox; intake makes revision 2
    text = submission_text("duyuru", "Işıklı Çarşı İhalesi", "Düzeltildi.\n", kayit_no=made.number)
    assert m.drop("fen-isleri", "duzeltme.md", text).status == "resubmitted"
    own = m.cli("approve", made.number, login="web1")
    assert (own.returncode, own.stderr.strip()) == (1, "HATA: İçeriği incelemeye alan kişi onu onaylayamaz; "
                                                       "onay başka bir kişiden gelmelidir (dört göz ilkesi).")
    approved = m.cli("approve", made.number, login="mudur1")
    assert approved.returncode == 0, approved.stderr  # the director is neither author nor reviewer
    withdrawn = m.cli("withdraw", published.number, login="web2")
    assert (withdrawn.returncode, withdrawn.stderr.splitlines()[0]) == \
        (1, "HATA: Geri çekme için gerekçe zorunludur.")
    withdrawn = m.cli("withdraw", published.number, "--reason", "Hatalı bilgi.", "--json", login="web2")
    assert json.loads(withdrawn.stdout)["item"]["public_reason"] == "Hatalı bilgi."

    shown = json.loads(m.cli("show", made.number, "--json", login="mudur1").stdout)
    assert [(e["action"], e["actor"], e["to_state"]) for e in shown["events"]] == [
        ("register", "sistem", "registered"), ("assign", "mudur1", "assigned"),
        ("start_review", "web1", "in_review"), ("request_changes", "web1", "changes_requested"),
        ("resubmit", "sistem", "in_review"), ("approve", "mudur1", "approved")]
    assert [r["rev"] for r in shown["revisions"]] == [1, 2] and shown["approvals"] == ["mudur1"]


def test_refusals_and_usage_errors_exit_codes(municipality):
    m = municipality()
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.assign(made.number, to="web1", by="mudur1")
    m.review(made.number, by="web1")
    own = here(m, "approve", made.number, login="web1")
    assert (own.returncode, own.stderr.strip()) == (1, "HATA: İçeriği incelemeye alan kişi onu onaylayamaz; "
                                                       "onay başka bir kişiden gelmelidir (dört göz ilkesi).")
    department = here(m, "approve", made.number, login="fen1")
    assert (department.returncode, department.stderr.strip()) == (1, "HATA: Onaylama yetkiniz yok (birim personeli: fen1).")
    wrong_state = here(m, "assign", made.number, "--to", "web1", login="mudur1")
    assert (wrong_state.returncode, wrong_state.stderr.strip()) == \
        (1, f"HATA: {made.number} 'incelemede' durumunda; havale yapılamaz.")
    missing = here(m, "show", "BİM-2026-000404", "--json", login="web1")
    assert missing.returncode == 1 and json.loads(missing.stdout)["error"] == "NotFound"
    anonymous = here(m, "approve", made.number)
    assert (anonymous.returncode, anonymous.stderr.strip()) == (1, NEEDS_CREDENTIALS)
    wrong = here(m, "approve", made.number, login="web2", password="yanlis-parola")
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "HATA: Kullanıcı adı ya da parola hatalı.")
    forged = here(m, "approve", made.number, token="mct1.web2." + "x" * 43)
    assert (forged.returncode, forged.stderr.strip()) == \
        (1, "HATA: Kişisel anahtar (MUNICMS_TOKEN) geçersiz ya da iptal edilmiş.")
    assert m.ledger.item(made.number).state == IN_REVIEW and m.ledger.approvals(made.id, 1) == []
    assert [e.action for e in m.ledger.events(made.id)] == ["register", "assign", "start_review"]
    assert here(m, "list", "--state", "bitti", login="web1").returncode == 2


def test_department_staff_and_editors_list_only_their_items(municipality):
    m = municipality()
    own = m.submit("duyuru", "Işıklı Çarşı İhalesi", department="fen-isleri")
    other = m.submit("duyuru", "Emlak Vergisi Son Gün", department="mali-hizmetler")
    seminar = m.submit("seminer", "Temel Bilgisayar Semineri", department="fen-isleri", egitmen="Mehmet Kaya",
                       yer="Konferans Salonu", kontenjan=40, baslangic="2026-12-10 10:00", bitis="2026-12-10 12:30")
    mine = json.loads(here(m, "list", "--json", login="fen1").stdout)
    assert [i["number"] for i in mine["items"]] == [own.number, seminar.number]
    unit = json.loads(here(m, "list", "--json", login="web1").stdout)
    assert [i["number"] for i in unit["items"]] == [own.number, other.number]
    everything = here(m, "list", login="mudur1")
    assert all(i.number in everything.stdout for i in (own, other, seminar))
    denied = here(m, "show", other.number, login="fen1")
    assert (denied.returncode, denied.stderr.strip()) == \
        (1, f"HATA: '{other.number}' numaralı kayıt bulunamadı ya da görme yetkiniz yok.")
    assert here(m, "show", other.number, login="mali1").returncode == 0


def test_defter_text_csv_and_json(municipality):
    m = municipality(site="tiny")
    first = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    second = m.submit("duyuru", "Emlak Vergisi Son Gün", department="mali-hizmetler")
    m.approve(second.number)
    m.publish()
    text = here(m, "defter", "--from", "2026-11-01", "--to", "2026-11-30", login="mudur1")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Deneme Belediyesi — Kayıt Defteri (01.11.2026 – 30.11.2026)"
    header, rule, row1, row2 = lines[2:6]
    assert header.split("  ")[0] == "Kayıt No" and set(rule) == {"-", " "}
    assert row1.index("Fen İşleri Müdürlüğü") == row2.index("Mali Hizmetler Müdürlüğü") == header.index("Müdürlük")
    assert row2.index("yayında") == header.index("Durum")

    raw = here(m, "defter", "--from", "2026-11-25", "--to", "2026-11-25", "--format", "csv",
                "--output", str(m.root / "defter.csv"), login="mudur1")
    assert raw.returncode == 0
    data = (m.root / "defter.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    # publishing closes the register line: its closing day is the day it went live
    assert rows == [["Kayıt No", "Kayıt Tarihi", "Müdürlük", "Konu", "Havale Edilen", "Durum", "Kapanış Tarihi"],
                    [first.number, "25.11.2026", "Fen İşleri Müdürlüğü", "Işıklı Çarşı İhalesi", "", "kaydedildi", ""],
                    [second.number, "25.11.2026", "Mali Hizmetler Müdürlüğü", "Emlak Vergisi Son Gün", "web1",
                     "yayında", "25.11.2026"]]
    staff = list(csv.reader(io.StringIO(here(m, "defter", "--from", "2026-11-25", "--to", "2026-11-25", "--format",
                                              "csv", login="mali1").stdout.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in staff[1:]] == [second.number]  # department staff: their own lines only
    as_json = json.loads(here(m, "defter", "--from", "2026-11-26", "--to", "2026-12-31", "--json",
                               login="mudur1").stdout)
    assert as_json == {"ok": True, "from": "2026-11-26", "to": "2026-12-31", "rows": []}
    backwards = here(m, "defter", "--from", "2026-12-01", "--to", "2026-11-01", login="mudur1")
    assert (backwards.returncode, backwards.stderr.splitlines()[0]) == (1, "HATA: Tarih aralığı geçersiz.")
    anonymous = here(m, "defter", "--from", "2026-11-01", "--to", "2026-11-30")
    assert (anonymous.returncode, anonymous.stdout, anonymous.stderr.strip()) == (1, "", NEEDS_CREDENTIALS)


def test_reject_on_the_command_line(municipality):
    m = municipality()
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.assign(made.number, to="web1", by="mudur1")
    m.review(made.number, by="web1")
    done = here(m, "reject", made.number, "--reason", "Mevzuata aykırı.", "--json", login="web2")
    payload = json.loads(done.stdout)["item"]
    assert (done.returncode, payload["state"], payload["state_label"]) == (0, "rejected", "reddedildi")
    assert payload["closed_at"].endswith("+03:00")  # the CLI's clock runs in the instance's time zone
    shown = here(m, "show", made.number, login="web2")
    assert "Durum: reddedildi" in shown.stdout and "(Mevzuata aykırı.)" in shown.stdout
    again = here(m, "reject", made.number, "--reason", "Yine.", login="web2")
    assert (again.returncode, again.stderr.strip()) == \
        (1, f"HATA: {made.number} 'reddedildi' durumunda; reddetme yapılamaz.")
