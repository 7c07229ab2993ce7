"""Four-eyes as production runs it: items from real intake (author `birim:<department>`), people logged in."""

from __future__ import annotations

import pytest

from municms.errors import PermissionDenied
from municms.model import APPROVED, IN_REVIEW
from municms.workflow import RELATION_MESSAGES_TR, REVIEWER, APPROVER, EDITOR_OF_REVISION

BANNER_END = "2026-11-30 18:00"
BANNER_BODY = "Ana isale hattındaki arıza nedeniyle su kesintisi yaşanacaktır.\n"


def test_reviewer_cannot_approve_own_review(municipality):
    m = municipality()
    item = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.assign(item.number, to="web1")
    m.review(item.number, by="web1")
    with pytest.raises(PermissionDenied) as refused:
        m.approve(item.number, by="web1")
    assert refused.value.message_tr == RELATION_MESSAGES_TR[REVIEWER]
    assert m.ledger.item(item.number).state == IN_REVIEW
    assert m.ledger.approvals(item.id, 1) == []
    assert m.approve(item.number, by="web2").state == APPROVED


def test_mudur_alone_cannot_take_an_item_to_approval(municipality):
    m = municipality()
    item = m.submit("duyuru", "Kurban Satış Yerleri")
    m.assign(item.number, to="web1", by="mudur1")
    reviewed = m.review(item.number, by="mudur1")
    assert reviewed.reviewer == "mudur1"
    with pytest.raises(PermissionDenied) as refused:
        m.approve(item.number, by="mudur1")
    assert refused.value.message_tr == RELATION_MESSAGES_TR[REVIEWER]
    # the same director may approve what someone else reviewed: two people, not one
    other = m.submit("duyuru", "İtfaiye Eri Alımı")
    m.assign(other.number, to="web1", by="mudur1")
    m.review(other.number, by="web1")
    assert m.approve(other.number, by="mudur1").state == APPROVED


def test_emergency_banner_needs_two_distinct_approvers_neither_the_reviewer(municipality):
    m = municipality()
    banner = m.submit("acil-duyuru", "Acil: Merkez İlçede Su Kesintisi", BANNER_BODY, bitis=BANNER_END)
    m.assign(banner.number, to="web1")
    m.review(banner.number, by="web1")
    first = m.approve(banner.number, by="web2")
    assert first.state == IN_REVIEW  # one approval is not enough
    with pytest.raises(PermissionDenied) as twice:
        m.approve(banner.number, by="web2")
    assert twice.value.message_tr == RELATION_MESSAGES_TR[APPROVER]
    with pytest.raises(PermissionDenied) as reviewer:
        m.approve(banner.number, by="web1")
    assert reviewer.value.message_tr == RELATION_MESSAGES_TR[REVIEWER]
    assert m.ledger.item(banner.number).state == IN_REVIEW
    assert m.approve(banner.number, by="mudur1").state == APPROVED
    assert sorted(m.ledger.approvals(banner.id, 1)) == ["mudur1", "web2"]


def test_who_wrote_the_revision_cannot_approve_it(municipality):
    # A submission made by a signed-in person (the web form passes its author to the same intake)
    m = municipality()
    m.person("web2")
    result = m.drop("fen-isleri", "yol-calismasi.md",
                    "---\ntur: duyuru\nbaslik: İnönü Caddesi Yol Çalışması\n---\nMetin.\n", author="web2")
    assert result.item.author == "web2"
    m.assign(result.number, to="web1")
    m.review(result.number, by="web1")
    with pytest.raises(PermissionDenied):
        m.approve(result.number, by="web2")
    assert m.ledger.item(result.number).state == IN_REVIEW


def test_resubmission_starts_without_approvals_and_keeps_the_reviewer_out(municipality):
    m = municipality()
    banner = m.submit("acil-duyuru", "Acil: Doğalgaz Çalışması", BANNER_BODY, bitis=BANNER_END)
    m.assign(banner.number, to="web1")
    m.review(banner.number, by="web1")
    m.approve(banner.number, by="web2")          # the first of two approvals …
    m.request_changes(banner.number, by="web3", reason="Saat eksik.")
    answer = m.drop("fen-isleri", "duzeltme.md",
                    f"---\ntur: acil-duyuru\nkayit_no: {banner.number}\nbaslik: \"Acil: Doğalgaz Çalışması\"\n"
                    f"bitis: {BANNER_END}\n---\n"
                    "Saat 14:00'e kadar sürecektir.\n")
    assert answer.status == "resubmitted", answer.problems
    item = m.ledger.item(banner.number)
    assert (item.state, item.current_rev, item.reviewer) == (IN_REVIEW, 2, "web1")
    assert m.approve(banner.number, by="web2").state == IN_REVIEW   # … does not carry over to revision 2
    with pytest.raises(PermissionDenied):
        m.approve(banner.number, by="web1")
    assert m.approve(banner.number, by="web3").state == APPROVED


def test_department_staff_cannot_approve(municipality):
    m = municipality()
    item = m.submit("duyuru", "Asfalt Malzemesi İhalesi")
    m.assign(item.number, to="web1")
    m.review(item.number, by="web1")
    with pytest.raises(PermissionDenied):
        m.approve(item.number, by="fen1")


def test_relations_are_rules_of_the_table():
    from municms import workflow
    rule = workflow.TRANSITIONS[(IN_REVIEW, workflow.APPROVE)]
    assert rule.not_by == {workflow.AUTHOR, EDITOR_OF_REVISION, REVIEWER, APPROVER}
    assert rule.approvals == {"acil-duyuru": 2}
