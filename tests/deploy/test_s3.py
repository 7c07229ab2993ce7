"""s3 target against a real SeaweedFS on loopback: the key layout, only new files uploaded (the others copied
inside the store), object headers as nginx sends them, the pointer switch, pruning, rollback, leftovers, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from municms.deploy import get_target
from municms.deploy.objects import MIME_TYPES
from municms.deploy.s3 import S3Target
from municms.errors import ConflictError, DeployError, NotFound

from .conftest import CHANGED_PAGE, identity, release_id, target_tree
from municms.deploy.shards import plan_tree


def s3_instance(make_instance, bucket, keep: int = 2, prefix: str = "site/www", endpoint: str | None = None,
                name: str | None = None):
    return make_instance(f"deploy:\n  target: s3\n  keep_releases: {keep}\n  bucket: {name or bucket.name}\n"
                         f"  endpoint_url: {endpoint or bucket.endpoint}\n  prefix: {prefix}\n")


def stored_tree(bucket, base: str) -> dict[str, str]:
    """path → sha256 of every object of a release (without its surum.json), as target_tree() gives a folder."""
    import hashlib
    out = {}
    for key in bucket.keys(base):
        rel = key[len(base):]
        if rel != "surum.json":
            out[rel] = hashlib.sha256(bucket.read(key)).hexdigest()
    return out


def test_s3_deploy_copies_what_is_stored_prunes_and_rolls_back(make_instance, variants, s3_bucket):
    instance, paths = s3_instance(make_instance, s3_bucket)
    target = get_target(instance, paths)
    assert isinstance(target, S3Target)
    one, two = variants(1), variants(2, changed=True)
    r1, r2, r3 = release_id(1), release_id(2), release_id(3)

    first = target.deploy(one, r1, {"items": ["BİM-2026-000007"], "published_by": "ayse.editor"})
    assert first.current and first.items == ["BİM-2026-000007"] and first.published_by == "ayse.editor"
    assert first.path == f"s3://{s3_bucket.name}/site/www/releases/{r1}/"
    files = target_tree(one)
    assert stored_tree(s3_bucket, f"site/www/releases/{r1}/") == files
    assert first.meta["stats"]["files"] == len(files) and first.meta["stats"]["files_uploaded"] == len(files)
    assert first.meta["stats"]["files_copied"] == 0
    assert json.loads(s3_bucket.read(f"site/www/releases/{r1}/surum.json")) == {
        "release": r1, "build_id": r1, "files": len(files), "sha256": plan_tree(one).tree_digest()}
    pointer = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key="site/www/current")
    assert pointer["Body"].read() == f"{r1}\n".encode() and pointer["Metadata"] == {"release": r1}
    assert sorted(k for k in s3_bucket.keys() if not k.startswith("site/www/releases/")) == [
        "site/www/current", f"site/www/manifests/{r1}.json", f"site/www/meta/{r1}.json"]
    assert json.loads(s3_bucket.read(f"site/www/manifests/{r1}.json")) == {"release": r1, "files": files}

    second = target.deploy(two, r2, {"published_by": "sistem"})
    stats = second.meta["stats"]
    # only the changed article and the files that name the release's build (feeds, listings) are sent again
    changed = {rel for rel, sha in target_tree(two).items() if files.get(rel) != sha}
    assert CHANGED_PAGE in changed and len(changed) < 10
    assert (stats["files_uploaded"], stats["files_copied"]) == (len(changed), len(files) - len(changed))
    assert stored_tree(s3_bucket, f"site/www/releases/{r2}/") == target_tree(two)
    assert [(r.id, r.current) for r in target.releases()] == [(r2, True), (r1, False)]
    assert target.current().id == r2
    with pytest.raises(ConflictError):
        target.deploy(two, r2, {})

    back = target.rollback(by="mehmet.mudur")
    assert back.id == r1 and back.meta["restored_by"] == "mehmet.mudur" and back.meta["restored_from"] == r2
    assert s3_bucket.read("site/www/current") == f"{r1}\n".encode()
    abandoned = {r.id: r for r in target.releases()}[r2]
    assert (abandoned.meta["rolled_back_by"], abandoned.meta["rolled_back_to"]) == ("mehmet.mudur", r1)
    with pytest.raises(ConflictError):
        target.rollback(to=r1)
    with pytest.raises(NotFound):
        target.rollback(to=release_id(9))

    # keep_releases 2: 1 (current until now) is neither among the newest two nor just before 3
    third = target.deploy(variants(3), r3, {})
    assert third.meta["stats"]["files_uploaded"] < 10
    assert {k.split("/")[3] for k in s3_bucket.keys("site/www/releases/")} == {r2, r3}
    assert s3_bucket.keys("site/www/meta/") == [f"site/www/meta/{r2}.json", f"site/www/meta/{r3}.json"]
    assert s3_bucket.keys("site/www/manifests/") == [f"site/www/manifests/{r2}.json",
                                                     f"site/www/manifests/{r3}.json"]
    assert stored_tree(s3_bucket, f"site/www/releases/{r3}/") == target_tree(variants(3))
    assert identity_of(s3_bucket, r3)["release"] == r3


def identity_of(bucket, rid: str) -> dict:
    return json.loads(bucket.read(f"site/www/releases/{rid}/surum.json"))
