"""Intake throughput: 1,000 generated submissions registered in one pass of a temporary instance.

    .venv/bin/python bench/intake.py [--files 1000]

Prints files per second and total seconds (target: 1,000 files in at most 5 s on 2 cores). The mix is
realistic: every type of DESIGN.md, Turkish text, a tenth of them bundles with a PDF and a photo.
"""

from __future__ import annotations

import argparse
import io
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from municms.actions.intake import intake_all  # noqa: E402
from municms.clock import SystemClock  # noqa: E402
from municms.config import load_instance  # noqa: E402
from municms.ledger import open_ledger  # noqa: E402
from municms.paths import InstancePaths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "tests" / "fixtures" / "samples" / "good" / "strateji-gelistirme" / "2025-faaliyet-raporu" / \
    "faaliyet-raporu-2025.pdf"
DEPARTMENTS = ["fen-isleri", "mali-hizmetler", "basin-yayin", "zabita", "bilgi-islem", "park-bahceler"]
PARAGRAPH = ("Çorum Belediyesi Fen İşleri Müdürlüğü tarafından yürütülen çalışmalar kapsamında Işıklı Çarşı "
             "ve çevresinde altyapı yenileme işleri sürüyor. Vatandaşlarımızın anlayışı için teşekkür ederiz.\n\n")
FRONT = {
    "haber": "etiketler: [altyapı, çarşı]\nyayin: 2026-12-01 09:00\n",
    "duyuru": "ozet: \"Kısa açıklama\"\nbitis: 2027-01-01\n",
    "mukellef-duyurusu": "son_basvuru: 2027-05-31\n",
    "sayfa": "",
    "seminer": ("egitmen: \"Ayşe Yılmaz\"\nyer: \"Konferans Salonu\"\nbaslangic: 2026-12-10 10:00\n"
                "bitis: 2026-12-10 12:30\nkontenjan: 40\nhedef_kitle: [personel]\nkayit_son: 2026-12-08\n"),
    "e-hizmet": "adres: https://e.corum.bel.tr/hizmet\ngrup: \"Vergi\"\n",
    "acil-duyuru": "bitis: 2027-01-20 18:00\n",
    "organizasyon": ("yururluk: 2026-12-01\ndegisiklikler:\n  - {islem: ata, birim: zabita, gorev: Müdür, "
                     "kisi: \"Ali Veli\"}\n"),
}


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def generate(inbox: Path, count: int, types: list[str] | None = None) -> None:
    """count submissions spread over departments and types (default: every type of FRONT); every tenth a bundle
    with a PDF and a photo."""
    image, pdf, types = photo(), PDF.read_bytes(), types or list(FRONT)
    for n in range(count):
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        tur = types[n % len(types)]
        text = f"---\ntur: {tur}\nbaslik: \"Işıklı Çarşı Duyurusu {n}\"\n{FRONT[tur]}"
        folder = inbox / department
        if n % 10 == 9:
            bundle = folder / f"paket-{n:04d}"
            bundle.mkdir(parents=True)
            (bundle / "rapor.pdf").write_bytes(pdf)
            (bundle / "foto.jpg").write_bytes(image)
            (bundle / "index.md").write_text(text + "ekler: [rapor.pdf, foto.jpg]\n---\n" + PARAGRAPH * 4,
                                             encoding="utf-8")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"gonderi-{n:04d}.md").write_text(text + "---\n" + PARAGRAPH * 4, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="municms-bench-intake-") as temp:
        root = Path(temp) / "instance"
        root.mkdir()
        shutil.copy2(REPO / "instance.yaml", root / "instance.yaml")
        instance = load_instance(root)
        paths = InstancePaths(root)
        generate(paths.inbox, args.files)
        ledger = open_ledger(paths.database)
        started, cpu_started = time.perf_counter(), time.process_time()
        results = intake_all(ledger, instance, paths, SystemClock(instance.tz))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        registered = sum(r.status == "registered" for r in results)
        if registered != args.files:
            raise SystemExit(f"only {registered} of {args.files} registered: "
                             f"{[r.problems for r in results if r.status != 'registered'][:3]}")
        numbers = [r.number for r in results]
        assert numbers[-1].endswith(f"{args.files:06d}"), numbers[-1]
        ledger.close()
    print(f"intake: {args.files} files registered in {seconds:.2f} s = {args.files / seconds:.0f} files/s "
          f"(CPU {cpu:.2f} s; target: 1000 files in at most 5 s)")


if __name__ == "__main__":
    main()
