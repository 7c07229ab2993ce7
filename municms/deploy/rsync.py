"""rsync target: the local scheme on another host, over ssh.

`rsync -a --no-times --checksum --delete --link-dest=../<previous>` fills `<path>/releases/<id>.tmp/` (unchanged files
become hard links of the previous release on the remote side); then one ssh call renames it to `<id>`,
points a temp link at it and `mv -T`s that over `<path>/current` (atomic), and writes `<id>.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shlex
import subprocess
import time
from pathlib import Path

from ..errors import ConflictError, DeployError
from . import Release, check_deploy_input, now_iso, prune_plan, rollback_choice
from .lock import deploy_lock

log = logging.getLogger(__name__)

# Remote shell snippets; "$1" is always the base path. POSIX sh and coreutils only on the far side.
_STATE = r"""
set -e
mkdir -p "$1/releases"
cd "$1/releases"
for x in *.tmp; do [ -e "$x" ] || [ -L "$x" ] || continue; rm -rf -- "$x"; done
rm -f -- "$1/.current.tmp"
for f in *.json; do [ -e "$f" ] || continue; [ -d "${f%.json}" ] || rm -f -- "$f"; done
cur=$(readlink "$1/current" || true)
for d in */; do
  d=${d%/}; [ -d "$d" ] || continue; [ -e "$d.json" ] && continue
  if [ "releases/$d" = "$cur" ]; then echo "unrecorded $d"; else rm -rf -- "$d"; fi
done
echo "current ${cur##*/}"
for f in *.json; do [ -e "$f" ] || continue; printf 'release %s ' "${f%.json}"; cat "$f"; echo; done
"""

_FINISH = r"""
set -e
cd "$1"
sync
if [ -d "releases/$2.tmp" ]; then mv -T "releases/$2.tmp" "releases/$2"; fi
ln -sfn "releases/$2" .current.tmp
mv -T .current.tmp current
cat > "releases/$2.json.tmp"
mv -f "releases/$2.json.tmp" "releases/$2.json"
sync
"""

_WRITE_META = r"""
set -e
cd "$1"
while IFS=' ' read -r rid data; do
  printf '%s\n' "$data" > "releases/$rid.json.tmp"
  mv -f "releases/$rid.json.tmp" "releases/$rid.json"
done
sync
"""

_SWITCH = r"""
set -e
cd "$1"
ln -sfn "releases/$2" .current.tmp
mv -T .current.tmp current
""" + _WRITE_META

_PRUNE = r"""
set -e
cd "$1/releases"
shift
for rid in "$@"; do mv -T "$rid" "$rid.tmp"; rm -f -- "$rid.json"; rm -rf -- "$rid.tmp"; done
"""


def _json_line(data: dict) -> str:
    """Metadata as one line of ASCII JSON (the remote side stores it with printf)."""
    return json.dumps(data, sort_keys=True, default=str)


class RsyncTarget:
    """Releases under <path>/releases on another host, served from <path>/current."""

    def __init__(self, settings, paths, keep_releases: int = 5, clock=None):
        self.settings = settings
        self.paths = paths
        self.keep = keep_releases
        self.clock = clock
        self.base = settings.path.rstrip("/") or "/"

    # -- ssh plumbing ----------------------------------------------------------------------------------
    def _ssh_args(self) -> list[str]:
        s = self.settings
        args = ["ssh", "-p", str(s.port), "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]
        if s.identity_file:
            args += ["-i", s.identity_file, "-o", "IdentitiesOnly=yes"]
        if s.known_hosts_file:
            args += ["-o", f"UserKnownHostsFile={s.known_hosts_file}", "-o", "StrictHostKeyChecking=yes"]
        return args

    @property
    def _dest(self) -> str:
        return f"{self.settings.user}@{self.settings.host}" if self.settings.user else self.settings.host

    def _remote(self, script: str, *args: str, stdin: str = "") -> str:
        """Run a sh script on the remote host with positional arguments; return its stdout."""
        command = "sh -c " + shlex.quote(script) + " sh " + " ".join(shlex.quote(a) for a in args)
        proc = subprocess.run(self._ssh_args() + [self._dest, command], input=stdin, capture_output=True,
                              text=True, timeout=600)
        if proc.returncode != 0:
            raise DeployError(f"Uzak sunucuda işlem başarısız ({self._dest}): {proc.stderr.strip()[-300:]}",
                              f"remote command failed with {proc.returncode}: {proc.stderr.strip()}")
        return proc.stdout

    def _state(self, retrying: str = "") -> tuple[str | None, dict[str, dict]]:
        """Clean leftovers remotely, then read the current id and each finished release's metadata.

        A served release whose metadata was never written (deploy killed after the switch) gets a
        placeholder record, unless it is `retrying`, the release being deployed again."""
        current, metas, unrecorded = None, {}, []
        for line in self._remote(_STATE, self.base).splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "current":
                current = rest.strip() or None
            elif kind == "release":
                rid, _, data = rest.partition(" ")
                metas[rid] = json.loads(data)
            elif kind == "unrecorded" and rest.strip() != retrying:
                unrecorded.append(rest.strip())
        for rid in unrecorded:
            metas[rid] = {"id": rid, "created_at": now_iso(self.clock), "items": [], "published_by": "",
                          "build_id": rid, "recovered": True}
            self._remote(_WRITE_META, self.base, stdin=f"{rid} {_json_line(metas[rid])}\n")
        return current, metas

    def _release(self, rid: str, meta: dict, current: str | None) -> Release:
        meta = dict(meta)
        created = meta.pop("created_at", "")
        meta.pop("id", None)
        return Release(rid, created, f"{self.base}/releases/{rid}", meta, rid == current)

    # -- interface -------------------------------------------------------------------------------------
    def releases(self) -> list[Release]:
        current, metas = self._state()
        return [self._release(rid, metas[rid], current) for rid in sorted(metas, reverse=True)]

    def current(self) -> Release | None:
        current, metas = self._state()
        return self._release(current, metas.get(current, {}), current) if current else None

    def deploy(self, build_dir: Path, release_id: str, meta: dict) -> Release:
        """rsync the build into releases/<id>.tmp, then rename, switch and record it over ssh."""
        build_dir = check_deploy_input(build_dir, release_id)
        with deploy_lock(self.paths):
            started = time.perf_counter()
            current, metas = self._state(retrying=release_id)
            if release_id in metas:
                raise ConflictError(f"'{release_id}' kimlikli yayın zaten yapılmış.",
                                    f"release {release_id!r} was already deployed")
            if current != release_id:
                self._rsync(build_dir, release_id, current or (sorted(metas)[-1] if metas else None))
            record = {"id": release_id, "created_at": now_iso(self.clock, meta.get("created_at")),
                      "items": list(meta.get("items", [])), "published_by": meta.get("published_by", "sistem"),
                      "build_id": meta.get("build_id", release_id),
                      "stats": {"seconds": round(time.perf_counter() - started, 3)},
                      **{k: v for k, v in meta.items()
                         if k not in ("items", "published_by", "build_id", "created_at")}}
            self._remote(_FINISH, self.base, release_id, stdin=_json_line(record) + "\n")
            metas[release_id] = record
            doomed = prune_plan(sorted(metas), release_id, self.keep)
            if doomed:
                self._remote(_PRUNE, self.base, *doomed)
            log.info("deployed release %s to %s:%s", release_id, self._dest, self.base)
            return self._release(release_id, record, release_id)

    def _rsync(self, build_dir: Path, release_id: str, previous: str | None) -> None:
        # --no-times: every build rewrites every file, so equal content must be enough for --link-dest to link.
        command = ["rsync", "-a", "--no-times", "--checksum", "--whole-file", "--delete",
                   "-e", shlex.join(self._ssh_args())]
        if previous:
            command.append(f"--link-dest=../{previous}")
        command += [f"{build_dir}/", f"{self._dest}:{self.base}/releases/{release_id}.tmp/"]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0:
            raise DeployError(f"rsync başarısız ({self._dest}): {proc.stderr.strip()[-300:]}",
                              f"rsync failed with {proc.returncode}: {proc.stderr.strip()}")

    def rollback(self, to: str | None = None, by: str = "sistem", at: dt.datetime | None = None) -> Release:
        """Switch <path>/current back to `to` (default: the release before the current one)."""
        with deploy_lock(self.paths):
            current, metas = self._state()
            target = rollback_choice(sorted(metas), current, to)
            when = now_iso(self.clock, at)
            updates = {target: {**metas[target], "restored_at": when, "restored_by": by, "restored_from": current}}
            if current in metas:
                updates[current] = {**metas[current], "rolled_back_at": when, "rolled_back_by": by,
                                    "rolled_back_to": target}
            lines = "".join(f"{rid} {_json_line(data)}\n" for rid, data in updates.items())
            self._remote(_SWITCH, self.base, target, stdin=lines)
            return self._release(target, updates[target], target)
