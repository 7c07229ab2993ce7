"""The clients of bench/load.py: department systems, directors and editors using the JSON API with their
personal tokens, every request timed and every workflow action's answer logged for the checks."""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx

API = "/yonetim/api/v1"
TYPES = ("haber", "duyuru", "mukellef-duyurusu")
NUMBER = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d+)$")


@dataclass
class Log:
    """Every request (kind, status, seconds) and every workflow action's answer, shared by the client threads."""

    requests: list[tuple[str, int, float]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)      # number, action, login, if_match, status
    registered: list[dict] = field(default_factory=list)   # number, title of every 201 `registered`
    failures: list[str] = field(default_factory=list)      # 5xx bodies, connection errors (first few)
    anomalies: list[str] = field(default_factory=list)     # what a client saw that must never be
    retries: list[list[tuple]] = field(default_factory=list)  # (status, number) of one submission sent at once
    connection_errors: int = 0
    retried_412: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status: int, seconds: float, body: str = "") -> None:
        with self.lock:
            self.requests.append((kind, status, seconds))
            if status >= 500 and len(self.failures) < 20:
                self.failures.append(f"{kind} {status}: {body[:300]}")


class Client:
    """One API client: a login's token, its own connection, every request timed into the log."""

    def __init__(self, base: str, login: str, token: str, log: Log, rng: random.Random):
        self.login, self.log, self.rng = login, log, rng
        self.http = httpx.Client(base_url=base + API, timeout=60, headers={"Authorization": f"Bearer {token}"})

    def request(self, kind: str, method: str, path: str, **kw) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer = self.http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            with self.log.lock:
                self.log.connection_errors += 1
                self.log.failures.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.log.note(kind, answer.status_code, time.perf_counter() - started,
                      answer.text if answer.status_code >= 500 else "")
        return answer

    def listing(self, state: str) -> list[dict]:
        answer = self.request("list", "GET", f"/items?state={state}&limit=50")
        return answer.json()["items"] if answer is not None and answer.status_code == 200 else []

    def act(self, item: dict, action: str, still: callable, **body) -> None:
        """The action with the ETag the client read; on 412 read the item again and retry while `still(item)`."""
        for _ in range(5):
            etag = item["etag"]
            answer = self.request(action, "POST", f"/items/{quote(item['number'])}/actions/{action}",
                                  headers={"If-Match": etag}, json=body)
            if answer is None:
                return
            with self.log.lock:
                self.log.actions.append({"number": item["number"], "action": action, "login": self.login,
                                         "if_match": etag, "status": answer.status_code})
            if answer.status_code != 412:
                return
            with self.log.lock:
                self.log.retried_412 += 1
            again = self.request("get", "GET", f"/items/{quote(item['number'])}")
            if again is None or again.status_code != 200 or not still(again.json()):
                return
            item = again.json()

    def close(self) -> None:
        self.http.close()


def submission(rng: random.Random, login: str, n: int, today: dt.date) -> dict:
    tur = TYPES[n % len(TYPES)]
    title = {"haber": "Çarşı Meydanı Düzenlemesi", "duyuru": "Şebeke Suyu Kesintisi",
             "mukellef-duyurusu": "Çevre Temizlik Vergisi Ödemesi"}[tur] + f" {login}-{n}-{rng.randrange(10**6)}"
    fields = {"tur": tur, "baslik": title, "ozet": "Yük sınaması sırasında gönderildi.",
              "etiketler": ["yük", "ığüşöç"],
              "body": f"{title} hakkında bilgi: İşlemler **yarın** başlıyor.\n\nAyrıntılar için Beyaz Masa.\n"}
    if tur == "mukellef-duyurusu":
        fields["son_basvuru"] = (today + dt.timedelta(days=30 + n % 60)).isoformat()
    return fields


def department_client(c: Client, stop: threading.Event, today: dt.date) -> None:
    """Submit new items; now and then answer a change request of its department with revision N+1."""
    n = 0
    while not stop.is_set():
        n += 1
        if n % 4 == 0:
            for item in c.listing("changes_requested")[:1]:
                answer = c.request("resubmit", "POST", "/items", json={
                    "tur": item["tur"], "baslik": item["title"], "kayit_no": item["number"],
                    **({"son_basvuru": (today + dt.timedelta(days=45)).isoformat()}
                       if item["tur"] == "mukellef-duyurusu" else {}),
                    "body": f"Düzeltilmiş metin ({c.login}, {n}).\n"})
                if answer is not None:
                    with c.log.lock:
                        c.log.actions.append({"number": item["number"], "action": "resubmit", "login": c.login,
                                              "if_match": None, "status": answer.status_code})
            continue
        fields = submission(c.rng, c.login, n, today)
        # every 7th: sent three times at once, as a system retrying while its first request is still handled
        answers = [c.request("submit", "POST", "/items", json=fields)] if n % 7 else at_once(c, fields, 3)
        for answer in answers:
            if answer is not None and answer.status_code == 201:
                with c.log.lock:
                    c.log.registered.append({"number": answer.json()["number"], "title": fields["baslik"]})
        if len(answers) > 1:
            with c.log.lock:
                c.log.retries.append([(a.status_code, a.json().get("number")) if a is not None else (0, None)
                                      for a in answers])
        time.sleep(c.rng.uniform(0.1, 0.4))   # a department types before it sends the next one


def at_once(c: Client, fields: dict, times: int) -> list[httpx.Response | None]:
    """The same submission POSTed `times` times at the same moment (one thread each, one connection pool)."""
    answers: list = [None] * times
    start = threading.Barrier(times)

    def send(k: int) -> None:
        start.wait()
        answers[k] = c.request("submit", "POST", "/items", json=fields)

    threads = [threading.Thread(target=send, args=(k,)) for k in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def director_client(c: Client, stop: threading.Event, editors: dict[str, list[str]]) -> None:
    """Havale of registered items to an editor of the item's unit; every third round, approve an item in review."""
    n = 0
    while not stop.is_set():
        n += 1
        if n % 10 == 0:
            walk_register(c)
            continue
        if n % 3 == 0:
            candidates = [i for i in c.listing("in_review") if i["reviewer"] != c.login]
            if candidates:
                c.act(c.rng.choice(candidates), "approve", lambda i: i["state"] == "in_review")
                continue
        waiting = c.listing("registered")
        if not waiting:
            time.sleep(0.1)
            continue
        item = c.rng.choice(waiting[:10])
        c.act(item, "assign", lambda i: i["state"] == "registered", to=c.rng.choice(editors[item["unit"]]))


def walk_register(c: Client) -> None:
    """Page through every item (20 a page) while others register: each exactly once, in register order."""
    seen, cursor = [], None
    while True:
        answer = c.request("list", "GET", "/items?limit=20" + (f"&cursor={quote(cursor)}" if cursor else ""))
        if answer is None or answer.status_code != 200:
            return
        page = answer.json()
        seen += [int(NUMBER.match(i["number"])["seq"]) for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    if seen != sorted(set(seen)):
        with c.log.lock:
            c.log.anomalies.append(f"a walk of /items saw numbers out of order or twice: {seen[:50]}…")


def editor_client(c: Client, stop: threading.Event) -> None:
    """Take own assigned items into review; approve another reviewer's item; sometimes request changes."""
    while not stop.is_set():
        mine = [i for i in c.listing("assigned") if i["assignee"] == c.login]
        if mine:
            c.act(c.rng.choice(mine), "review", lambda i: i["state"] == "assigned")
            continue
        in_review = c.listing("in_review")
        own = [i for i in in_review if i["reviewer"] == c.login]
        others = [i for i in in_review if i["reviewer"] != c.login]
        if own and c.rng.random() < 0.15:
            c.act(c.rng.choice(own), "request-changes", lambda i: i["state"] == "in_review",
                  reason="Tarih ve saat bilgisi eksik; lütfen ekleyin.")
        elif others:
            c.act(c.rng.choice(others[:10]), "approve", lambda i: i["state"] == "in_review")
        else:
            time.sleep(0.1)


# --- the run --------------------------------------------------------------------------------------------------
