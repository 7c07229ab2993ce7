"""The yearly seminar report (faaliyet raporu) for editors, the director and administrators: the page, its CSV
(byte for byte the CLI's) and its PDF.

Paths are below /seminerler/ like the seminar screens (municms.web.views.seminars); this module's name sorts
before theirs, so /seminerler/rapor is matched here before a /seminerler/{id} route could take it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...auth import Actor
from ...errors import ValidationError
from ...model import EDITOR, MUDUR, YONETICI
from ...seminars.report import seminar_report
from ...seminars.report_output import HEADERS, HELD_HEADERS, held_rows, report_csv, report_pdf, report_rows
from ..session import require_role
from ..templating import render, url
from ._refusal import refusal

router = APIRouter(prefix="/seminerler")
report_readers = require_role(EDITOR, MUDUR, YONETICI)   # as seminars.report.REPORT_ROLES (checked there too)


def _year(request: Request) -> str:
    return request.query_params.get("yil", "").strip() or str(request.app.state.clock.now().year)


def _report(request: Request, actor: Actor, year: str):
    state = request.app.state
    return seminar_report(state.ledger, state.instance, state.clock, actor, year)


def _refused(request: Request, actor: Actor, year: str, exc: ValidationError):
    status, errors = refusal(exc, "yil")
    return render(request, "seminar_reports/report.html", {"year": year, "errors": errors, "report": None},
                  actor=actor, status_code=status)


@router.get("/rapor", name="seminar_report")
def report_page(request: Request, actor: Actor = Depends(report_readers)):
    year = _year(request)
    try:
        report = _report(request, actor, year)
    except ValidationError as exc:
        return _refused(request, actor, year, exc)
    query = f"?yil={report.year}"
    context = {"year": str(report.year), "errors": [], "report": report, "headers": HEADERS,
               "rows": report_rows(report), "held_headers": HELD_HEADERS,
               "held": held_rows(report, request.app.state.instance.tz),
               "csv_url": url(request, "seminar_report_csv") + query,
               "pdf_url": url(request, "seminar_report_pdf") + query}
    return render(request, "seminar_reports/report.html", context, actor=actor)


def _download(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/rapor.csv", name="seminar_report_csv")
def report_csv_file(request: Request, actor: Actor = Depends(report_readers)):
    year = _year(request)
    try:
        report = _report(request, actor, year)
    except ValidationError as exc:
        return _refused(request, actor, year, exc)
    return _download(report_csv(report), "text/csv; charset=utf-8", f"seminer-raporu-{report.year}.csv")


@router.get("/rapor.pdf", name="seminar_report_pdf")
def report_pdf_file(request: Request, actor: Actor = Depends(report_readers)):
    year = _year(request)
    try:
        report = _report(request, actor, year)
    except ValidationError as exc:
        return _refused(request, actor, year, exc)
    return _download(report_pdf(report, request.app.state.instance.tz), "application/pdf",
                     f"seminer-raporu-{report.year}.pdf")
