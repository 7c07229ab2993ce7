"""The department's submission form: its fields per type (from submission_types), the Markdown file it
becomes for intake, and where each intake problem belongs on the form. Pure, no IO."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..attachments import name_problem
from ..config import SUBMISSION_TYPES
from ..errors import Problem
from ..item_checks import BODY
from ..sanitize import trusted_html
from ..submission_types import COMMON, DATE_FORMS_TR, EXTRA

TYPE_LABELS_TR = {
    "haber": "Haber", "duyuru": "Duyuru", "mukellef-duyurusu": "Mükellef duyurusu",
    "faaliyet-raporu": "Faaliyet raporu", "sayfa": "Kurumsal sayfa", "organizasyon": "Organizasyon değişikliği",
    "seminer": "Seminer", "e-hizmet": "e-Hizmet", "acil-duyuru": "Acil duyuru (site başlığı)",
    "mevzuat": "Mevzuat",
}
assert set(TYPE_LABELS_TR) == set(SUBMISSION_TYPES)

LABELS_TR = {
    "tur": "Tür", "baslik": "Başlık", "ozet": "Özet", "etiketler": "Etiketler", "yayin": "Yayın zamanı",
    "bitis": "Yayından kalkış", "son_basvuru": "Son başvuru", "yil": "Rapor yılı", "yer": "Yer",
    "sira": "Sıra", "yururluk": "Yürürlük tarihi", "degisiklikler": "Değişiklikler", "egitmen": "Eğitmen",
    "baslangic": "Başlangıç", "kontenjan": "Kontenjan", "hedef_kitle": "Hedef kitle",
    "kayit_son": "Son kayıt günü", "adres": "Adres", "grup": "Grup", "ekler": "Ekler", BODY: "Metin",
    "kayit_no": "Kayıt no", "birim": "Müdürlük", "fotograflar": "Fotoğraflar",
    "karar_tarihi": "Meclis karar tarihi", "karar_sayisi": "Meclis karar sayısı",
    "resmi_gazete_tarihi": "Resmî Gazete tarihi", "resmi_gazete_sayisi": "Resmî Gazete sayısı",
    "ilan_tarihi": "İlan tarihi",
}
_SEMINAR_LABELS = {"bitis": "Bitiş"}
_HINTS_TR = {
    "when": DATE_FORMS_TR, "date": "Biçim: YYYY-AA-GG (ör. 2026-12-31).",
    "words": "Virgülle ayırın (ör. ihale, altyapı).", "count": "Sıfırdan büyük bir tam sayı.",
    "order": "Sıfır ya da pozitif bir tam sayı.", "year": "Dört haneli yıl (ör. 2026).",
    "url": "http:// ya da https:// ile başlayan tam adres.",
    "place": "kurumsal (/kurumsal/<sayfa>/) ya da kok (/<sayfa>/).",
    "changes": "YAML listesi; her işlem '- islem: ata' gibi başlar (README: Submitting content).",
    "photos": "YAML listesi; her fotoğraf için '- dosya: foto.jpg' ve altında '  alt: \"Fotoğrafta görünen\"' "
              "(alt metin zorunlu). Fotoğraf dosyalarını ekler gibi yükleyin.",
}
# Kinds typed as YAML lists, indented under their key in the file (intake reports their errors by line).
_YAML_KINDS = ("changes", "photos")
# Keys the form does not show as text fields: the type is a select, the department is the user's own, the
# attachments are file inputs, the registration number belongs to the revision form.
_NOT_TEXT_FIELDS = ("tur", "birim", "ekler", "kayit_no")
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: str
    required: bool
    hint: str

    @property
    def id(self) -> str:
        return field_id(self.key)

    @property
    def multiline(self) -> bool:
        return self.kind in _YAML_KINDS or self.key == "ozet"


def field_id(key: str) -> str:
    return f"alan-{key}"


def form_fields(tur: str) -> list[FormField]:
    """The text fields of a type's form, in schema order (common keys first)."""
    schema = {**COMMON, **EXTRA.get(tur, {})}
    labels = {**LABELS_TR, **(_SEMINAR_LABELS if tur == "seminer" else {})}
    return [FormField(key, labels.get(key, key), spec.kind, spec.required, _HINTS_TR.get(spec.kind, ""))
            for key, spec in schema.items() if key not in _NOT_TEXT_FIELDS]


def attachments_required(tur: str) -> bool:
    spec = EXTRA.get(tur, {}).get("ekler")
    return bool(spec and spec.required)


def safe_upload_name(name: str) -> str | None:
    """The file name of an upload without any folder part; None for a name that cannot be a file of a bundle."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    if not base or base in (".", "..", "index.md") or base.startswith(".") or name_problem(base):
        return None
    return base


def submission_markdown(tur: str, values: dict[str, str], body: str, attachments: list[str],
                        kayit_no: str | None = None) -> str:
    """The Markdown file the form stands for, as a department would write it into its inbox.

    Values stay text exactly as typed (intake reads dates and numbers from text); the changes of an
    organisation change are the YAML the user wrote, indented under their key, so intake reports its errors."""
    head: dict[str, object] = {"tur": tur}
    blocks: dict[str, str] = {}
    for spec in form_fields(tur):
        value = (values.get(spec.key) or "").replace("\r\n", "\n").strip()
        if not value:
            continue
        if spec.kind in _YAML_KINDS:
            blocks[spec.key] = value
        else:
            head[spec.key] = value
    if attachments:
        head["ekler"] = list(attachments)
    if kayit_no:
        head["kayit_no"] = kayit_no
    text = yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=10_000)
    for key, block in blocks.items():
        text += f"{key}:\n" + "".join(f"  {line}\n" for line in block.split("\n"))
    return "---\n" + text + "---\n" + (body or "").replace("\r\n", "\n")


def problem_field(problem: Problem, tur: str) -> str | None:
    """The form field a problem of intake belongs to (its input's key), or None for the form as a whole."""
    key = (problem.field or "").split(".")[0]
    shown = {f.key for f in form_fields(tur)} | {"tur", "ekler", BODY}
    return key if key in shown else None


def preview_html(body: str) -> Markup:
    """The body rendered for the preview button: Markdown, then the one sanitiser (the only safe HTML)."""
    return trusted_html(_MARKDOWN.render(body or ""))


def typed_value(value) -> str:
    """A stored front-matter value as a department types it again (revision form)."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?", value):
        return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def revision_values(tur: str, front_matter: dict) -> dict[str, str]:
    """The form's values for a new revision, from the current revision's front matter."""
    values = {}
    for spec in form_fields(tur):
        value = front_matter.get(spec.key)
        if value in (None, "", []):
            continue
        values[spec.key] = (yaml.safe_dump(value, allow_unicode=True, sort_keys=False).strip()
                            if spec.kind in _YAML_KINDS else typed_value(value))
    return values
