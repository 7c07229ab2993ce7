"""A bad item never blocks the others: it is held back with its reason, the rest goes live, the emergency banner
within seconds; an item withdrawn while the site builds never reaches the release. Items come from real intake,
people log in, publishing is the real pipeline (and the real scheduler thread)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from pelican import signals as pelican_signals

from municms.actions.publish import PublishError
from municms.config import load_instance
from municms.deploy import get_target
from municms.errors import ValidationError
from municms.fragments import BANNER_FILE, resolve_includes
from municms.model import APPROVED, CHANGES_REQUESTED, IN_REVIEW, PUBLISHED, WITHDRAWN
from municms.scheduler import Scheduler, run_due
from tests.municipality import files_mentioning, submission_text

BROKEN_TITLE = "Kırık Bağlantılı Duyuru"
BROKEN_BODY = "Ayrıntılar [burada](/olmayan-sayfa/).\n"
BROKEN_PAGE = "duyurular/2026/kirik-baglantili-duyuru/index.html"
BROKEN_MESSAGE = "Bağlantı '/olmayan-sayfa/' hiçbir dosyaya gitmiyor."
BANNER_TITLE = "Acil: Merkez İlçede Su Kesintisi"
BANNER_BODY = "Ana isale hattındaki arıza nedeniyle su kesintisi yaşanacaktır.\n"
BANNER_END = "2026-11-30 18:00"


def failed_build_logs(m) -> int:
    logs = m.paths.logs / "builds"
    return sum("status failed" in p.read_text("utf-8") for p in logs.glob("*.log")) if logs.is_dir() else 0


PDF = (Path(__file__).resolve().parents[1] / "fixtures/tiny/content/faaliyet-raporlari/2026/2025-faaliyet-raporu/"
       "rapor.pdf").read_bytes()


@pytest.mark.slow
def test_one_failing_item_among_ten_is_held_back_and_the_nine_go_live(municipality):
    m = municipality("tiny")
    good = [m.submit("haber" if n % 2 else "duyuru", f"Mahalle Haberi {n}", f"Mahallede {n}. çalışma bitti.\n")
            for n in range(1, 10)]
    bad = m.submit("duyuru", BROKEN_TITLE, BROKEN_BODY)
    for item in good + [bad]:
        m.approve(item.number)
    approved = m.ledger.item(bad.number)

    code, out, _ = m.run("publish", "--system")  # the owner's automation, as cron would run it

    assert code == 0
    assert f"  Alıkonulan: {bad.number} (sayfa {BROKEN_PAGE}, kural 'links'): {BROKEN_MESSAGE}" in out
    assert get_target(m.instance, m.paths).current().items == sorted(item.number for item in good)
    assert all(m.ledger.item(item.number).state == PUBLISHED for item in good)
    held = m.ledger.item(bad.number)
    assert (held.state, held.updated_at) == (APPROVED, approved.updated_at)  # a hold changes nothing of the item
    hold = m.ledger.events(bad.id)[-1]
    assert (hold.action, hold.actor, hold.from_state, hold.to_state) == ("hold", "sistem", APPROVED, APPROVED)
    assert hold.data["via"].startswith("--system")
    assert {k: hold.data[k] for k in ("rev", "rule", "page", "message")} == \
        {"rev": 1, "rule": "links", "page": BROKEN_PAGE, "message": BROKEN_MESSAGE}
    assert files_mentioning(m.paths.current, BROKEN_TITLE) == []
    assert files_mentioning(m.paths.current, bad.number) == []
    assert "Mahalle Haberi 9" in (m.paths.current / "index.html").read_text("utf-8")

    code, out, _ = m.run("show", bad.number, login="web1")
    assert code == 0
    assert "yayından alıkoyma" in out and "onaylandı → onaylandı" in out
    assert f"sayfa {BROKEN_PAGE}, kural 'links': {BROKEN_MESSAGE}" in out

    # nothing changed: the scheduler builds nothing, a publish tries the held item no more
    releases, failed, events = len(get_target(m.instance, m.paths).releases()), failed_build_logs(m), \
        m.ledger.events(bad.id)
    assert run_due(m.ledger, m.instance, m.paths, m.clock).idle
    scheduler = Scheduler(m.ledger, m.instance, m.paths, m.clock, interval=3600)
    assert scheduler.run_once().idle and scheduler.run_once().idle and scheduler.last_error is None
    assert len(get_target(m.instance, m.paths).releases()) == releases
    again = m.publish()
    assert (again.items, again.held, again.still_held) == ([], {}, [bad.number])
    assert failed_build_logs(m) == failed and m.ledger.events(bad.id) == events

    # the department corrects it: request changes → corrected revision through intake → approval → live
    assert m.request_changes(bad.number, by="web1", reason="Bağlantı kırık.").state == CHANGES_REQUESTED
    fixed = m.drop("fen-isleri", "duzeltme.md", submission_text("duyuru", BROKEN_TITLE,
                                                                "Ayrıntılar [duyurularda](/duyurular/).\n",
                                                                kayit_no=bad.number))
    assert (fixed.status, fixed.rev) == ("resubmitted", 2)
    assert m.approve(bad.number, by="web2").state == APPROVED
    final = m.publish()
    assert (final.items, final.held) == ([bad.number], {})
    assert m.ledger.item(bad.number).state == PUBLISHED
    assert BROKEN_TITLE in (m.paths.current / BROKEN_PAGE).read_text("utf-8")


@pytest.mark.slow
def test_emergency_banner_is_live_within_seconds_while_another_item_is_broken(municipality):
    """Through the real scheduler thread, as `serve` runs it: the broken item is approved first and held back;
    the banner's second approval puts it on the home page within 10 s."""
    m = municipality("tiny")
    bad = m.submit("duyuru", BROKEN_TITLE, BROKEN_BODY)
    banner = m.submit("acil-duyuru", BANNER_TITLE, BANNER_BODY, bitis=BANNER_END)
    m.assign(banner.number, to="web1")
    m.review(banner.number, by="web1")
    assert m.approve(banner.number, by="web2").state == IN_REVIEW  # the first of two approvals
    for login in ("mudur1", "web1", "web2", "web3"):
        m.actor(login)  # logged in before the clock starts
    home = m.paths.current / "index.html"
    scheduler = Scheduler(m.ledger, m.instance, m.paths, m.clock, interval=5.0).start()
    try:
        deadline = time.monotonic() + 60
        while not home.is_file() and time.monotonic() < deadline:  # the pass before `serve` listens
            time.sleep(0.05)
        m.approve(bad.number)  # wakes the scheduler: a pass that fails on it, then holds it back
        approved = time.monotonic()
        assert m.approve(banner.number, by="web3").state == APPROVED
        banner_file = m.paths.current / BANNER_FILE  # every page includes it (municms/fragments.py)
        while time.monotonic() - approved < 10 and BANNER_TITLE not in banner_file.read_text("utf-8"):
            time.sleep(0.05)
        seconds = time.monotonic() - approved
    finally:
        scheduler.stop()
    print(f"banner live {seconds:.2f} s after its second approval, with a broken item due")
    assert BANNER_TITLE in resolve_includes(home.read_bytes(), m.paths.current).decode("utf-8"), scheduler.last_error
    assert seconds < 10
    assert m.ledger.item(banner.number).state == PUBLISHED
    assert m.ledger.item(bad.number).state == APPROVED
    assert m.ledger.events(bad.id)[-1].action == "hold"
    assert files_mentioning(m.paths.current, BROKEN_TITLE) == []


@pytest.mark.slow
def test_item_withdrawn_while_the_site_builds_is_not_in_the_release(municipality):
    m = municipality("tiny")
    kept = m.submit("haber", "Kalan Haber", "Park açıldı.\n")
    gone = m.submit("duyuru", "Geri Çekilen Duyuru", "Yanlış tarih verildi.\n")
    m.approve(kept.number)
    m.approve(gone.number)
    builds, errors = [], []

    def withdraw_elsewhere() -> None:
        try:
            m.withdraw(gone.number, by="web1")
        except Exception as exc:  # reported below
            errors.append(exc)

    def pelican_finished(sender, **kwargs) -> None:  # the pages are written, nothing is deployed yet
        builds.append(sender)
        if len(builds) == 1:
            worker = threading.Thread(target=withdraw_elsewhere)
            worker.start()
            worker.join(60)

    pelican_signals.finalized.connect(pelican_finished)
    try:
        result = m.publish()
    finally:
        pelican_signals.finalized.disconnect(pelican_finished)
    assert errors == [] and m.ledger.item(gone.number).state == WITHDRAWN
    assert files_mentioning(m.paths.current, "Geri Çekilen Duyuru") == []
    assert files_mentioning(m.paths.current, gone.number) == []
    assert len(builds) == 2  # built again without the withdrawn item
    assert result.items == [kept.number]
    assert [e.action for e in m.ledger.events(gone.id)][-1] == "withdraw"
    assert get_target(m.instance, m.paths).current().items == [kept.number]
    assert "Kalan Haber" in (m.paths.current / "index.html").read_text("utf-8")


def test_intake_receipt_warns_about_what_the_page_cannot_resolve(municipality):
    m = municipality("tiny")
    body = "Kayıtlar başladı.\n\n[Başvuru formu](form.pdf)\n\n## Başvuru\n\n[Koşullar](#kosullar) ve [başvuru](#basvuru).\n"
    result = m.drop("fen-isleri", "kres.md", submission_text("duyuru", "Kreş Kayıtları", body))
    assert result.status == "registered"
    receipt = result.receipt.read_text(encoding="utf-8")
    assert ("  - Yayın denetimi: Metnin 3. satırındaki bağlantı 'form.pdf' bu içeriğin eklerinde yok: dosyayı "
            "klasöre koyup 'ekler' listesine ekleyin ya da adresi düzeltin. Bu düzeltilmeden içerik "
            "onaylanamaz.") in receipt
    assert ("  - Yayın denetimi: Metnin 7. satırındaki bağlantı '#kosullar' sayfada bir ara başlığa gitmiyor: "
            "'#kosullar' adında bir başlık yok. Bu düzeltilmeden içerik onaylanamaz.") in receipt
    assert "#basvuru" not in receipt  # the heading "Başvuru" has that id
    assert len(result.warnings) == 2

    bundle = m.drop("fen-isleri", "kres-formlu", {"index.md": submission_text(
        "duyuru", "Kreş Kayıtları Formlu", "[Başvuru formu](form.pdf)\n", ekler=["form.pdf"]), "form.pdf": PDF})
    assert bundle.status == "registered"
    assert "Yayın denetimi" not in bundle.receipt.read_text(encoding="utf-8")

    m.publish()  # now the site's addresses are known: a link to a page it lacks is a warning, not a refusal
    linked = m.drop("fen-isleri", "kres-baglanti.md", submission_text(
        "duyuru", "Kreş Kayıtları Bağlantılı", "Ayrıntılar [duyurularda](/duyurular/), [yönetmelik](/yonetmelik/).\n"))
    assert linked.warnings == ["Yayın denetimi: Metnin 1. satırındaki bağlantı '/yonetmelik/' sitede bir sayfaya "
                               "gitmiyor (şu an yayında olan siteye göre). Hedef sayfa yayımlanmadıkça bu içerik "
                               "yayına alınamaz; adresi denetleyin."]


def test_review_records_the_problems_and_approval_is_refused_naming_field_and_line(municipality):
    m = municipality("tiny")
    item = m.submit("duyuru", "Kreş Kayıtları", "Kayıtlar başladı.\n\n[Başvuru formu](form.pdf)\n")
    m.assign(item.number, to="web1")
    m.review(item.number, by="web1")
    message = ("Metnin 3. satırındaki bağlantı 'form.pdf' bu içeriğin eklerinde yok: dosyayı klasöre koyup 'ekler' "
               "listesine ekleyin ya da adresi düzeltin.")
    review = m.ledger.events(item.id)[-1]
    assert review.action == "start_review"
    assert review.data["checks"] == [{"field": "metin", "rule": "attachments", "message_tr": message,
                                      "message_en": "body line 3: 'form.pdf' is not an attachment of the item",
                                      "blocking": True, "line": 3}]
    code, out, _ = m.run("show", item.number, login="web1")
    assert code == 0 and f"      ENGEL: {message}" in out

    with pytest.raises(ValidationError) as refused:
        m.approve(item.number, by="web2")
    assert refused.value.message_tr.startswith(f"{item.number} onaylanamaz: içerik bu hâliyle yayımlanamaz")
    assert [(p.field, p.message_tr) for p in refused.value.problems] == [("metin", message)]
    assert m.ledger.item(item.number).state == IN_REVIEW and m.ledger.approvals(item.id, 1) == []
    code, _, err = m.run("approve", item.number, login="web2")
    assert code == 1 and f"  - alan 'metin': {message}" in err

    m.request_changes(item.number, by="web1", reason="Başvuru formu eklenmemiş.")
    fixed = m.drop("fen-isleri", "kres-duzeltme", {"index.md": submission_text(
        "duyuru", "Kreş Kayıtları", "Kayıtlar başladı.\n\n[Başvuru formu](form.pdf)\n", ekler=["form.pdf"],
        kayit_no=item.number), "form.pdf": PDF})
    assert fixed.status == "resubmitted" and not [w for w in fixed.warnings if "Yayın denetimi" in w]
    assert m.approve(item.number, by="web2").state == APPROVED


def require_missing_page(m) -> None:
    """The owner lists a required page the site does not have: a failure no item explains."""
    config = m.root / "instance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'required_pages: ["/kurumsal/organizasyon-semasi/"', 'required_pages: ["/olmayan-zorunlu/", '
        '"/kurumsal/organizasyon-semasi/"'), encoding="utf-8")
    m.instance = load_instance(m.root)


@pytest.mark.slow
def test_a_failure_no_item_explains_deploys_nothing_and_restores_content(municipality):
    m = municipality("tiny")
    m.approve(m.submit("haber", "Önceki Haber", "Sorunsuz.\n").number)
    before = m.publish().release_id
    content_before = m.files(m.paths.content)
    item = m.submit("duyuru", "Sorunsuz Duyuru", "Metin.\n")
    m.approve(item.number)
    events_before = m.ledger.events(item.id)
    require_missing_page(m)
    with pytest.raises(PublishError) as caught:
        m.publish()
    assert ("  - içerik belirsiz: sayfa olmayan-zorunlu/index.html, kural 'required': Zorunlu sayfa "
            "'/olmayan-zorunlu/' eksik.") in caught.value.message_tr
    assert caught.value.message_tr.startswith("Yayın yapılmadı")
    assert [r.id for r in get_target(m.instance, m.paths).releases()] == [before]
    assert m.ledger.item(item.number).state == APPROVED and m.ledger.events(item.id) == events_before
    assert m.files(m.paths.content) == content_before
    [log] = [p for p in (m.paths.logs / "builds").glob("*.log") if "status failed" in p.read_text("utf-8")]
    assert "problem - olmayan-zorunlu/index.html [required] Zorunlu sayfa '/olmayan-zorunlu/' eksik." in \
        log.read_text("utf-8")


@pytest.mark.slow
def test_failed_publish_is_not_retried_until_the_ledger_changes(municipality):
    m = municipality("tiny")
    item = m.submit("duyuru", "Sorunsuz Duyuru", "Metin.\n")
    m.approve(item.number)
    require_missing_page(m)
    scheduler = Scheduler(m.ledger, m.instance, m.paths, m.clock, interval=3600)
    assert scheduler.run_once() is None
    assert "kural 'required'" in scheduler.last_error.message_tr
    failed = failed_build_logs(m)
    started = time.monotonic()
    assert scheduler.run_once() is None  # unchanged: no second build
    assert time.monotonic() - started < 1.0 and failed_build_logs(m) == failed
    m.withdraw(item.number, by="web1")
    assert scheduler.run_once() is None and failed_build_logs(m) == failed + 1  # changed: tried again


@pytest.mark.slow
def test_item_whose_registered_attachment_is_lost_is_held_back(municipality):
    """materialise cannot copy a registered attachment (the disk lost it after the approval): that item waits."""
    m = municipality("tiny")
    good = m.submit("haber", "Sağlam Haber", "Metin.\n")
    lost = m.submit("duyuru", "Eki Kaybolan Duyuru", "[Form](form.pdf)\n", attachments={"form.pdf": PDF})
    m.approve(good.number)
    m.approve(lost.number)
    stored = m.paths.registered / m.ledger.revision(lost.id, 1).stored_dir
    os.chmod(stored / "ekler", 0o755)
    (stored / "ekler" / "form.pdf").unlink()
    result = m.publish()
    assert result.items == [good.number]
    assert result.held[lost.number]["rule"] == "ekler"
    assert lost.number in result.held[lost.number]["message"] and "form.pdf" in result.held[lost.number]["message"]
    assert m.ledger.item(lost.number).state == APPROVED
    assert files_mentioning(m.paths.current, "Eki Kaybolan Duyuru") == []


@pytest.mark.slow
def test_banner_with_a_broken_link_is_traced_from_the_home_page_and_held_back(municipality):
    """A banner has no page of its own: the broken link shows in the fragment every page includes, and the
    address leads to it."""
    m = municipality("tiny")
    good = m.submit("haber", "Sağlam Haber", "Metin.\n")
    banner = m.submit("acil-duyuru", "Acil: Kırık Bağlantılı Uyarı", "Ayrıntı [burada](/olmayan-acil/).\n",
                      bitis=BANNER_END)
    m.approve(good.number)
    m.approve(banner.number, by=("web2", "web3"))
    result = m.publish()
    assert result.items == [good.number]
    assert result.held == {banner.number: {"rule": "links", "page": "_acil.html",
                                           "message": "Bağlantı '/olmayan-acil/' hiçbir dosyaya gitmiyor."}}
    assert "Kırık Bağlantılı Uyarı" not in (m.paths.current / BANNER_FILE).read_text("utf-8")
