"""The live site as a local folder, for the commands that read it (`verify`, `check --site`): `var/current` for
the local and rsync targets; for the s3 target the live release, read from the bucket into a temporary folder
under var/ that is removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NotFound
from .paths import InstancePaths
from .private import private_dir


@contextmanager
def live_site(instance, paths: InstancePaths) -> Iterator[Path]:
    if instance.deploy.target != "s3":
        yield paths.current
        return
    from .deploy import get_target

    target = get_target(instance, paths)
    release = target.current()
    if release is None:
        raise NotFound(f"S3 kovasında ({instance.deploy.bucket}) yayında bir sürüm yok: önce yayımlayın.",
                       "no live release in the bucket")
    with tempfile.TemporaryDirectory(prefix="yayindaki-", dir=private_dir(paths.var)) as folder:
        target.download(release.id, Path(folder))
        yield Path(folder)
