"""Fixtures of the registered originals' bucket: the session's SeaweedFS, and instances that keep their
registered folders in a bucket of it."""

from __future__ import annotations

import pytest

from municms.config import load_instance
from tests.seaweedfs import s3_bucket, seaweedfs  # noqa: F401 - fixtures of these tests

PREFIX = "corum"


def keep_originals_in(site, endpoint: str, bucket: str, prefix: str = PREFIX) -> None:
    """Write storage.registered (target s3) into the instance's instance.yaml."""
    with open(site.root / "instance.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"\nstorage:\n  registered:\n    target: s3\n    bucket: {bucket}\n"
                     f"    endpoint_url: {endpoint}\n    prefix: {prefix}\n")
    site.instance = load_instance(site.root)


@pytest.fixture
def bucket_site(municipality, s3_bucket):  # noqa: F811
    """The tiny instance with its registered originals in the test's bucket (prefix corum/)."""
    site = municipality(site="tiny")
    keep_originals_in(site, s3_bucket.endpoint, s3_bucket.name)
    return site
