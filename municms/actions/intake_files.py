"""File helpers of intake: which names to ignore, atomic writes, read-only folders, receipt and report texts."""

from __future__ import annotations

import fnmatch
import functools
import os
import shutil
import stat
import time
from pathlib import Path

from ..errors import Problem
from ..kvkk import findings_text
from ..private import is_private, private_dir
from ..model import Item, Revision, state_label
from ..turkish import format_moment as _format_moment


@functools.lru_cache(maxsize=256)
def _moment(minute) -> str:
    return _format_moment(minute)


def format_moment(value) -> str:
    """Babel formatting is slow; receipts show minutes, so one formatting per minute is enough."""
    return _moment(value.replace(second=0, microsecond=0))

# Editors' lock and temporary files, partial downloads and hidden files are never submissions.
IGNORED = ("~$*", "*.part", "*.swp", "*.swx", ".~lock*", ".*", "*~", "*.tmp", "*.crdownload")


def is_ignored(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED)


def still_being_written(entry: Path, quiet: float, now: float | None = None) -> bool:
    """True if the entry (a file, a bundle folder or anything in it) changed within the last `quiet` seconds:
    someone is still writing it."""
    now = time.time() if now is None else now
    try:
        info = os.lstat(entry)
        if abs(now - info.st_mtime) < quiet:
            return True
        if not stat.S_ISDIR(info.st_mode):
            return False
        for folder, dirs, files in os.walk(entry):
            for name in dirs + files:
                if abs(now - os.lstat(os.path.join(folder, name)).st_mtime) < quiet:
                    return True
    except FileNotFoundError:  # moved away while we looked: whoever moved it is still at work
        return True
    return False


def make_read_only(root: Path) -> None:
    """The registered copy is evidence and confidential: its owner may read it, nobody may write it."""
    for folder, dirs, files in os.walk(root, topdown=False):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o400)
        os.chmod(folder, 0o500)


def protect_register(registered: Path) -> None:
    """Earlier versions left the register readable by everyone: make it owner-only once (its top folder last,
    so an interrupted pass is finished by the next). Folders being staged (`.staging-…`) are left alone."""
    if not registered.is_dir() or is_private(registered):
        return
    for year in sorted(p for p in registered.iterdir() if p.is_dir() and not p.is_symlink()):
        for folder in year.iterdir():
            if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith("."):
                make_read_only(folder)
        private_dir(year)
    private_dir(registered)


def remove_tree(path: Path) -> None:
    """Delete a file or folder, read-only or not; a missing path is fine."""
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink():
        def make_writable(func, target, _exc):
            os.chmod(os.path.dirname(target), stat.S_IRWXU)
            if os.path.isdir(target):
                os.chmod(target, stat.S_IRWXU)
            func(target)
        for folder, _dirs, _files in os.walk(path):
            os.chmod(folder, stat.S_IRWXU)
        shutil.rmtree(path, onerror=make_writable)
    else:
        path.unlink(missing_ok=True)


def unique_target(folder: Path, name: str) -> Path:
    """folder/name, or folder/stem-2.ext … if that is taken."""
    target = folder / name
    if not os.path.lexists(target):
        return target
    stem, dot, suffix = name.partition(".") if not name.startswith(".") else (name, "", "")
    number = 2
    while os.path.lexists(folder / f"{stem}-{number}{dot}{suffix}"):
        number += 1
    return folder / f"{stem}-{number}{dot}{suffix}"


def receipt_text(instance, department: str, name: str, item: Item, revision: Revision, warnings: list[str],
                 now, findings=()) -> str:
    """The department's receipt, in Turkish: number, title, warnings, personal data found (masked) and what
    happens next."""
    unit = instance.department_name(item.unit)
    lines = [f"ALINDI BELGESİ — {instance.municipality.name}", "",
             f"Kayıt numarası : {item.number}" + (f" (sürüm {revision.rev})" if revision.rev > 1 else ""),
             f"Başlık         : {item.title}",
             f"Tür            : {item.tur}",
             f"Gönderen birim : {instance.department_name(department)} ({department})",
             f"Dosya          : {name}",
             f"Kayıt zamanı   : {format_moment(revision.created_at or now)}",
             f"Durum          : {state_label(item.state)}",
             f"İnceleyecek    : {unit} ({item.unit})", ""]
    if warnings:
        lines.append("Uyarılar:")
        lines.extend(f"  - {w}" for w in warnings)
    else:
        lines.append("Uyarı yok.")
    lines += ["", *findings_text(list(findings)), "", "Bundan sonra ne olacak:"]
    if revision.rev > 1:
        lines.append(f"  Düzeltilmiş sürüm kayda alındı ve yeniden incelemeye girdi ({unit}).")
    else:
        lines.append(f"  Gönderiniz kayıt defterine işlendi. Müdür işi {unit} personeline havale edecek; "
                     "içerik başka bir kişi tarafından incelenip onaylandıktan sonra yayımlanır.")
    if item.publish_at:
        lines.append(f"  Onaylanırsa en erken {format_moment(item.publish_at)} tarihinde yayımlanır.")
    lines += [f"  Değişiklik istenirse gerekçesi bu klasöre yazılır. Düzeltilmiş dosyanın ön bilgi bloğuna "
              f"'kayit_no: {item.number}' satırını ekleyip dosyayı yeniden bırakın.",
              f"  Bu gönderiyle ilgili yazışmalarda kayıt numarasını ({item.number}) belirtin.", ""]
    return "\n".join(lines)


def quarantine_report(instance, department: str, name: str, kept: Path, problems: list[Problem], now) -> str:
    """The <name>.hata.txt report: every problem with line and field, what to do; English detail at the end."""
    lines = [f"HATA RAPORU — {instance.municipality.name}", "",
             f"Dosya  : {name}",
             f"Birim  : {instance.department_name(department)} ({department})",
             f"Zaman  : {format_moment(now)}", "",
             "Gönderi KAYDEDİLMEDİ. Dosyanın aslı değiştirilmeden bu klasörde saklanıyor: " + kept.name, "",
             f"Sorunlar ({len(problems)}):"]
    for index, problem in enumerate(problems, 1):
        where = ", ".join(part for part in (f"satır {problem.line}" if problem.line else "",
                                            f"alan '{problem.field}'" if problem.field else "") if part)
        lines.append(f"  {index}. {where + ': ' if where else ''}{problem.message_tr}")
    lines += ["", "Ne yapmalısınız:",
              f"  Sorunların hepsini düzeltin ve dosyayı yeniden submissions/inbox/{department}/ klasörüne "
              "bırakın. Bu klasördeki kopya silinmez; dilerseniz onu düzeltip geri taşıyabilirsiniz.", "",
              "Technical detail (English, for the log):"]
    lines.extend(f"  - {problem.format_en()}" for problem in problems)
    lines.append("")
    return "\n".join(lines)
