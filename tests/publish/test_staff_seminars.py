"""A training for municipal staff only (hedef_kitle: personel) is registered, reviewed, approved and published
like every seminar, but no public file names it: no page, listing, feed, calendar, sitemap or search entry. A
seminar for citizens, or for citizens and staff, is public."""

from __future__ import annotations

from municms.model import PUBLISHED
from tests.municipality import files_mentioning

WHEN = dict(egitmen="Selin Aydoğan", kontenjan=30, baslangic="2026-12-15 10:00", bitis="2026-12-15 12:00",
            kayit_son="2026-12-10")


def test_a_staff_training_is_published_in_no_public_file_and_a_citizens_seminar_is(site):
    staff = site.submit("seminer", "Oltalama Saldırıları İç Eğitimi", "Personel için.\n", department="bilgi-islem",
                        yer="Bilgi İşlem Eğitim Salonu", hedef_kitle=["Personel"], **WHEN)
    both = site.submit("seminer", "e-Devlet Kullanım Semineri", "Herkese açık.\n", department="bilgi-islem",
                       yer="Belediye Konferans Salonu", hedef_kitle=["personel", "vatandaş"],
                       **{**WHEN, "egitmen": "Mehmet Kaya"})
    for item in (staff, both):
        site.approve(item.number)  # the tiny site routes every type to the web unit
    result = site.publish()
    assert sorted(result.items) == sorted([staff.number, both.number])
    assert site.ledger.item(staff.number).state == PUBLISHED
    for needle in ("Oltalama Saldırıları İç Eğitimi", staff.number):
        assert files_mentioning(site.paths.current, needle) == [], needle
    shown = files_mentioning(site.paths.current, "e-Devlet Kullanım Semineri")
    assert "seminerler.ics" in shown and "seminerler/index.html" in shown
    assert any(path.startswith("seminerler/2026/") and path.endswith("/index.html") for path in shown)
