"""Load, short: 20 API clients for a few seconds against a real `publish.py serve --workers 2` (its scheduler
publishing meanwhile) of a fresh tiny instance whose people are made with the real command line; the long run is
`bench/load.py` (README "Benchmarks"). Then the same invariant checks shown to catch what they look for."""

from __future__ import annotations

import pytest

from bench.load import run_load
from bench.load_checks import check_actions, check_registration
from bench.load_clients import Log


@pytest.mark.slow
def test_twenty_clients_lose_no_update_register_nothing_twice_and_publish_what_they_approve(municipality):
    m = municipality("tiny")
    report = run_load(m.root, clients=20, seconds=10, seed=7, workers=2)
    print(report.summary())
    assert report.violations == []
    assert report.server_errors == 0 and report.connection_errors == 0
    assert report.registered == report.per_kind["submit"]["statuses"]["201"] > 0
    # each submission sent three times at once was registered once; the other two answers were `duplicate`
    assert report.sent_at_once > 0
    assert report.per_kind["submit"]["statuses"]["200"] == 2 * report.sent_at_once
    # the whole way was walked: havale, review, approval by another person, publication by the scheduler
    assert report.actions_done["assign"] > 0 and report.actions_done["review"] > 0
    assert report.published_total == report.actions_done["approve"] > 0
    assert report.publishes_during_run >= 1
    # every 412 was an action's answer, re-read and retried (never a 5xx, never a silent loss)
    assert report.stale_412 == sum(report.per_kind[kind]["statuses"].get("412", 0) for kind in
                                   ("assign", "review", "approve", "request-changes") if kind in report.per_kind)
    assert report.per_kind["all"]["p95"] > 0


ITEM = {"number": "BİM-2026-000001", "title": "Su Kesintisi", "state": "published"}
EVENTS = [{"id": 1, "action": "register", "actor": "sistem", "from_state": "received", "to_state": "registered"},
          {"id": 2, "action": "assign", "actor": "mudur1", "from_state": "registered", "to_state": "assigned"},
          {"id": 3, "action": "start_review", "actor": "web1", "from_state": "assigned", "to_state": "in_review"},
          {"id": 4, "action": "approve", "actor": "web2", "from_state": "in_review", "to_state": "approved"},
          {"id": 5, "action": "publish", "actor": "sistem", "from_state": "approved", "to_state": "published"}]
ANSWERS = [{"number": ITEM["number"], "action": "assign", "login": "mudur1", "if_match": '"a"', "status": 200},
           {"number": ITEM["number"], "action": "review", "login": "web1", "if_match": '"b"', "status": 200},
           {"number": ITEM["number"], "action": "approve", "login": "web2", "if_match": '"c"', "status": 200}]


def log_of(actions=ANSWERS, registered=({"number": ITEM["number"], "title": ITEM["title"]},)) -> Log:
    return Log(actions=list(actions), registered=list(registered))


def test_the_checks_pass_a_consistent_run_and_name_each_kind_of_loss():
    assert check_actions(log_of(), [ITEM], {ITEM["number"]: EVENTS}) == []
    assert check_registration(log_of(), [ITEM], {ITEM["number"]: EVENTS}) == []
    # a lost update: a second approval answered 200 on the same ETag but never recorded
    lost = ANSWERS + [{**ANSWERS[2], "login": "web3"}]
    assert check_actions(log_of(lost), [ITEM], {ITEM["number"]: EVENTS}) == [
        f"two successful actions on one ETag: [('{ITEM['number']}', '\"c\"')]",
        f"{ITEM['number']}: approve by web3: 1 successful answers, 0 events"]
    # an approval answered 200 whose item never went live; an event chain with a hole
    held = {**ITEM, "state": "approved"}
    assert check_actions(log_of(), [held], {ITEM["number"]: EVENTS[:4]}) == [
        f"{ITEM['number']}: approved (200) but approved at the end"]
    assert check_actions(log_of(), [ITEM], {ITEM["number"]: EVENTS[:2] + EVENTS[3:]})[-1] == (
        f"{ITEM['number']}: event 4 (approve) from in_review, the one before left it assigned")
    # a double registration: one number answered twice, and an item no 201 announced
    twice = log_of(registered=[{"number": ITEM["number"], "title": "A"}, {"number": ITEM["number"], "title": "B"}])
    assert check_registration(twice, [ITEM], {ITEM["number"]: EVENTS})[0] == (
        f"a number answered twice: ['{ITEM['number']}']")
    retried = log_of(registered=[{"number": ITEM["number"], "title": ITEM["title"]},
                                 {"number": "BİM-2026-000002", "title": ITEM["title"]}])
    retried.retries = [[(201, ITEM["number"]), (201, "BİM-2026-000002"), (200, ITEM["number"])]]
    second = {**ITEM, "number": "BİM-2026-000002"}
    assert check_registration(retried, [ITEM, second], {ITEM["number"]: EVENTS, second["number"]: EVENTS[:1]}) == [
        "one submitted title registered twice",
        f"one submission sent 3 times at once was answered {retried.retries[0]}"]
    extra = {**ITEM, "number": "BİM-2026-000003"}
    assert check_registration(log_of(), [ITEM, extra], {ITEM["number"]: EVENTS, extra["number"]: EVENTS[:1]}) == [
        "items without a 201: ['BİM-2026-000003']; 201s without an item: []",
        "numbers of BİM-2026 not gapless from 1: [1, 3]…"]
