"""storage.registered in instance.yaml: local by default, the bucket's settings, every problem in Turkish."""

from __future__ import annotations

import pytest

from municms.config import parse_instance
from municms.errors import ConfigError
from tests.tinysite import TINY

BASE = (TINY / "instance.yaml").read_text(encoding="utf-8")


def problems(text: str) -> set[tuple[str, str]]:
    with pytest.raises(ConfigError) as err:
        parse_instance(BASE + text)
    return {(p.field, p.message_tr) for p in err.value.problems}


def test_registered_originals_stay_on_disk_by_default():
    assert parse_instance(BASE).storage.registered.target == "local"


def test_bucket_settings():
    settings = parse_instance(BASE + "storage:\n  registered: {target: s3, bucket: corum-kayit, endpoint_url: "
                                     "'http://10.0.0.7:8333', prefix: kayit/corum, region: eu-central-1}\n"
                              ).storage.registered
    assert (settings.target, settings.bucket, settings.endpoint_url, settings.prefix, settings.region) == \
        ("s3", "corum-kayit", "http://10.0.0.7:8333", "kayit/corum", "eu-central-1")


def test_the_bucket_needs_its_name_and_address():
    assert problems("storage: {registered: {target: s3}}\n") == {
        ("storage.registered.bucket", "'s3' hedefi için storage.registered.bucket gereklidir: kova adı "
                                      "(ör. corum-belediyesi-kayit)."),
        ("storage.registered.endpoint_url", "'s3' hedefi için storage.registered.endpoint_url gereklidir: nesne "
                                            "deposunun adresi (ör. https://s3.eu-central-1.amazonaws.com).")}


def test_every_problem_is_reported_at_once():
    assert problems("storage:\n  registered:\n    target: s3\n    bucket: Büyük_Kova\n"
                    "    endpoint_url: s3.example.org/yol\n    prefix: /kayit//x\n    region: EU\n    key: x\n") == {
        ("storage.registered.bucket", "Biçim geçersiz. Kova adı 3-63 karakter olmalı; küçük harf, rakam, nokta ve "
                                      "tire içerebilir (ör. corum-belediyesi-kayit)."),
        ("storage.registered.endpoint_url", "Biçim geçersiz. Nesne deposunun adresini yol olmadan, http:// ya da "
                                            "https:// ile yazın (ör. https://s3.eu-central-1.amazonaws.com ya da "
                                            "http://10.0.0.7:8333)."),
        ("storage.registered.prefix", "Biçim geçersiz. Kovadaki klasörü harf, rakam, nokta, tire ve alt çizgiyle, "
                                      "parçaları / ile ayırarak yazın (ör. kayit ya da belediyeler/corum)."),
        ("storage.registered.region", "Biçim geçersiz. Bölgeyi küçük harf, rakam ve tireyle yazın (ör. eu-central-1)."),
        ("storage.registered.key", "Bu alan tanınmıyor (yazım hatası olabilir)."),
    }


def test_bucket_settings_mean_nothing_on_disk():
    assert problems("storage: {registered: {bucket: kayit}}\n") == {
        ("storage.registered.bucket", "storage.registered.bucket yalnız 's3' hedefi için geçerlidir; hedef "
                                      "'local'. Ya 'target: s3' yazın ya da bu satırı silin.")}
    assert ("storage.registered.target", "İzin verilen değerlerden biri olmalıdır. İzin verilenler: 'local' ya da "
                                         "'s3'.") in problems("storage: {registered: {target: rsync}}\n")
