"""Deploy a built directory from the command line: python -m municms.deploy --instance DIR BUILD_DIR ID.

Used by the publish pipeline's crash tests and by operators who build elsewhere; prints a JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..clock import SystemClock
from ..config import load_instance
from ..errors import MunicmsError
from ..paths import InstancePaths
from . import deploy_lock, get_target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municms.deploy", description="derlenmiş siteyi yayına al")
    parser.add_argument("--instance", metavar="DIR")
    parser.add_argument("--by", default="sistem", help="yayını yapan kullanıcı")
    parser.add_argument("build_dir")
    parser.add_argument("release_id")
    args = parser.parse_args(argv)
    try:
        instance = load_instance(args.instance)
        paths = InstancePaths(instance.root)
        target = get_target(instance, paths, SystemClock(instance.tz))
        print(json.dumps({"event": "start", "at": time.time()}), flush=True)
        with deploy_lock(paths):
            locked_at = time.time()
            release = target.deploy(Path(args.build_dir), args.release_id,
                                    {"published_by": args.by, "build_id": args.release_id})
            released_at = time.time()
    except MunicmsError as exc:
        print(json.dumps({"ok": False, "error": type(exc).__name__, "message": exc.message_tr}), flush=True)
        return 1
    print(json.dumps({"ok": True, "id": release.id, "locked_at": locked_at, "released_at": released_at,
                      "stats": release.meta.get("stats", {})}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
