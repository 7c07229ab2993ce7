"""Every signal municms sends, in one place. Sent after the action's transaction has committed.

Receivers get the sender (the action name) and keyword arguments: ``item`` (model.Item) and
``event`` (model.Event) for item signals; ``release`` for deploy signals.
"""

from __future__ import annotations

from blinker import Namespace

municms_signals = Namespace()

item_registered = municms_signals.signal("item_registered")
item_quarantined = municms_signals.signal("item_quarantined")
item_assigned = municms_signals.signal("item_assigned")
item_review_started = municms_signals.signal("item_review_started")
item_approved = municms_signals.signal("item_approved")
changes_requested = municms_signals.signal("changes_requested")
item_resubmitted = municms_signals.signal("item_resubmitted")
item_rejected = municms_signals.signal("item_rejected")
item_withdrawn = municms_signals.signal("item_withdrawn")
item_published = municms_signals.signal("item_published")
item_held = municms_signals.signal("item_held")  # left out of a release: its page failed a check
item_expired = municms_signals.signal("item_expired")
item_archived = municms_signals.signal("item_archived")
item_edited = municms_signals.signal("item_edited")  # an editor wrote a new revision
item_discarded = municms_signals.signal("item_discarded")  # a new revision of published content turned down
comment_added = municms_signals.signal("comment_added")
user_added = municms_signals.signal("user_added")
user_role_changed = municms_signals.signal("user_role_changed")  # role, unit or department
release_deployed = municms_signals.signal("release_deployed")
release_rolled_back = municms_signals.signal("release_rolled_back")
# Seminars: sender is the action name; keyword arguments item, registration (or notice)
seminar_registration_changed = municms_signals.signal("seminar_registration_changed")
seminar_changed = municms_signals.signal("seminar_changed")  # cancelled, dates changed
backup_taken = municms_signals.signal("backup_taken")  # an archive of the instance was written (backup)
ledger_migrated = municms_signals.signal("ledger_migrated")  # the ledger's schema was created or upgraded (migrate)
ledger_copied = municms_signals.signal("ledger_copied")  # a SQLite ledger was copied into PostgreSQL (db copy)
