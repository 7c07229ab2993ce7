"""`publish.py seminars list | show | cancel` in a real subprocess with real credentials: where each seminar
stands, the registrations a person may read, and a cancellation with its public reason."""

from __future__ import annotations

import json

from municms.actions.seminar_registration import Person, register_citizen, register_staff


def test_list_show_and_cancel_from_the_command_line(seminar_town):
    m, item = seminar_town()
    register_citizen(m.ledger, m.instance, m.paths, m.clock, item.id,
                     Person(name="Ayşe Yılmaz", email="ayse@example.org"), consent=True)
    register_staff(m.ledger, m.instance, m.paths, m.clock, m.actor("fen1"), item.id,
                   Person(name="Hasan Kara", department="fen-isleri"))

    listed = m.cli("seminars", "list", login="fen1")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[2].split("  ")[0] == item.number
    assert "kontenjan doldu (yedek listeye kayıt alınır)" in listed.stdout and "2/2 kesin, 0 yedek" in listed.stdout

    shown = json.loads(m.cli("seminars", "show", item.number, "--json", login="web1").stdout)
    assert [(r["name"], r["department"], r["status"]) for r in shown["registrations"]] == [
        ("Ayşe Yılmaz", None, "kesin"), ("Hasan Kara", "fen-isleri", "kesin")]
    own = json.loads(m.cli("seminars", "show", item.number, "--json", login="fen1").stdout)
    assert [r["name"] for r in own["registrations"]] == ["Hasan Kara"]  # a department reads its own people

    refused = m.cli("seminars", "cancel", item.number, "--reason", "Eğitmen hasta.", login="fen1")
    assert refused.returncode == 1
    assert refused.stderr.strip() == ("HATA: Semineri iptal etmeyi yalnız seminerin birimindeki editörler ve müdür "
                                      "yapabilir.")
    done = m.cli("seminars", "cancel", item.number, "--reason", "Eğitmen hasta.", login="web1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"{item.number} iptal edildi. Kayıtlı kişi: 2 (e-posta adresi olanlara ileti "
                                   "kuyruğa alındı). Sayfa bir sonraki yayında güncellenir.")
    assert [msg.recipient for msg in m.ledger.messages() if msg.kind == "seminer-iptal"] == ["ayse@example.org"]
    assert m.ledger.seminar_notice(item.id).cancel_reason == "Eğitmen hasta."
