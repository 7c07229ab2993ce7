"""nginx configuration that serves the live release from an s3 target's bucket (municms.deploy.s3), with Debian's
nginx only (auth_request, map, proxy, ssi: no njs, no Lua).

Per request, nginx first asks the store for the pointer object `<prefix>/current` (an `auth_request`
subrequest, HEAD) and keeps its `x-amz-meta-release` as $municms_release, with `x-amz-meta-base` and
`x-amz-meta-segments`, which say which release's prefix stores each segment of the site
(municms.deploy.s3_layout: its maps give $municms_store from $uri); then it answers from
`<prefix>/releases/$municms_store/<path>` (`index.html` for an address ending in /). Files at the root, such as
the error page and the emergency banner, are always the live release's own. The pointer is read once per
request: the page, and the banner its server-side include fetches (a subrequest, which shares the request's
variables and skips the access phase), come from the same release. A deploy writes every object of the new
release before the one PUT of the pointer, and never deletes the live release, the one before it, or a
segment either of them reads, so a request that read the old pointer just before a switch still finds all of
its files.

The bucket's releases/ and current must be readable without a key (nginx does not sign requests): a policy for
anonymous GetObject on those two, or a store on a private network. meta/ and manifests/ need not be.

Before the first deploy there is no pointer: the store answers its HEAD with 404 (403 on AWS when anonymous
readers may not list the bucket), which the pointer location turns into 401, the one refusal auth_request passes
on (any other status would be a 500); the request then gets UNPUBLISHED_PAGE, a 503 with Retry-After and
no-store, so neither a visitor nor a CDN keeps it.

When the store cannot be reached or fails (5xx, a refused connection, a timeout), for the pointer or for the
object, the request gets STORE_DOWN_PAGE instead of nginx's own 500/502: a 503 saying the site is temporarily
unavailable, Retry-After 60, no-store. The pointer's failure also ends in 401 (nothing else passes auth_request);
its status, kept as $municms_pointer_status, tells the two 503 pages apart.

The client's path goes to the store as the client sent it (still percent-encoded, without the query string):
a decoded $uri in proxy_pass would let %0D%0A write headers of the request to the store. nginx has already
refused a path that climbs above the root. Only GET and HEAD are passed on, with none of the client's headers
but the validators of static assets.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .deploy.s3_layout import nginx_maps
from .headers import API_HEADERS, API_PREFIX
from .nginx import (CACHE_ASSET, CACHE_HASHED, CACHE_PAGE, DEFAULT_UPSTREAM, GZIP_TYPES, HASHED_ASSET, _SSI,
                    _editorial, _headers, _registration)

POINTER_LOCATION = "/_municms/surum"
NO_POINTER = "@municms_no_pointer"        # the pointer's subrequest when there is none (or no store): 401
UNPUBLISHED = "@municms_unpublished"      # a request refused that way: 503 and UNPUBLISHED_PAGE (or STORE_DOWN_PAGE)
STORE_DOWN = "@municms_store_down"        # an object the store failed to give: 503 and STORE_DOWN_PAGE
RETRY_AFTER = "300"
RETRY_AFTER_DOWN = "60"
UNPUBLISHED_PAGE = (
    '<!DOCTYPE html>\n<html lang="tr">\n<head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Site henüz yayımlanmadı</title></head>\n"
    "<body><main><h1>Site henüz yayımlanmadı</h1>"
    "<p>Sitenin ilk sürümü hazırlanıyor. Lütfen birkaç dakika sonra yeniden deneyin.</p></main></body>\n"
    "</html>\n")
STORE_DOWN_PAGE = (
    '<!DOCTYPE html>\n<html lang="tr">\n<head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Site geçici olarak açılamıyor</title></head>\n"
    "<body><main><h1>Site geçici olarak açılamıyor</h1>"
    "<p>Sayfaların saklandığı sunucuya şu anda ulaşılamıyor. Lütfen birkaç dakika sonra yeniden deneyin.</p>"
    "</main></body>\n</html>\n")
# headers of the store that say nothing to a visitor (AWS, SeaweedFS, MinIO, Ceph); Cache-Control is the
# config's own, as for a local release
_HIDDEN = ("Cache-Control", "x-amz-request-id", "x-amz-id-2", "x-amz-version-id", "x-amz-server-side-encryption",
           "x-amz-storage-class", "x-amz-expiration", "x-amz-replication-status", "x-amz-tagging-count",
           "x-amz-meta-release", "x-amz-checksum-crc32", "x-amz-checksum-crc64nvme", "x-amz-mp-parts-count",
           "Seaweed-X-Amz-ETag", "Seaweed-X-Amz-Owner", "X-Minio-Deployment-Id", "X-Rgw-Object-Type", "Vary",
           "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials")
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"  # Debian's, for an https endpoint


class Store:
    """Where the bucket is, as nginx reaches it."""

    def __init__(self, endpoint_url: str, bucket: str, prefix: str = ""):
        parts = urlsplit(endpoint_url)
        self.https = parts.scheme == "https"
        self.host = parts.netloc                                   # host[:port], the Host header
        port = parts.port or (443 if self.https else 80)
        self.server = f"{parts.hostname}:{port}"
        prefix = prefix.strip("/")
        self.base = f"/{bucket}/{prefix}" if prefix else f"/{bucket}"  # path-style, as the target writes

    @classmethod
    def of(cls, deploy) -> "Store":
        return cls(deploy.endpoint_url, deploy.bucket, deploy.prefix)

    def url(self, path: str) -> str:
        return f"{'https' if self.https else 'http'}://municms_s3{self.base}{path}"


def _proxy(store: Store, path: str, i2: str, validators: bool = False, root: bool = False) -> str:
    """proxy_pass to an object of the live release (a file at the root: from the release's own prefix) and what
    every such location sets."""
    release = "$municms_release" if root else "$municms_store"
    lines = ["limit_except GET { deny all; }", f"proxy_pass {store.url('/releases/' + release + path)};",
             "proxy_http_version 1.1;", "proxy_pass_request_headers off;", "proxy_pass_request_body off;",
             f"proxy_set_header Host {store.host};", 'proxy_set_header Connection "";',
             'proxy_set_header Content-Length "";', "proxy_intercept_errors on;",
             "error_page 403 404 =404 /404.html;", f"error_page 401 = {UNPUBLISHED};",
             f"error_page 500 502 503 504 = {STORE_DOWN};"]
    if validators:  # a 304 of the store for a file whose ETag (its MD5) is the same in every release
        lines += ["proxy_set_header If-None-Match $http_if_none_match;",
                  "proxy_set_header If-Modified-Since $http_if_modified_since;"]
    if store.https:
        lines += ["proxy_ssl_server_name on;", f"proxy_ssl_name {store.host.split(':')[0]};",
                  "proxy_ssl_verify on;", f"proxy_ssl_trusted_certificate {CA_BUNDLE};"]
    lines += [f"proxy_hide_header {name};" for name in _HIDDEN]
    return "".join(f"{i2}{line}\n" for line in lines)


def _pointer(store: Store, i1: str, i2: str) -> str:
    """The subrequest that reads which release is live (its headers only)."""
    lines = ["internal;", "auth_request off;", f"proxy_pass {store.url('/current')};", "proxy_method HEAD;",
             "proxy_http_version 1.1;", "proxy_pass_request_headers off;", "proxy_pass_request_body off;",
             f"proxy_set_header Host {store.host};", 'proxy_set_header Connection "";',
             'proxy_set_header Content-Length "";', "proxy_intercept_errors on;",
             f"error_page 403 404 500 502 503 504 = {NO_POINTER};"]
    if store.https:
        lines += ["proxy_ssl_server_name on;", f"proxy_ssl_name {store.host.split(':')[0]};",
                  "proxy_ssl_verify on;", f"proxy_ssl_trusted_certificate {CA_BUNDLE};"]
    return (f"{i1}location = {POINTER_LOCATION} {{\n" + "".join(f"{i2}{line}\n" for line in lines) + f"{i1}}}\n\n"
            f"{i1}location {NO_POINTER} {{\n{i2}return 401;\n{i1}}}\n\n")


def _quoted(text: str) -> str:
    """text as one double-quoted nginx string on one line (the standalone config indents every line; a $ would
    start a variable: the page has none)."""
    assert "$" not in text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _refusal(page: str, retry_after: str, i2: str) -> str:
    """A 503 with a short Turkish page, Retry-After, never cached."""
    return _headers("no-store", i2, {"Retry-After": retry_after}) + f"{i2}return 503 {_quoted(page)};\n"


def _unpublished(i1: str, i2: str) -> str:
    """The answers when the pointer could not be read: before the first deploy (the store said 404/403) the
    unpublished page; when the store failed, the store-down page. And the store-down answer for an object.
    Always an HTML page whatever the address's extension: `types {}` keeps nginx from taking the type from it
    (the `if` block, where `types` may not stand, inherits it)."""
    i3 = i2 + "    "
    html = f"{i2}auth_request off;\n{i2}types {{ }}\n{i2}default_type \"text/html; charset=utf-8\";\n"
    return (f"{i1}location {UNPUBLISHED} {{\n{html}"
            f"{i2}if ($municms_pointer_status ~ \"5[0-9][0-9]\") {{\n"
            + _refusal(STORE_DOWN_PAGE, RETRY_AFTER_DOWN, i3) + f"{i2}}}\n"
            + _refusal(UNPUBLISHED_PAGE, RETRY_AFTER, i2) + f"{i1}}}\n\n"
            f"{i1}location {STORE_DOWN} {{\n{html}"
            + _refusal(STORE_DOWN_PAGE, RETRY_AFTER_DOWN, i2) + f"{i1}}}\n\n")


def _site(path: str | None, store: Store, cache: str, i2: str, ssi: bool = False, validators: bool = False,
          extra: dict | None = None) -> str:
    """The body of a location answered from the live release: the object at `path` (the client's path when
    None), its headers, and the banner include for pages."""
    key = path if path is not None else "$municms_path"
    return (_proxy(store, key, i2, validators, root=path is not None) + (_SSI.format(i2=i2) if ssi else "")
            + _headers(cache, i2, extra))


def s3_server_block(store: Store, port: int = 80, listen: str = "", server_name: str = "_",
                    upstream: str = DEFAULT_UPSTREAM) -> str:
    """`upstream`, `map` and `server` blocks (for an http {} block, like a file of sites-enabled/) serving the
    live release of the bucket, and proxying /yonetim/ and /kayit/ to `publish.py serve` at upstream."""
    address = f"{listen}:{port}" if listen else str(port)
    i1, i2 = "    ", "        "

    def loc(match: str, body: str) -> str:
        return f"{i1}location {match} {{\n{body}{i1}}}\n\n"

    return (
        "upstream municms_s3 {\n"
        f"{i1}server {store.server};\n"
        f"{i1}keepalive 16;\n"
        "}\n\n"
        # the object key of the client's path: as sent (percent-encoded), no query, index.html for a folder
        "map $request_uri $municms_path {\n"
        f'{i1}"~^(?<municms_dir>[^?]*/)(\\?.*)?$" "${{municms_dir}}index.html";\n'
        f'{i1}"~^(?<municms_file>[^?]*)" "$municms_file";\n'
        "}\n\n"
        + nginx_maps(i1)
        + "server {\n"
        f"{i1}listen {address};\n"
        f"{i1}server_name {server_name};\n"
        f"{i1}server_tokens off;\n"
        f"{i1}gzip on;\n"
        f"{i1}gzip_vary on;\n"
        f"{i1}gzip_min_length 256;\n"
        f"{i1}gzip_types {GZIP_TYPES};\n"
        f"{i1}absolute_redirect off;\n"
        f"{i1}# the live release, read once per request from the pointer object (see municms/nginx_s3.py)\n"
        f"{i1}auth_request {POINTER_LOCATION};\n"
        f"{i1}auth_request_set $municms_release $upstream_http_x_amz_meta_release;\n"
        f"{i1}auth_request_set $municms_base_sent $upstream_http_x_amz_meta_base;\n"
        f"{i1}auth_request_set $municms_segments $upstream_http_x_amz_meta_segments;\n"
        f"{i1}auth_request_set $municms_pointer_status $upstream_status;\n\n"
        f"{_pointer(store, i1, i2)}"
        f"{_unpublished(i1, i2)}"
        + _editorial(upstream, i1, i2, ("auth_request off;",))
        + _registration(upstream, i1, i2, ("auth_request off;",))
        # a folder's address without its slash: to the address with it, as nginx does for a local folder
        + loc("~ ^(.*/)?[^./]+$", f"{i2}auth_request off;\n{i2}return 301 $municms_path/$is_args$args;\n")
        + loc("/", _site(None, store, CACHE_PAGE, i2, ssi=True))
        + loc(f"~* {HASHED_ASSET}", _site(None, store, CACHE_HASHED, i2, validators=True))
        + loc("~* \\.(ics|webmanifest)$", _site(None, store, CACHE_PAGE, i2))
        + loc(f"^~ {API_PREFIX}", _site(None, store, CACHE_PAGE, i2, extra=API_HEADERS))
        + loc("/theme/", _site(None, store, CACHE_ASSET, i2, validators=True))
        + loc("/pagefind/", _site(None, store, CACHE_ASSET, i2, validators=True))
        # fixed keys: an include and an error page are subrequests or internal redirects, for which
        # $request_uri is still the page's
        + loc("= /_acil.html", _site("/_acil.html", store, CACHE_PAGE, i2))
        + loc("= /404.html", _site("/404.html", store, CACHE_PAGE, i2, ssi=True)).rstrip("\n") + "\n"
        + "}\n"
    )
