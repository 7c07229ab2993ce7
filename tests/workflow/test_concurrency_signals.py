"""Numbers stay gapless across processes; signals arrive only after a commit; passwords verify."""

from __future__ import annotations

import subprocess
import sys

import pytest

from municms import signals
from municms.actions.reject import reject
from municms.errors import ValidationError
from municms.model import REJECTED
from municms.passwords import hash_password, verify_password
from tests.tinysite import REPO

WORKER = """
import sys
from municms.ledger import open_ledger
ledger = open_ledger(sys.argv[1])
for n in range(int(sys.argv[2])):
    try:
        with ledger.transaction() as tx:
            seq, number = tx.allocate_number("BİM", 2026)
            if n % 3 == 2:
                raise RuntimeError("rolled back")
            print(seq, flush=True)
    except RuntimeError:
        pass
"""


def test_numbers_are_unique_and_gapless_across_concurrent_processes(municipality):
    m = municipality()
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(m.ledger.path), "30"], cwd=REPO,
                                stdout=subprocess.PIPE, text=True) for _ in range(4)]
    numbers = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        numbers += [int(line) for line in out.split()]
    assert sorted(numbers) == list(range(1, 4 * 20 + 1))
    with m.ledger.transaction() as tx:
        assert tx.allocate_number("BİM", 2026) == (81, "BİM-2026-000081")


def test_signal_is_sent_after_commit_and_not_on_refusal(municipality):
    m = municipality()
    made = m.submit("duyuru", "Işıklı Çarşı İhalesi")
    m.assign(made.number, to="web1", by="mudur1")
    m.review(made.number, by="web1")
    editor = m.actor("web2")
    seen = []

    def receiver(sender, item, event):
        # a new connection sees the committed state: the transaction is over when the signal arrives
        from municms.ledger import open_ledger
        seen.append((sender, open_ledger(m.ledger.path).item(item.id).state, event.to_state))

    signals.item_rejected.connect(receiver)
    try:
        with pytest.raises(ValidationError):
            reject(m.ledger, m.instance, made.number, editor, m.clock)
        assert seen == []
        reject(m.ledger, m.instance, made.number, editor, m.clock, reason="Mevzuata aykırı.")
        assert seen == [("reject", REJECTED, REJECTED)]
    finally:
        signals.item_rejected.disconnect(receiver)


def test_passwords_are_argon2_and_verify():
    stored = hash_password("Çorum-19-Mayıs")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "Çorum-19-Mayıs") is True
    assert verify_password(stored, "çorum-19-mayıs") is False
    assert verify_password("bozuk", "Çorum-19-Mayıs") is False
