"""Take a backup of the instance: check the role, write the archive, record who took it (one event), announce."""

from __future__ import annotations

from pathlib import Path

from ..auth import Actor
from ..backup import BackupResult, write_backup
from ..backup.archive import Progress
from ..clock import Clock
from ..config import Instance
from ..errors import PermissionDenied
from ..ledger import Ledger
from ..model import YONETICI, Event
from ..paths import InstancePaths
from ..signals import backup_taken
from ._transition import event_data, load_actor

ACTION = "backup"


def take_backup(ledger: Ledger, instance: Instance, paths: InstancePaths, clock: Clock, actor: Actor,
                folder: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """One archive in `folder` (default: backup.dir of instance.yaml); an event names who took it, the file and
    its SHA-256. The archive holds password hashes and personal data: a yonetici or the system only."""
    user = load_actor(ledger, actor)
    if not actor.is_system and user.role != YONETICI:
        raise PermissionDenied("Yedek almayı yalnız yönetici yapabilir (yedekte parola özetleri ve kişisel veriler "
                               "bulunur).", f"'{user.login}' ({user.role}) may not take backups")
    result = write_backup(instance, paths, folder or instance.backup.folder(paths.root), clock.now(), progress)
    with ledger.transaction() as tx:
        tx.append_event(Event(item_id=None, at=clock.now(), actor=user.login, action=ACTION,
                              data=event_data(actor, {"file": str(result.path), "sha256": result.sha256,
                                                      "size": result.size, "items": result.items})))
    backup_taken.send(ACTION, result=result, actor=user.login)
    return result
