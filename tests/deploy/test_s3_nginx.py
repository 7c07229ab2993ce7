"""Real nginx (the generated config) in front of SeaweedFS: the live release read from the pointer object per
request, the same headers as for a local release, and publish + rollback under readers: never a 404 for a page
that every release has, never a page of one release with the banner of another, never a mixed file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import subprocess
import sys
import threading
import time
from zoneinfo import ZoneInfo

import pytest

from municms.deploy import get_target
from municms.fragments import BANNER_FILE, BANNER_INCLUDE
from municms.nginx import CSP
from municms.nginx_s3 import STORE_DOWN_PAGE, UNPUBLISHED_PAGE

from .conftest import REPO, release_id
from .test_nginx import Client, Timeline, rel_path
from .test_s3 import s3_instance
from .test_s3_publish import live, s3_site
from tests.servers import assert_valid_in_http_block, free_port, wait_for_port


def fetch(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) of one request, the path sent exactly as given, redirects not followed."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        connection.request(method, url[len(f"{parts.scheme}://{parts.netloc}"):] or "/", body=data,
                           headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.msg, answer.read()  # headers: case-insensitive
    finally:
        connection.close()


class S3Nginx:
    """nginx with the config `publish.py nginx-config --standalone` writes for an instance (stopped at the end)."""

    def __init__(self, workdir):
        self.workdir, self.procs = workdir, []

    def start(self, root) -> str:
        prefix, port = self.workdir / f"nginx{len(self.procs)}", free_port()
        done = subprocess.run([sys.executable, "publish.py", "--instance", str(root), "nginx-config", "--standalone",
                               str(prefix), "--port", str(port), "--output", str(prefix / "nginx.conf")],
                              cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        proc = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(proc)
        wait_for_port(port, proc, "nginx")
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def s3_nginx(tmp_path):
    from tests.conftest import require
    import shutil
    require(shutil.which("nginx") is not None, "nginx")
    servers = S3Nginx(tmp_path / "ng")
    yield servers.start
    servers.stop()


def nginx_config(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "publish.py", "--instance", str(root), "nginx-config", *args], cwd=REPO,
                          capture_output=True, text=True)


def test_config_for_the_bucket(make_instance, s3_bucket, tmp_path):
    instance, paths = s3_instance(make_instance, s3_bucket)
    done = nginx_config(paths.root, "--port", "8080", "--server-name", "www.deneme.bel.tr")
    assert done.returncode == 0, done.stderr
    block, host = done.stdout, s3_bucket.endpoint.removeprefix("http://")
    assert block.startswith(f"upstream municms_s3 {{\n    server {host};\n    keepalive 16;\n}}\n")
    pointer = block[block.index("    location = /_municms/surum {"):]
    assert pointer[:pointer.index("    }\n") + 6] == (
        "    location = /_municms/surum {\n        internal;\n        auth_request off;\n"
        f"        proxy_pass http://municms_s3/{s3_bucket.name}/site/www/current;\n        proxy_method HEAD;\n"
        "        proxy_http_version 1.1;\n        proxy_pass_request_headers off;\n"
        f"        proxy_pass_request_body off;\n        proxy_set_header Host {host};\n"
        '        proxy_set_header Connection "";\n        proxy_set_header Content-Length "";\n'
        "        proxy_intercept_errors on;\n        error_page 403 404 500 502 503 504 = @municms_no_pointer;\n    }\n")
    for line in ("    auth_request /_municms/surum;\n",
                 "    auth_request_set $municms_release $upstream_http_x_amz_meta_release;\n",
                 "    auth_request_set $municms_base_sent $upstream_http_x_amz_meta_base;\n",
                 "    auth_request_set $municms_segments $upstream_http_x_amz_meta_segments;\n",
                 f"        proxy_pass http://municms_s3/{s3_bucket.name}/site/www/releases/$municms_store"
                 "$municms_path;\n",
                 'map "$municms_segment|$municms_segments" $municms_store {\n    volatile;\n',
                 "    default $municms_base;\n",
                 f"        proxy_pass http://municms_s3/{s3_bucket.name}/site/www/releases/$municms_release"
                 "/_acil.html;\n",
                 "        proxy_pass_request_headers off;\n", "        limit_except GET { deny all; }\n",
                 "        error_page 403 404 =404 /404.html;\n", "        error_page 401 = @municms_unpublished;\n",
                 "    auth_request_set $municms_pointer_status $upstream_status;\n",
                 "        error_page 500 502 503 504 = @municms_store_down;\n",
                 "    location @municms_no_pointer {\n        return 401;\n    }\n",
                 '        add_header Retry-After "300" always;\n', "        proxy_hide_header x-amz-request-id;\n",
                 f'        add_header Content-Security-Policy "{CSP}" always;\n',
                 "    location /yonetim/ {\n        auth_request off;\n        proxy_pass http://127.0.0.1:8000;\n",
                 "    location ^~ /kayit/ {\n        auth_request off;\n        proxy_pass http://127.0.0.1:8000;\n"):
        assert line in block, line
    # the decoded path never reaches the store: it only picks the segment, whose release comes from the pointer
    assert "$uri" not in block.replace("$uri/", "").replace("map $uri $municms_segment {", "")
    assert all("$municms_segment" not in line and "$municms_top" not in line
               for line in block.splitlines() if "proxy_pass" in line)
    assert nginx_config(paths.root, "--upstream", "s3", "--port", "8080", "--server-name",
                        "www.deneme.bel.tr").stdout == block
    assert nginx_config(paths.root, "--from", "local").stdout.startswith("server {\n")
    assert_valid_in_http_block(block, tmp_path / "wrap")  # like a file of sites-enabled/

    https = (paths.root / "instance.yaml").read_text(encoding="utf-8").replace(
        s3_bucket.endpoint, "https://s3.eu-central-1.amazonaws.com")
    (paths.root / "instance.yaml").write_text(https, encoding="utf-8")
    block = nginx_config(paths.root).stdout
    assert "    server s3.eu-central-1.amazonaws.com:443;\n" in block
    for line in ("proxy_ssl_server_name on;", "proxy_ssl_name s3.eu-central-1.amazonaws.com;", "proxy_ssl_verify on;",
                 "proxy_set_header Host s3.eu-central-1.amazonaws.com;",
                 f"proxy_pass https://municms_s3/{s3_bucket.name}/site/www/current;"):
        assert line in block, line

    local_instance, local_paths = make_instance()
    refused = nginx_config(local_paths.root, "--from", "s3")
    assert refused.returncode == 1 and ("Site kovadan sunulamaz: instance.yaml'da 'deploy.target: s3' ve kova "
                                        "ayarları (bucket, endpoint_url) yok.") in refused.stderr


def test_bucket_served_like_a_local_release(make_instance, variants, s3_bucket, nginx, s3_nginx):
    """The same status, body and headers as the local config gives the same release, page for page."""
    build = variants(1)
    banner = b'<section class="emergency-banner" role="alert"><p>Acil: su kesintisi</p></section>'
    (build / BANNER_FILE).write_bytes(banner)
    instance, paths = s3_instance(make_instance, s3_bucket)
    local_instance, local_paths = make_instance()
    for inst, pth in ((instance, paths), (local_instance, local_paths)):
        get_target(inst, pth).deploy(build, release_id(1), {})
    local, remote = nginx(local_paths.current), s3_nginx(paths.root)
    compared = ["/", "/haberler/", "/haberler/2026/", "/kvkk/", "/theme/css/site.css", "/atom.xml",
                "/seminerler.ics", "/manifest.webmanifest", "/favicon.ico", "/surum.json", "/olmayan-sayfa/",
                "/theme/olmayan.css", "/_acil.html", "/404.html"]
    same = ("Content-Type", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options",
            "Referrer-Policy", "Permissions-Policy", "X-Frame-Options", "Access-Control-Allow-Origin")
    for page in compared:
        want, got = fetch(local + page), fetch(remote + page)
        assert (got[0], got[2]) == (want[0], want[2]), page
        assert {h: got[1].get(h) for h in same} == {h: want[1].get(h) for h in same}, page
        assert not [h for h in got[1] if h.lower().startswith(("x-amz", "seaweed"))], page
    status, headers, body = fetch(remote + "/")
    assert banner in body and BANNER_INCLUDE not in body  # the include resolved from the same release
    assert headers["Content-Language"] == "tr" and "ETag" not in headers and "Last-Modified" not in headers
    assert fetch(remote + "/", {"If-Modified-Since": "Sun, 01 Jan 2090 00:00:00 GMT"})[0] == 200  # pages: never 304
    _, css, _ = fetch(remote + "/theme/css/site.css")
    assert fetch(remote + "/theme/css/site.css", {"If-None-Match": css["ETag"]})[0] == 304
    status, headers, _ = fetch(remote + "/haberler?sayfa=2")
    assert (status, headers["Location"]) == (301, "/haberler/?sayfa=2")
    api = sorted(p.relative_to(build).as_posix() for p in (build / "api").rglob("*.json"))[0]
    status, headers, _ = fetch(f"{remote}/{api}")
    assert (status, headers["Access-Control-Allow-Origin"], headers["Cache-Control"]) == (200, "*", "no-cache")
    # only what is under releases/ of the live release: no listing, no metadata, no other method
    assert fetch(remote + "/?list-type=2")[2] == fetch(local + "/")[2]
    for path in ("/%2e%2e/meta/", "/../meta/x.json", "/x%0D%0AX-Amz-Acl:%20public/index.html"):
        assert fetch(remote + path)[0] in (400, 404), path
    assert fetch(remote + "/", method="POST", data=b"x")[0] == 404


def served_release(bucket, rid: str, pages: list[str]) -> dict[str, str]:
    """page → sha256 of what nginx must answer for it from release rid: the object, a page with the banner
    fragment of the same release included."""
    banner = bucket.release_file("belediye", rid, BANNER_FILE)
    return {page: hashlib.sha256(bucket.release_file("belediye", rid, rel_path(page)).replace(BANNER_INCLUDE,
                                                                                          banner)).hexdigest()
            for page in pages}


@pytest.mark.slow
def test_publish_and_rollback_while_readers_fetch_pages(municipality, s3_bucket, s3_nginx):
    """Three publishes through the command line (the second adds an emergency banner to every page) and three
    rollbacks while two readers fetch pages: every answer is a 200, and the whole page, banner included, of a
    release that was live during the request."""
    site = s3_site(municipality, s3_bucket)
    timeline = Timeline()

    def switch(*args: str, login: str | None = None) -> str:
        before = time.monotonic()
        done = site.cli(*args, login=login)
        assert done.returncode == 0, done.stderr
        rid = live(s3_bucket)
        timeline.switches.append((before, time.monotonic(), rid))
        return rid

    first = site.submit("haber", "Okurlar Okurken Yayın", "Kovadan okunan ilk haber.")
    site.approve(first.number)
    r1 = switch("publish", "--system")
    pages = ["/", "/haberler/", "/kvkk/", "/haberler/2026/okurlar-okurken-yayin/", "/theme/css/site.css",
             "/surum.json"]
    base = s3_nginx(site.root)
    assert fetch(base + pages[3])[0] == 200
    stop = threading.Event()
    readers = [Client(base, stop, pages, fetch) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(1)
        ends = dt.datetime.now(ZoneInfo("Europe/Istanbul")) + dt.timedelta(days=2)
        banner = site.submit("acil-duyuru", "Acil: Kovadan Su Kesintisi", "Bilgi için ALO 153.", bitis=ends)
        site.approve(banner.number, by=("web2", "web3"))
        news = site.submit("haber", "İkinci Yayının Haberi", "Metin.")
        site.approve(news.number)
        r2 = switch("publish", "--system")
        assert switch("rollback", "--reason", "Deneme", login="mudur1") == r1
        assert switch("rollback", "--to", r2, "--system") == r2
        third = site.submit("haber", "Üçüncü Yayının Haberi", "Metin.")
        site.approve(third.number)
        r3 = switch("publish", "--system")
        assert switch("rollback", "--system") == r2
        time.sleep(1)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)

    assert len({r1, r2, r3}) == 3
    expected = {rid: served_release(s3_bucket, rid, pages[:-1]) for rid in (r1, r2, r3)}
    home = {rid: s3_bucket.release_file("belediye", rid, "index.html") for rid in (r1, r2)}
    assert b"Kovadan Su Kesintisi" in s3_bucket.release_file("belediye", r2, BANNER_FILE)
    mixed = hashlib.sha256(home[r1].replace(BANNER_INCLUDE,
                                            s3_bucket.release_file("belediye", r2, BANNER_FILE))).hexdigest()
    assert mixed not in {expected[rid]["/"] for rid in expected}  # a page of r1 with r2's banner would be caught

    failures = [f for reader in readers for f in reader.failures]
    seen, homes = set(), set()
    answers = [a for reader in readers for a in reader.answers]
    for page, status, body, start, end in answers:
        candidates = timeline.current_during(start, end)
        if status != 200:
            failures.append((page, status, sorted(candidates)))
        elif page == "/surum.json":
            said = json.loads(body)["release"]
            seen.add(said)
            if said not in candidates:
                failures.append((page, said, sorted(candidates)))
        else:
            digest = hashlib.sha256(body).hexdigest()
            if not any(expected[rid][page] == digest for rid in candidates):
                failures.append((page, "not the whole page of a release live during the request",
                                 sorted(candidates)))
            if page == "/":
                homes.add(digest)
    assert failures == []
    assert len(answers) > 300 and seen == {r1, r2, r3} and len(homes) == 3


def test_empty_bucket_answers_503_until_the_first_deploy(make_instance, variants, s3_bucket, s3_nginx):
    """Before the first deploy there is no pointer: every page of the site is a short Turkish 503 page with
    Retry-After (never a 500), not cached; the editorial app is still proxied; after the deploy, the site."""
    instance, paths = s3_instance(make_instance, s3_bucket)
    remote = s3_nginx(paths.root)
    assert s3_bucket.keys() == []
    for page in ("/", "/haberler/", "/theme/css/site.css", "/404.html", "/olmayan-sayfa/", "/surum.json",
                 "/_acil.html", "/api/v1/haberler.json"):
        status, headers, body = fetch(remote + page)
        assert (status, headers["Retry-After"], headers["Cache-Control"]) == (503, "300", "no-store"), page
        assert headers["Content-Type"] == "text/html; charset=utf-8", page
        assert headers["Content-Security-Policy"] == CSP and headers["X-Content-Type-Options"] == "nosniff", page
        assert body.decode("utf-8") == UNPUBLISHED_PAGE, page
        assert "<title>Site henüz yayımlanmadı</title>" in UNPUBLISHED_PAGE
        assert '<html lang="tr">' in UNPUBLISHED_PAGE
    status, headers, body = fetch(remote + "/", method="HEAD")
    assert (status, headers["Retry-After"], body) == (503, "300", b"")
    status, headers, _ = fetch(remote + "/haberler")
    assert (status, headers["Location"]) == (301, "/haberler/")

    get_target(instance, paths).deploy(variants(1), release_id(1), {})
    status, headers, body = fetch(remote + "/")
    assert status == 200 and "Retry-After" not in headers and "Site henüz yayımlanmadı".encode() not in body
    assert fetch(remote + "/olmayan-sayfa/")[0] == 404


class FailingStore:
    """An S3-compatible endpoint that has a live release (the pointer answers) but fails every object with a
    500, as a store does when its disks or volume servers fail; the pointer's HEAD can be made to fail too."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        store = self
        self.pointer_fails = False

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                if self.path.endswith("/current") and not store.pointer_fails:
                    self.send_response(200)
                    self.send_header("x-amz-meta-release", release_id(1))
                    self.send_header("Content-Length", "0")
                else:
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                body = b"<Error><Code>InternalError</Code></Error>"
                self.send_response(500)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def assert_store_down(remote: str, pages: tuple[str, ...]) -> None:
    for page in pages:
        status, headers, body = fetch(remote + page)
        assert (status, headers["Retry-After"], headers["Cache-Control"]) == (503, "60", "no-store"), page
        assert headers["Content-Type"] == "text/html; charset=utf-8", page
        assert headers["Content-Security-Policy"] == CSP, page
        assert body.decode("utf-8") == STORE_DOWN_PAGE, page


def test_a_store_that_is_down_or_failing_answers_503_never_500(make_instance, s3_bucket, s3_nginx):
    """No store at the endpoint (connection refused), a store failing every object, a store failing the pointer
    too: every page is the short Turkish 'temporarily unavailable' 503 with Retry-After 60, not nginx's 500/502;
    the editorial app's addresses are still proxied to serve (which answers for itself)."""
    assert "<title>Site geçici olarak açılamıyor</title>" in STORE_DOWN_PAGE and '<html lang="tr">' in STORE_DOWN_PAGE
    pages = ("/", "/haberler/", "/theme/css/site.css", "/404.html", "/_acil.html", "/api/v1/haberler.json")
    _, dead = s3_instance(make_instance, s3_bucket, endpoint=f"http://127.0.0.1:{free_port()}", name="yok")
    assert_store_down(s3_nginx(dead.root), pages)

    failing = FailingStore()
    try:
        _, paths = s3_instance(make_instance, s3_bucket, endpoint=failing.endpoint, name="bozuk")
        remote = s3_nginx(paths.root)
        assert_store_down(remote, pages)
        failing.pointer_fails = True
        assert_store_down(remote, pages)
    finally:
        failing.close()
