"""Submitting over the API: JSON (front matter + body) or multipart (a .md/.docx file and attachments), then
the same intake as the inbox folders (actions.submit)."""

from __future__ import annotations

import json
import secrets
from pathlib import PurePath

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticError
from starlette.datastructures import UploadFile

from ...actions.submit import submit
from ...attachments import name_problem
from ...auth import Actor
from ...errors import Problem, ValidationError
from ...turkish import slugify
from .deps import Services, current_actor, item_etag, services
from .errors import ApiRoute, BadRequest, Quarantined, errors, invalid_request
from .schemas import SubmissionIn, SubmissionOut, item_out

router = APIRouter(route_class=ApiRoute, tags=["gönderi"])

MULTIPART_SCHEMA = {
    "type": "object", "required": ["dosya"],
    "properties": {
        "dosya": {"type": "string", "format": "binary",
                  "description": "gönderi dosyası: ön bilgili Markdown (.md) ya da Word (.docx)"},
        "ekler": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "ekler (yalnız .md ile; ön bilgideki 'ekler' listesinde adlarıyla)"},
        "department": {"type": "string", "description": "müdürlük (yalnız müdür ve yönetici anahtarları için)"},
    },
}
REQUEST_BODY = {"required": True, "content": {
    "application/json": {"schema": SubmissionIn.model_json_schema()},
    "multipart/form-data": {"schema": MULTIPART_SCHEMA},
}}
SUBMISSION_SUFFIXES = (".md", ".markdown", ".docx")


@router.post("/items", status_code=201, response_model=SubmissionOut, responses={
                 200: {"model": SubmissionOut, "description": "Aynı dosya daha önce kaydedilmiş (duplicate)"},
                 **errors(403)},
             openapi_extra={"requestBody": REQUEST_BODY},
             summary="Gönderi: kayıt numarası ve alındı belgesi (201) ya da karantina raporunun sorunları (422)")
async def submit_item(request: Request, actor: Actor = Depends(current_actor),
                      svc: Services = Depends(services)):
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        name, content, department = await _from_multipart(request)
    elif kind == "application/json" or kind.endswith("+json"):
        name, content, department = _from_json(await request.body(), svc, actor)
    else:
        raise BadRequest("Gönderi application/json ya da multipart/form-data olarak gönderilmelidir.",
                         f"unsupported content type {kind!r}")
    result = await run_in_threadpool(submit, svc.ledger, svc.instance, svc.paths, actor, svc.clock, name,
                                     content, department)
    if result.status == "quarantined":
        report = result.report.relative_to(svc.paths.root).as_posix() if result.report else ""
        raise Quarantined(result.problems, report)
    item = result.item
    out = SubmissionOut(status=result.status, number=result.number, rev=result.rev,
                        receipt=result.receipt.read_text(encoding="utf-8") if result.receipt else "",
                        warnings=result.warnings, kvkk=[f.as_dict() for f in result.kvkk],
                        item=item_out(item, item_etag(svc.ledger, item)))
    return JSONResponse(out.model_dump(mode="json"), status_code=200 if result.status == "duplicate" else 201)


def json_body(raw: bytes, model):
    """(the JSON object of a request body, the same validated by `model`); the API's errors otherwise."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("İstek gövdesi geçerli bir JSON değil.", "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ValidationError([Problem("", "Gövde bir JSON nesnesi olmalıdır.", "body must be a JSON object")],
                              "İstek geçersiz.", "invalid request")
    try:
        return data, model.model_validate(data)
    except PydanticError as exc:
        raise invalid_request(exc.errors()) from None


def _from_json(raw: bytes, svc: Services, actor: Actor) -> tuple[str, bytes, str | None]:
    """The JSON body as the Markdown file a department would have dropped: YAML front matter, then the body."""
    data, sub = json_body(raw, SubmissionIn)
    front = {key: value for key, value in data.items() if key not in ("body", "department")}
    text = ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + sub.body)
    stamp = svc.clock.now().strftime("%Y%m%d-%H%M%S")
    return f"api-{slugify(actor.login) or 'istemci'}-{stamp}-{secrets.token_hex(3)}.md", text.encode("utf-8"), \
        sub.department


async def _from_multipart(request: Request) -> tuple[str, bytes | dict[str, bytes], str | None]:
    """A dropped file (.md or .docx) and, with a .md, its attachments: the same file or bundle folder."""
    form = await request.form()
    main = form.get("dosya")
    if not isinstance(main, UploadFile):
        raise ValidationError([Problem("dosya", "'dosya' alanında bir .md ya da .docx dosyası gönderin.",
                                       "multipart field 'dosya' (a .md or .docx file) is required")],
                              "Gönderi alınmadı.", "submission refused")
    suffix = PurePath(main.filename or "").suffix.lower()
    stem = slugify(PurePath(main.filename or "").stem) or "gonderi"
    if suffix not in SUBMISSION_SUFFIXES:
        raise ValidationError([Problem("dosya", f"Gönderi dosyası .md ya da .docx olmalıdır ('{main.filename}').",
                                       f"submission file must be .md or .docx, got {main.filename!r}")],
                              "Gönderi alınmadı.", "submission refused")
    data = await main.read()
    attachments = [part for part in form.getlist("ekler") if isinstance(part, UploadFile)]
    department = form.get("department")
    department = department if isinstance(department, str) else None
    if not attachments:
        return f"{stem}{suffix}", data, department
    if suffix == ".docx":
        raise ValidationError([Problem("ekler", "Word dosyasıyla ek gönderilemez: ekleri, ön bilgisindeki 'ekler' "
                                                "listesinde adlarıyla bir .md dosyasıyla gönderin.",
                                       "attachments need a Markdown submission (a bundle)")],
                              "Gönderi alınmadı.", "submission refused")
    bundle = {"index.md": data}
    for part in attachments:
        name = PurePath(part.filename or "").name
        refused = name_problem(name) if name else None
        if refused:  # NUL, hidden characters, over-long: the file could not be written under this name
            raise ValidationError([Problem("ekler", *refused)], "Gönderi alınmadı.", "submission refused")
        if not name or name.startswith(".") or name == "index.md" or name in bundle:
            raise ValidationError([Problem("ekler", f"Ek adı kullanılamaz ya da iki kez verilmiş: '{part.filename}'.",
                                           f"unusable or repeated attachment name {part.filename!r}")],
                                  "Gönderi alınmadı.", "submission refused")
        bundle[name] = await part.read()
    return stem, bundle, department
