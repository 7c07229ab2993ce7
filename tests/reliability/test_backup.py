"""Backups through the front door: `publish.py backup`, `backup --verify` and `restore` in real subprocesses on a
municipality whose items came through real intake and approval; damaged and hostile archives refused with their
exact Turkish message and nothing written; the daily backup of `serve` (rotation, second place) on a fixed clock."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from municms.actions.backup import take_backup
from municms.backup import backups_in, newest_backup, read_archive, restore_archive
from municms.backup.schedule import DailyBackup, daily_backup
from municms.build import build_site
from municms.clock import FixedClock
from municms.config import load_instance
from municms.errors import BackupError
from municms.ledger_file import dump
from municms.seminars.form_token import instance_key
from tests.conftest import require
from tests.deploy.conftest import sshd  # noqa: F401  (the real sshd fixture)
from tests.site_tree import site_files

REPO = Path(__file__).resolve().parents[2]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in site_files(root)}


def only_archive(folder: Path) -> Path:
    found = backups_in(folder)
    assert len(found) == 1, sorted(p.name for p in folder.iterdir())
    return found[0]


@pytest.fixture
def published(municipality):
    """A tiny municipality with two items registered, approved and published by the real pipeline."""
    m = municipality("tiny")
    for title in ("Asfalt çalışması", "Şehir parkı açıldı"):
        m.approve(m.submit("haber", title, "Çorum'da yeni çalışma.\n").number)
    assert m.publish().release_id
    yield m
    m.close()


def test_backup_verify_restore_round_trip(published, tmp_path):
    m = published
    instance_key(m.paths.var)  # the seminar form's key, as the first seminar page makes it
    folder = tmp_path / "yedekler"
    m.person("yonetici1")
    before = dump(m.paths.database)

    done = m.cli("backup", str(folder), "--progress", login="yonetici1")
    assert done.returncode == 0, done.stderr
    archive = only_archive(folder)
    files = len(read_archive(archive).files)
    assert f"  {files}/{files} dosya, " in done.stderr  # progress on stderr (\r-rewritten), the result on stdout
    assert done.stdout.startswith(f"Yedek alındı: {archive}\n")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    event = m.ledger._conn().execute("SELECT actor, data FROM events WHERE action = 'backup'").fetchall()
    assert [(actor, json.loads(data)) for actor, data in event] == [
        ("yonetici1", {"file": str(archive), "sha256": sha, "size": archive.stat().st_size, "items": 2})]

    checked = m.cli("backup", "--verify", str(archive))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"Yedek sağlam: {archive}\n")
    assert "veritabanı bütünlük denetimi: tamam" in checked.stdout

    target = tmp_path / "geri" / "kurulum"
    restored = m.cli("restore", str(archive), "--into", str(target))
    assert restored.returncode == 0, restored.stderr
    assert f"python publish.py --instance {target} build" in restored.stdout
    assert dump(target / "var" / "municms.sqlite3") == before  # the backup's own event came after the copy
    for part in ("instance.yaml", "pelicanconf.py", "var/form.key"):
        assert (target / part).read_bytes() == (m.root / part).read_bytes(), part
    registered = sorted(p.relative_to(m.root).as_posix() for p in m.paths.registered.rglob("*") if p.is_file())
    assert registered and registered == sorted(p.relative_to(target).as_posix()
                                               for p in (target / "submissions/registered").rglob("*") if p.is_file())
    assert stat.S_IMODE((target / "var/municms.sqlite3").stat().st_mode) == 0o600

    # the restored instance rebuilds the same site, byte for byte, at the same clock
    now = m.clock.now()
    original = build_site(m.instance, tmp_path / "site-a", now=now, build_id="ayni")
    again = build_site(load_instance(target), tmp_path / "site-b", now=now, build_id="ayni")
    assert tree(original.output) == tree(again.output)
    assert any(p.endswith(".html") and "asfalt" in p for p in tree(again.output))
    built = subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(target), "build"],
                           capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert built.returncode == 0, built.stderr
    assert f"Site oluşturuldu: {target / 'var' / 'build'}/" in built.stdout


def test_backup_needs_a_yonetici(municipality, tmp_path):
    refused = municipality("bare").cli("backup", str(tmp_path / "y"), login="web1")
    assert refused.returncode == 1
    assert refused.stderr.endswith("HATA: Yedek almayı yalnız yönetici yapabilir (yedekte parola özetleri ve "
                                   "kişisel veriler bulunur).\n")
    assert not (tmp_path / "y").exists() or not list((tmp_path / "y").iterdir())


WRITER = r"""
import sys, datetime as dt
from zoneinfo import ZoneInfo
from pathlib import Path
from municms.actions.intake import intake_file
from municms.clock import FixedClock
from municms.config import load_instance
from municms.ledger import open_ledger
from municms.paths import InstancePaths
root = Path(sys.argv[1]); instance = load_instance(root); paths = InstancePaths(root)
ledger = open_ledger(paths.database)
clock = FixedClock(dt.datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Istanbul")))
n = 0
while not (root / "dur").exists():
    n += 1
    inbox = paths.inbox / "fen-isleri"; inbox.mkdir(parents=True, exist_ok=True)
    f = inbox / f"yazici-{n}.md"
    f.write_text(f"---\ntur: duyuru\nbaslik: Yazıcı duyurusu {n}\n---\nMetin {n}.\n", encoding="utf-8")
    assert intake_file(ledger, instance, paths, f, clock).status == "registered"
    print(n, flush=True)
"""


def test_backup_while_a_writer_registers(municipality, tmp_path):
    """A backup taken while another process keeps registering holds one consistent ledger and every stored file
    of every registration in it."""
    m = municipality("bare")
    m.person("yonetici1")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(m.root)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        for _ in range(5):
            writer.stdout.readline()  # it is registering
        done = m.cli("backup", str(tmp_path / "y0"), login="yonetici1")
        assert done.returncode == 0, done.stderr
        archives = [only_archive(tmp_path / "y0")]
        for _ in range(3):
            writer.stdout.readline()  # and still registering after the backup
    finally:
        (m.root / "dur").touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    counts = []
    for archive in archives:
        target = tmp_path / f"geri-{archive.parent.name}"
        manifest = read_archive(archive, into=target)
        conn = sqlite3.connect(target / "var/municms.sqlite3")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = [row[0] for row in conn.execute("SELECT seq FROM items ORDER BY seq")]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == manifest.items
        assert conn.execute("SELECT max(last) FROM counters").fetchone()[0] == len(numbers)
        stored = [row[0] for row in conn.execute("SELECT stored_dir FROM revisions")]
        assert stored and all((target / s).exists() or (target / "submissions/registered" / s).exists()
                              for s in stored), stored[:3]
        counts.append(len(numbers))
    assert counts[0] >= 5
    assert m.ledger._conn().execute("SELECT count(*) FROM items").fetchone()[0] > counts[0]


# --- damaged and hostile archives -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def good_archive(tmp_path_factory):
    """One real backup of a small municipality (bare instance, three registrations), made once for the module."""
    from tests.conftest import FIXED_NOW
    from tests.municipality import Municipality, bare_instance

    base = tmp_path_factory.mktemp("yedek")
    m = Municipality(bare_instance(base / "kurulum"), FIXED_NOW)
    for n in range(3):
        m.submit("duyuru", f"Duyuru {n}")
    take_backup(m.ledger, m.instance, m.paths, m.clock, m.actor("yonetici1"), base / "yedekler")
    m.close()
    return only_archive(base / "yedekler")


def members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        return [(info, tar.extractfile(info).read() if info.isreg() else b"") for info in tar.getmembers()]


def write(target: Path, entries) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        for info, data in entries:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return target


def resum(entries):
    """The entries with MANIFEST.sha256 made to match a changed MANIFEST.json."""
    body = next(data for info, data in entries if info.name == "MANIFEST.json")
    line = f"{hashlib.sha256(body).hexdigest()}  MANIFEST.json\n".encode()
    return [(info, line if info.name == "MANIFEST.sha256" else data) for info, data in entries]


def edit_manifest(entries, change):
    out = []
    for info, data in entries:
        if info.name == "MANIFEST.json":
            manifest = json.loads(data)
            change(manifest)
            data = json.dumps(manifest).encode()
        out.append((info, data))
    return out


def flip(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]


def _unsafe(name: str, member: str, why: str) -> str:
    return f"'{name}' güvenli değil: '{member}' üyesi {why}; arşivden hiçbir şey çıkarılmadı."


def _new(name: str, data: bytes = b"x", kind=tarfile.REGTYPE, link: str = "") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info, data


def damaged(case: str, good: Path, target: Path) -> tuple[Path, str]:
    """(a damaged copy of the good archive, the exact message restore and verify give for it)."""
    name = target.name
    entries = members(good)
    data = good.read_bytes()
    truncated = (f"'{name}' eksik: arşiv yarıda kesilmiş (dosya tamamlanmadan bitiyor). Bu yedekten geri yükleme "
                 "yapılamaz; başka bir yedek kullanın.")
    if case.startswith("kesik-"):
        cut = {"kesik-basta": 40, "kesik-ortada": len(data) // 2, "kesik-sonda": len(data) - 9}[case]
        target.write_bytes(data[:cut])
        return target, truncated
    if case == "tar-degil":
        target.write_text("Bu bir yedek değil.\n", encoding="utf-8")
        return target, (f"'{name}' bir municms yedeği değil: gzip ile sıkıştırılmış bir tar arşivi olarak "
                        "okunamadı.")
    if case == "gzip-ama-tar-degil":
        target.write_bytes(gzip.compress(b"duz metin " * 100))
        return target, (f"'{name}' bir municms yedeği değil: gzip ile sıkıştırılmış bir tar arşivi olarak "
                        "okunamadı.")
    if case == "bayt-degismis":
        changed = [(i, flip(d) if i.name == "instance.yaml" else d) for i, d in entries]
        return write(target, changed), (f"'{name}' bozuk: 'instance.yaml' dosyasının SHA-256 özeti içindekiler "
                                        "listesindekiyle tutmuyor.")
    if case == "veritabani-bozuk":
        changed = [(i, d[:len(d) // 2] + b"\xff" * 4096 + d[len(d) // 2 + 4096:] if i.name == "var/municms.sqlite3"
                    else d) for i, d in entries]

        def fix(manifest):
            for f in manifest["files"]:
                if f["path"] == "var/municms.sqlite3":
                    db = next(d for i, d in changed if i.name == f["path"])
                    f["sha256"] = hashlib.sha256(db).hexdigest()
        write(target, resum(edit_manifest(changed, fix)))
        return target, None  # message starts with the integrity check's words (SQLite's own text follows)
    if case == "uye-eksik":
        kept = [(i, d) for i, d in entries if i.name != "instance.yaml"]
        return write(target, kept), (f"'{name}' eksik: içindekiler listesindeki 1 dosya arşivde yok (ilki: "
                                     "'instance.yaml').")
    if case == "fazla-uye":
        return write(target, entries[:1] + [_new("content/eklenen.md", b"sonradan")] + entries[1:]), (
            f"'{name}' içindekiler listesinde olmayan 1 dosya içeriyor (ilki: 'content/eklenen.md'); arşive sonradan "
            "eklenmiş.")
    if case == "manifest-degismis":
        return write(target, edit_manifest(entries, lambda mf: mf.update(items=99))), (
            f"Yedeğin içindekiler listesi (MANIFEST.json) bozuk: kendi SHA-256 özeti tutmuyor (değiştirilmiş ya da "
            "bozulmuş). Bu arşive güvenilemez.")
    if case == "manifest-yok":
        return write(target, [(i, d) for i, d in entries if not i.name.startswith("MANIFEST")]), (
            f"'{name}' bir municms yedeği değil ya da eksik: içindekiler listesi (MANIFEST.json) yok.")
    if case == "surum-farkli":
        return write(target, resum(edit_manifest(entries, lambda mf: mf.update(format_version=2)))), (
            "Bu yedek biçimi (sürüm 2) desteklenmiyor; bu municms sürümü 1. sürüm yedekleri okur. Yedeği alan "
            "municms sürümüyle geri yükleyin.")
    if case == "mutlak-yol":
        return write(target, [_new("/etc/kotu")] + entries), _unsafe(name, "/etc/kotu", "mutlak bir yol")
    if case == "ust-klasor":
        return write(target, [_new("content/../../kotu")] + entries), _unsafe(name, "content/../../kotu",
                                                                              "'..' ya da '.' içeriyor")
    if case == "sembolik-bag":
        return write(target, [_new("content/bag", b"", tarfile.SYMTYPE, "/etc/passwd")] + entries), _unsafe(
            name, "content/bag", "sıradan bir dosya değil (bağlantı, klasör ya da aygıt)")
    if case == "sert-bag":
        return write(target, entries + [_new("data/sert", b"", tarfile.LNKTYPE, "instance.yaml")]), _unsafe(
            name, "data/sert", "sıradan bir dosya değil (bağlantı, klasör ya da aygıt)")
    if case == "aygit":
        return write(target, [_new("var/aygit", b"", tarfile.CHRTYPE)] + entries), _unsafe(
            name, "var/aygit", "sıradan bir dosya değil (bağlantı, klasör ya da aygıt)")
    if case == "disarida":
        return write(target, [_new("etc/kotu")] + entries), _unsafe(name, "etc/kotu",
                                                                    "yedeklenen bölümlerden birinde değil")
    raise AssertionError(case)


CASES = ["kesik-basta", "kesik-ortada", "kesik-sonda", "tar-degil", "gzip-ama-tar-degil", "bayt-degismis",
         "veritabani-bozuk", "uye-eksik", "fazla-uye", "manifest-degismis", "manifest-yok", "surum-farkli",
         "mutlak-yol", "ust-klasor", "sembolik-bag", "sert-bag", "aygit", "disarida"]


@pytest.mark.parametrize("case", CASES)
def test_damaged_archive_is_refused_and_nothing_is_written(case, good_archive, tmp_path):
    archive, message = damaged(case, good_archive, tmp_path / f"municms-yedek-bim-{case}.tar.gz")
    with pytest.raises(BackupError) as verify:
        read_archive(archive)
    target = tmp_path / "geri"
    with pytest.raises(BackupError) as restore:
        restore_archive(archive, target)
    if message is None:
        assert verify.value.message_tr.startswith(f"'{archive.name}' içindeki kayıt veritabanı bozuk (SQLite "
                                                  "integrity_check: ")
    else:
        assert verify.value.message_tr == message
    assert restore.value.message_tr == verify.value.message_tr
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]  # no folder, no staging left


def test_command_line_refuses_a_damaged_archive(good_archive, tmp_path, municipality):
    """The same messages at the command line's one error boundary, exit 1, nothing on stdout, nothing written."""
    m = municipality("bare")
    cut, cut_message = damaged("kesik-ortada", good_archive, tmp_path / "municms-yedek-bim-kesik.tar.gz")
    checked = m.cli("backup", "--verify", str(cut))
    assert (checked.returncode, checked.stdout, checked.stderr) == (1, "", f"HATA: {cut_message}\n")
    flipped, flip_message = damaged("bayt-degismis", good_archive, tmp_path / "municms-yedek-bim-bayt.tar.gz")
    restored = m.cli("restore", str(flipped), "--into", str(tmp_path / "geri"))
    assert (restored.returncode, restored.stdout, restored.stderr) == (1, "", f"HATA: {flip_message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([cut.name, flipped.name, m.root.name])


def test_restore_refuses_a_folder_that_is_not_empty(good_archive, tmp_path, municipality):
    m = municipality("bare")
    target = tmp_path / "dolu"
    target.mkdir()
    (target / "notlar.txt").write_text("dokunma", encoding="utf-8")
    refused = m.cli("restore", str(good_archive), "--into", str(target))
    assert refused.returncode == 1
    assert refused.stderr == (f"HATA: '{target}' boş değil; geri yükleme yalnız yeni ya da boş bir klasöre yapılır "
                              "(var olan dosyaların üzerine hiçbir şey yazılmaz). Başka bir klasör verin.\n")
    assert [p.name for p in target.iterdir()] == ["notlar.txt"]
    empty = tmp_path / "bos"
    empty.mkdir()
    assert restore_archive(good_archive, empty).items == 3
    assert (empty / "instance.yaml").is_file() and stat.S_IMODE(empty.stat().st_mode) == 0o755


# --- the daily backup inside serve ----------------------------------------------------------------------------
def configure(m, **backup) -> None:
    """instance.yaml's backup block (the last one of the file) with these keys changed."""
    text = (m.root / "instance.yaml").read_text(encoding="utf-8")
    head = text[:text.index("\nbackup:\n") + 1]
    settings = {"dir": "var/backups", "daily_at": "02:30", "keep": 7, "copy_to": "", **backup}
    block = "backup:\n" + "".join(f"  {key}: {json.dumps(value)}\n" for key, value in settings.items())
    (m.root / "instance.yaml").write_text(head + block, encoding="utf-8")
    m.instance = load_instance(m.root)
    assert m.instance.backup.copy_to == settings["copy_to"]


def test_daily_backup_keeps_the_newest_and_copies_them(municipality, tmp_path):
    m = municipality("bare")
    m.submit("duyuru", "Günlük yedek denemesi")
    copies = tmp_path / "ikinci-yer"
    configure(m, keep=2, copy_to=str(copies))
    folder = m.root / "var" / "backups"
    folder.mkdir(parents=True)
    (folder / "notlar.txt").write_text("elle konan dosya", encoding="utf-8")
    clock = FixedClock(dt.datetime(2026, 11, 20, 2, 30, tzinfo=m.instance.tz))
    for _ in range(4):
        result = daily_backup(m.instance, m.paths, clock)
        assert result.error == "" and result.copied_to == str(copies)
        clock.advance(dt.timedelta(days=1))
    names = ["municms-yedek-bim-20261122-023000.tar.gz", "municms-yedek-bim-20261123-023000.tar.gz"]
    assert sorted(p.name for p in folder.iterdir()) == names + ["notlar.txt"]
    assert sorted(p.name for p in copies.iterdir()) == names
    assert (copies / names[1]).read_bytes() == (folder / names[1]).read_bytes()
    assert newest_backup(m.instance, m.paths) == folder / names[1]
    assert read_archive(copies / names[1]).items == 1
    actors = m.ledger._conn().execute("SELECT actor, data FROM events WHERE action = 'backup'").fetchall()
    assert [(a, json.loads(d)["via"]) for a, d in actors] == [("sistem", "günlük yedek")] * 4


def test_a_failed_daily_backup_is_reported_and_tried_again_within_the_hour(municipality, tmp_path):
    m = municipality("bare")
    blocker = tmp_path / "dosya"
    blocker.write_text("bir klasör değil", encoding="utf-8")
    configure(m, copy_to=str(blocker / "yedek"))
    clock = FixedClock(dt.datetime(2026, 11, 20, 2, 30, tzinfo=m.instance.tz))
    daily = DailyBackup(m.instance, m.paths, clock, m.instance.backup.daily_time())
    assert daily.next_attempt(clock.now()) == dt.datetime(2026, 11, 21, 2, 30, tzinfo=m.instance.tz)
    daily.last = result = daily_backup(m.instance, m.paths, clock)
    assert result.error.startswith(f"Yedek {blocker / 'yedek'} klasörüne kopyalanamadı: ")
    assert result.backup is not None and result.backup.path.is_file()  # the first place has it
    assert daily.next_attempt(clock.now()) == dt.datetime(2026, 11, 20, 3, 30, tzinfo=m.instance.tz)


def test_daily_backup_copies_over_rsync_and_ssh(municipality, sshd, tmp_path):  # noqa: F811
    require(shutil.which("rsync") is not None and Path("/usr/sbin/sshd").exists(), "rsync and sshd")
    m = municipality("bare")
    far = tmp_path / "uzak" / "yedekler"
    far.mkdir(parents=True)
    configure(m, copy_to=f"{sshd['user']}@127.0.0.1:{far}", ssh_port=sshd["port"],
              identity_file=str(sshd["identity"]), known_hosts_file=str(sshd["known_hosts"]))
    result = daily_backup(m.instance, m.paths, FixedClock(dt.datetime(2026, 11, 20, 2, 30, tzinfo=m.instance.tz)))
    assert result.error == ""
    sent = far / result.backup.path.name
    assert sent.read_bytes() == result.backup.path.read_bytes()
    assert stat.S_IMODE(sent.stat().st_mode) == 0o600
    assert read_archive(sent).prefix == "BİM"


def test_serve_takes_the_daily_backup_at_its_time(municipality):
    """The thread `serve` starts (start_background): asleep until backup.daily_at, then one archive, recorded."""
    m = municipality("bare")
    clock = FixedClock(dt.datetime(2026, 11, 20, 2, 29, 59, 500000, tzinfo=m.instance.tz))
    daily = DailyBackup(m.instance, m.paths, clock, m.instance.backup.daily_time()).start()
    try:
        for _ in range(200):
            if daily.last is not None:
                break
            time.sleep(0.05)
    finally:
        daily.stop()
    assert daily.last is not None and daily.last.error == ""
    assert newest_backup(m.instance, m.paths) == m.root / "var/backups/municms-yedek-bim-20261120-022959.tar.gz"


def test_bench_backup_short_run(capsys):
    from bench.backup import main

    [result] = main(["--items", "12", "--no-demo", "--no-build"])
    assert (result["items"], result["same_dump"]) == (12, True)
    assert "| 12 öğe | 12 | " in capsys.readouterr().out
