"""Start-up checks: a broken ledger, a missing or half-written release, leftover locks and claims.

Each finding says what happened and exactly what to do, in Turkish. Errors stop the command (going on would
harm the record: a corrupt or lost ledger); warnings and notes are printed and the command goes on. The
checks never change a file: what an interrupted run left is finished by the next run, as before.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..backup import newest_backup
from ..db import database_url
from ..errors import MunicmsError
from .database import database_problem, has_history

ERROR, WARNING, NOTE = "hata", "uyarı", "not"


@dataclass(frozen=True)
class Finding:
    code: str
    level: str  # hata | uyarı | not
    message_tr: str
    message_en: str

    def as_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        return f"{self.level.upper()}: {self.message_tr}"


class StartupError(MunicmsError):
    """A start-up check found something that makes going on harmful (a corrupt or lost ledger)."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f.message_tr for f in findings), "; ".join(f.message_en for f in findings))
        self.findings = findings


def _restore_advice(instance, paths) -> str:
    backup = newest_backup(instance, paths)
    keep = (f"Bozuk dosyayı silmeyin ve üzerine yazmayın; incelemek için saklayın ({paths.database}).")
    if backup is None:
        return (f"Yedek bulunamadı ({paths.var / 'backups'}). {keep} Dosyanın bir kopyasını alın "
                f"(cp {paths.database} {paths.database}.bozuk) ve sistem yöneticisine başvurun; SQLite ile "
                f"kurtarma denemesi: sqlite3 {paths.database}.bozuk .recover > kurtarma.sql")
    return (f"En yeni yedek: {backup}. Yapılacak: bu yedeği yeni bir klasöre geri yükleyin: "
            f"publish.py restore {backup} --into YENİ_KLASÖR , sonra 'publish.py --instance YENİ_KLASÖR doctor' "
            f"ile denetleyip o klasörle çalışın. {keep}")


def check_database(instance, paths, full: bool = True) -> list[Finding]:
    """The ledger: missing while the instance has history, empty, not SQLite, truncated or failing the check."""
    if database_url(instance):
        return []  # the ledger is a PostgreSQL database: its server keeps it whole (and backs it up)
    db = paths.database
    if not db.exists() or db.stat().st_size == 0:
        if not has_history(paths):
            return [] if db.exists() else [Finding("db-new", NOTE, "Kayıt veritabanı henüz yok; yeni bir kurulum "
                                                   "olarak ilk komutta oluşturulacak.", "no ledger yet (new instance)")]
        what = "boş (0 bayt)" if db.exists() else "yok"
        return [Finding("db-lost", ERROR,
                        f"Kayıt veritabanı {what}: {db}; oysa bu kurulumda kayıtlı gönderiler ya da yayınlar var. "
                        "Boş bir veritabanıyla devam edilirse kayıt numaraları baştan başlar; bu yüzden durduruldu. "
                        + _restore_advice(instance, paths), f"ledger {db} is {'empty' if db.exists() else 'missing'} "
                        "but the instance has registered submissions or releases")]
    problem = database_problem(db, full=full)
    if problem is None:
        return []
    return [Finding("db-corrupt", ERROR,
                    f"Kayıt veritabanı bozuk: {db} ({problem}). Hiçbir şey değiştirilmedi ve işlem başlatılmadı. "
                    + _restore_advice(instance, paths), f"ledger {db} is corrupt: {problem}")]


def _complete_ids(paths) -> list[str]:
    root = paths.releases
    return sorted(p.stem for p in root.glob("*.json") if (root / p.stem).is_dir()) if root.is_dir() else []


def _release_problem(folder: Path) -> str | None:
    """What makes a release folder incomplete: no surum.json or links to shards that are gone."""
    from ..deploy.shards import IDENTITY_FILE

    if not (folder / IDENTITY_FILE).is_file():
        return f"{IDENTITY_FILE} yok"
    broken = sorted(p.name for p in folder.iterdir() if p.is_symlink() and not p.exists())
    if broken:
        return f"{len(broken)} parça (shard) eksik: {', '.join(broken[:5])}"
    return None


def check_releases(instance, paths) -> list[Finding]:
    """var/current against var/releases/ (local target only: an rsync target keeps its releases remotely)."""
    if instance.deploy.target != "local":
        return []
    current, complete = paths.current, _complete_ids(paths)
    findings = []
    switch = "publish.py rollback --to {rid} --system"
    if current.exists() and not current.is_symlink():
        return [Finding("current-not-link", WARNING, f"{current} bir klasör; yayın bağlantısı (symlink) olmalı. "
                        "Sonraki yayın bu yüzden yapılamaz. Yapılacak: klasörü başka bir yere taşıyın (silmeyin), "
                        "sonra " + (switch.format(rid=complete[-1]) if complete else "publish.py publish --system")
                        + " çalıştırın.", f"{current} is not a symlink")]
    if not current.is_symlink():
        if not complete:
            return [Finding("never-published", NOTE, "Henüz yayın yapılmamış (yeni kurulum): var/current yok. İlk "
                            "'publish.py publish' siteyi oluşturup yayına alır.", "no release yet")]
        return [Finding("current-missing", WARNING,
                        f"Yayındaki sürüm bağlantısı yok ({current}), ama tamamlanmış yayınlar var; en yenisi "
                        f"{complete[-1]}. Yapılacak: {switch.format(rid=complete[-1])} (ya da sonraki "
                        "'publish.py publish' yeni bir sürümü yayına alır).",
                        f"var/current missing; newest complete release {complete[-1]}")]
    rid = Path(os.readlink(current)).name
    folder = paths.releases / rid
    others = [r for r in complete if r != rid]
    fallback = (f"Yapılacak: {switch.format(rid=others[-1])} (en yeni tamamlanmış sürüm)" if others
                else "Yapılacak: 'publish.py publish --system' ile yeniden yayımlayın")
    if not folder.is_dir():
        return [Finding("current-dangling", WARNING, f"var/current olmayan bir sürümü gösteriyor ({rid}); site "
                        f"sunulamıyor. {fallback}.", f"var/current points at missing release {rid}")]
    problem = _release_problem(folder)
    if problem:
        findings.append(Finding("current-incomplete", WARNING, f"Yayındaki sürüm {rid} yarım: {problem}. Site eksik "
                                f"sunuluyor. {fallback}.", f"current release {rid} is incomplete: {problem}"))
    elif rid not in complete:
        findings.append(Finding("current-unrecorded", NOTE, f"Yayındaki sürüm {rid} tam, ama kaydı ({rid}.json) "
                                "yazılmadan önce yayın kesilmiş; sonraki yayın ya da geri alma kaydı tamamlar.",
                                f"current release {rid} has no metadata yet"))
    leftovers = [p.name for p in (*paths.releases.glob("*.tmp"), *(paths.var / "shards").glob("*.tmp"))]
    leftovers += [p.name for p in paths.releases.iterdir() if p.is_dir() and p.name != rid and p.suffix != ".tmp"
                  and p.name not in complete] if paths.releases.is_dir() else []
    if leftovers:
        findings.append(Finding("release-leftovers", NOTE, f"Kesilmiş bir yayından kalan {len(leftovers)} yarım "
                                f"klasör var ({', '.join(sorted(leftovers)[:3])}); yayında değiller. Sonraki yayın "
                                "bunları kendiliğinden siler.", f"unfinished release folders: {leftovers}"))
    return findings


def check_locks(instance, paths, now: dt.datetime | None = None) -> list[Finding]:
    from ..processes import pid_alive
    from .locks import deploy_lock_holder, expired_edit_locks, intake_claims, materialise_leftovers

    findings = []
    held, recorded = deploy_lock_holder(paths)
    pid = int(recorded.split()[0]) if recorded[:1].isdigit() else None
    who = f" (işlem {recorded})" if recorded else ""
    if held:
        findings.append(Finding("deploy-running", NOTE, f"Şu anda bir yayın ya da geri alma sürüyor{who}; "
                                "başka bir yayın onun bitmesini bekler.", f"deploy lock held by {recorded or '?'}"))
    elif pid is not None and not pid_alive(pid):
        findings.append(Finding("deploy-lock-stale", NOTE, f"var/deploy.lock, sonlanmış bir işlemden kalmış{who}. "
                                "Kilidi çekirdek bıraktı; bir şey yapmanız gerekmez: sonraki yayın önce yarım "
                                "kalanları temizler.", f"deploy lock left by ended process {recorded}"))
    leftovers = materialise_leftovers(paths)
    if leftovers and not held:
        findings.append(Finding("materialise-leftovers", NOTE, f"Kesilmiş bir içerik yazımından {leftovers} geçici "
                                "dosya kalmış (var/materialise/, content/.#*). Sonraki yayın içeriği kayıt "
                                "veritabanından yeniden yazar ve bunları siler.", f"{leftovers} materialise leftovers"))
    live, dead = intake_claims(paths)
    if dead:
        findings.append(Finding("intake-claims-stale", NOTE, f"Sonlanmış bir alım işleminin yarım bıraktığı {dead} "
                                "gönderi var (submissions/processing/). Sonraki 'publish.py intake' (ya da serve'deki "
                                "izleyici) bunları tamamlar: kaydedilmiş olanın makbuzunu yazar, kaydedilmemiş olanı "
                                "gelen kutusuna geri koyar.", f"{dead} claims of ended intake sessions"))
    if live:
        findings.append(Finding("intake-running", NOTE, f"Şu anda çalışan bir alım işlemi {live} gönderiyi "
                                "işliyor.", f"{live} claims of live intake sessions"))
    if not database_url(instance) and paths.database.is_file() and paths.database.stat().st_size:
        expired = expired_edit_locks(paths, now or dt.datetime.now(instance.tz))
        if expired:
            named = ", ".join(f"{number} {login}" for number, login in expired[:5])
            findings.append(Finding("edit-locks-expired", NOTE, f"Süresi dolmuş {len(expired)} düzenleme kilidi var "
                                    f"({named}); kimseyi engellemez, içeriği ilk düzenleyen devralır.",
                                    f"{len(expired)} expired edit locks"))
    return findings


LOW_SPACE = 32 << 20


def check_space(instance, paths) -> list[Finding]:
    """Little free space where var/ lives: intake and publish would stop with 'Diskte yer kalmadı'."""
    folder = paths.var if paths.var.is_dir() else paths.root
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    if free >= LOW_SPACE:
        return []
    return [Finding("disk-low", WARNING, f"Diskte çok az yer kaldı: {folder} için {free // 1024} KB boş. Gönderi "
                    "alımı ve yayın, yer açılana dek 'Diskte yer kalmadı' hatasıyla durur (yarım iş bırakmadan). "
                    "Yapılacak: yer açın (eski derlemeler var/build/, günlükler var/logs/; 'df -h' ile bakın).",
                    f"only {free} bytes free for {folder}")]


def check_instance(instance, paths, full: bool = True, now: dt.datetime | None = None) -> list[Finding]:
    """Every start-up check; database first (when it is broken, the rest is not read from it)."""
    findings = check_space(instance, paths) + check_database(instance, paths, full=full)
    findings += check_releases(instance, paths)
    findings += check_locks(instance, paths, now) if not any(f.level == ERROR for f in findings) else []
    return findings


def guard(instance, paths, full: bool = False, report=sys.stderr, quiet: bool = True) -> list[Finding]:
    """Raise StartupError when going on would harm the record; print warnings (and notes unless quiet).

    full=False (before every command that opens the ledger): the ledger only, with quick_check (and the free
    space); serve and `doctor` run everything."""
    findings = check_instance(instance, paths, full=True) if full else (
        check_space(instance, paths) + check_database(instance, paths, full=False))
    errors = [f for f in findings if f.level == ERROR]
    if errors:
        raise StartupError(errors)
    for finding in findings:
        if finding.level == WARNING or not quiet:
            print(finding.text(), file=report)
    return findings
