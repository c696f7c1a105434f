"""Fixtures for the site tests: the built handbook served on 127.0.0.1 and headless Debian Chromium."""

from __future__ import annotations

import shutil

import pytest

from helpers import SITE, SiteServer

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


@pytest.fixture(scope="session")
def site_url():
    """The built site (``make book``), served locally; a missing build is an error, not a skip."""
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make book` first (make test does)")
    with SiteServer(SITE) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's /usr/bin/chromium driven by Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed: run tools/ensure_system_deps.sh browser (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (cold cache) and page per test."""
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def real_repository(monkeypatch):
    """``repository.url`` set to a real (non-placeholder) server, as a bank deploying the handbook does."""
    import procedures.render

    monkeypatch.setattr(procedures.render, "_repository", lambda: ("https://git.bank.internal/training/handbook", "main", "gitlab"))
