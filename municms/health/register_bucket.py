"""`doctor` with the registered originals in a bucket: objects no ledger revision names (left by a registration
that uploaded and never committed; the next registration given their number deletes them)."""

from __future__ import annotations

from .startup import NOTE, Finding

SHOWN = 10  # keys named in the message; the rest are counted


def check_register_bucket(instance, paths) -> list[Finding]:
    """A note listing unreferenced objects under <prefix>/registered/; nothing when the originals are on disk."""
    from ..db import ledger_target
    from ..ledger import open_ledger
    from ..register_store import S3Store, register_store

    store = register_store(instance, paths)
    if not isinstance(store, S3Store):
        return []
    ledger = open_ledger(ledger_target(instance, paths))
    try:
        referenced = ledger.stored_dirs()
    finally:
        ledger.close()
    keys = store.unreferenced(referenced)
    if not keys:
        return []
    listed = ", ".join(keys[:SHOWN]) + (f" ve {len(keys) - SHOWN} nesne daha" if len(keys) > SHOWN else "")
    return [Finding("register-bucket-leftovers", NOTE,
                    f"Kovada hiçbir kaydın göstermediği {len(keys)} nesne var (yüklenip kaydı tamamlanmamış bir "
                    f"alımdan kalmış; o numarayı alan sonraki kayıt bunları siler, şu an bir alım sürüyorsa onun "
                    f"dosyaları da olabilir): {listed}.",
                    f"{len(keys)} objects under {store.base} that no revision names: {keys[:SHOWN]}")]
