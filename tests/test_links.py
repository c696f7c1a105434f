"""Link check of the built site: every internal link and anchor resolves; no link to a placeholder server."""

from __future__ import annotations

import functools
import html.parser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import SITE

pytestmark = pytest.mark.browser  # reads the built site (make book), like test_site.py

PAGES = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts and "_sources" not in p.relative_to(SITE).parts)
PLACEHOLDERS = ("example.com", "example.net", "example.org", ".invalid/", ".test/")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        for key in ("id", "name") if tag != "meta" else ():
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append((key, attrs[key]))


@functools.lru_cache(maxsize=None)
def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(page: Path) -> list[str]:
    """Internal links of ``page`` whose file or anchor does not exist in the built site."""
    broken = []
    for _, link in parse(page).links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or not target.is_relative_to(SITE.resolve()):
            broken.append(f"{link} (no file)")
            continue
        if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
            broken.append(f"{link} (no anchor)")
    return broken


def test_site_is_built_with_pages():
    assert len(PAGES) >= 15 and SITE / "book" / "intro.html" in PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(SITE).as_posix())
def test_internal_links_and_anchors_resolve(page):
    assert broken_links(page) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(SITE).as_posix())
def test_no_links_to_placeholder_servers(page):
    """The shipped repository address is a placeholder: no edit link or button may point there."""
    external = [link for _, link in parse(page).links if urlsplit(link).scheme in ("http", "https")]
    assert [link for link in external if any(p in link for p in PLACEHOLDERS)] == []
    text = page.read_text(encoding="utf-8")
    assert "编辑本页数据" not in text and "btn-source-edit-button" not in text


def test_the_checker_finds_a_broken_anchor(tmp_path, monkeypatch):
    """The check itself fails on a missing file and on a missing anchor (so a green run means something)."""
    import test_links

    (tmp_path / "a.html").write_text('<p id="here"></p><a href="b.html#nowhere">x</a><a href="#here">y</a><a href="c.html">z</a>',
                                     encoding="utf-8")
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1>', encoding="utf-8")
    monkeypatch.setattr(test_links, "SITE", tmp_path)
    assert broken_links(tmp_path / "a.html") == ["b.html#nowhere (no anchor)", "c.html (no file)"]
