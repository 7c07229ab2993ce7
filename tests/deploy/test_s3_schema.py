"""The s3 target's part of instance.yaml: its settings, what it needs, every problem reported in Turkish."""

from __future__ import annotations

import pytest

from municms.config import parse_instance
from municms.errors import ConfigError

from .conftest import TINY

BASE = (TINY / "instance.yaml").read_text(encoding="utf-8")


def problems(text: str) -> set[tuple[str, str]]:
    with pytest.raises(ConfigError) as err:
        parse_instance(BASE + text)
    return {(p.field, p.message_tr) for p in err.value.problems}


def test_s3_target_settings():
    deploy = parse_instance(BASE + "deploy: {target: s3, bucket: deneme-belediyesi, endpoint_url: "
                                   "'https://s3.eu-central-1.amazonaws.com', prefix: site/www, region: eu-central-1,"
                                   " keep_releases: 4}\n").deploy
    assert (deploy.target, deploy.bucket, deploy.endpoint_url, deploy.prefix, deploy.region, deploy.keep_releases) \
        == ("s3", "deneme-belediyesi", "https://s3.eu-central-1.amazonaws.com", "site/www", "eu-central-1", 4)
    bare = parse_instance(BASE + "deploy: {target: s3, bucket: site, endpoint_url: 'http://10.0.0.7:8333'}\n")
    assert (bare.deploy.prefix, bare.deploy.region) == ("", "")


def test_s3_target_needs_bucket_and_endpoint():
    assert problems("deploy: {target: s3}\n") == {
        ("deploy.bucket", "'s3' hedefi için deploy.bucket gereklidir: kova adı (ör. corum-belediyesi-site)."),
        ("deploy.endpoint_url", "'s3' hedefi için deploy.endpoint_url gereklidir: nesne deposunun adresi "
                                "(ör. https://s3.eu-central-1.amazonaws.com).")}


def test_every_s3_problem_is_reported():
    assert problems("deploy:\n  target: s3\n  bucket: Büyük_Kova\n  endpoint_url: s3.example.org/yol\n"
                    "  prefix: /site//www\n  region: EU Central\n  aws_secret_access_key: x\n") == {
        ("deploy.bucket", "Biçim geçersiz. Kova adı 3-63 karakter olmalı; küçük harf, rakam, nokta ve tire "
                          "içerebilir (ör. corum-belediyesi-site)."),
        ("deploy.endpoint_url", "Biçim geçersiz. Nesne deposunun adresini yol olmadan, http:// ya da https:// ile "
                                "yazın (ör. https://s3.eu-central-1.amazonaws.com ya da http://10.0.0.7:8333)."),
        ("deploy.prefix", "Biçim geçersiz. Kovadaki klasörü harf, rakam, nokta, tire ve alt çizgiyle, "
                          "parçaları / ile ayırarak yazın (ör. site ya da siteler/corum)."),
        ("deploy.region", "Biçim geçersiz. Bölgeyi küçük harf, rakam ve tireyle yazın (ör. eu-central-1)."),
        ("deploy.aws_secret_access_key", "Bu alan tanınmıyor (yazım hatası olabilir)."),
    }


def test_s3_settings_mean_nothing_for_another_target():
    assert problems("deploy: {bucket: site, prefix: www}\n") == {
        ("deploy.bucket", "deploy.bucket yalnız 's3' hedefi için geçerlidir; hedef 'local'. Ya 'target: s3' yazın "
                          "ya da bu satırı silin."),
        ("deploy.prefix", "deploy.prefix yalnız 's3' hedefi için geçerlidir; hedef 'local'. Ya 'target: s3' yazın "
                          "ya da bu satırı silin.")}
    assert ("deploy.target", "İzin verilen değerlerden biri olmalıdır. İzin verilenler: 'local', 'rsync' ya da "
                             "'s3'.") in problems("deploy: {target: ftp}\n")
