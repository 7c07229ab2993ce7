"""Generate a Turkish corpus of N articles (~590 words each) in a copy of the demo instance."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("belediye meclis çarşı işıklı ihale altyapı yol kaldırım su kanalizasyon park bahçe çocuk "
         "öğrenci vergi emlak taksit ödeme vezne mahalle sokak cadde hizmet vatandaş başvuru ruhsat imar "
         "plan proje yapım onarım temizlik çevre ağaç fidan kültür sanat festival konser sergi kütüphane "
         "gençlik spor saha tesis ulaşım otobüs durak trafik zabıta denetim pazar esnaf ölçü gıda güvenlik "
         "itfaiye eğitim seminer kurs bilgisayar e-devlet şifre güvenli kişisel veri koruma başkan").split()
TYPES = [("haber", "haberler"), ("duyuru", "duyurular"), ("mukellef-duyurusu", "mukellef-duyurulari")]
# the benchmarks publish on 25 November 2026: a published item is dated before that (a later date would be an
# item published ahead of time, which the pipeline never does)
LATEST = (2026, 11, 25)
DEPARTMENTS = ["fen-isleri", "imar-sehircilik", "mali-hizmetler", "zabita", "basin-yayin", "park-bahceler"]


def make_instance(target: Path, articles: int, seed: int = 7) -> Path:
    """A copy of the demo instance whose content is `articles` generated items."""
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".git", ".venv", "var", "node_modules",
                                                               "tests", "content", "__pycache__", "bench"))
    rng = random.Random(seed)
    (target / "content" / "sayfalar").mkdir(parents=True)
    for page in (REPO / "content" / "sayfalar").glob("*.md"):
        shutil.copy2(page, target / "content" / "sayfalar" / page.name)
    # the corporate pages link to e-services; the post-build link check needs them present
    shutil.copytree(REPO / "content" / "e-hizmetler", target / "content" / "e-hizmetler")
    for n in range(articles):
        tur, section = TYPES[n % len(TYPES)]
        # every section gets every year and month (n % 9 alone gave each section three years of nine)
        i = n // len(TYPES)
        year = 2018 + i % 9
        month, day = 1 + (i // 9) % 12, 1 + (i * 7) % 28
        if (year, month, day) >= LATEST:  # nothing dated after the moment the benchmarks publish at
            year -= 1
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {n}"
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(118)).capitalize() + "." for _ in range(5))
        tags = ", ".join(rng.sample(WORDS, 3))
        folder = target / "content" / section / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        extra = f"Son_basvuru: {year}-12-31\n" if tur == "mukellef-duyurusu" else ""
        (folder / f"madde-{n}.md").write_text(
            f"Title: {title}\nDate: {year}-{month:02d}-{day:02d} 10:00\nTur: {tur}\n"
            f"Category: {section}\nBirim: {rng.choice(DEPARTMENTS)}\nTags: {tags}\n"
            f"Summary: {title}.\n{extra}\n## Ayrıntılar\n\n{body}\n", encoding="utf-8")
    return target
