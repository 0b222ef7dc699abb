"""Browser testing: Playwright for Python driving Debian's Chromium, with axe-core.

A pytest plugin (the root conftest.py loads it), so every app's browser tests get the same
fixtures: ``browser`` (one Chromium per test module), ``context`` (a fresh browser context per
test, its relative URLs pointing at pytest-django's live server) and ``page``; and the helpers
:func:`sign_in`, :func:`assert_accessible` and :func:`save_screenshot`.

Playwright's own browser download does not work on these machines, so the tests use the
``chromium`` package from Debian (``apt-get install chromium``; .ci/run installs it). The axe-core
accessibility engine comes from npm (``make`` installs it into node_modules).

One Chromium per test module rather than per session: Playwright's sync API keeps an asyncio
loop running in the test thread while it is started, and code in other tests that calls
``asyncio.run`` or ``async_to_sync`` would fail if it were still running.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    # This machine has no network but the package registries: without these Chromium keeps
    # trying to reach Google's servers, and each refused connection slows it down.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def chromium_executable() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.fail("Debian's Chromium is not installed: run `apt-get install chromium` (.ci/run does).")
    return found


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh browser context whose relative URLs go to pytest-django's live server."""
    fresh = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900}
    )
    fresh.set_default_timeout(15_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, email: str, password: str) -> None:
    """Signs in through the real sign-in form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core on the page and returns its serious and critical WCAG 2.1 AA violations."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make setup` (npm ci installs axe-core).")
    # Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not
    # govern; a <script> tag would be (rightly) refused by script-src 'self'.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [violation for violation in results["violations"] if violation["impact"] in SERIOUS]


def assert_accessible(page: Page) -> None:
    """Fails, listing each one, if axe-core finds a serious or critical violation."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{len(violations)} serious or critical accessibility violation(s) on {page.url}:"]
        for violation in violations:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
        pytest.fail("\n".join(lines))


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in var/screenshots (git-ignored) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
