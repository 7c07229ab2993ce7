"""The hash chain of the publication register: canonical serialisation, record hashes, tree hashes, replay (pure)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..deploy.shards import tree_digest

GENESIS = "0" * 64
EXPORT_DIR = "yayin-kaydi"
# Files a record does not hash: the export (it cannot hash itself) and the release's own identity file.
UNHASHED = (EXPORT_DIR + "/", "surum.json")
FORMAT = 1


def canonical(record: dict) -> bytes:
    """The bytes a record's hash is taken over: sorted keys, compact separators, UTF-8."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def public_hashes(hashes: dict[str, str]) -> dict[str, str]:
    """A release's file hashes without the files a record leaves out."""
    return {path: sha for path, sha in hashes.items() if not path.startswith(UNHASHED)}


def tree_hash(hashes: dict[str, str]) -> str:
    """SHA-256 of the sorted lines 'f <path> <sha256>\\n' (as surum.json's sha256)."""
    return tree_digest(dict(sorted(hashes.items())))


def file_changes(before: dict[str, str], after: dict[str, str]) -> dict:
    """What a record stores of the files: changed or added (with hashes), removed, and the tree hash after."""
    changed = {path: sha for path, sha in after.items() if before.get(path) != sha}
    removed = sorted(set(before) - set(after))
    return {"changed": dict(sorted(changed.items())), "removed": removed, "tree": tree_hash(after),
            "count": len(after)}


@dataclass
class State:
    """Everything the chain says up to one record: the files public then and each item's last entry."""

    hashes: dict[str, str] = field(default_factory=dict)
    items: dict[str, dict] = field(default_factory=dict)
    head: str = GENESIS
    seq: int = 0
    release: str | None = None

    def apply(self, record: dict) -> None:
        files = record["files"]
        for path in files["removed"]:
            self.hashes.pop(path, None)
        self.hashes.update(files["changed"])
        for entry in record["items"]:
            if entry["change"] == "kaldırıldı":
                self.items.pop(entry["number"], None)
            else:
                self.items[entry["number"]] = entry
        self.head, self.seq, self.release = record_hash(record), record["seq"], record["release"]


def replay(records: list[dict], lenient: bool = False) -> State:
    """The state after the given records (in order); `lenient`: skip a record too damaged to apply (verify
    reports it through check_chain)."""
    state = State()
    for record in records:
        try:
            state.apply(record)
        except (KeyError, TypeError, AttributeError):
            if not lenient:
                raise
    return state


@dataclass
class ChainProblem:
    """One thing wrong with a chain: the record's seq and a Turkish message."""

    seq: int
    message_tr: str


def check_chain(rows: list[dict]) -> list[ChainProblem]:
    """Every record's stored hash and link, given rows {seq, record (text), hash}; the tree hash after each."""
    problems: list[ChainProblem] = []
    previous, expected_seq, state = GENESIS, 1, State()
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            problems.append(ChainProblem(seq, f"{expected_seq}. kayıt eksik (sonraki kayıt {seq}. sırada)."))
        try:
            record = json.loads(row["record"])
        except ValueError:
            problems.append(ChainProblem(seq, f"{seq}. kayıt okunamıyor (JSON bozuk)."))
            previous, expected_seq = row["hash"], seq + 1
            continue
        actual = record_hash(record)
        if actual != row["hash"]:
            problems.append(ChainProblem(seq, f"{seq}. kaydın içeriği değiştirilmiş: saklanan özet {row['hash'][:12]}…, "
                                              f"hesaplanan {actual[:12]}…"))
        if record.get("previous") != previous:
            problems.append(ChainProblem(seq, f"{seq}. kayıt bir önceki kayda bağlanmıyor (önceki özet tutmuyor)."))
        if record.get("seq") != seq:
            problems.append(ChainProblem(seq, f"{seq}. kaydın sıra numarası değiştirilmiş."))
        try:
            state.apply(record)
        except (KeyError, TypeError, AttributeError):
            problems.append(ChainProblem(seq, f"{seq}. kaydın alanları eksik ya da bozuk."))
            previous, expected_seq = row["hash"], seq + 1
            continue
        if record.get("files", {}).get("tree") != tree_hash(state.hashes):
            problems.append(ChainProblem(seq, f"{seq}. kaydın dosya listesi özeti, değişikliklerden çıkan listeyle "
                                              "tutmuyor."))
        previous, expected_seq = row["hash"], seq + 1  # the stored hash: a changed record is named, not its successor
    return problems
