"""The app's upload limit (editorial.max_request_bytes, or five attachments of attachments.max_bytes and their form): a larger body is refused with
413 and a Turkish page (the error object below /yonetim/api/) before it is read, a chunked one is cut off as it
grows past the limit, and nothing of it is registered."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx

from municms.web.body_limit import FORM_ALLOWANCE, upload_limit
from tests.intake.test_bundles_docx import PDF
from tests.web.api_client import API, Api, error

from .conftest import BASE, page
from .screens import Browser, form_token

CHUNK = 64 * 1024
REFUSED = ("Gönderdiğiniz veri çok büyük: bir istekte en çok 2,0 MB gönderilebilir (ekler ve form birlikte). "
           "Hiçbir şey kaydedilmedi; büyük ekleri küçültüp ya da ayrı gönderilerle yeniden deneyin.")


def pdf_of(size: int) -> bytes:
    return PDF + b"\n%" + b"0" * (size - len(PDF) - 2)


def receipt_number(html: str) -> str:
    return page(html).find(class_="notice").get_text(" ", strip=True)


def files_of(m) -> list[str]:
    """Every file intake could have left: inbox, quarantine, registered items, receipts."""
    folders = (m.paths.inbox, m.paths.quarantine, m.paths.registered, m.paths.receipts)
    return sorted(str(p) for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[str, bytes]:
    """(content type, body) of a multipart/form-data request, as a browser encodes the form."""
    boundary = "----sinir" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
              f'Content-Type: application/pdf\r\n\r\n'.encode() + data + b"\r\n" for name, filename, data in files]
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def call_asgi(app, path: str, headers: list[tuple[bytes, bytes]], body: bytes | None) -> dict:
    """One POST straight to the ASGI app: the body in chunks without a Content-Length (None: a receive that
    fails if called at all). Returns the status, the answer and how many body bytes the app pulled."""
    answer = {"status": None, "body": b"", "pulled": 0}
    chunks = [body[i:i + CHUNK] for i in range(0, len(body), CHUNK)] if body is not None else []

    async def receive():
        assert body is not None, "the body was read although its Content-Length is above the limit"
        if not chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = chunks.pop(0)
        answer["pulled"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    with ThreadPoolExecutor(1) as thread:   # a loop of its own: Playwright may be running one in this thread
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    return answer


def submission_form(browser: Browser, attachment: bytes) -> tuple[str, bytes]:
    html = page(browser.get("/birim/yeni?tur=haber"))
    return multipart({"csrf_token": form_token(html, "gonderi-formu"), "tur": "haber", "baslik": "Büyük ekli haber",
                      "metin": "Metin.\n", "islem": "gonder"}, [("ekler", "rapor.pdf", attachment)])


def test_the_limit_comes_from_instance_yaml_or_five_largest_attachments_and_their_form(editorial):
    m = editorial("tiny").m
    assert (m.instance.editorial.max_request_bytes, upload_limit(m.instance)) == (2_000_000, 2_000_000)
    bare = editorial("bare").m.instance
    assert bare.editorial.max_request_bytes is None
    assert upload_limit(bare) == 5 * bare.attachments.max_bytes + FORM_ALLOWANCE == 101_000_000


def test_a_form_above_the_limit_gets_a_turkish_413_page_and_registers_nothing(editorial):
    e = editorial("tiny")
    m = e.m
    fen = Browser(e, "fen1")
    before, files = m.ledger.dump(), files_of(m)
    response = fen.submit("haber", {"baslik": "Büyük ekli haber"}, files=[("rapor.pdf", pdf_of(2_100_000))])
    assert response.status_code == 413
    html = page(response)
    assert html.find("h1").get_text() == "Gönderi çok büyük"
    assert html.find("main").find("p").get_text() == REFUSED
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert (response.headers["cache-control"], response.headers["connection"]) == ("no-store", "close")
    assert m.ledger.dump() == before and files_of(m) == files
    # the same form with the attachment within the limit is registered
    done = fen.submit("haber", {"baslik": "Küçük ekli haber"}, files=[("rapor.pdf", pdf_of(900_000))])
    assert done.status_code == 200 and receipt_number(done.text) == "Kayıt numaranız: BİM-2026-000001"


def test_a_declared_length_above_the_limit_is_refused_without_reading_the_body(editorial):
    e = editorial("tiny")
    answer = call_asgi(e.asgi, f"{BASE}/birim/yeni", [(b"content-type", b"multipart/form-data; boundary=x"),
                                                      (b"content-length", b"2000001")], None)
    assert answer["status"] == 413 and "Gönderi çok büyük" in answer["body"].decode()
    answer = call_asgi(e.asgi, f"{API}/items", [(b"content-type", b"application/json"),
                                                (b"content-length", str(10 ** 9).encode())], None)
    assert answer["status"] == 413 and b'"code":"too_large"' in answer["body"]


def test_a_chunked_form_is_cut_off_at_the_limit_and_registers_nothing(editorial):
    e = editorial("tiny")
    m = e.m
    fen = Browser(e, "fen1")
    cookie = f"yonetim_oturum={fen.client.cookies['yonetim_oturum']}".encode()
    before, files = m.ledger.dump(), files_of(m)
    kind, body = submission_form(fen, pdf_of(3_000_000))
    answer = call_asgi(e.asgi, f"{BASE}/birim/yeni", [(b"content-type", kind.encode()), (b"cookie", cookie)], body)
    assert answer["status"] == 413
    assert page(answer["body"].decode()).find("main").find("p").get_text() == REFUSED
    assert 2_000_000 < answer["pulled"] <= 2_000_000 + CHUNK          # not a byte-chunk more than needed
    assert m.ledger.dump() == before and files_of(m) == files
    kind, body = submission_form(fen, pdf_of(900_000))                  # within the limit, chunked too
    answer = call_asgi(e.asgi, f"{BASE}/birim/yeni", [(b"content-type", kind.encode()), (b"cookie", cookie)], body)
    assert answer["status"] == 200 and receipt_number(answer["body"].decode()) == "Kayıt numaranız: BİM-2026-000001"


def test_an_api_submission_above_the_limit_gets_the_error_object(editorial):
    m = editorial("tiny").m
    api = Api(m)
    api.token("fen1")
    before, files = m.ledger.dump(), files_of(m)
    text = b"---\ntur: haber\nbaslik: B\xc3\xbcy\xc3\xbck\nekler: [rapor.pdf]\n---\nMetin.\n"
    response = api.post("/items", "fen1", files=[("dosya", ("haber.md", text, "text/markdown")),
                                                 ("ekler", ("rapor.pdf", pdf_of(2_100_000), "application/pdf"))])
    assert response.status_code == 413
    assert error(response) == {"code": "too_large", "message": REFUSED,
                               "message_en": "request body above 2000000 bytes", "problems": []}
    assert m.ledger.dump() == before and files_of(m) == files


def test_a_chunked_api_submission_over_real_http_is_cut_off(live_editorial):
    e, base = live_editorial("tiny")
    m = e.m
    token = m.run("users", "token", "fen1", login="fen1")[1].strip()
    items = dict(m.ledger.dump())["items"]

    def body():
        head = b'{"tur": "haber", "baslik": "Uzun", "body": "'
        yield head
        for _ in range(60):                  # 60 × 64 KiB ≈ 3.9 MB, with no Content-Length
            yield b"a" * CHUNK
        yield b'"}'

    with httpx.Client(base_url=base, timeout=30) as client:
        try:
            response = client.post(f"{API}/items", content=body(), headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        except httpx.HTTPError as exc:       # the server may close before the client has sent everything
            raise AssertionError(f"no answer to the cut-off body: {exc!r}") from None
    assert response.status_code == 413 and error(response)["code"] == "too_large"
    assert dict(m.ledger.dump())["items"] == items and files_of(m) == []
