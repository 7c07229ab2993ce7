"""One finding of personal data: its kind, the matched text masked, where it is and a Turkish explanation."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# kind → (Turkish name, explanation). Open findings must be removed by a new revision or overridden to approve.
KINDS = {
    "tc_kimlik": ("T.C. kimlik numarası",
                  "Geçerli bir T.C. kimlik numarası (sağlama basamakları tutuyor). Kimlik numarası kişisel veridir "
                  "(6698 sayılı KVKK md. 3); yayımlanmamalıdır."),
    "iban": ("IBAN",
             "Geçerli bir IBAN (banka hesap numarası). Bir kişinin hesabıysa kişisel veridir; yalnızca belediyenin "
             "kendi hesabı yayımlanabilir."),
    "telefon": ("Telefon numarası",
                "Belediyenin yayımlanmış numaralarından biri olmayan bir telefon numarası; bir kişiye ait olabilir."),
    "eposta": ("E-posta adresi",
               "Belediyenin alan adlarından birinde olmayan bir e-posta adresi; kişisel bir adres olabilir."),
    "plaka": ("Araç plakası", "Bir araç plakası; aracın sahibini belirleyebilir."),
    "gps": ("Konum bilgisi (GPS)",
            "Fotoğrafta çekildiği yerin konumu (EXIF GPS) vardı; kayıtlı kopyadan ve yayımlanacak dosyadan silindi."),
    "seri_no": ("Cihaz seri numarası",
                "Fotoğrafta kamera ya da objektif seri numarası (EXIF) vardı; kayıtlı kopyadan ve yayımlanacak "
                "dosyadan silindi."),
    "taranamadi": ("Taranamayan ek",
                   "Ekin içeriği okunamadı ya da tamamı taranamadı; kişisel veri içerip içermediğini elle denetleyin."),
}
REMOVED_KINDS = frozenset({"gps", "seri_no"})  # stripped at intake: reported, nothing left to decide
# Not personal data found but a file the scan could not read (whole): the editor is told to look. It does not
# hold approval up: a scan that cannot read a file has found nothing to decide about (as with a PDF that is a
# scanned image without a text layer), and a department's damaged file must not block its announcement.
NOTE_KINDS = frozenset({"taranamadi"})


@dataclass(frozen=True)
class Finding:
    """Personal data found in one place of a revision; `masked` never holds the whole value."""

    kind: str
    masked: str
    place: str
    message_tr: str = ""

    @property
    def open(self) -> bool:
        """Personal data still in the revision: an approver must decide. GPS and serial numbers were removed
        at intake; an unreadable file is a note to check by hand."""
        return self.kind not in REMOVED_KINDS and self.kind not in NOTE_KINDS

    @property
    def status_tr(self) -> str:
        if self.kind in REMOVED_KINDS:
            return "kayıtta temizlendi"
        return "elle denetleyin" if self.kind in NOTE_KINDS else "açık"

    @property
    def label_tr(self) -> str:
        return KINDS[self.kind][0]

    def as_dict(self) -> dict:
        return {**asdict(self), "label_tr": self.label_tr, "open": self.open, "status_tr": self.status_tr}


def finding(kind: str, masked: str, place: str, detail: str = "") -> Finding:
    message = KINDS[kind][1] + (f" {detail}" if detail else "")
    return Finding(kind, masked, place, message)


def mask(value: str, keep_start: int, keep_end: int) -> str:
    """'12345678950' → '123******50': the start and end kept, every other character a star (spaces dropped)."""
    compact = "".join(value.split())
    if len(compact) <= keep_start + keep_end:
        return "*" * len(compact)
    return compact[:keep_start] + "*" * (len(compact) - keep_start - keep_end) + compact[len(compact) - keep_end:]


def mask_email(address: str) -> str:
    """'ayse.yilmaz@gmail.com' → 'a***@gmail.com'."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def open_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.open]


def findings_text(findings: list[Finding]) -> list[str]:
    """The receipt's lines about personal data (Turkish); the values only masked."""
    if not findings:
        return ["Kişisel veri taraması (KVKK): kişisel veri bulunmadı."]
    lines = [f"Kişisel veri taraması (KVKK): {len(findings)} bulgu."]
    for index, item in enumerate(findings, 1):
        lines.append(f"  {index}. {item.label_tr} — {item.place}: {item.masked}")
        lines.append(f"     {item.message_tr}")
    opened = open_findings(findings)
    if opened:
        lines.append("  Bu bilgileri metinden ve eklerden çıkarıp düzeltilmiş sürümü gönderin; açık bulgusu olan bir "
                     "içerik ancak onaylayanın yazılı gerekçesiyle onaylanabilir.")
    return lines
