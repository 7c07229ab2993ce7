"""Approval under the four-eyes rule; acil-duyuru needs two distinct approvers; open KVKK findings need an
explicit override with a reason."""

from __future__ import annotations

from .. import signals
from ..auth import Actor
from ..clock import Clock
from ..config import Instance
from ..errors import Problem, ValidationError
from ..item_checks import check_current, refuse_blocking
from ..kvkk import open_findings
from ..ledger import Ledger
from ..model import APPROVED, Item
from ..seminar_checks import current_checks
from ..workflow import APPROVE
from ._transition import Expect, run

KVKK_FIELD = "kvkk_gerekce"


def approve(ledger: Ledger, instance: Instance, ref: int | str, actor: Actor, clock: Clock,
            reason: str | None = None, expect: Expect | None = None, kvkk_reason: str | None = None) -> Item:
    """Record `actor`'s approval of the current revision; in_review → approved once enough approvals.

    If the scan found personal data in the revision, the approver must override with `kvkk_reason`; the
    reason and the number of findings are recorded in the approve event."""
    data: dict = {}

    def execute(tx, item, user, to_state, now):
        # a page that cannot be built; a seminar in a room or with a trainer another one has at that time
        refuse_blocking(item, check_current(tx, instance, item, with_site=False) + current_checks(tx, instance, item))
        findings = open_findings(tx.kvkk_findings(item.id, item.current_rev))
        override = (kvkk_reason or "").strip()
        if findings and not override:
            raise _refused(item, findings)
        tx.add_approval(item.id, item.current_rev, user.login, now)
        data.update(rev=item.current_rev, approvals=len(tx.approvals(item.id, item.current_rev)))
        if findings:
            data.update(kvkk_bulgu=len(findings), kvkk_gerekce=override)
        return {}

    def announce(item: Item, event) -> None:  # the first of two approvals is not yet an approval
        if item.state == APPROVED:
            signals.item_approved.send(APPROVE, item=item, event=event)

    return run(ledger, ref, APPROVE, actor, clock, None, reason=reason, data=data, execute=execute,
               after_commit=announce, expect=expect)


def _refused(item: Item, findings) -> ValidationError:
    kinds = ", ".join(dict.fromkeys(f.label_tr for f in findings))
    text = (f"{item.number} {item.current_rev}. sürümünde {len(findings)} açık kişisel veri bulgusu var ({kinds}). "
            "Onaylamak için bulguları inceleyip yayımlanmalarının neden uygun olduğunu gerekçe olarak yazın "
            "ya da müdürlükten bu bilgileri çıkaran yeni bir sürüm isteyin.")
    return ValidationError([Problem(KVKK_FIELD, text, f"{len(findings)} open KVKK findings and no override reason")],
                           "Onay kaydedilmedi.", "approval refused: open KVKK findings")
