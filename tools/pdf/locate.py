"""Which page of a printed PDF each marker (or title) is on, read with poppler's ``pdftotext``."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of ``pdf`` in content order (poppler ``pdftotext -raw``), page 1 first.

    >>> page_texts(Path("/nonexistent.pdf"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: /nonexistent.pdf does not exist
    """
    if not pdf.is_file():
        raise FileNotFoundError(f"{pdf} does not exist")
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext is missing: run 'tools/ensure_system_deps.sh pdf' "
                           "(Debian package poppler-utils)")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def first_pages(texts: list[str], needles: list[str]) -> dict[str, int]:
    """The 1-based page on which each needle first occurs; a needle found nowhere is an error.

    >>> first_pages(["a HBMARK0000HB", "b", "c HBMARK0001HB"], ["HBMARK0000HB", "HBMARK0001HB"])
    {'HBMARK0000HB': 1, 'HBMARK0001HB': 3}
    >>> first_pages(["a"], ["zz"])
    Traceback (most recent call last):
    ...
    LookupError: not found in the printed PDF: zz
    """
    found: dict[str, int] = {}
    for number, text in enumerate(texts, 1):
        flat = re.sub(r"\s+", "", text)
        for needle in needles:
            if needle not in found and needle in flat:
                found[needle] = number
    missing = [n for n in needles if n not in found]
    if missing:
        raise LookupError("not found in the printed PDF: " + ", ".join(missing))
    return found
