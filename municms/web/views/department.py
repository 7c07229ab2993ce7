"""Department (birim) screens: a new submission per type, a Word upload, the department's items, an item with
its receipts and change request, and a new revision answering it. Every form goes through the real intake."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ...actions.department_notes import change_request_note, receipts
from ...actions.intake import IntakeResult
from ...actions.submit import submit
from ...actions.visibility import find_visible, visible_item
from ...attachments import name_problem
from ...auth import Actor
from ...config import SUBMISSION_TYPES
from ...errors import Problem
from ...item_checks import BODY
from ...model import BIRIM, CHANGES_REQUESTED
from .. import submission_form as sf
from ..session import require_role
from ..templating import render
from ._comments import post_comment
from ._paging import page_of

router = APIRouter(prefix="/birim")
department_staff = require_role(BIRIM)


def _upload_name(actor: Actor, now, suffix: str = ".md") -> str:
    """A name no other upload has: the receipt (<name>.alindi.txt) then belongs to this submission alone."""
    return f"web-{actor.login}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}{suffix}"


def _errors(problems: list[Problem], tur: str) -> list[tuple[str, str]]:
    """(anchor, Turkish sentence) per problem, the sentence exactly as intake's quarantine report words it."""
    rows, labels = [], {**sf.LABELS_TR, **{f.key: f.label for f in sf.form_fields(tur)}}
    for problem in problems:
        key = sf.problem_field(problem, tur)
        label = labels.get(key, key) if key else ""
        text = f"{label}, alan '{problem.field}': {problem.message_tr}" if problem.field else problem.message_tr
        rows.append((sf.field_id(key) if key else "gonderi-formu", text))
    return rows


def _form_context(tur: str | None, values: dict, body: str, *, errors=(), preview=None,
                  item=None, result: IntakeResult | None = None) -> dict:
    return {"types": [(t, sf.TYPE_LABELS_TR[t]) for t in SUBMISSION_TYPES], "tur": tur,
            "fields": sf.form_fields(tur) if tur else [], "values": values, "body": body,
            "errors": list(errors), "preview": preview, "item": item, "result": result,
            "attachments_required": sf.attachments_required(tur) if tur else False,
            "labels": sf.LABELS_TR, "body_id": sf.field_id(BODY)}


async def uploads(form) -> tuple[dict[str, bytes], list[Problem]]:
    """The form's attachments by safe file name, and a problem for each name that cannot be one."""
    files, problems = {}, []
    for upload in form.getlist("ekler"):
        if not (isinstance(upload, UploadFile) and upload.filename):
            continue
        safe = sf.safe_upload_name(upload.filename)
        refused = name_problem(upload.filename.replace("\\", "/").rsplit("/", 1)[-1])
        if refused:  # NUL, hidden or direction-changing characters, over 255 bytes: the one rule, its reason
            problems.append(Problem("ekler", *refused))
        elif safe is None or safe in files:
            problems.append(Problem("ekler", f"'{upload.filename}' adlı dosya ek olarak kabul edilemez (adını "
                                             "değiştirin).", "unusable attachment name"))
        else:
            files[safe] = await upload.read()
    return files, problems


async def _submit(request: Request, actor: Actor, tur: str, form, kayit_no: str | None = None):
    """Write the form as the file a department would drop and hand it to intake; (result, errors)."""
    state = request.app.state
    values = {f.key: str(form.get(f.key) or "") for f in sf.form_fields(tur)}
    body = str(form.get(BODY) or "")
    files, errors = await uploads(form)
    if errors:
        return None, _errors(errors, tur)
    text = sf.submission_markdown(tur, values, body, list(files), kayit_no).encode("utf-8")
    name = _upload_name(actor, state.clock.now(), "" if files else ".md")
    content = {"index.md": text, **files} if files else text
    result = await run_in_threadpool(submit, state.ledger, state.instance, state.paths, actor, state.clock,
                                     name, content)
    return result, _errors(result.problems, tur)


def _chosen_type(request: Request) -> str | None:
    tur = request.query_params.get("tur")
    return tur if tur in SUBMISSION_TYPES else None


@router.get("/yeni", name="new_submission")
def new_submission(request: Request, actor: Actor = Depends(department_staff)):
    return render(request, "department/new.html", _form_context(_chosen_type(request), {}, ""),
                  actor=actor)


@router.post("/yeni")
async def send_submission(request: Request, actor: Actor = Depends(department_staff)):
    form = await request.form()
    tur = str(form.get("tur") or "")
    if tur not in SUBMISSION_TYPES:
        context = _form_context(None, {}, "", errors=[("alan-tur", "Lütfen bir gönderi türü seçin.")])
        return render(request, "department/new.html", context, actor=actor, status_code=422)
    values = {f.key: str(form.get(f.key) or "") for f in sf.form_fields(tur)}
    body = str(form.get(BODY) or "")
    if form.get("islem") == "onizle":
        context = _form_context(tur, values, body, preview=sf.preview_html(body))
        return render(request, "department/new.html", context, actor=actor)
    result, errors = await _submit(request, actor, tur, form)
    if result is None or result.status == "quarantined":
        context = _form_context(tur, values, body, errors=errors)
        return render(request, "department/new.html", context, actor=actor, status_code=422)
    return render(request, "department/receipt.html", _receipt_context(result), actor=actor)


def _receipt_context(result: IntakeResult) -> dict:
    text = result.receipt.read_text(encoding="utf-8") if result.receipt and result.receipt.is_file() else ""
    return {"result": result, "receipt_text": text}


@router.get("/word", name="word_submission")
def word_form(request: Request, actor: Actor = Depends(department_staff)):
    return render(request, "department/word.html", {"errors": []}, actor=actor)


@router.post("/word")
async def word_upload(request: Request, actor: Actor = Depends(department_staff)):
    state = request.app.state
    form = await request.form()
    upload = form.get("belge")
    if not isinstance(upload, UploadFile) or not (upload.filename or "").lower().endswith(".docx"):
        return render(request, "department/word.html",
                      {"errors": [("alan-belge", "Lütfen .docx uzantılı bir Word dosyası seçin.")]},
                      actor=actor, status_code=422)
    data = await upload.read()
    result = await run_in_threadpool(submit, state.ledger, state.instance, state.paths, actor, state.clock,
                                     _upload_name(actor, state.clock.now(), ".docx"), data)
    if result.status == "quarantined":
        errors = [("alan-belge", p.format_tr()) for p in result.problems]
        return render(request, "department/word.html", {"errors": errors}, actor=actor, status_code=422)
    return render(request, "department/receipt.html", _receipt_context(result), actor=actor)


@router.get("/", name="department_items")
def department_items(request: Request, actor: Actor = Depends(department_staff)):
    page = page_of(request, lambda **keys: find_visible(request.app.state.ledger, actor, newest_first=True, **keys))
    return render(request, "department/items.html", {"page": page, "type_labels": sf.TYPE_LABELS_TR}, actor=actor)


def _item_context(request: Request, actor: Actor, number: str) -> dict:
    state = request.app.state
    item = visible_item(state.ledger, actor, number)
    current = state.ledger.revision(item.id, item.current_rev)
    return {"item": item, "receipts": receipts(state.ledger, state.instance, actor, item.id),
            "note": change_request_note(state.ledger, state.instance, actor, item.id)
            if item.state == CHANGES_REQUESTED else None,
            "may_answer": item.state == CHANGES_REQUESTED, "current": current,
            "comments": state.ledger.comments(item.id), "comment_errors": [], "done": None,
            **_form_context(item.tur, sf.revision_values(item.tur, current.front_matter if current else {}),
                            current.body if current else "", item=item)}


@router.get("/kayit/{number}", name="department_item")
def department_item(request: Request, number: str, actor: Actor = Depends(department_staff)):
    return render(request, "department/item.html", _item_context(request, actor, number), actor=actor)


@router.post("/kayit/{number}/yorum", name="department_comment")
async def comment_on_item(request: Request, number: str, actor: Actor = Depends(department_staff)):
    status, errors, done = await post_comment(request, actor, number)
    context = _item_context(request, actor, number)
    context.update(comment_errors=errors, done=done)
    return render(request, "department/item.html", context, actor=actor, status_code=status)


@router.post("/kayit/{number}")
async def send_revision(request: Request, number: str, actor: Actor = Depends(department_staff)):
    context = _item_context(request, actor, number)
    item = context["item"]
    form = await request.form()
    values = {f.key: str(form.get(f.key) or "") for f in sf.form_fields(item.tur)}
    body = str(form.get(BODY) or "")
    context.update(values=values, body=body)
    if form.get("islem") == "onizle":
        context["preview"] = sf.preview_html(body)
        return render(request, "department/item.html", context, actor=actor)
    result, errors = await _submit(request, actor, item.tur, form, kayit_no=item.number)
    if result is None or result.status == "quarantined":
        context["errors"] = errors
        return render(request, "department/item.html", context, actor=actor, status_code=422)
    return render(request, "department/receipt.html", _receipt_context(result), actor=actor)

