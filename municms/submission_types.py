"""The front-matter schema of every submission type (`tur`): which keys, which kinds, which cross-field rules."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo

import yaml

from .config import ID_PATTERN, SUBMISSION_TYPES
from .errors import Problem
from .orgchart import apply_changes, load_changes
from .sanitize import is_web_url
from .turkish import upper


@dataclass(frozen=True)
class Field:
    """One front-matter key: its kind (how the value is read) and whether it must be given."""

    kind: str  # text | id | when | date | count | year | order | place | words | url | files | ref | changes | photos
    required: bool = False


COMMON: dict[str, Field] = {
    "tur": Field("text", True), "baslik": Field("text", True), "birim": Field("id"), "ozet": Field("text"),
    "etiketler": Field("words"), "yayin": Field("when"), "bitis": Field("when"), "ekler": Field("files"),
    "kayit_no": Field("ref"),
}
EXTRA: dict[str, dict[str, Field]] = {
    "haber": {"fotograflar": Field("photos")}, "duyuru": {},
    "sayfa": {"yer": Field("place"), "sira": Field("order")},  # under /kurumsal/ (default) or at the root
    "mukellef-duyurusu": {"son_basvuru": Field("when", True)},
    "faaliyet-raporu": {"ekler": Field("files", True), "yil": Field("year")},
    "organizasyon": {"yururluk": Field("date", True), "degisiklikler": Field("changes", True)},
    "seminer": {"egitmen": Field("text", True), "yer": Field("text", True), "baslangic": Field("when", True),
                "bitis": Field("when", True), "kontenjan": Field("count", True), "hedef_kitle": Field("words"),
                "kayit_son": Field("when")},
    "e-hizmet": {"adres": Field("url", True), "grup": Field("text", True)},
    "acil-duyuru": {"bitis": Field("when", True)},
    # a regulation (yönetmelik, yönerge) as the Meclis adopted it; its "MADDE n" lines become anchored headings
    "mevzuat": {"karar_tarihi": Field("date", True), "karar_sayisi": Field("text", True),
                "yururluk": Field("date", True), "resmi_gazete_tarihi": Field("date"),
                "resmi_gazete_sayisi": Field("text"), "ilan_tarihi": Field("date")},
}
assert set(EXTRA) == set(SUBMISSION_TYPES)
ALL_KEYS = set(COMMON).union(*EXTRA.values())

PAGE_PLACES = ("kurumsal", "kok")
ORG_OPERATIONS = ("ata", "ayril", "birim-ekle", "birim-kaldir", "birim-tasi", "yeniden-adlandir")
_ORG_KEYS = {"ata": {"birim": True, "gorev": True, "kisi": True},
             "ayril": {"birim": True, "gorev": False, "kisi": False},
             "birim-ekle": {"birim": True, "ad": True, "ust": True, "tur": False},
             "birim-kaldir": {"birim": True},
             "birim-tasi": {"birim": True, "ust": True},
             "yeniden-adlandir": {"birim": True, "ad": True}}

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_TR = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MOMENT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_MOMENT_TR = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$")
DATE_FORMS_TR = "Biçim: YYYY-AA-GG (ör. 2026-12-31) ya da saatle YYYY-AA-GG SS:DD (ör. 2026-12-31 09:30)."


class Reader:
    """Reads the front matter of one submission against its type, collecting every problem."""

    def __init__(self, data: dict, lines: Callable[[tuple], int | None], raw: dict[tuple, str],
                 department: str, instance):
        self.data, self.line, self.raw = data, lines, raw
        self.department, self.instance, self.tz = department, instance, ZoneInfo(instance.municipality.timezone)
        self.problems: list[Problem] = []
        self.values: dict[str, object] = {}

    def problem(self, path: tuple, tr: str, en: str) -> None:
        self.problems.append(Problem(".".join(str(p) for p in path), tr, en, self.line(path)))

    def read(self) -> str | None:
        """Check every key; return the type if it is a known one."""
        tur = self.data.get("tur")
        tur = str(tur).strip() if tur is not None else None
        known = tur in EXTRA
        if tur is not None and not known:
            self.problem(("tur",), f"'tur: {tur}' bilinen bir gönderi türü değil. İzin verilen türler: "
                         f"{', '.join(SUBMISSION_TYPES)}.", f"unknown type '{tur}'")
        schema = {**COMMON, **EXTRA[tur]} if known else dict(COMMON)
        for key, value in self.data.items():
            if not isinstance(key, str) or (key not in schema and (known or key not in ALL_KEYS)):
                self._unknown(key, schema)
        for key, spec in schema.items():
            value = self.data.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if spec.required:
                    self.problem((key,), f"'{key}' alanı zorunludur" + (f" ('{tur}' türü için)" if key not in
                                 COMMON else "") + ".", f"'{key}' is required")
                continue
            if key == "tur":
                self.values[key] = tur
                continue
            converted = getattr(self, "_" + spec.kind)((key,), value)
            if converted is not None:
                self.values[key] = converted
        if known:
            self._common_rules()
            rule = _RULES.get(tur)
            if rule:
                rule(self)
        return tur if known else None

    def _unknown(self, key, schema) -> None:
        close = difflib.get_close_matches(str(key), list(schema), n=1)
        hint = f" '{close[0]}' mı demek istediniz?" if close else ""
        self.problem((key,), f"'{key}' alanı bu tür için tanınmıyor (yazım hatası olabilir).{hint}",
                     f"unknown key '{key}'")

    # --- kinds -------------------------------------------------------------------------------------------
    def _scalar_text(self, path, value) -> str | None:
        if isinstance(value, (dict, list)):
            self.problem(path, "Tek bir metin bekleniyordu.", "expected a single text value")
            return None
        return (value if isinstance(value, str) else self.raw.get(path, str(value))).strip()

    def _text(self, path, value):
        return self._scalar_text(path, value)

    def _id(self, path, value):
        text = self._scalar_text(path, value)
        if text is not None and not re.match(ID_PATTERN, text):
            self.problem(path, f"'{text}' geçerli bir birim kimliği değil (ör. fen-isleri).", "invalid id")
            return None
        return text

    def _words(self, path, value, separators: str = ",;"):
        """A list, or one text separated by commas (tags and audiences: semicolons too, as Pelican reads a
        Tags line either way; so the tags a page shows are exactly the ones registered)."""
        items = value if isinstance(value, list) else [str(value)]
        words = []
        for index, item in enumerate(items):
            text = self._scalar_text(path + (index,) if isinstance(value, list) else path, item)
            for part in re.split(f"[{re.escape(separators)}]", text or ""):
                if part.strip():
                    words.append(part.strip())
        return words

    def _files(self, path, value):
        return self._words(path, value, separators=",")

    def _count(self, path, value):
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str)
                                                                      and re.fullmatch(r"-?\d+", value.strip()))):
            self.problem(path, "Tam sayı bekleniyordu (ör. 40).", "expected an integer")
            return None
        number = int(value)
        if number <= 0:
            self.problem(path, f"'{path[-1]}' sıfırdan büyük olmalıdır (şu an {number}).", "must be positive")
            return None
        return number

    def _order(self, path, value):
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str)
                                                                      and re.fullmatch(r"\d+", value.strip()))) \
                or int(value) < 0:
            self.problem(path, "Sıra numarası sıfır ya da pozitif bir tam sayı olmalıdır (ör. 10).",
                         "expected a non-negative integer")
            return None
        return int(value)

    def _place(self, path, value):
        text = self._scalar_text(path, value)
        if text is not None and text not in PAGE_PLACES:
            self.problem(path, f"'{text}' geçersiz; sayfanın yeri {' ya da '.join(PAGE_PLACES)} olabilir "
                         "(kurumsal: /kurumsal/<sayfa>/, kok: /<sayfa>/).", "invalid page place")
            return None
        return text

    def _year(self, path, value):
        number = self._count(path, value)
        if number is not None and not 1900 <= number <= 2200:
            self.problem(path, f"'{number}' geçerli bir yıl değil.", "invalid year")
            return None
        return number

    def _url(self, path, value):
        text = self._scalar_text(path, value)
        if text is not None and not is_web_url(text):
            self.problem(path, f"'{text}' geçerli bir web adresi değil: http:// ya da https:// ile başlayan, "
                         "bir sunucu adı içeren tam bir adres olmalıdır; boşluk, tırnak, < > ve 'kullanıcı@' "
                         "olamaz (ör. https://www.turkiye.gov.tr/corum-belediyesi).",
                         "invalid URL: not an absolute http(s) URL")
            return None
        return text

    def _ref(self, path, value):
        text = upper(self._scalar_text(path, value) or "")
        prefix = self.instance.registration.prefix
        if not re.fullmatch(re.escape(prefix) + r"-\d{4}-\d{6}", text):
            self.problem(path, f"'{value}' geçerli bir kayıt numarası değil (ör. {prefix}-2026-000123).",
                         "invalid registration number")
            return None
        return text

    def _date(self, path, value):
        when = self._when(path, value)
        if isinstance(when, dt.datetime):
            self.problem(path, "Yalnızca tarih bekleniyordu (saat olmadan). " + DATE_FORMS_TR, "expected a date")
            return None
        return when

    def _when(self, path, value):
        """A date (all day) or an aware datetime in the instance's time zone."""
        text = self._scalar_text(path, value)
        if text is None:
            return None
        try:
            return parse_when(text, self.tz)
        except NotADate:
            self.problem(path, f"'{text}' bir tarih değil. " + DATE_FORMS_TR, "not a date")
        except ValueError:
            self.problem(path, f"'{text}' geçerli bir tarih değil (böyle bir gün ya da saat yok). " + DATE_FORMS_TR,
                         f"'{text}' is not a valid date")
        return None

    def _photos(self, path, value):
        """A list of photos, each `{dosya: foto.jpg, alt: "..."}`: the alt text (what the photo shows, read
        aloud to blind readers) is required; the files themselves are checked with the attachments."""
        if not isinstance(value, list) or not value:
            self.problem(path, "'fotograflar' bir liste olmalıdır; her fotoğraf için '- dosya: foto.jpg' ve altında "
                         "'alt: \"Fotoğrafta görünen\"' satırını yazın.", "expected a list of photos")
            return None
        photos = []
        for index, entry in enumerate(value):
            where = path + (index,)
            if not isinstance(entry, dict):
                name = self._scalar_text(where, entry) if not isinstance(entry, list) else None
                self.problem(where, f"'{name}' fotoğrafının alt metni yok. Her fotoğrafı '- dosya: {name}' ve altında "
                             "'alt: \"…\"' olarak yazın; alt metin, fotoğrafı göremeyen okurlara ne gösterdiğini "
                             "anlatır ve zorunludur.", "photo without alt text (not a mapping)")
                continue
            for key in entry:
                if key not in ("dosya", "alt"):
                    self.problem(where + (key,), f"'{key}' fotoğraf için tanınmıyor; yalnızca 'dosya' ve 'alt' "
                                 "yazılabilir.", f"unknown photo key '{key}'")
            name = self._scalar_text(where + ("dosya",), entry.get("dosya")) if entry.get("dosya") is not None else ""
            alt = self._scalar_text(where + ("alt",), entry.get("alt")) if entry.get("alt") is not None else ""
            if not name:
                self.problem(where + ("dosya",), "Fotoğrafın 'dosya' alanı zorunludur (klasördeki resmin adı).",
                                    "photo without file name")
            if not alt:
                self.problem(where + ("alt",), f"'{name or index + 1}' fotoğrafının alt metni ('alt') zorunludur: "
                                    "fotoğrafı göremeyen okurlara ne gösterdiğini anlatan kısa bir Türkçe cümle "
                                    "yazın (ör. \"Yeni parkın açılışında çocuklar salıncakta\").",
                                    "photo without alt text")
            elif len(alt) > 250:
                self.problem(where + ("alt",), f"'{name}' fotoğrafının alt metni çok uzun ({len(alt)} karakter); "
                                    "en çok 250 karakter olabilir.", "alt text too long")
            elif name and " ".join(alt.split()).lower() == name.lower():
                self.problem(where + ("alt",), f"'{name}' fotoğrafının alt metni dosya adı olamaz; fotoğrafta "
                                    "görüneni anlatın.", "alt text is the file name")
            if name and alt:
                photos.append({"dosya": name, "alt": " ".join(alt.split())})
        return photos

    def _changes(self, path, value):
        if not isinstance(value, list) or not value:
            self.problem(path, "En az bir değişiklik içeren bir liste bekleniyordu (ör. '- islem: ata').",
                         "expected a non-empty list of changes")
            return None
        return [dict(op) if isinstance(op, dict) else op for op in value]

    # --- rules -------------------------------------------------------------------------------------------
    def _common_rules(self) -> None:
        birim = self.values.get("birim")
        if birim and birim != self.department:
            self.problem(("birim",), f"'birim: {birim}' bu dosyanın bırakıldığı '{self.department}' klasörüyle "
                         "uyuşmuyor. Dosyayı kendi biriminizin klasörüne bırakın ya da 'birim' alanını düzeltin.",
                         f"birim '{birim}' does not match the inbox folder '{self.department}'")
        if self.department not in self.instance.departments:
            self.problem((), f"'{self.department}' içerik gönderebilen bir birim değil (instance.yaml departments).",
                         f"'{self.department}' is not a department")
        start, end = self.values.get("yayin"), self.values.get("bitis")
        if start and end and self.data.get("tur") != "seminer" and as_end(end, self.tz) <= as_start(start, self.tz):
            self.problem(("bitis",), "'bitis' (yayından kalkış) 'yayin' tarihinden sonra olmalıdır.",
                         "bitis must be after yayin")


class NotADate(ValueError):
    """Text in none of the date forms (a ValueError otherwise: a form, but no such day or time)."""


def parse_when(text: str, tz) -> dt.date | dt.datetime:
    """'2026-12-10', '10.12.2026' (a day) or with ' 10:00' (an aware datetime in tz), as submissions write
    them and the register stores them."""
    match = _MOMENT.match(text) or _MOMENT_TR.match(text)
    day = _DATE.match(text) or _DATE_TR.match(text)
    if not (match or day):
        raise NotADate(text)
    numbers = [int(p) if p else 0 for p in (match or day).groups()]
    if (match or day).re in (_DATE_TR, _MOMENT_TR):
        numbers[0], numbers[2] = numbers[2], numbers[0]
    return dt.date(*numbers[:3]) if day else dt.datetime(*numbers, tzinfo=tz)


def as_start(value, tz) -> dt.datetime:
    """A date means the start of that day."""
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(), tz)


def as_end(value, tz) -> dt.datetime:
    """A date means through that day (the next day at 00:00)."""
    return value if isinstance(value, dt.datetime) else as_start(value + dt.timedelta(days=1), tz)


def _seminer(r: Reader) -> None:
    start, end, until = r.values.get("baslangic"), r.values.get("bitis"), r.values.get("kayit_son")
    if start and end and as_end(end, r.tz) <= as_start(start, r.tz):
        r.problem(("bitis",), f"'bitis' ({r.data['bitis']}) 'baslangic' ({r.data['baslangic']}) zamanından önce "
                  "ya da ona eşit; seminer başladıktan sonra bitmelidir.", "bitis is not after baslangic")
    if start and until and as_start(until, r.tz) > as_start(start, r.tz):
        r.problem(("kayit_son",), "'kayit_son' (son kayıt günü) seminerin başlangıcından sonra olamaz.",
                  "kayit_son is after baslangic")


def _organizasyon(r: Reader) -> None:
    changes = r.values.get("degisiklikler")
    if not changes:
        return
    chart = chart_in_force(r.instance)
    for index, op in enumerate(changes):
        path = ("degisiklikler", index)
        if not isinstance(op, dict):
            r.problem(path, "Her değişiklik 'islem:' ile başlayan bir eşleme olmalıdır.", "change is not a mapping")
            continue
        kind = op.get("islem")
        if kind not in _ORG_KEYS:
            r.problem(path + ("islem",), f"'islem: {kind}' bilinmiyor. İzin verilenler: {', '.join(ORG_OPERATIONS)}.",
                      f"unknown operation '{kind}'")
            continue
        for key, required in _ORG_KEYS[kind].items():
            if required and not str(op.get(key) or "").strip():
                r.problem(path + (key,), f"'{kind}' işleminde '{key}' zorunludur.", f"'{key}' is required")
        for key in op:
            if key != "islem" and key not in _ORG_KEYS[kind]:
                r.problem(path + (key,), f"'{key}' '{kind}' işleminde tanınmıyor.", f"unknown key '{key}'")
        _apply_org_change(r, chart, kind, op, path)


def chart_in_force(instance) -> dict[str, str | None]:
    """unit → parent: instance.yaml's chart with every published change of data/organizasyon.yaml applied."""
    try:
        rows = load_changes(instance.root)
    except (OSError, yaml.YAMLError):
        rows = []
    units, _, _ = apply_changes(instance.org_chart, rows, dt.date.max)
    return {unit.id: unit.parent for unit in units}


def _apply_org_change(r: Reader, chart: dict, kind: str, op: dict, path: tuple) -> None:
    """Check one operation against the chart as changed by the operations before it, then apply it."""
    unit, parent = str(op.get("birim") or ""), op.get("ust")

    def missing(key: str, value: str) -> None:
        r.problem(path + (key,), f"'{value}' birimi organizasyon şemasında yok.", f"unit '{value}' does not exist")

    if not unit:
        return
    if kind == "birim-ekle":
        if unit in chart:
            r.problem(path + ("birim",), f"'{unit}' birimi zaten var.", f"unit '{unit}' already exists")
        elif not re.match(ID_PATTERN, unit):
            r.problem(path + ("birim",), f"'{unit}' geçerli bir birim kimliği değil (ör. akilli-sehir).", "bad id")
        elif parent and parent not in chart:
            missing("ust", parent)
        else:
            chart[unit] = parent
        return
    if unit not in chart:
        missing("birim", unit)
        return
    if kind == "birim-kaldir":
        children = [u for u, p in chart.items() if p == unit]
        if children:
            r.problem(path + ("birim",), f"'{unit}' kaldırılamaz: alt birimleri var ({', '.join(children)}).",
                      "unit has children")
        else:
            del chart[unit]
    elif kind == "birim-tasi" and parent:
        walk = parent
        while walk is not None and walk != unit:
            walk = chart.get(walk)
        if parent not in chart:
            missing("ust", parent)
        elif walk == unit:
            r.problem(path + ("ust",), f"'{unit}' kendi altına taşınamaz.", "move would create a cycle")
        else:
            chart[unit] = parent


_DECISION_NUMBER = re.compile(r"^\d{1,6}(/\d{1,6})?$")


def _mevzuat(r: Reader) -> None:
    number = r.values.get("karar_sayisi")
    if number is not None and not _DECISION_NUMBER.match(number):
        r.problem(("karar_sayisi",), f"'{number}' geçerli bir Meclis karar sayısı değil: yalnızca rakam ya da "
                  "yıl/sıra yazın (ör. 112 ya da 2024/112).", "invalid council decision number")
    adopted = r.values.get("karar_tarihi")
    for key, name in (("yururluk", "Yürürlük tarihi"), ("ilan_tarihi", "İlan tarihi"),
                      ("resmi_gazete_tarihi", "Resmî Gazete tarihi")):
        when = r.values.get(key)
        if adopted and when and when < adopted:
            r.problem((key,), f"{name} ({when.isoformat()}) Meclis karar tarihinden ({adopted.isoformat()}) "
                      "önce olamaz.", f"{key} is before karar_tarihi")
    if r.values.get("resmi_gazete_sayisi") and not r.values.get("resmi_gazete_tarihi"):
        r.problem(("resmi_gazete_tarihi",), "'resmi_gazete_sayisi' verildiğinde 'resmi_gazete_tarihi' de "
                  "yazılmalıdır.", "resmi_gazete_sayisi without resmi_gazete_tarihi")


_RULES: dict[str, Callable[[Reader], None]] = {
    # faaliyet-raporu's PDF: checked by content in submission.py
    "seminer": _seminer, "organizasyon": _organizasyon, "mevzuat": _mevzuat,
}
