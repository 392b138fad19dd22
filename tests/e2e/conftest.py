"""Browser tests in the Chromium of Debian's chromium package, driven by Playwright.

Never a browser that Playwright downloads. Without Chromium the tests are a
visible skip naming the fix; with CI=true they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.artifacts import ARTIFACTS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FIX = "sudo apt-get install -y chromium"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# in the live-server fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# How long an assertion waits for the page it checks. After a click the next
# page may still be arriving, so assertions on it go through Playwright's
# expect(), which waits; on a busy 2-core machine a page can take seconds,
# more than expect's default of 5.
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI") in ("true", "1"):
            pytest.fail(f"Chromium is missing (CI=true). Fix: {FIX}")
        pytest.skip(reason=f"Chromium is missing. Fix: {FIX}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
