"""`build --output DIR` never deletes what it did not build: only an empty folder or an earlier build is replaced."""

import subprocess
import sys

from tests.tinysite import REPO, copy_tiny


def run_build(tiny, output):
    return subprocess.run([sys.executable, str(REPO / "publish.py"), "--instance", str(tiny), "build",
                           "--output", str(output)], cwd=tiny.parent, capture_output=True, text=True, timeout=120)


def test_a_folder_with_other_files_is_refused_and_kept(tmp_path):
    tiny = copy_tiny(tmp_path / "tiny")
    output = tmp_path / "belgelerim"
    (output / "alt").mkdir(parents=True)
    (output / "tez.docx").write_bytes(b"yillarin emegi")
    (output / "alt" / "not.txt").write_text("silinmemeli", encoding="utf-8")
    done = run_build(tiny, output)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith(f"HATA: '{output}' klasörü boş değil ve bir municms derlemesi değil; "
                                  "içindekiler silinmesin diye site oluşturulmadı.")
    assert (output / "tez.docx").read_bytes() == b"yillarin emegi"
    assert (output / "alt" / "not.txt").read_text(encoding="utf-8") == "silinmemeli"
    assert sorted(p.name for p in output.iterdir()) == ["alt", "tez.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["belgelerim", "tiny"]  # no staging left behind


def test_a_file_in_place_of_the_folder_is_refused_and_kept(tmp_path):
    tiny = copy_tiny(tmp_path / "tiny")
    output = tmp_path / "site.txt"
    output.write_text("bir dosya", encoding="utf-8")
    done = run_build(tiny, output)
    assert done.returncode == 1
    assert done.stderr.startswith(f"HATA: '{output}' bir klasör değil;")
    assert output.read_text(encoding="utf-8") == "bir dosya"


def test_an_empty_folder_and_then_the_earlier_build_are_replaced(tmp_path):
    tiny = copy_tiny(tmp_path / "tiny")
    output = tmp_path / "site"
    output.mkdir()
    first = run_build(tiny, output)
    assert first.returncode == 0, first.stderr
    assert (output / ".municms-build").is_file() and (output / "index.html").is_file()
    (output / "eski-sayfa.html").write_text("önceki derlemeden kalan", encoding="utf-8")
    second = run_build(tiny, output)
    assert second.returncode == 0, second.stderr
    assert (output / "index.html").is_file() and not (output / "eski-sayfa.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]
