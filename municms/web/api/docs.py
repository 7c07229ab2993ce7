"""The Turkish reference page of the API (/yonetim/api/), rendered on the server from the same OpenAPI
document the app serves at /yonetim/api/openapi.json: no third-party script, stylesheet or font."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from .errors import ApiRoute

VERSION = "1"


def make_router() -> APIRouter:
    """The reference page; its endpoint list is the app's OpenAPI document (screens are not part of it)."""
    router = APIRouter(route_class=ApiRoute, include_in_schema=False)

    @router.get("/api/", response_class=HTMLResponse)
    def docs_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        doc = get_openapi(title=request.app.title, version=VERSION, routes=request.app.routes)
        html = PAGE.render(root=root, operations=_operations(doc))
        return HTMLResponse(html, headers={"Content-Security-Policy": "default-src 'none'",
                                           "X-Content-Type-Options": "nosniff"})

    return router


def _operations(doc: dict) -> list[dict]:
    ops = []
    for path, methods in doc.get("paths", {}).items():
        for method, op in methods.items():
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "parameters": op.get("parameters", []),
                        "body": list(op.get("requestBody", {}).get("content", {})),
                        "responses": sorted(op.get("responses", {}).items())})
    return ops


PAGE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="tr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>JSON API başvuru belgesi — municms</title>
</head>
<body>
<header><p><a href="{{ root }}/">Yönetim paneli</a></p></header>
<main>
<h1>JSON API başvuru belgesi</h1>
<p>Diğer belediye sistemleri (EBYS, e-Belediye) bu API ile gönderi yapar, kayıtları okur ve iş akışı
işlemlerini yürütür. Aynı işlemler, aynı yetkiler ve aynı kayıt defteri kullanılır. Makinenin okuyacağı
OpenAPI belgesi: <a href="{{ root }}/api/openapi.json"><code>{{ root }}/api/openapi.json</code></a>.</p>

<h2>Kimlik doğrulama</h2>
<p>Her istek bir kişisel anahtar taşır: <code>Authorization: Bearer mct1.&lt;kullanıcı&gt;.&lt;gizli&gt;</code>.
Anahtarı kullanıcının kendisi ya da yönetici <code>publish.py users token KULLANICI</code> ile alır; bir kez
gösterilir, yalnız özeti saklanır, <code>--revoke</code> ile iptal edilir. Bir müdürlüğün sisteminin anahtarı o
müdürlüğün bir <code>birim</code> kullanıcısının anahtarıdır (yalnız kendi kayıtlarını görür); müdür ya da
yönetici anahtarı tüm müdürlükler adına gönderi yapabilir (<code>department</code> alanı ile). Anahtar yoksa ya
da geçersizse yanıt 401'dir; hatalı denemeler kayıt defterine yazılır ve art arda beş hata o kullanıcıyı 15
dakika durdurur.</p>

<h2>Hata nesnesi</h2>
<p>Her hata aynı biçimdedir; <code>problems</code> her sorunu alanı, istekteki yolu ve (gönderilerde) satırıyla
verir:</p>
<pre><code>{"error": {"code": "quarantined", "message": "Türkçe ileti", "message_en": "English message",
  "problems": [{"field": "kontenjan", "path": ["kontenjan"], "line": 8,
                "message": "'kontenjan' sıfırdan büyük olmalıdır (şu an -5).", "message_en": "…"}]}}</code></pre>
<p>Durum kodları: 400 kullanılamayan istek, 401 kimlik yok, 403 yetki yok, 404 kayıt yok ya da görme yetkiniz yok,
409 kaydın durumu işleme izin vermiyor, 412 kayıt siz okuduktan sonra değişti, 422 geçersiz istek ya da
karantinaya alınan gönderi, 428 <code>If-Match</code> eksik.</p>

<h2>Sürüm denetimi (ETag / If-Match)</h2>
<p><code>GET …/items/{number}</code> yanıtı <code>ETag</code> başlığını ve <code>etag</code> alanını taşır. Her iş
akışı işlemi <code>If-Match: &lt;etag&gt;</code> ister: başlık yoksa 428, kayıt bu arada değiştiyse 412 döner ve
hiçbir şey değişmez; sürüm, işlemle aynı veritabanı işlemi içinde denetlenir, bu yüzden bir güncelleme kaybolamaz.
Başarılı işlemin yanıtı yeni ETag değerini taşır.</p>

<h2>Sayfalama</h2>
<p><code>GET …/items</code> kayıt numarası sırasıyla en çok <code>limit</code> (1–100, varsayılan 50) kayıt ve
<code>next_cursor</code> döndürür; sonraki sayfa için <code>cursor</code> olarak geri gönderin. Son sayfada
<code>next_cursor</code> null'dır. Arada yeni kayıt gelse de her kayıt bir kez görünür.</p>

<h2>Bir müdürlük sisteminin gönderisi</h2>
<pre><code>curl -sS -X POST {{ root }}/api/v1/items \\
  -H "Authorization: Bearer $MUNICMS_TOKEN" -H "Content-Type: application/json" \\
  -d '{"tur": "duyuru", "baslik": "Su kesintisi", "body": "Yarın 09.00–12.00 arası su kesintisi olacaktır."}'

curl -sS -X POST {{ root }}/api/v1/items -H "Authorization: Bearer $MUNICMS_TOKEN" \\
  -F "dosya=@rapor/index.md" -F "ekler=@rapor/faaliyet.pdf"</code></pre>
<p>Yanıt 201: kayıt numarası ve alındı belgesinin metni; sorunlu gönderi kaydedilmez, karantinaya alınır ve
yanıt 422 olur (sorunlar <code>problems</code> içinde).</p>

<h2>Uç noktalar</h2>
{% for op in operations %}
<section>
<h3><code>{{ op.method }} {{ root }}{{ op.path }}</code></h3>
<p>{{ op.summary }}</p>
{% if op.parameters %}
<table>
<caption>Parametreler</caption>
<thead><tr><th scope="col">ad</th><th scope="col">yer</th><th scope="col">zorunlu</th><th scope="col">açıklama</th></tr></thead>
<tbody>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p["in"] }}</td><td>{{ "evet" if p.required else "hayır" }}</td><td>{{ p.description or "" }}</td></tr>
{% endfor %}</tbody>
</table>
{% endif %}
{% if op.body %}<p>Gövde: {% for kind in op.body %}<code>{{ kind }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
<p>Yanıtlar: {% for code, r in op.responses %}<strong>{{ code }}</strong> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
</section>
{% endfor %}
</main>
</body>
</html>
""")
