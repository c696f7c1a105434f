"""Run axe-core (served by the site itself, pinned in assets/vendor.json) over pages of the built site.

Used by tests/test_a11y.py, and on its own to count violations before and after a change:

    python tests/axe_audit.py [--site _build/html] [--scheme light|dark|both] [page.html ...]

prints, per page and in total, the violations by impact (critical, serious, moderate, minor)
and, with ``--details``, each rule with its first offending elements.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import SITE, SiteServer  # noqa: E402

AXE = "_static/vendor/axe-core/axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
# WCAG 2.x A and AA rules and axe's best practices (landmarks, heading order, empty headings, ...).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the built site (relative paths), the generated search and index pages included.

    >>> all(not p.startswith("_static") for p in site_pages())
    True
    """
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


def audit(page, url: str) -> list[dict]:
    """Open ``url`` in ``page``, wait for late content (calculators, toggles), run axe; the violations found."""
    page.goto(url, wait_until="networkidle", timeout=90_000)
    # Calculator pages: audit the form as a reader uses it, once the in-browser engine has answered.
    page.wait_for_function("!window.hbCalculators || window.hbCalculators.state !== 'loading'", timeout=120_000)
    page.wait_for_timeout(300)
    root = page.evaluate("document.documentElement.dataset.content_root || './'")  # Sphinx: the site's root, relative
    page.add_script_tag(url=page.evaluate("(p) => new URL(p, document.baseURI).href", root + AXE))
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]


def count(violations: list[dict]) -> collections.Counter:
    """Violations by impact, one per rule and page (axe's own count).

    >>> count([{"impact": "serious"}, {"impact": "serious"}, {"impact": "minor"}])["serious"]
    2
    """
    return collections.Counter(v["impact"] for v in violations)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="pages to audit (default: every page)")
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--scheme", choices=("light", "dark", "both"), default="both")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_ARGS

    pages = args.pages or site_pages(args.site)
    schemes = ("light", "dark") if args.scheme == "both" else (args.scheme,)
    totals = {scheme: collections.Counter() for scheme in schemes}
    rules = collections.Counter()
    with SiteServer(args.site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for scheme in schemes:
            context = browser.new_context(locale="zh-CN", color_scheme=scheme)
            page = context.new_page()
            for path in pages:
                violations = audit(page, server.url + path)
                totals[scheme] += count(violations)
                rules.update(f"{v['impact']:9} {v['id']}" for v in violations)
                line = " ".join(f"{k}={count(violations)[k]}" for k in IMPACTS if count(violations)[k])
                print(f"[{scheme}] {path}: {line or 'no violations'}", flush=True)
                if args.details:
                    for v in violations:
                        print(f"    {v['impact']:9} {v['id']}: {v['help']} — {v['nodes'][:3]}")
            context.close()
        browser.close()
    for scheme, total in totals.items():
        print(f"TOTAL [{scheme}] {len(pages)} pages: " + ", ".join(f"{k} {total[k]}" for k in IMPACTS))
    print("rules (pages × schemes):")
    for rule, n in rules.most_common():
        print(f"  {n:4} {rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
