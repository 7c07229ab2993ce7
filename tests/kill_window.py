"""Kills that land inside a run of a command whose length changes: the first publish builds everything, later
ones are incremental and shorter, and a busy machine stretches them all."""

from __future__ import annotations

import random
import signal
import subprocess
import time


class KillWindow:
    """Runs `command` and SIGKILLs it at a random fraction [low, high) of the length it had last time it ran to
    its end; a run that ends before its moment teaches the new length, so the next kill lands inside."""

    def __init__(self, command: list[str], env: dict[str, str], rng: random.Random, low: float, high: float):
        self.command, self.env, self.rng, self.low, self.high = command, env, rng, low, high
        self.duration = 0.0

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run_to_end(self) -> None:
        started = time.monotonic()
        process = self._start()
        if process.wait() != 0:
            raise AssertionError(f"{' '.join(self.command[-2:])} failed ({process.returncode})")
        self.duration = time.monotonic() - started

    def kill_once(self) -> bool:
        """True when the run was killed; False when it ended first (its length is remembered)."""
        started = time.monotonic()
        process = self._start()
        deadline = started + self.rng.uniform(self.low, self.high) * self.duration
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        else:
            self.duration = time.monotonic() - started
        process.wait()
        return killed
