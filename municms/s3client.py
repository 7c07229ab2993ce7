"""The boto3 client of an S3-compatible object store, and its errors in Turkish: shared by the s3 deploy target
(municms.deploy.s3) and the bucket of registered originals (municms.register_store).

Credentials come only from the standard AWS environment variables. `section` names the part of instance.yaml
whose bucket and address are meant (deploy, storage.registered), so that a message says which lines to fix.
"""

from __future__ import annotations

import contextlib
import os

from .errors import DeployError

WORKERS = 16  # requests in flight at once


def s3_client(endpoint_url: str, region: str = "", workers: int = WORKERS, error: type = DeployError):
    """A boto3 client for the store, with the key of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
    AWS_SESSION_TOKEN if set) and no other source of credentials; checksums only where S3 requires them, which
    every S3-compatible store understands."""
    import boto3
    from botocore.config import Config

    key, secret = os.environ.get("AWS_ACCESS_KEY_ID", ""), os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    missing = [name for name, value in (("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret)) if not value]
    if missing:
        names = " ve ".join(missing)
        raise error(f"S3 erişim anahtarı tanımlı değil: {names} ortam değişkenini ayarlayın (nesne "
                    "deposunun verdiği erişim anahtarı ve gizli anahtar).",
                    f"missing environment variables: {', '.join(missing)}")
    session = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret,
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None,
        region_name=region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")
    config = Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=60,
                    retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=workers,
                    request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return session.client("s3", endpoint_url=endpoint_url, config=config)


DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys
_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


def list_keys(client, bucket: str, prefix: str, delimiter: str | None = None) -> tuple[list[str], list[str]]:
    """Keys and (with a delimiter) common prefixes under prefix, every page of them."""
    keys, prefixes = [], []
    extra = {"Delimiter": delimiter} if delimiter else {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, **extra):
        keys += [obj["Key"] for obj in page.get("Contents", [])]
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    return keys, prefixes


def is_missing(exc) -> bool:
    """A botocore ClientError saying the object does not exist (GET answers NoSuchKey, HEAD a bare 404)."""
    return exc.response.get("Error", {}).get("Code") in _MISSING_CODES


def delete_keys(client, bucket: str, keys: list[str], error: type, what_tr: str) -> None:
    """Delete keys in batches; the first key the store refused as `error` ("S3'te <what_tr> silinemedi …")."""
    for start in range(0, len(keys), DELETE_BATCH):
        batch = [{"Key": k} for k in keys[start:start + DELETE_BATCH]]
        answer = client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise error(f"{what_tr} silinemedi: {first.get('Key')} ({first.get('Code')}).",
                        f"DeleteObjects failed: {answer['Errors'][:3]}")


_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken",
                     "InvalidClientTokenId", "403", "Forbidden"}


@contextlib.contextmanager
def s3_errors(endpoint: str, bucket: str, section: str = "deploy", error: type = DeployError):
    """botocore's exceptions as `error` saying in Turkish what to check."""
    from botocore.exceptions import (BotoCoreError, ClientError, ConnectTimeoutError, EndpointConnectionError,
                                     ReadTimeoutError)

    where = f"{endpoint}, kova '{bucket}'"
    try:
        yield
    except ClientError as exc:
        info = exc.response.get("Error", {})
        code, message = str(info.get("Code", "")), info.get("Message", "")
        if code == "NoSuchBucket" or (code == "404" and exc.operation_name == "HeadBucket"):
            raise error(f"S3 kovası bulunamadı: '{bucket}' ({endpoint}). Kovayı oluşturun ya da instance.yaml'daki "
                        f"{section}.bucket değerini düzeltin.",
                        f"bucket {bucket!r} does not exist at {endpoint}") from exc
        if code in _CREDENTIAL_CODES:
            raise error(f"S3 erişim anahtarı reddedildi ({where}): AWS_ACCESS_KEY_ID ve AWS_SECRET_ACCESS_KEY "
                        "ortam değişkenlerini ve anahtarın bu kovaya yazma iznini denetleyin.",
                        f"S3 refused the credentials ({code}: {message})") from exc
        raise error(f"S3 işlemi başarısız ({where}): {code} {message}".rstrip(),
                    f"S3 {exc.operation_name} failed: {code} {message}") from exc
    except (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError) as exc:
        raise error(f"S3 sunucusuna ulaşılamadı: {endpoint}. Adresi ({section}.endpoint_url) ve ağ bağlantısını "
                    "denetleyin.", f"cannot reach {endpoint}: {exc}") from exc
    except BotoCoreError as exc:
        raise error(f"S3 işlemi başarısız ({where}): {exc}", f"S3 client error: {exc}") from exc
