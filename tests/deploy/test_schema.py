"""The deploy: part of instance.yaml: defaults, the rsync target, every problem reported."""

from __future__ import annotations

import pytest

from municms.config import parse_instance
from municms.errors import ConfigError

from .conftest import TINY

BASE = (TINY / "instance.yaml").read_text(encoding="utf-8")


def test_defaults_to_local_with_five_releases():
    deploy = parse_instance(BASE).deploy
    assert (deploy.target, deploy.keep_releases, deploy.rsync) == ("local", 5, None)


def test_rsync_target_settings():
    deploy = parse_instance(BASE + "deploy:\n  target: rsync\n  rsync: {host: web1.deneme.bel.tr, path: /srv/site,"
                                   " user: yayin, identity_file: /etc/municms/anahtar, keep_releases: 9}\n").deploy
    assert deploy.target == "rsync"
    assert (deploy.rsync.host, deploy.rsync.port, deploy.rsync.user, deploy.rsync.path) == \
        ("web1.deneme.bel.tr", 22, "yayin", "/srv/site")
    assert (deploy.rsync.identity_file, deploy.rsync.keep_releases, deploy.rsync.known_hosts_file) == \
        ("/etc/municms/anahtar", 9, "")


def test_every_deploy_problem_is_reported():
    text = BASE + ("deploy:\n  target: ftp\n  keep_releases: 0\n  rsync: {host: 'kötü host', path: göreli/yol,"
                   " port: 0, sifre: x}\n")
    with pytest.raises(ConfigError) as err:
        parse_instance(text)
    found = {(p.field, p.message_tr) for p in err.value.problems}
    assert found == {
        ("deploy.target", "İzin verilen değerlerden biri olmalıdır. İzin verilenler: 'local', 'rsync' ya da 's3'."),
        ("deploy.keep_releases", "Değer en az 1 olmalıdır."),
        ("deploy.rsync.host", "Biçim geçersiz. Sunucu adı ya da IP adresi yazın (ör. web1.corum.bel.tr)."),
        ("deploy.rsync.path", "Biçim geçersiz. Tam yol yazın: / ile başlamalı (ör. /srv/municms)."),
        ("deploy.rsync.port", "Değer en az 1 olmalıdır."),
        ("deploy.rsync.sifre", "Bu alan tanınmıyor (yazım hatası olabilir)."),
    }


def test_rsync_target_needs_its_section():
    with pytest.raises(ConfigError) as err:
        parse_instance(BASE + "deploy: {target: rsync}\n")
    assert [(p.field, p.message_tr) for p in err.value.problems] == [
        ("deploy.target", "'rsync' hedefi için deploy.rsync bölümü (host, path) gereklidir.")]
