"""A fresh clone has the submissions/ folder the README names, with its README; what departments drop there and
what intake writes there is never tracked."""

import subprocess

from tests.tinysite import REPO


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30)


def test_submissions_folder_is_in_the_repository_with_its_readme():
    assert git("ls-files", "submissions").stdout.splitlines() == ["submissions/README.md"]
    text = (REPO / "submissions" / "README.md").read_text(encoding="utf-8")
    for folder in ("inbox/<birim>/", "processing/", "quarantine/", "registered/", "receipts/"):
        assert f"`{folder}`" in text, folder


def test_runtime_contents_of_submissions_stay_untracked():
    dropped = ["submissions/inbox/fen-isleri/duyuru.md", "submissions/inbox/fen-isleri/paket/index.md",
               "submissions/processing/zabita/123-abc--a.md", "submissions/quarantine/zabita/bos.md.hata.txt",
               "submissions/registered/2026/BİM-2026-000001/original.md",
               "submissions/receipts/zabita/duyuru.md.alindi.txt", "submissions/notlar.txt"]
    for path in dropped:
        assert git("check-ignore", "--no-index", "-q", path).returncode == 0, f"{path} would be tracked"
    assert git("check-ignore", "--no-index", "-q", "submissions/README.md").returncode == 1
