"""rsync target: the local scheme on another host, over ssh, with the same layout (releases of shards).

The shards the remote side lacks and the new release folder are put together locally under
`var/rsync/<id>/` (hard links of the build) as `shards/<name>.tmp/` and `releases/<id>.tmp/`; one
`rsync -a --whole-file` (symlinks kept as symlinks) sends them to `<path>/`, so shards stored there already
are never sent nor rewritten. Then one ssh call syncs, renames the shards and the release into place, points
a temp link at it and `mv -T`s that over `<path>/current` (atomic), and writes `<id>.json`; pruning removes
old releases and then the shards no remaining release links to.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shlex
import shutil
import subprocess
import time
from pathlib import Path

from ..errors import ConflictError, DeployError
from . import Release, check_deploy_input, now_iso, prune_plan, rollback_choice
from .lock import deploy_lock
from .shards import Placer, compose_release, plan_release, release_identity, stage_shards

log = logging.getLogger(__name__)

# Remote shell snippets; "$1" is always the base path. POSIX sh and coreutils only on the far side.
_STATE = r"""
set -e
mkdir -p "$1/releases" "$1/shards"
cd "$1/releases"
if [ "$2" = clean ]; then
  for x in *.tmp ../shards/*.tmp; do [ -e "$x" ] || [ -L "$x" ] || continue; rm -rf -- "$x"; done
  rm -f -- "$1/.current.tmp"
  for f in *.json; do [ -e "$f" ] || continue; [ -d "${f%.json}" ] || rm -f -- "$f"; done
fi
cur=$(readlink "$1/current" || true)
for d in */; do
  d=${d%/}; [ -d "$d" ] || continue; [ -e "$d.json" ] && continue; case "$d" in *.tmp) continue;; esac
  if [ "releases/$d" = "$cur" ]; then echo "unrecorded $d"; elif [ "$2" = clean ]; then rm -rf -- "$d"; fi
done
echo "current ${cur##*/}"
for f in *.json; do [ -e "$f" ] || continue; printf 'release %s ' "${f%.json}"; cat "$f"; echo; done
for s in ../shards/*; do [ -d "$s" ] || continue; case "$s" in *.tmp) continue;; esac; echo "shard ${s##*/}"; done
"""

_FINISH = r"""
set -e
cd "$1"
rid=$2
shift 2
sync
for shard in "$@"; do mv -T "shards/$shard.tmp" "shards/$shard"; done
if [ -d "releases/$rid.tmp" ]; then mv -T "releases/$rid.tmp" "releases/$rid"; fi
ln -sfn "releases/$rid" .current.tmp
mv -T .current.tmp current
cat > "releases/$rid.json.tmp"
mv -f "releases/$rid.json.tmp" "releases/$rid.json"
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
cd "$1"
shift
for rid in "$@"; do
  mv -T "releases/$rid" "releases/$rid.tmp"; rm -f -- "releases/$rid.json"; rm -rf -- "releases/$rid.tmp"
done
used=$(find releases -type l -exec readlink {} + | sed 's#.*/##' | sort -u)
for s in shards/*; do
  [ -d "$s" ] || continue
  printf '%s\n' "$used" | grep -qxF -- "${s#shards/}" && continue
  case "$s" in *.tmp) ;; *) mv -T "$s" "$s.tmp"; s="$s.tmp";; esac
  rm -rf -- "$s"
done
"""


def _json_line(data: dict) -> str:
    """Metadata as one line of ASCII JSON (the remote side stores it with printf)."""
    return json.dumps(data, sort_keys=True, default=str)


def ssh_command(port: int, identity_file: str | None, known_hosts_file: str | None) -> list[str]:
    """ssh as municms runs it unattended: no password prompt, a short connect timeout, the given key only, and
    the host checked against the given known_hosts file."""
    args = ["ssh", "-p", str(port), "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]
    if identity_file:
        args += ["-i", identity_file, "-o", "IdentitiesOnly=yes"]
    if known_hosts_file:
        args += ["-o", f"UserKnownHostsFile={known_hosts_file}", "-o", "StrictHostKeyChecking=yes"]
    return args


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
        return ssh_command(s.port, s.identity_file, s.known_hosts_file)

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

    def _state(self, retrying: str | None = None) -> tuple[str | None, dict[str, dict], set[str]]:
        """Read the current id, each finished release's metadata and the stored shards' names; when deploying
        or rolling back (`retrying` given, "" for a rollback: under the lock) clean leftovers first.

        A served release whose metadata was never written (deploy killed after the switch) gets a
        placeholder record, unless it is `retrying`, the release being deployed again."""
        clean = retrying is not None
        current, metas, unrecorded, shards = None, {}, [], set()
        for line in self._remote(_STATE, self.base, "clean" if clean else "").splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "current":
                current = rest.strip() or None
            elif kind == "release":
                rid, _, data = rest.partition(" ")
                metas[rid] = json.loads(data)
            elif kind == "shard":
                shards.add(rest.strip())
            elif kind == "unrecorded" and rest.strip() != retrying:
                unrecorded.append(rest.strip())
        for rid in unrecorded:
            metas[rid] = {"id": rid, "created_at": now_iso(self.clock), "items": [], "published_by": "",
                          "build_id": rid, "recovered": True}
            if clean:
                self._remote(_WRITE_META, self.base, stdin=f"{rid} {_json_line(metas[rid])}\n")
        return current, metas, shards

    def _release(self, rid: str, meta: dict, current: str | None) -> Release:
        meta = dict(meta)
        created = meta.pop("created_at", "")
        meta.pop("id", None)
        return Release(rid, created, f"{self.base}/releases/{rid}", meta, rid == current)

    # -- interface -------------------------------------------------------------------------------------
    def releases(self) -> list[Release]:
        current, metas, _ = self._state()
        return [self._release(rid, metas[rid], current) for rid in sorted(metas, reverse=True)]

    def current(self) -> Release | None:
        current, metas, _ = self._state()
        return self._release(current, metas.get(current, {}), current) if current else None

    def deploy(self, build_dir: Path, release_id: str, meta: dict, hashes: dict[str, str] | None = None,
               link: bool = True, exact: bool = False) -> Release:
        """Send the shards the remote side lacks and the release folder, then rename, switch and record it
        over ssh. `hashes`, `link` and `exact` as for the local target (the build is never modified)."""
        build_dir = check_deploy_input(build_dir, release_id)
        with deploy_lock(self.paths):
            started = time.perf_counter()
            current, metas, stored = self._state(retrying=release_id)
            if release_id in metas:
                raise ConflictError(f"'{release_id}' kimlikli yayın zaten yapılmış.",
                                    f"release {release_id!r} was already deployed")
            new, stats = [], {}
            if current != release_id:  # else the switch was done, only metadata is missing
                new, stats = self._send(build_dir, release_id, meta.get("build_id", release_id), hashes, stored,
                                         exact)
            stats["seconds"] = round(time.perf_counter() - started, 3)
            record = {"id": release_id, "created_at": now_iso(self.clock, meta.get("created_at")),
                      "items": list(meta.get("items", [])), "published_by": meta.get("published_by", "sistem"),
                      "build_id": meta.get("build_id", release_id), "stats": stats,
                      **{k: v for k, v in meta.items()
                         if k not in ("items", "published_by", "build_id", "created_at")}}
            self._remote(_FINISH, self.base, release_id, *new, stdin=_json_line(record) + "\n")
            metas[release_id] = record
            self._remote(_PRUNE, self.base, *prune_plan(sorted(metas), release_id, self.keep))
            log.info("deployed release %s to %s:%s", release_id, self._dest, self.base)
            return self._release(release_id, record, release_id)

    def _send(self, build_dir: Path, release_id: str, build_id: str, hashes: dict[str, str] | None,
              stored: set[str], exact: bool = False) -> tuple[list[str], dict]:
        """Put the new shards and the release folder together under var/rsync/<id>/ and rsync them over."""
        plan, new = plan_release(build_dir, hashes, stored.__contains__, exact)
        staging = self.paths.var / "rsync"
        shutil.rmtree(staging, ignore_errors=True)  # what a killed deploy left
        outgoing = staging / release_id
        (outgoing / "releases").mkdir(parents=True)
        placer = Placer()  # hard links of the build (copies across file systems): the build is not modified
        try:
            stage_shards(new, build_dir, outgoing / "shards", placer)
            compose_release(plan, build_dir, outgoing / "releases" / f"{release_id}.tmp", outgoing / "shards",
                            placer, release_identity(release_id, plan, build_id))
            self._rsync(outgoing)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written = sum(len(s.files) for s in new) + len(plan.top_files) + 1
        return [s.name for s in new], {"files": len(plan.hashes), "files_written": written,
                                       "shards": len(plan.shards), "shards_new": len(new),
                                       "shards_reused": len(plan.shards) - len(new)}

    def _rsync(self, outgoing: Path) -> None:
        # Only new things are in `outgoing`, all under names that do not exist remotely (`*.tmp`): nothing there
        # is deleted or rewritten. -a keeps the release's shard symlinks as symlinks.
        command = ["rsync", "-a", "--whole-file", "--omit-dir-times", "-e", shlex.join(self._ssh_args()),
                   f"{outgoing}/", f"{self._dest}:{self.base}/"]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0:
            raise DeployError(f"rsync başarısız ({self._dest}): {proc.stderr.strip()[-300:]}",
                              f"rsync failed with {proc.returncode}: {proc.stderr.strip()}")

    def rollback(self, to: str | None = None, by: str = "sistem", at: dt.datetime | None = None) -> Release:
        """Switch <path>/current back to `to` (default: the release before the current one)."""
        with deploy_lock(self.paths):
            current, metas, _ = self._state(retrying="")
            target = rollback_choice(sorted(metas), current, to)
            when = now_iso(self.clock, at)
            updates = {target: {**metas[target], "restored_at": when, "restored_by": by, "restored_from": current}}
            if current in metas:
                updates[current] = {**metas[current], "rolled_back_at": when, "rolled_back_by": by,
                                    "rolled_back_to": target}
            lines = "".join(f"{rid} {_json_line(data)}\n" for rid, data in updates.items())
            self._remote(_SWITCH, self.base, target, stdin=lines)
            return self._release(target, updates[target], target)
