"""JSON Schemas (draft 2020-12) of the API's documents, published at /api/v1/semalar/<kind>.json. Each property's
`description` is also what /acik-veri/ shows of it, and each schema's `examples` is the example shown there."""

from __future__ import annotations

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TEXT = {"type": "string"}
_URL = {"type": "string", "format": "uri"}
_MOMENT = {"type": "string", "format": "date-time"}
_DAY = {"type": "string", "format": "date"}


def _maybe(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _described(schema: dict, text: str) -> dict:
    return {**schema, "description": text}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, "additionalProperties": False}


SCHEMA_LINK = _described(_URL, "Bu belgenin JSON şemasının adresi.")

SECTION_HEAD = _object({
    "anahtar": _described(_TEXT, "Bölümün içerik türü (haber, duyuru, seminer …)."),
    "baslik": _described(_TEXT, "Bölümün adı."),
    "tarihli": _described({"type": "boolean"}, "Bölüm yıllara ayrılıyorsa true (haberler); ayrılmıyorsa false "
                                                "(e-hizmetler, mevzuat)."),
    "sayfa": _described(_URL, "Bölümün sitedeki sayfası."),
    "adres": _described(_URL, "Bölümün dizin belgesi."),
})

ENTRY = {
    "kayit_no": _described(_maybe(_TEXT), "Evrak kayıt numarası (ör. ÖRNEK-2026-000123)."),
    "baslik": _described(_TEXT, "Başlık."),
    "ozet": _described(_TEXT, "Kısa açıklama (düz metin)."),
    "yayin_tarihi": _described(_MOMENT, "Yayın zamanı, saat dilimi farkıyla (ISO 8601)."),
    "degisiklik_tarihi": _described(_maybe(_MOMENT), "Yayından sonraki son değişikliğin zamanı; yoksa null."),
    "durum": _described({"enum": ["yayinda", "suresi-doldu", "geri-cekildi"]},
                        "yayinda; suresi-doldu (yayın süresi bitti, kayıt için duruyor); geri-cekildi (yayından "
                        "kaldırıldı, gövdede yalnızca kamuya açık gerekçe var)."),
    "birim": _described(_maybe(_TEXT), "İçeriği hazırlayan müdürlüğün kimliği (ör. fen-isleri)."),
    "sayfa": _described(_URL, "İçeriğin sitedeki sayfası."),
    "adres": _described(_URL, "İçeriğin kendi belgesi."),
}
ENTRY_SCHEMA = _object(ENTRY)

# Examples use names no real item has (ÖRNEK-… numbers, ornek-… addresses): the embargo check looks for an
# embargoed item's number, title and address in every public file, schemas included.
_EXAMPLE_BASE = "https://www.ornek.bel.tr/"
_EXAMPLE_SECTION = {"anahtar": "duyuru", "baslik": "Duyurular", "tarihli": True,
                    "sayfa": _EXAMPLE_BASE + "duyurular/", "adres": _EXAMPLE_BASE + "api/v1/duyurular/index.json"}
_EXAMPLE_ENTRY = {
    "kayit_no": "ÖRNEK-2026-000123", "baslik": "Örnek İhale Sonucu Duyurusu",
    "ozet": "İhale sonucu ve itiraz süresi.", "yayin_tarihi": "2026-11-20T09:00:00+03:00",
    "degisiklik_tarihi": None, "durum": "yayinda", "birim": "fen-isleri",
    "sayfa": _EXAMPLE_BASE + "duyurular/2026/ornek-ihale-sonucu-duyurusu/",
    "adres": _EXAMPLE_BASE + "api/v1/duyurular/2026/ornek-ihale-sonucu-duyurusu.json",
}

_UNIT = _object({
    "kimlik": _described(_TEXT, "Birimin kimliği."),
    "ad": _described(_TEXT, "Birimin adı."),
    "tur": _described(_TEXT, "Birimin türü (baskanlik, kurul, baskan-yardimciligi, daire-baskanligi, mudurluk, "
                             "birim)."),
    "tur_adi": _described(_TEXT, "Türün Türkçe adı."),
    "ust": _described(_maybe(_TEXT), "Bağlı olduğu birimin kimliği; en üstteki için null."),
    "yonetici": _described(_maybe(_object({"ad": _TEXT, "unvan": _TEXT})), "Birimin yöneticisi ve unvanı."),
    "bos": _described({"type": "boolean"}, "Görev boşsa true."),
    "sayfa": _described(_maybe(_URL), "Birimin sitedeki sayfası."),
})
_EXAMPLE_UNIT = {"kimlik": "fen-isleri", "ad": "Fen İşleri Müdürlüğü", "tur": "mudurluk", "tur_adi": "Müdürlük",
                 "ust": "baskan-yardimcisi-1", "yonetici": {"ad": "Ahmet Yılmaz", "unvan": "Müdür"}, "bos": False,
                 "sayfa": _EXAMPLE_BASE + "birimler/fen-isleri/"}
_CHANGE = _object({
    "kayit_no": _maybe(_TEXT), "baslik": _TEXT, "yururluk": _DAY,
    "aciklamalar": {"type": "array", "items": _TEXT}, "adres": _maybe(_URL),
})


def _document(kind: str, title: str, description: str, properties: dict, example: dict,
              required: list[str] | None = None) -> dict:
    return {"$schema": DIALECT, "title": title, "description": description,
            **_object({"$schema": SCHEMA_LINK, **properties},
                      ["$schema", *(list(properties) if required is None else required)]),
            "examples": [{"$schema": f"{_EXAMPLE_BASE}api/v1/semalar/{kind}.json", **example}]}


_ATTACHMENT = _object({
    "ad": _described(_TEXT, "Dosya adı."), "adres": _described(_URL, "Dosyanın adresi."),
    "medya_turu": _described(_TEXT, "Dosyanın türü (ör. application/pdf)."),
    "boyut": _described({"type": "integer", "minimum": 0}, "Bayt cinsinden boyut."),
    "sha256": _described({"type": "string", "pattern": "^[0-9a-f]{64}$"}, "Dosyanın SHA-256 özeti (onaltılık)."),
})
_PHOTO = _object({
    "ad": _TEXT, "alt": _described(_TEXT, "Fotoğrafı görmeyenler için metin karşılığı."),
    "genislik": {"type": "integer"}, "yukseklik": {"type": "integer"},
    "boyutlar": {"type": "array", "items": _object({"genislik": {"type": "integer"}, "yukseklik": {"type": "integer"},
                                                    "webp": _URL, "jpeg": _URL})},
})
_ROOM = _object({"ad": _TEXT, "kapasite": {"type": "integer"}, "erisilebilir": {"type": "boolean"},
                 "erisim_notu": _TEXT})
_SEMINAR = _object({
    "baslangic": _maybe(_MOMENT), "bitis": _maybe(_MOMENT), "yer": _maybe(_TEXT), "salon": _maybe(_ROOM),
    "egitmen": _maybe(_TEXT), "hedef_kitle": {"type": "array", "items": _TEXT}, "kayit_son": _maybe(_DAY),
    "kontenjan": _maybe({"type": "integer"}),
    "kalan_yer": _described(_maybe({"type": "integer", "minimum": 0}), "Kalan yer (kontenjandan onaylı kayıtlar "
                                                                      "düşülmüş)."),
    "yedek_liste": {"type": "integer", "minimum": 0},
    "kayit_durumu": _described(_maybe(_TEXT), "Kaydın durumu (ör. acik, dolu, kapandi)."),
    "iptal_nedeni": _maybe(_TEXT), "onceki_tarih": _maybe(_MOMENT),
    "takvim": _described(_maybe(_URL), "Seminerin iCalendar (.ics) dosyası."),
})
_REGULATION = _object({
    "karar_tarihi": _maybe(_DAY), "karar_sayisi": _maybe(_TEXT), "yururluk": _maybe(_DAY),
    "resmi_gazete_tarihi": _maybe(_DAY), "resmi_gazete_sayisi": _maybe(_TEXT), "ilan_tarihi": _maybe(_DAY),
})
_ITEM_PROPERTIES = {
    **ENTRY,
    "bolum": _described(_object({"anahtar": _TEXT, "baslik": _TEXT, "adres": _URL}), "İçeriğin bölümü."),
    "birim_adi": _described(_maybe(_TEXT), "Müdürlüğün adı."),
    "gecmis_notu": _described(_maybe(_TEXT), "Güncelliğini yitirdiyse nedeni (ör. Son başvuru tarihi geçti, "
                                             "Gerçekleşti); güncelse null."),
    "etiketler": _described({"type": "array", "items": _object({"ad": _TEXT, "sayfa": _URL})}, "Konular."),
    "govde_html": _described(_TEXT, "Metin, sayfadakiyle aynı temizlenmiş HTML olarak."),
    "ekler": _described({"type": "array", "items": _ATTACHMENT}, "Ek dosyalar: boyut ve SHA-256 özetiyle."),
    "fotograflar": _described({"type": "array", "items": _PHOTO}, "Fotoğraflar: her biri birkaç boyutta, alt "
                                                                  "metniyle."),
    "son_basvuru": _described(_maybe(_DAY), "Mükellef duyurularında son başvuru günü."),
    "seminer": _described(_SEMINAR, "Seminerlerde: zaman, yer, eğitmen, kontenjan ve kalan yer."),
    "e_hizmet": _described(_object({"adres": _maybe(_URL), "grup": _maybe(_TEXT)}),
                           "e-Hizmetlerde: hizmetin adresi ve grubu."),
    "mevzuat": _described(_REGULATION, "Mevzuatta: karar ve yayım bilgileri."),
}

SCHEMAS = {
    "dizin": _document(
        "dizin", "API dizini", "Açık verinin giriş noktası: yayıncı, lisans, bölümler, organizasyon ve şemalar.",
        {"yayinci": _described(_object({"ad": _TEXT, "site": _URL, "e_posta": _TEXT}),
                               "Veriyi yayımlayan kurum ve veriyle ilgili sorular için e-posta adresi."),
         "lisans": _described(_object({"ad": _TEXT, "adres": _URL}), "Verinin yayımlandığı açık lisans."),
         "surum": _described({"const": "v1"}, "API sürümü."),
         "guncelleme": _described(_maybe(_MOMENT), "Dizindeki en yeni içeriğin yayın ya da değişiklik zamanı."),
         "belgeler": _described(_URL, "Bu API'yi anlatan sayfa (/acik-veri/)."),
         "bolumler": _described({"type": "array", "items": SECTION_HEAD}, "Bölümler ve dizin belgeleri."),
         "organizasyon": _described(_URL, "Organizasyon şemasının belgesi."),
         "semalar": _described({"type": "object", "additionalProperties": _URL}, "Belge türü → JSON şeması.")},
        {"yayinci": {"ad": "Örnek Belediyesi", "site": _EXAMPLE_BASE, "e_posta": "acikveri@ornek.bel.tr"},
         "lisans": {"ad": "Creative Commons Atıf 4.0 Uluslararası (CC BY 4.0)",
                    "adres": "https://creativecommons.org/licenses/by/4.0/deed.tr"},
         "surum": "v1", "guncelleme": "2026-11-20T09:00:00+03:00", "belgeler": _EXAMPLE_BASE + "acik-veri/",
         "bolumler": [_EXAMPLE_SECTION], "organizasyon": _EXAMPLE_BASE + "api/v1/organizasyon/index.json",
         "semalar": {"oge": _EXAMPLE_BASE + "api/v1/semalar/oge.json"}}),
    "bolum": _document(
        "bolum", "Bölüm dizini", "Bir bölümün yılları ve her yılın içerik sayısı (tarihli bölümler) ya da bütün "
                                 "içerikleri (tarihsiz bölümler: e-hizmetler, mevzuat).",
        {"bolum": SECTION_HEAD,
         "yillar": _described({"type": "array", "items": _object({"yil": {"type": "integer"},
                                                                  "adet": {"type": "integer", "minimum": 1},
                                                                  "adres": _URL})},
                              "Tarihli bölümlerde yıllar, en yenisi önce; her yılın belgesi."),
         "ogeler": _described({"type": "array", "items": ENTRY_SCHEMA}, "Tarihsiz bölümlerde bütün içerikler, "
                                                                        "alfabetik.")},
        {"bolum": _EXAMPLE_SECTION,
         "yillar": [{"yil": 2026, "adet": 42, "adres": _EXAMPLE_BASE + "api/v1/duyurular/2026.json"}]},
        required=["bolum"]),
    "yil": _document(
        "yil", "Bölümün bir yılı", "Bir bölümün bir yılda yayımlanan içerikleri, en yenisi önce; süresi dolan ya "
                                   "da geri çekilenler durumlarıyla birlikte.",
        {"bolum": SECTION_HEAD, "yil": {"type": "integer"},
         "ogeler": _described({"type": "array", "items": ENTRY_SCHEMA}, "İçerikler, en yenisi önce.")},
        {"bolum": _EXAMPLE_SECTION, "yil": 2026, "ogeler": [_EXAMPLE_ENTRY]}),
    "oge": _document(
        "oge", "İçerik", "Tek bir içerik: üst bilgileri, metni, ekleri ve türüne özgü bilgileri.",
        _ITEM_PROPERTIES,
        {**_EXAMPLE_ENTRY,
         "bolum": {"anahtar": "duyuru", "baslik": "Duyurular", "adres": _EXAMPLE_BASE + "api/v1/duyurular/index.json"},
         "birim_adi": "Fen İşleri Müdürlüğü", "gecmis_notu": None,
         "etiketler": [{"ad": "İhale", "sayfa": _EXAMPLE_BASE + "etiket/ihale/"}],
         "govde_html": "<p>İhale 18 Kasım'da yapıldı.</p>",
         "ekler": [{"ad": "sonuc.pdf", "adres": _EXAMPLE_BASE + "duyurular/2026/ornek-ihale-sonucu-duyurusu/sonuc.pdf",
                    "medya_turu": "application/pdf", "boyut": 48213,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],
         "fotograflar": []},
        required=[*ENTRY, "bolum", "birim_adi", "gecmis_notu", "etiketler", "govde_html", "ekler", "fotograflar"]),
    "organizasyon": _document(
        "organizasyon", "Organizasyon şeması", "Bugün yürürlükteki şema, değişiklik geçmişi (en yenisi önce) ve "
                                               "duyurulmuş ama henüz yürürlüğe girmemiş değişiklikler.",
        {"sayfa": _described(_URL, "Şemanın sitedeki sayfası."),
         "birimler": _described({"type": "array", "items": _UNIT}, "Yürürlükteki birimler, sayfadaki sırayla."),
         "degisiklikler": _described({"type": "array", "items": _CHANGE},
                                     "Yürürlüğe girmiş değişiklikler; her birinin adresi o günkü şemadır."),
         "yaklasan_degisiklikler": _described({"type": "array", "items": _CHANGE},
                                              "Duyurulmuş, henüz yürürlüğe girmemiş değişiklikler.")},
        {"sayfa": _EXAMPLE_BASE + "kurumsal/organizasyon-semasi/", "birimler": [_EXAMPLE_UNIT],
         "degisiklikler": [{"kayit_no": "ÖRNEK-2026-000045", "baslik": "Örnek Müdürlüğüne atama",
                            "yururluk": "2026-03-01", "aciklamalar": ["Fen İşleri Müdürlüğü: Ahmet Yılmaz müdür "
                                                                      "olarak atandı."],
                            "adres": _EXAMPLE_BASE + "api/v1/organizasyon/2026-03-01.json"}],
         "yaklasan_degisiklikler": []}),
    "organizasyon-tarihi": _document(
        "organizasyon-tarihi", "Bir tarihteki organizasyon şeması",
        "O gün yürürlüğe giren değişikliklerden sonra şemanın durumu.",
        {"tarih": _described(_DAY, "Değişikliklerin yürürlüğe girdiği gün."),
         "birimler": _described({"type": "array", "items": _UNIT}, "O günkü birimler.")},
        {"tarih": "2026-03-01", "birimler": [_EXAMPLE_UNIT]}),
}


def published_schema(kind: str, url: str) -> dict:
    """A schema as published: with its own address as `$id`."""
    schema = SCHEMAS[kind]
    return {"$schema": schema["$schema"], "$id": url, **{k: v for k, v in schema.items() if k != "$schema"}}
