"""Headless Chromium (Debian's, never a downloaded build) driven by Playwright against the live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


class _SharedChromium:
    """One Playwright and one Chromium per test process, however many modules import the fixtures below.

    Other test packages import `browser` from here; each import is a fixture of its own, so two could be alive
    at once, and a second Playwright sync API started in the thread of the first refuses to run. The instances
    share this one and the last to finish stops it."""

    def __init__(self):
        self.users = 0
        self.playwright = None
        self.chromium = None
        self.previous_async_unsafe = None

    def acquire(self):
        if self.users == 0:
            from playwright.sync_api import sync_playwright

            # Playwright's sync API runs an event loop in this thread; Django refuses database calls from a
            # thread with a running loop unless told that this (test-only) use is safe.
            self.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            try:
                self.chromium = self.playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
            except Exception:
                self._stop()
                raise
        self.users += 1
        return self.chromium

    def release(self):
        self.users -= 1
        if self.users == 0:
            self.chromium.close()
            self._stop()

    def _stop(self):
        self.playwright.stop()
        self.playwright = self.chromium = None
        if self.previous_async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_async_unsafe


_shared = _SharedChromium()


@pytest.fixture(scope="package")
def browser():
    chromium = _shared.acquire()
    yield chromium
    _shared.release()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab whose console errors (a CSP violation is one) fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)  # pages are local: waiting longer only hides a failure
    tab = context.new_page()
    problems = []
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert not problems, f"browser console errors: {problems}"


@pytest.fixture(scope="package")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")
