"""``make pdf``: print the built handbook site (``_build/html``) as one PDF with Debian's headless chromium.

Usage: ``python -m tools.build_pdf [--html _build/html] [--out _build/pdf/handbook.pdf]``
(the terms profile is ``$HANDBOOK_PROFILE``, as for the site; ``make pdf PROFILE=…`` sets it).

Two prints of the same document: the first finds the page every chapter starts on (a marker per
chapter, read back with ``pdftotext``), the second carries those numbers in the table of contents. The
layout of both is identical (the markers are positioned out of the flow, the page-number cells have a
fixed width); the build checks that the page count agrees. Nothing is downloaded: the stylesheets,
fonts, images and MathJax are the site's own files, opened from disk.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

from calculators import handbook_terms
from tools.issuer_footer import footer_html
from tools.pdf.assemble import document, marker
from tools.pdf.chromium import Browser, ChromiumError
from tools.pdf.locate import first_pages, page_texts
from tools.pdf.toc import read_toc

ROOT = Path(__file__).resolve().parent.parent
PDF_CSS = Path(__file__).resolve().parent / "pdf" / "book.css"
# Ready to print: MathJax has typeset (when the document has math) and every font has loaded.
READY = ("(window.MathJax && MathJax.startup && MathJax.startup.promise ? MathJax.startup.promise : Promise.resolve())"
         ".then(() => document.fonts.ready).then(() => true)")
# Tables (or code) wider than the printed column would lose their right-hand side: list them.
OVERFLOWS = """(() => {
  const width = document.body.clientWidth, found = [];
  for (const el of document.querySelectorAll('table, pre, img, .hb-calc')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || el.scrollWidth > el.clientWidth + 1)) {
      const page = el.closest('.pdf-page');
      found.push((page ? page.id : '?') + ': ' + el.tagName.toLowerCase() + ' ' +
                 Math.round(Math.max(box.right, box.left + el.scrollWidth)) + 'px > ' + width + 'px');
    }
  }
  return found;
})()"""
FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif"


def print_options(title: str, issuer: str) -> dict:
    """``Page.printToPDF`` options: A4, backgrounds, running header, page numbers, tagged PDF with outline.

    >>> print_options("手册", "招商银行")["paperWidth"]
    8.27
    """
    style = f"font-family:{FONT};font-size:7.5pt;color:#555;width:100%;margin:0 0.6in;display:flex;"
    return {
        "paperWidth": 8.27, "paperHeight": 11.69,  # A4, in inches
        "marginTop": 0.75, "marginBottom": 0.7, "marginLeft": 0.6, "marginRight": 0.6,
        "printBackground": True,
        "displayHeaderFooter": True,
        "headerTemplate": f'<div style="{style}justify-content:space-between"><span>{title}</span><span>{issuer} · 印刷版</span></div>',
        "footerTemplate": f'<div style="{style}justify-content:center">第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>',
        "generateTaggedPDF": True,
        "generateDocumentOutline": True,
    }


def build_date() -> str:
    """Today (UTC), or the date of ``$SOURCE_DATE_EPOCH`` for reproducible builds.

    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"; build_date(); del os.environ["SOURCE_DATE_EPOCH"]
    '1970-01-01'
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.date().isoformat()


def site_profile(html_root: Path) -> dict[str, str]:
    """Code, issuer and label of the terms profile the site in ``html_root`` was built with.

    Read from the in-browser calculators' manifest the build writes, and checked against the profile
    asked for now (``$HANDBOOK_PROFILE``): a PDF must never name one issuer over another's figures.

    >>> site_profile(Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: /nonexistent/_static/app/manifest.json is missing: run 'make book' first
    """
    manifest = html_root / "_static" / "app" / "manifest.json"
    if not manifest.is_file():
        raise FileNotFoundError(f"{manifest} is missing: run 'make book' first")
    built = json.loads(manifest.read_text(encoding="utf-8"))["contexts"]["terms"]
    wanted = handbook_terms()
    if built["code"] != wanted.code or built["issuer"] != wanted.issuer:
        raise RuntimeError(f"the site in {html_root} was built with profile '{built['code']}' ({built['issuer']}), "
                           f"not '{wanted.code}' ({wanted.issuer}): run 'make pdf PROFILE={os.environ.get('HANDBOOK_PROFILE') or wanted.code}' "
                           "or 'make book' with that profile first")
    return {"code": built["code"], "issuer": built["issuer"], "label": built["label"]}


def build(html_root: Path, toc_path: Path, config_path: Path, out: Path) -> dict:
    """Write the PDF ``out`` from the built site; returns pages, bytes and seconds."""
    started = time.perf_counter()
    if not (html_root / "index.html").is_file():
        raise FileNotFoundError(f"no site in {html_root}: run 'make book' first")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    terms = site_profile(html_root)
    meta = {"title": str(config.get("title", "")), "issuer": terms["issuer"], "label": terms["label"],
            "profile": terms["code"], "date": build_date(),
            # the site's footer with its profile tokens filled (⟦footer⟧ …), from the profile site_profile checked
            "notice": footer_html(str((config.get("html") or {}).get("extra_footer", "")), handbook_terms())}
    entries = read_toc(toc_path)
    css = PDF_CSS.read_text(encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    source = out.with_suffix(".html")  # kept next to the PDF: open it in a browser to debug the layout
    options = print_options(meta["title"], meta["issuer"])
    with Browser() as browser, tempfile.TemporaryDirectory(prefix="handbook-pdf-") as tmp:
        first_html, anchors = document(meta, entries, html_root, css, numbers=None)
        source.write_text(first_html, encoding="utf-8")
        browser.load(source.as_uri(), READY)
        draft = Path(tmp) / "draft.pdf"
        draft.write_bytes(browser.print_pdf(options))
        draft_texts = page_texts(draft)
        found = first_pages(draft_texts, [marker(i) for i in range(len(anchors))])
        numbers = {anchor: found[marker(i)] for i, anchor in enumerate(anchors)}
        final_html, _ = document(meta, entries, html_root, css, numbers=numbers)
        source.write_text(final_html, encoding="utf-8")
        browser.load(source.as_uri(), READY)
        out.write_bytes(browser.print_pdf(options))
        # The printed column (A4 less the margins, at 96 px per inch) with the print stylesheets.
        column = round((options["paperWidth"] - options["marginLeft"] - options["marginRight"]) * 96)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
        browser.send("Emulation.setDeviceMetricsOverride", {"width": column, "height": 1000,
                                                             "deviceScaleFactor": 1, "mobile": False})
        overflows = browser.evaluate(OVERFLOWS)
    pages = len(page_texts(out))
    if pages != len(draft_texts):
        raise RuntimeError(f"the layout changed between the two prints ({len(draft_texts)} then {pages} pages): "
                           "the page numbers in the contents would be wrong")
    report = {"pages": pages, "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - started, 1),
              "contents": numbers, "overflows": overflows, "profile": terms["code"], "date": meta["date"]}
    out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "handbook.pdf")
    args = parser.parse_args(argv)
    try:
        result = build(args.html, args.toc, args.config, args.out)
    except (FileNotFoundError, LookupError, ChromiumError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for overflow in result["overflows"]:
        print(f"warning: wider than the page, its right-hand side is cut off: {overflow}", file=sys.stderr)
    print(f"==> {args.out}: {result['pages']} pages, {result['bytes'] / 1e6:.1f} MB, "
          f"{result['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
