"""End-to-end settings: browser assertions wait longer than Playwright's 5 s, for a loaded 2-core CI machine."""

from playwright.sync_api import expect

expect.set_options(timeout=15_000)
