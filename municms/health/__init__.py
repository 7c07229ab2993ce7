"""Health of an instance: start-up checks (database, releases, locks) and a full disk met as a clear error.

    findings = check_instance(instance, paths)        # every finding: error, warning or note
    guard(instance, paths, "publish")                  # raises StartupError on an error, prints the rest

Nothing here changes a file: the checks only read, and say what the next run (or the user) will do.
"""

from .diskfull import DiskFull, disk_full, is_disk_full
from .startup import Finding, StartupError, check_database, check_instance, guard

__all__ = ["DiskFull", "disk_full", "is_disk_full", "Finding", "StartupError", "check_database", "check_instance",
           "guard"]
