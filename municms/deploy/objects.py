"""The HTTP headers a site file is stored with in object storage: the same Content-Type (with charset) and
Cache-Control as the generated nginx config sends for it from a local release, and Content-Language for text.

Content types follow Debian's /etc/nginx/mime.types (tests compare the two), with the config's own types for
.ics and .webmanifest; a file of another kind is application/octet-stream, as nginx's default_type.
"""

from __future__ import annotations

import posixpath

from ..nginx import CHARSET_TYPES, cache_control

# extension → type, as /etc/nginx/mime.types lists them (type, then its extensions)
_NGINX_MIME_TYPES = """
text/html html htm shtml
text/css css
text/xml xml
image/gif gif
image/jpeg jpeg jpg
application/javascript js
application/atom+xml atom
application/rss+xml rss
text/mathml mml
text/plain txt
text/vnd.sun.j2me.app-descriptor jad
text/vnd.wap.wml wml
text/x-component htc
image/avif avif
image/png png
image/svg+xml svg svgz
image/tiff tif tiff
image/vnd.wap.wbmp wbmp
image/webp webp
image/x-icon ico
image/x-jng jng
image/x-ms-bmp bmp
font/woff woff
font/woff2 woff2
application/java-archive jar war ear
application/json json
application/mac-binhex40 hqx
application/msword doc
application/pdf pdf
application/postscript ps eps ai
application/rtf rtf
application/vnd.apple.mpegurl m3u8
application/vnd.google-earth.kml+xml kml
application/vnd.google-earth.kmz kmz
application/vnd.ms-excel xls
application/vnd.ms-fontobject eot
application/vnd.ms-powerpoint ppt
application/vnd.oasis.opendocument.graphics odg
application/vnd.oasis.opendocument.presentation odp
application/vnd.oasis.opendocument.spreadsheet ods
application/vnd.oasis.opendocument.text odt
application/vnd.openxmlformats-officedocument.presentationml.presentation pptx
application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx
application/vnd.openxmlformats-officedocument.wordprocessingml.document docx
application/vnd.wap.wmlc wmlc
application/wasm wasm
application/x-7z-compressed 7z
application/x-cocoa cco
application/x-java-archive-diff jardiff
application/x-java-jnlp-file jnlp
application/x-makeself run
application/x-perl pl pm
application/x-pilot prc pdb
application/x-rar-compressed rar
application/x-redhat-package-manager rpm
application/x-sea sea
application/x-shockwave-flash swf
application/x-stuffit sit
application/x-tcl tcl tk
application/x-x509-ca-cert der pem crt
application/x-xpinstall xpi
application/xhtml+xml xhtml
application/xspf+xml xspf
application/zip zip
application/octet-stream bin exe dll deb dmg iso img msi msp msm
audio/midi mid midi kar
audio/mpeg mp3
audio/ogg ogg
audio/x-m4a m4a
audio/x-realaudio ra
video/3gpp 3gpp 3gp
video/mp2t ts
video/mp4 mp4
video/mpeg mpeg mpg
video/quicktime mov
video/webm webm
video/x-flv flv
video/x-m4v m4v
video/x-mng mng
video/x-ms-asf asx asf
video/x-ms-wmv wmv
video/x-msvideo avi
"""

MIME_TYPES = {ext: line.split()[0] for line in _NGINX_MIME_TYPES.strip().splitlines() for ext in line.split()[1:]}
# the generated config's own `types` for these (municms.nginx.server_block)
MIME_TYPES.update({"ics": "text/calendar", "webmanifest": "application/manifest+json"})
DEFAULT_TYPE = "application/octet-stream"
CONTENT_LANGUAGE = "tr"
_CHARSET_TYPES = {"text/html", *CHARSET_TYPES.split()}  # nginx's charset module always includes text/html


def media_type(rel: str) -> str:
    """The type nginx gives the file at rel (a path inside the site), without parameters."""
    ext = posixpath.splitext(rel)[1][1:].lower()
    return MIME_TYPES.get(ext, DEFAULT_TYPE)


def object_headers(rel: str) -> dict[str, str]:
    """boto3 arguments (ContentType, CacheControl, ContentLanguage) for the site file at rel."""
    kind = media_type(rel)
    headers = {"CacheControl": cache_control(rel)}
    if kind in _CHARSET_TYPES:
        headers.update(ContentType=f"{kind}; charset=utf-8", ContentLanguage=CONTENT_LANGUAGE)
    else:
        headers["ContentType"] = kind
    return headers
