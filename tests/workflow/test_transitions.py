"""The whole transition table: every (state, action, role) either passes with one event or changes nothing."""

from __future__ import annotations

import pytest

from municms.actions._transition import run
from municms.actions.approve import approve
from municms.actions.archive import archive
from municms.actions.assign import assign
from municms.actions.reject import reject
from municms.actions.request_changes import request_changes
from municms.actions.resubmit import add_revision
from municms.actions.start_review import start_review
from municms.actions.withdraw import withdraw
from municms.errors import InvalidTransition, PermissionDenied
from municms.model import (APPROVED, ARCHIVED, ASSIGNED, BIRIM, CHANGES_REQUESTED, EDITOR, EXPIRED, IN_REVIEW,
                           MUDUR, PUBLISHED, RECEIVED, REGISTERED, REJECTED, SCHEDULED, STATES, SYSTEM,
                           WITHDRAWN, YONETICI, Revision)
from municms.workflow import ACTIONS

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
}
REASON = "Metindeki tarih yanlış; düzeltilmelidir."


def perform(action, ledger, instance, item, actor, clock, target):
    """Call the action's own function (or the shared runner for system-only actions)."""
    functions = {"assign": lambda *a: assign(*a, to=target, reason=REASON), "start_review": start_review,
                 "approve": approve, "request_changes": request_changes, "reject": reject, "withdraw": withdraw,
                 "archive": archive}
    if action in functions:
        return functions[action](ledger, instance, item.number, actor, clock, REASON) \
            if action != "assign" else functions[action](ledger, instance, item.number, actor, clock)
    if action == "resubmit":
        with ledger.transaction() as tx:
            updated, _ = add_revision(tx, tx.item(item.id), Revision(body="Düzeltildi.", author=actor), actor, clock)
        return updated
    return run(ledger, item.number, action, actor, clock, None, reason=REASON)


@pytest.mark.parametrize("state", STATES)
def test_every_action_and_role_from(state, ledger, instance, clock, item, user):
    actors = {BIRIM: user(BIRIM).login, EDITOR: user(EDITOR).login, MUDUR: user(MUDUR).login,
              YONETICI: user(YONETICI).login, SYSTEM: SYSTEM}
    target = user(EDITOR).login
    passed = []
    for action in ACTIONS:
        for role in ROLES:
            made = item(state=state)
            before = ledger.dump()
            events_before = len(ledger.events())
            expected = EXPECTED.get((state, action))
            if expected and role in expected[1]:
                updated = perform(action, ledger, instance, made, actors[role], clock, target)
                assert updated.state == expected[0], (action, role)
                new_events = ledger.events()[events_before:]
                assert [(e.item_id, e.action, e.from_state, e.to_state, e.actor) for e in new_events] == \
                    [(made.id, action, state, expected[0], actors[role])]
                passed.append((action, role))
            else:
                error = InvalidTransition if expected is None else PermissionDenied
                with pytest.raises(error):
                    perform(action, ledger, instance, made, actors[role], clock, target)
                assert ledger.dump() == before, (action, role)
    assert sorted(passed) == sorted((a, r) for (s, a), (_, roles) in EXPECTED.items() if s == state for r in roles)
