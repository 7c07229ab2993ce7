"""CLI command modules; each exposes register(subparsers) and handlers that call actions."""

# Order is the order of `publish.py --help`.
MODULES = ("site", "releases", "backup", "verify", "workflow", "users", "inbox", "publish", "seminars", "doctor",
           "database")
