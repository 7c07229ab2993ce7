"""The API's one error boundary: every MunicmsError (and every malformed request) becomes the same error object.

The boundary is the route class of every API route, so the API answers with its own error object whatever
exception handlers the editorial app around it installs for its HTML pages.
"""

from __future__ import annotations

import logging
from typing import Callable

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from ...auth import AuthenticationFailed
from ...errors import (ConflictError, InvalidTransition, MunicmsError, NotFound, PermissionDenied, Problem,
                       TooLarge, ValidationError)

log = logging.getLogger("municms.api")


class BadRequest(MunicmsError):
    """The request itself is unusable (a cursor this API did not hand out, a body that is not JSON …)."""


class PreconditionRequired(MunicmsError):
    """A change without `If-Match`: the client must say which version of the item it read."""


class PreconditionFailed(ConflictError):
    """`If-Match` names a version of the item that is no longer current: someone changed it meanwhile."""


class Quarantined(ValidationError):
    """A submission with problems: not registered, moved to quarantine next to its report."""

    def __init__(self, problems: list[Problem], report: str):
        super().__init__(problems, f"Gönderi kaydedilmedi; sorunları giderip yeniden gönderin. Rapor: {report}",
                         f"submission quarantined; report: {report}")


# (class, HTTP status, code), most specific first.
STATUS = [
    (PreconditionFailed, 412, "precondition_failed"),
    (PreconditionRequired, 428, "precondition_required"),
    (BadRequest, 400, "bad_request"),
    (AuthenticationFailed, 401, "unauthenticated"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (InvalidTransition, 409, "invalid_transition"),
    (ConflictError, 409, "conflict"),
    (TooLarge, 413, "too_large"),
    (Quarantined, 422, "quarantined"),
    (ValidationError, 422, "invalid"),
    (MunicmsError, 400, "error"),
]


class ProblemOut(BaseModel):
    """One problem: the field (and its path in the request), the line of the submission, the messages."""

    field: str = Field(description="alan adı (ör. 'baslik'); genel bir sorunda boş")
    path: list[str] = Field(description="alanın istekteki yolu (ör. ['baslik'] ya da ['degisiklikler', '0'])")
    line: int | None = Field(None, description="gönderi dosyasındaki satır (varsa)")
    message: str = Field(description="Türkçe açıklama")
    message_en: str = Field(description="English detail")


class ErrorDetail(BaseModel):
    code: str = Field(description="makine için kısa kod: unauthenticated, forbidden, not_found, invalid …")
    message: str = Field(description="Türkçe ileti")
    message_en: str = Field(description="English message")
    problems: list[ProblemOut] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """Every error of the API has this shape."""

    error: ErrorDetail


def problem_out(problem: Problem) -> ProblemOut:
    return ProblemOut(field=problem.field, path=problem.field.split(".") if problem.field else [], line=problem.line,
                      message=problem.message_tr, message_en=problem.message_en or problem.message_tr)


def error_response(exc: MunicmsError, headers: dict | None = None) -> JSONResponse:
    status, code = next((s, c) for cls, s, c in STATUS if isinstance(exc, cls))
    problems = [problem_out(p) for p in getattr(exc, "problems", [])]
    body = ErrorBody(error=ErrorDetail(code=code, message=exc.message_tr, message_en=exc.message_en,
                                       problems=problems))
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="municms"', **(headers or {})}
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def request_problems(exc: RequestValidationError) -> MunicmsError:
    """FastAPI's validation errors as our problems: field, path, Turkish and English message."""
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return BadRequest("İstek gövdesi geçerli bir JSON değil.", "request body is not valid JSON")
    return invalid_request(exc.errors())


def invalid_request(errors: list[dict]) -> ValidationError:
    """pydantic's errors (of a request part or of a model) as one ValidationError listing each of them."""
    return ValidationError([Problem(_field(tuple(e.get("loc", ()))), _tr(e), e.get("msg", "invalid"))
                            for e in errors], "İstek geçersiz.", "invalid request")


def _field(loc: tuple) -> str:
    """'limit' for ('query', 'limit'), 'to' for ('body', 'to'), 'body' for ('body',), 'tur' for ('tur',)."""
    parts = loc[1:] if len(loc) > 1 and loc[0] in ("query", "path", "header", "body") else loc
    return ".".join(str(part) for part in parts)


def _tr(error: dict) -> str:
    """A Turkish sentence for one of pydantic's error types (the English one is pydantic's own)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "Bu alan zorunludur."
    if "le" in ctx or "lt" in ctx:
        return f"Değer en çok {ctx.get('le', ctx.get('lt'))} olabilir."
    if "ge" in ctx or "gt" in ctx:
        return f"Değer en az {ctx.get('ge', ctx.get('gt'))} olmalıdır."
    if kind in ("enum", "literal_error"):
        return f"İzin verilen değerlerden biri olmalıdır: {ctx.get('expected', '')}."
    if kind.endswith(("_type", "_parsing")):
        return "Değerin türü yanlış."
    return "Değer geçersiz."


class ApiRoute(APIRoute):
    """Every API route: a MunicmsError or a malformed request becomes the error object, and nothing else."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return error_response(request_problems(exc))
            except MunicmsError as exc:
                log.info("api %s %s: %s", request.method, request.url.path, exc.message_en)
                return error_response(exc)

        return guarded


ERRORS = {code: {"model": ErrorBody, "description": text} for code, text in (
    (400, "İstek kullanılamıyor (geçersiz JSON, tanınmayan imleç)"),
    (401, "Anahtar yok, geçersiz ya da iptal edilmiş"),
    (403, "Rolünüz bu işlemi yapamaz"),
    (422, "İstek ya da gönderi geçersiz; her sorun alanı ve satırıyla"),
)}


def errors(*codes: int) -> dict:
    """OpenAPI responses for the given error statuses, every one with the error object."""
    extra = {404: "Kayıt yok ya da görme yetkiniz yok", 409: "Kaydın durumu bu işleme izin vermiyor",
             412: "If-Match eski bir sürümü gösteriyor; kayıt bu arada değişti",
             428: "If-Match başlığı zorunlu"}
    out = {code: ERRORS[code] for code in (400, 401, 422)}
    for code in codes:
        out[code] = ERRORS.get(code) or {"model": ErrorBody, "description": extra[code]}
    return out
