"""The whole transition table: every (state, action, role) either passes with one event or changes nothing.

Each state is reached by the real actions from a real intake registration (tests/workflow/reach.py), and
every role acts through a real login."""

from __future__ import annotations

import pytest

from municms import auth, workflow
from municms.actions._transition import run
from municms.actions.approve import approve
from municms.actions.archive import archive
from municms.actions.assign import assign
from municms.actions.discard import discard
from municms.actions.edit import Edit, edit_item
from municms.actions.reject import reject
from municms.actions.request_changes import request_changes
from municms.actions.resubmit import add_revision
from municms.actions.start_review import start_review
from municms.actions.withdraw import withdraw
from municms.errors import InvalidTransition, PermissionDenied
from municms.model import (APPROVED, ARCHIVED, ASSIGNED, BIRIM, CHANGES_REQUESTED, EDITOR, EXPIRED, IN_REVIEW,
                           MUDUR, PUBLISHED, RECEIVED, REGISTERED, REJECTED, SCHEDULED, STATES, SYSTEM,
                           SYSTEM_USER, WITHDRAWN, YONETICI, Revision)
from municms.workflow import ACTIONS
from tests.municipality import submission_text
from tests.workflow.reach import NEEDS_SITE, reach

ROLES = (BIRIM, EDITOR, MUDUR, YONETICI, SYSTEM)
E, M = (EDITOR, MUDUR), (MUDUR,)

# Written out from DESIGN.md independently of municms/workflow.py: (state, action) → (to_state, roles).
EXPECTED = {
    (RECEIVED, "register"): (REGISTERED, (SYSTEM, BIRIM)),
    (REGISTERED, "assign"): (ASSIGNED, M),
    (ASSIGNED, "assign"): (ASSIGNED, M),
    (ASSIGNED, "start_review"): (IN_REVIEW, E),
    (IN_REVIEW, "approve"): (APPROVED, E),
    (IN_REVIEW, "request_changes"): (CHANGES_REQUESTED, E),
    (CHANGES_REQUESTED, "resubmit"): (IN_REVIEW, (BIRIM, SYSTEM)),
    (ASSIGNED, "reject"): (REJECTED, E),
    (IN_REVIEW, "reject"): (REJECTED, E),
    (APPROVED, "schedule"): (SCHEDULED, (SYSTEM,)),
    (APPROVED, "publish"): (PUBLISHED, (SYSTEM, MUDUR)),
    (SCHEDULED, "publish"): (PUBLISHED, (SYSTEM, MUDUR)),
    (APPROVED, "hold"): (APPROVED, (SYSTEM, MUDUR)),
    (SCHEDULED, "hold"): (SCHEDULED, (SYSTEM, MUDUR)),
    (APPROVED, "request_changes"): (CHANGES_REQUESTED, E),
    (SCHEDULED, "request_changes"): (CHANGES_REQUESTED, E),
    (PUBLISHED, "expire"): (EXPIRED, (SYSTEM,)),
    (APPROVED, "withdraw"): (WITHDRAWN, E),
    (SCHEDULED, "withdraw"): (WITHDRAWN, E),
    (PUBLISHED, "withdraw"): (WITHDRAWN, E),
    (EXPIRED, "archive"): (ARCHIVED, (MUDUR, YONETICI, SYSTEM)),
    (WITHDRAWN, "archive"): (ARCHIVED, (MUDUR, YONETICI, SYSTEM)),
    # an editor's edit is a new revision in review, from any state an editor works in (published included)
    **{(state, "edit"): (IN_REVIEW, E) for state in (ASSIGNED, IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED,
                                                     PUBLISHED)},
}
# Only for published content whose new revision is under way (live_rev set): turning the revision down,
# and withdrawing the content meanwhile. Rejection is for content never published (test below).
LIVE_ONLY = {
    **{(state, "discard"): (PUBLISHED, E) for state in (IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED)},
    **{(state, "withdraw"): (WITHDRAWN, E) for state in (IN_REVIEW, CHANGES_REQUESTED)},
}
REASON = "Metindeki tarih yanlış; düzeltilmelidir."
# One person of each role, none of whom has a four-eyes relation to the items of reach() (web1 reviews them,
# web2 approves them, mudur1 assigns them): fen1 works in the items' department.
ACTING = {BIRIM: "fen1", EDITOR: "web3", MUDUR: "mudur2", YONETICI: "yonetici1"}
TARGET = "web2"  # whom the director assigns to


def perform(m, action: str, item, actor):
    """Call the action's own function (or the shared runner for actions only the pipeline takes)."""
    functions = {"start_review": start_review, "approve": approve, "request_changes": request_changes,
                 "reject": reject, "withdraw": withdraw, "archive": archive}
    if action == "assign":
        return assign(m.ledger, m.instance, item.number, actor, m.clock, to=TARGET, reason=REASON)
    if action in functions:
        return functions[action](m.ledger, m.instance, item.number, actor, m.clock, REASON)
    if action == "edit":
        document = submission_text(item.tur, item.title, "Editörün düzelttiği metin.\n")
        return edit_item(m.ledger, m.instance, m.paths, item.number, actor, m.clock, Edit(document))
    if action == "discard":
        return discard(m.ledger, m.instance, item.number, actor, m.clock, REASON)
    if action == "resubmit":
        # The revision as intake stores it (its author is the department); test_rules proves that a file
        # dropped with `kayit_no` makes the same resubmit event through intake itself.
        revision = Revision(body="Düzeltildi.", source_name="duzeltme.md", author=f"birim:{item.department}")
        with m.ledger.transaction() as tx:
            updated, _ = add_revision(tx, tx.item(item.id), revision, actor, m.clock)
        return updated
    return run(m.ledger, item.number, action, actor, m.clock, None, reason=REASON)


def allowed(state: str) -> list[tuple[str, str]]:
    return sorted((a, r) for (s, a), (_, roles) in EXPECTED.items() if s == state for r in roles)


def test_the_table_knows_every_action_of_the_design():
    assert sorted(ACTIONS) == sorted({action for (_, action) in EXPECTED | LIVE_ONLY})
    assert {(s, a) for (s, a) in workflow.TRANSITIONS} == set(EXPECTED) | set(LIVE_ONLY)


def test_from_received_only_registration_by_the_system_or_the_department(municipality):
    """Nothing is stored in `received`: intake checks its draft of the item before inserting it."""
    m = municipality()
    registered = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    [event] = m.ledger.events(registered.id)
    assert (event.action, event.from_state, event.to_state, event.actor) == \
        ("register", RECEIVED, REGISTERED, SYSTEM)
    draft = registered.with_changes(id=None, state=RECEIVED)  # what intake checks before its insert
    users = {role: m.person(login) for role, login in ACTING.items()} | {SYSTEM: SYSTEM_USER}
    passed = []
    for action in ACTIONS:
        for role in ROLES:
            expected = EXPECTED.get((RECEIVED, action))
            if expected and role in expected[1]:
                assert workflow.check(draft, action, users[role]) == expected[0]
                passed.append((action, role))
            else:
                with pytest.raises(InvalidTransition if expected is None else PermissionDenied):
                    workflow.check(draft, action, users[role])
    assert sorted(passed) == allowed(RECEIVED)


@pytest.mark.parametrize("state", [s for s in STATES if s != RECEIVED])
def test_every_action_and_role_from(state, municipality):
    m = municipality(site="tiny" if state in NEEDS_SITE else "bare")
    actors = {role: m.actor(login) for role, login in ACTING.items()} | {SYSTEM: auth.system_actor("zamanlayıcı")}
    m.person(TARGET)
    # One item takes every refusal (a refusal changes nothing); each allowed action gets a fresh one.
    refused_on, *fresh = reach(m, state, 1 + len(allowed(state)))
    passed = []
    for action in ACTIONS:
        for role in ROLES:
            expected = EXPECTED.get((state, action))
            before = m.ledger.dump()
            events_before = len(m.ledger.events())
            if expected and role in expected[1]:
                made = fresh.pop()
                updated = perform(m, action, made, actors[role])
                assert updated.state == expected[0], (action, role)
                new_events = m.ledger.events()[events_before:]
                assert [(e.item_id, e.action, e.from_state, e.to_state, e.actor) for e in new_events] == \
                    [(made.id, action, state, expected[0], actors[role].login)]
                passed.append((action, role))
            else:
                error = InvalidTransition if expected is None else PermissionDenied
                with pytest.raises(error):
                    perform(m, action, refused_on, actors[role])
                assert m.ledger.dump() == before, (action, role)
    assert sorted(passed) == allowed(state)
    assert fresh == []


@pytest.mark.parametrize("state", [IN_REVIEW, CHANGES_REQUESTED, APPROVED])
def test_published_content_under_a_new_revision_is_discarded_or_withdrawn_never_rejected(state, municipality):
    m = municipality(site="tiny")
    actors = {role: m.actor(login) for role, login in ACTING.items()} | {SYSTEM: auth.system_actor("zamanlayıcı")}
    actions = ("discard", "withdraw", "reject")
    # what applies to live content: the live-only rules, and withdrawal of approved content (any content)
    table = {**{k: v for k, v in EXPECTED.items() if k[1] == "withdraw"}, **LIVE_ONLY}
    allowed_here = sorted((a, r) for (s, a), (_, roles) in table.items() if s == state for r in roles)
    items = reach(m, PUBLISHED, 1 + len(allowed_here))
    for item in items:  # web1 edits the published item: a new revision in review, published revision stays
        m.edit(item.number, submission_text("duyuru", item.title, "Yeni metin.\n"), by="web1")
        if state == CHANGES_REQUESTED:
            m.request_changes(item.number, by="web1")
        elif state == APPROVED:
            m.approve(item.number, by="web2")
    refused_on, *fresh = [m.ledger.item(item.number) for item in items]
    assert {(i.state, i.live_rev) for i in [refused_on, *fresh]} == {(state, 1)}
    passed = []
    for action in actions:
        for role in ROLES:
            expected = table.get((state, action))
            before = m.ledger.dump()
            if expected and role in expected[1]:
                updated = perform(m, action, fresh.pop(), actors[role])
                assert (updated.state, updated.current_rev if action == "discard" else 1) == (expected[0], 1)
                passed.append((action, role))
            else:
                with pytest.raises(InvalidTransition if expected is None else PermissionDenied):
                    perform(m, action, refused_on, actors[role])
                assert m.ledger.dump() == before, (action, role)
    assert sorted(passed) == allowed_here and fresh == []
