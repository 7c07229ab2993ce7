"""The public seminar registration form's endpoint, mounted by `serve` at /kayit/ (nginx proxies it there):
POST /kayit/seminer/<id>/ registers a citizen; GET /kayit/seminer/<id>/iptal?anahtar=… asks whether to cancel
(mail scanners follow links, so a GET never changes anything) and POST to the same address cancels.

A static page cannot hold a session, so a post is trusted as ours by the seminar's signed form token (only a
page we published carries it) and, when the browser says where it comes from, by Sec-Fetch-Site or Origin
being this site. Each post counts against the sender's rate limit, kept under a keyed hash of the client's
address. That address is the TCP peer's, except when the peer is on this machine (loopback: the nginx in
front of `serve`), whose X-Real-IP (nginx sets it to $remote_addr, overwriting whatever the client sent) is
taken instead: a client that reaches `serve` directly from elsewhere cannot choose its address by a header.
(uvicorn, which runs `serve`, replaces a loopback peer by its X-Forwarded-For; municms.nginx therefore sets
that header to the client's address too, never to a list the client began.)

Every answer is a complete Turkish page in the site's look (the site's stylesheet), never cached."""

from __future__ import annotations

import ipaddress
import logging
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import Scope

from ..actions.seminar_registration import (FORM_WINDOW, Person, cancel_by_link, note_form_attempt,
                                            register_citizen, registration_for_link)
from ..clock import Clock
from ..config import Instance
from ..errors import NotFound, RateLimited, ValidationError
from ..headers import DefaultHeaders
from ..ledger import Ledger
from ..model import CANCELLED, CONFIRMED
from ..paths import InstancePaths
from ..seminars.facts import FULL, facts_of
from ..seminars.form_token import instance_key, sender_key, valid_form_token
from .body_limit import BodyLimit

log = logging.getLogger(__name__)
PREFIX = "/kayit"
MAX_BODY = 16 * 1024            # the form's few fields; anything larger is not a registration
FIELDS = ("ad", "eposta", "telefon", "onay")   # the form's fields, in page order (problems are shown in it)
TEMPLATES = Path(__file__).parent / "templates" / "kayit"
PRIVATE_HEADERS = {"cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex"}
_PAGE_PATH = re.compile(r"^/[a-z0-9][a-z0-9/-]*/$")


def registration_app(instance: Instance, ledger: Ledger, clock: Clock) -> DefaultHeaders:
    """The /kayit/ app of `instance` on the same ledger and clock as the editorial app."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, auto_reload=False)
    paths = InstancePaths(instance.root)
    app = Starlette(routes=[Route("/seminer/{item_id:int}/", register, methods=["POST"]),
                            Route("/seminer/{item_id:int}/iptal", cancel, methods=["GET", "POST"])],
                    exception_handlers={HTTPException: _http_error})
    app.state.instance, app.state.ledger, app.state.clock, app.state.paths = instance, ledger, clock, paths
    app.state.key, app.state.templates = instance_key(paths.var), env
    limited = BodyLimit(app, MAX_BODY, refusal=lambda scope: _too_large(app, scope))
    return DefaultHeaders(limited, PRIVATE_HEADERS)


# -- pages --------------------------------------------------------------------------------------------------

def _page(app, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    instance = app.state.instance
    seminars = instance.sections.get("seminer")
    html = app.state.templates.get_template(template).render(
        municipality=instance.municipality.name,
        seminars_url=f"/{seminars.slug}/" if seminars else "/", **context)
    return HTMLResponse(html, status_code=status, headers=headers)


def _message(app, status: int, title: str, message: str, headers: dict | None = None, **context) -> HTMLResponse:
    return _page(app, "message.html", status, headers, title=title, message=message, **context)


async def _http_error(request: Request, exc: HTTPException) -> HTMLResponse:
    if exc.status_code == 405:
        return _message(request.app, 405, "İzin verilmeyen istek", "Bu adres bu istek türünü kabul etmiyor.",
                        headers=exc.headers)
    if exc.status_code == 404:
        return _message(request.app, 404, "Sayfa bulunamadı", "Aradığınız kayıt sayfası yok.")
    return _message(request.app, exc.status_code, "İstek işlenemedi", "İstek işlenemedi.")


def _too_large(app, scope: Scope):
    response = _message(app, 413, "Gönderi çok büyük",
                        "Gönderdiğiniz form beklenenden büyük olduğu için işlenmedi; hiçbir kayıt yapılmadı.")
    response.headers["Connection"] = "close"
    return response


def _not_found(app, exc: NotFound) -> HTMLResponse:
    return _message(app, 404, "Bulunamadı", exc.message_tr)


# -- who is asking ------------------------------------------------------------------------------------------

def client_address(scope: Scope) -> str:
    """The client's address: the peer's, or, from a proxy on this machine, the X-Real-IP it set."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    if _loopback(peer):
        for name, value in scope.get("headers", []):
            if name == b"x-real-ip" and value.strip():
                return value.decode("latin-1").strip()
    return peer or "bilinmiyor"


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def same_origin(request: Request, site_url: str) -> bool:
    """Does the browser say this post comes from this site? (Sec-Fetch-Site, else Origin; neither: yes, the
    form token decides alone, as for browsers that send neither.)"""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = {f"{request.url.scheme}://{request.headers.get('host', '')}", _origin_of(site_url)}
    return origin.rstrip("/") in own


def _origin_of(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


async def _form(request: Request) -> dict[str, str]:
    """The posted fields as text (the first of each name; a file where text belongs counts as empty)."""
    try:
        data: FormData = await request.form(max_files=0, max_fields=20)
    except Exception:   # a broken or hostile body: no fields
        log.info("unreadable registration form body: %s", request.url.path)
        return {}
    return {name: value if isinstance(value, str) else "" for name, value in reversed(data.multi_items())}


def _refused(app) -> HTMLResponse:
    return _message(app, 403, "Güvenlik denetimi başarısız",
                    "Form bu sitenin güncel seminer sayfasından gönderilmediği için işlenmedi; hiçbir kayıt "
                    "yapılmadı. Seminer sayfasını yeniden açıp formu tekrar gönderin.")


# -- registering --------------------------------------------------------------------------------------------

async def register(request: Request) -> HTMLResponse:
    app, item_id = request.app, request.path_params["item_id"]
    form = await _form(request)
    if not valid_form_token(app.state.key, item_id, form.get("anahtar", "")):
        log.warning("registration form token missing or wrong for seminar %s", item_id)
        return _refused(app)
    if not same_origin(request, app.state.instance.municipality.site_url):
        log.warning("cross-origin registration post for seminar %s refused", item_id)
        return _refused(app)
    try:
        await run_in_threadpool(note_form_attempt, app.state.ledger, app.state.clock,
                                sender_key(app.state.key, client_address(request.scope)),
                                app.state.instance.seminars.form_posts_per_10_minutes)
    except RateLimited as exc:
        return _message(app, 429, "Çok fazla deneme", exc.message_tr,
                        headers={"Retry-After": str(int(FORM_WINDOW.total_seconds()))})
    try:
        seminar = await run_in_threadpool(_public_seminar, app, item_id)
        person = Person(name=form.get("ad", ""), email=form.get("eposta", ""), phone=form.get("telefon", ""))
        done = await run_in_threadpool(register_citizen, app.state.ledger, app.state.instance, app.state.paths,
                                       app.state.clock, item_id, person, consent=form.get("onay") == "evet")
    except NotFound as exc:
        return _not_found(app, exc)
    except ValidationError as exc:
        return _problems(app, seminar, form, exc)
    reg = done.registration
    return _page(app, "registered.html", seminar=seminar, confirmed=reg.status == CONFIRMED, email=reg.email,
                 cancel_link=done.cancel_link, cancel_path=_path_of(done.cancel_link),
                 remaining=done.facts.remaining)


def _public_seminar(app, item_id: int) -> dict:
    """The title and page of a seminar the public may register for; NotFound for any other item."""
    ledger = app.state.ledger
    try:
        item = ledger.item(item_id)
    except NotFound:
        item = None
    facts = facts_of(ledger, item, app.state.clock.now(), app.state.instance.tz) if item is not None else None
    if item is None or item.tur != "seminer" or facts.staff_only:
        raise NotFound("Seminer bulunamadı.", f"no public seminar {item_id}")
    rev = ledger.revision(item.id, item.live_rev or item.current_rev)
    return {"id": item.id, "title": str((rev.front_matter if rev else {}).get("baslik") or item.title),
            "remaining": facts.remaining, "full": facts.phase == FULL}


def _problems(app, seminar: dict, form: dict[str, str], exc: ValidationError) -> HTMLResponse:
    """422: the problems by field with the form filled in again, or (the seminar no longer takes
    registrations) the reason alone."""
    by_field: dict[str, list[str]] = {}
    general = []
    for problem in exc.problems:
        if problem.field in FIELDS:
            by_field.setdefault(problem.field, []).append(problem.message_tr)
        else:
            general.append(problem.message_tr)
    if general and not by_field:
        return _message(app, 422, "Kayıt yapılamadı", " ".join(general), seminar=seminar)
    page = form.get("sayfa", "")
    return _page(app, "form.html", 422, seminar=seminar, errors=by_field, general=general,
                 order=[f for f in FIELDS if f in by_field], values=form, token=form.get("anahtar", ""),
                 page=page if _PAGE_PATH.match(page) else "")


def _path_of(link: str | None) -> str:
    """The site-relative part of a link of ours (the page is on this site, whatever site_url says)."""
    if not link:
        return ""
    rest = link.partition("://")[2]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


# -- cancelling by the e-mail's link ------------------------------------------------------------------------

async def cancel(request: Request) -> HTMLResponse:
    app, item_id = request.app, request.path_params["item_id"]
    if request.method in ("GET", "HEAD"):   # never changes anything: mail scanners follow links
        token = request.query_params.get("anahtar", "")
        try:
            reg = await run_in_threadpool(registration_for_link, app.state.ledger, app.state.paths, item_id, token)
        except NotFound as exc:
            return _not_found(app, exc)
        title = await run_in_threadpool(_title, app, item_id)
        return _page(app, "cancel.html", title=title, registration=reg, token=token, action=request.url.path,
                     cancelled=reg.status == CANCELLED, confirmed=reg.status == CONFIRMED)
    form = await _form(request)
    if not same_origin(request, app.state.instance.municipality.site_url):
        log.warning("cross-origin cancellation post for seminar %s refused", item_id)
        return _refused(app)
    try:
        await run_in_threadpool(cancel_by_link, app.state.ledger, app.state.instance, app.state.paths,
                                app.state.clock, item_id, form.get("anahtar", ""))
    except NotFound as exc:
        return _not_found(app, exc)
    except ValidationError as exc:
        return _message(app, 422, "Kayıt iptal edilemedi", " ".join(p.message_tr for p in exc.problems))
    title = await run_in_threadpool(_title, app, item_id)
    return _message(app, 200, "Kaydınız iptal edildi",
                    f"“{title}” seminerine kaydınız iptal edildi. İlginiz için teşekkür ederiz.")


def _title(app, item_id: int) -> str:
    item = app.state.ledger.item(item_id)
    rev = app.state.ledger.revision(item.id, item.live_rev or item.current_rev)
    return str((rev.front_matter if rev else {}).get("baslik") or item.title)
