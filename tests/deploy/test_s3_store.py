"""The test store itself: SeaweedFS on loopback answers S3, writing needs the key, reading objects does not."""

from __future__ import annotations

import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def anonymous(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method), timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_store_needs_the_key_to_write_and_list(s3_bucket):
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key="a/b.txt", Body=b"merhaba")
    base = f"{s3_bucket.endpoint}/{s3_bucket.name}"
    assert anonymous(f"{base}/a/b.txt") == (200, b"merhaba")
    assert anonymous(f"{base}/a/yok.txt")[0] == 404
    assert anonymous(f"{base}?list-type=2")[0] == 403
    assert anonymous(f"{base}/a/c.txt", "PUT", b"x")[0] == 403
    stranger = boto3.client("s3", endpoint_url=s3_bucket.endpoint, aws_access_key_id="baskasi",
                            aws_secret_access_key="yanlis-anahtar-0000000000", region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))
    with pytest.raises(ClientError):
        stranger.put_object(Bucket=s3_bucket.name, Key="a/c.txt", Body=b"x")
    assert s3_bucket.keys() == ["a/b.txt"]
