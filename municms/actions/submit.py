"""A submission handed over by a person (JSON API, web form): who may submit for which department, then the
same intake as a file dropped into that department's inbox (number, receipt, quarantine report)."""

from __future__ import annotations

from ..auth import Actor
from ..clock import Clock
from ..errors import PermissionDenied, Problem, ValidationError
from ..ledger import Ledger
from ..model import BIRIM, MUDUR, YONETICI
from ..paths import InstancePaths
from ._transition import load_actor
from .intake import IntakeResult, intake_upload

# Department staff submit for their own department; a director or administrator (a department system's
# "system" token) names the department. Editors review, they do not submit.
SUBMIT_ANY_DEPARTMENT = frozenset({MUDUR, YONETICI})


def submitting_department(ledger: Ledger, instance, actor: Actor, requested: str | None) -> str:
    """The department a submission by `actor` belongs to; PermissionDenied or ValidationError otherwise."""
    user = load_actor(ledger, actor)
    requested = (requested or "").strip() or None
    if user.role == BIRIM:
        if requested and requested != user.department:
            raise PermissionDenied(f"Yalnız kendi müdürlüğünüz ({user.department}) adına gönderi yapabilirsiniz.",
                                   f"'{user.login}' of {user.department} may not submit for {requested}")
        return user.department
    if user.role not in SUBMIT_ANY_DEPARTMENT:
        raise PermissionDenied("Gönderiyi müdürlük personeli yapar; editörler gönderi yapamaz.",
                               f"role '{user.role}' may not submit")
    if requested is None or requested not in instance.departments:
        text = (f"'{requested}' bu kurumun müdürlüklerinden biri değil." if requested else
                "Gönderinin hangi müdürlüğe ait olduğunu 'department' alanına yazın.")
        raise ValidationError([Problem("department", f"{text} Müdürlükler: {', '.join(instance.departments)}.",
                                       f"department must be one of the instance's departments (got {requested!r})")],
                              "Gönderi alınmadı.", "submission refused")
    return requested


def submit(ledger: Ledger, instance, paths: InstancePaths, actor: Actor, clock: Clock, name: str,
           content: bytes | dict[str, bytes], department: str | None = None) -> IntakeResult:
    """Register (or quarantine) a submission by `actor`, recorded as its author."""
    department = submitting_department(ledger, instance, actor, department)
    return intake_upload(ledger, instance, paths, department, name, content, clock, author=actor.login)
