"""Deploy fixtures: one real build of the tiny instance, release variants of it, instances, nginx and sshd."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from municms.config import load_instance
from municms.deploy.shards import IDENTITY_FILE
from municms.paths import InstancePaths
from tests.seaweedfs import s3_bucket, seaweedfs  # noqa: F401 - fixtures of the s3 target's tests
from tests.servers import free_port, wait_for_port
from tests.tinysite import TINY, build, copy_tiny

BASE_ID = "20261125T090000Z-000000"
PYTHON = sys.executable
REPO = Path(__file__).resolve().parents[2]
CHANGED_PAGE = "haberler/2026/isikli-carsi-yenilendi/index.html"


def release_id(n: int) -> str:
    """Sortable release ids in the shape of municms.build.new_build_id."""
    return f"20261125T1{n:05d}Z-{n:06x}"


def tree(root: Path) -> dict[str, str]:
    """relative path → sha256 of every file of the site under root (following the release's shard symlinks;
    without the release's own surum.json and the publication register's export, which no build holds)."""
    return {rel: digest for rel, digest in target_tree(root).items() if not rel.startswith("yayin-kaydi/")}


def target_tree(root: Path) -> dict[str, str]:
    """tree() with every file of yayin-kaydi/: what a deploy target given a build puts into its release (the
    build's layout of the register pages included; only a publish or deploy replaces it with the export)."""
    root = Path(os.path.realpath(root))
    out = {}
    for dirpath, _, files in os.walk(root, followlinks=True):
        for name in files:
            path = Path(dirpath) / name
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    out.pop(IDENTITY_FILE, None)
    return out


def identity(release_dir: Path) -> dict:
    """The release's surum.json."""
    return json.loads((Path(release_dir) / IDENTITY_FILE).read_text(encoding="utf-8"))


def shard_links(release_dir: Path) -> dict[str, str]:
    """folder of the site → name of the shard the release links there."""
    root = Path(release_dir)
    return {str(path.relative_to(root)): os.path.basename(os.readlink(path))
            for path in sorted(root.rglob("*")) if path.is_symlink()}


@pytest.fixture(scope="session")
def base_build(tmp_path_factory) -> Path:
    """The tiny instance built once (Pelican, real theme, Pagefind) with release id BASE_ID."""
    work = tmp_path_factory.mktemp("base")
    root = copy_tiny(work / "inst")
    return build(root, work / "out", build_id=BASE_ID).output


def make_variant(base: Path, dest: Path, rid: str, changed: bool = False, bulk: Path | None = None) -> Path:
    """A copy of the base build for release `rid`; `changed` alters one article's text (with the release id,
    so that two changed variants differ too); `bulk` (a folder of extra files, hard-linked in as ek/, plus
    a page naming the release) makes the build bigger and its ek/ shard new in every release."""
    shutil.copytree(base, dest)
    if changed:
        page = dest / CHANGED_PAGE
        page.write_bytes(page.read_bytes().replace(b"</main>", f"<p>Güncellendi ({rid}).</p></main>".encode(), 1))
    if bulk is not None:
        shutil.copytree(bulk, dest / "ek", copy_function=os.link)
        (dest / "ek" / "surum.html").write_text(f"<p>{rid}</p>", encoding="utf-8")  # a new ek/ shard each time
    return dest


@pytest.fixture(scope="session")
def bulk_files(tmp_path_factory) -> Path:
    """1,500 small extra pages in a few folders, so that a deploy takes long enough to be interrupted."""
    root = tmp_path_factory.mktemp("bulk")
    for i in range(1500):
        folder = root / f"{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"sayfa-{i:05d}.html").write_text(f"<p>Sayfa {i}</p>" * 20, encoding="utf-8")
    return root


@pytest.fixture
def variants(base_build, tmp_path):
    """variants(n, changed=False, bulk=None) → a build dir for release_id(n), made once per test."""
    made: dict[str, Path] = {}

    def factory(n: int, changed: bool = False, bulk: Path | None = None) -> Path:
        rid = release_id(n)
        if rid not in made:
            made[rid] = make_variant(base_build, tmp_path / "builds" / rid, rid, changed, bulk)
        return made[rid]

    return factory


@pytest.fixture
def make_instance(tmp_path):
    """make_instance(deploy_yaml="") → (Instance, InstancePaths) of a fresh instance dir in tmp_path."""
    counter = iter(range(100))

    def factory(deploy_yaml: str = "") -> tuple:
        root = tmp_path / f"inst{next(counter)}"
        root.mkdir()
        text = (TINY / "instance.yaml").read_text(encoding="utf-8")
        (root / "instance.yaml").write_text(text + ("\n" + deploy_yaml if deploy_yaml else ""), encoding="utf-8")
        instance = load_instance(root)
        return instance, InstancePaths(instance.root)

    return factory


@pytest.fixture
def sshd(tmp_path):
    """A real sshd on a free loopback port accepting a throwaway key for the current user."""
    work = tmp_path / "sshd"
    work.mkdir()
    for name in ("host_key", "user_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / name)], check=True)
    shutil.copy(work / "user_key.pub", work / "authorized_keys")
    port = free_port()
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    config = [f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {work / 'host_key'}",
              f"PidFile {work / 'sshd.pid'}", f"AuthorizedKeysFile {work / 'authorized_keys'}",
              "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
              f"AllowUsers {user}"]
    if os.geteuid() == 0:
        config.append("PermitRootLogin yes")
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's compiled-in privilege separation dir
    (work / "sshd_config").write_text("\n".join(config) + "\n", encoding="utf-8")
    host_key = (work / "host_key.pub").read_text().strip()
    (work / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n", encoding="utf-8")
    proc = subprocess.Popen(["/usr/sbin/sshd", "-f", str(work / "sshd_config"), "-D", "-e"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port, proc, "sshd")
    yield {"port": port, "user": user, "identity": work / "user_key", "known_hosts": work / "known_hosts"}
    proc.terminate()
    proc.wait(timeout=10)


PASSWORD = "gizli-parola-123"


def staff(paths: InstancePaths, clock):
    """The instance's ledger with its people, made through the real actions: the first yonetici, who adds the
    director mehmet.mudur and the editor ayse.editor (all with PASSWORD)."""
    from municms.actions.users import add_user, init_first_user
    from municms.auth import login_with_password
    from municms.ledger import open_ledger

    ledger = open_ledger(paths.database)
    instance = load_instance(paths.root)
    init_first_user(ledger, instance, "yonetici", PASSWORD, clock)
    admin = login_with_password(ledger, "yonetici", PASSWORD, clock)
    add_user(ledger, instance, "mehmet.mudur", "mudur", PASSWORD, admin, clock)
    add_user(ledger, instance, "ayse.editor", "editor", PASSWORD, admin, clock, unit="web")
    return ledger


def run_deploy(paths: InstancePaths, build_dir: Path, rid: str) -> subprocess.Popen:
    """Start `python -m municms.deploy` in a subprocess (stdout: JSON lines)."""
    return subprocess.Popen([PYTHON, "-m", "municms.deploy", "--instance", str(paths.root), "--system",
                             str(build_dir), rid],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def year_shards():
    """Every year folder a shard of its own, however few files its folder holds (the demo's folders are small
    enough to be one shard each: see shards.SMALL_FOLDER). Not with monkeypatch, which a test may undo."""
    from municms.deploy import shards
    before, shards.SMALL_FOLDER = shards.SMALL_FOLDER, 0
    yield
    shards.SMALL_FOLDER = before
