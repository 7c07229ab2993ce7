"""Deploy a built directory from the command line: python -m municms.deploy --instance DIR BUILD_DIR ID.

For operators who build elsewhere (and the crash tests). Like every command that changes the public site it
authenticates its actor (--as with a password, MUNICMS_TOKEN, or the owner's --system), allows only a mudur
or yonetici, and writes a `deploy` event to the register. Prints JSON lines.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..commands.context import open_context
from ..commands.identity import add_identity_flags, authenticate
from ..errors import MunicmsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m municms.deploy", description="derlenmiş siteyi yayına al")
    parser.add_argument("--instance", metavar="DIR")
    add_identity_flags(parser, system=True)
    parser.add_argument("build_dir")
    parser.add_argument("release_id")
    args = parser.parse_args(argv)
    from ..actions.deploy_build import deploy_build

    held = {}  # when this process took the deploy lock and when it let it go
    try:
        with open_context(args) as ctx:
            actor = authenticate(args, ctx)
            print(json.dumps({"event": "start", "at": time.time()}), flush=True)
            release = deploy_build(ctx.ledger, ctx.instance, ctx.paths, ctx.clock, actor, Path(args.build_dir),
                                   args.release_id, on_locked=lambda: held.setdefault("locked_at", time.time()),
                                   on_unlocking=lambda: held.setdefault("released_at", time.time()))
    except MunicmsError as exc:
        print(json.dumps({"ok": False, "error": type(exc).__name__, "message": exc.message_tr},
                         ensure_ascii=False), flush=True)
        return 1
    print(json.dumps({"ok": True, "id": release.id, "locked_at": held.get("locked_at"),
                      "released_at": held.get("released_at"),
                      "stats": release.meta.get("stats", {})}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
