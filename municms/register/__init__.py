"""The publication register (yayın kaydı): every deploy appends a record to a hash chain kept in the ledger and
exported with the site at /yayin-kaydi/; `publish.py verify` recomputes it.

A record is a JSON object; its hash is the SHA-256 (lowercase hex) of its canonical form: the object serialised
with sorted keys, no whitespace (separators "," and ":"), non-ASCII characters as themselves, encoded in UTF-8
(`json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")`). Each record
names the previous record's hash in `previous` (64 zeros for the first one). A record holds the changes of the
public files since the previous record (`files.changed`: path → SHA-256, `files.removed`: paths) and the tree hash
of the whole file list after them (`files.tree`: SHA-256 of the sorted lines "f <path> <sha256>\\n", the same
digest as a release's surum.json); replaying the changes from the first record gives every file's hash at any
record. The export itself (/yayin-kaydi/) and surum.json cannot hash themselves and are left out of the files.

    chain.py    canonical form, record hash, tree hash, replay (pure)
    records.py  the record of a deploy, from the build's hashes, the items and the ledger's events
    export.py   the /yayin-kaydi/ pages and machine files
    layout.py   the pages' layout in the site's theme, rendered by the build, filled by the export
    stamp.py    writing the export into a release and the record into the ledger, recovery after a kill
    verify.py   recomputing the chain, comparing the live export and files, matching a saved page
"""
