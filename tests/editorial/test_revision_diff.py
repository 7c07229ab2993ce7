"""The diff between revisions, of revisions made the way departments make them (intake, kayit_no)."""

from __future__ import annotations

from municms.revision_diff import ADDED, REMOVED, SAME, BodyLine, FieldChange, diff_revisions
from tests.municipality import submission_text


def test_the_diff_of_a_resubmission_names_each_changed_field_and_line(municipality):
    m = municipality()
    item = m.submit("duyuru", "Su Kesintisi", "Birinci satır.\nİkinci satır.\nÜçüncü satır.\n", etiketler=["su"])
    m.assign(item.number)
    m.review(item.number)
    m.request_changes(item.number, reason="Saat eksik.")
    answer = m.drop("fen-isleri", "duzeltme.md", submission_text(
        "duyuru", "Planlı Su Kesintisi", "Birinci satır.\nİkinci satır, saat 14:00'e kadar.\nÜçüncü satır.\n",
        kayit_no=item.number, ozet="Kesinti <b>14:00</b>"))
    assert answer.status == "resubmitted"
    old, new = m.ledger.revisions(item.id)
    diff = diff_revisions(old, new)
    assert (diff.old_rev, diff.new_rev) == (1, 2)
    assert diff.fields == [FieldChange("baslik", "Su Kesintisi", "Planlı Su Kesintisi"),
                           FieldChange("kayit_no", None, item.number),
                           FieldChange("ozet", None, "Kesinti <b>14:00</b>"),
                           FieldChange("etiketler", '["su"]', None)]
    assert diff.body == [BodyLine(SAME, 1, 1, "Birinci satır."),
                         BodyLine(REMOVED, 2, None, "İkinci satır."),
                         BodyLine(ADDED, None, 2, "İkinci satır, saat 14:00'e kadar."),
                         BodyLine(SAME, 3, 3, "Üçüncü satır.")]
    assert not diff.unchanged


def test_identical_revisions_have_an_empty_diff(municipality):
    m = municipality()
    item = m.submit("duyuru", "Aynı Metin")
    [revision] = m.ledger.revisions(item.id)
    assert diff_revisions(revision, revision).unchanged
