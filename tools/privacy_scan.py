"""Privacy scanner: fail on anything that looks like a real identity number, mobile number or card number.

Usage::

    python tools/privacy_scan.py PATH...       # files or folders; exit 1 on findings

Every example person in the handbook is fictional, so the sources and the
built site must not contain:

* an 18-digit resident identity number (居民身份证号码) with a valid GB 11643
  check digit, a plausible region code and a real birth date;
* a mainland mobile number: 11 digits starting 13–19, written solid or grouped
  3-4-4 with one kind of separator (space or hyphen), optionally after +86 /
  0086 / 86, and not part of a longer run of digits or letters;
* a Luhn-valid card number of 13–19 digits starting 2–6, written solid or in
  groups of four (or 4-6-5) with one kind of separator.

Service numbers (95555, 400-820-5555, 12378, 12363), dates, amounts, article
numbers and hashes do not match these shapes.  Output is ``file:line: kind:
masked match``; the number itself is never printed in full.

What is scanned: text files under each PATH.  Skipped: binary files (a NUL
byte or a known binary suffix), third-party bundles (``vendor``,
``node_modules``, ``site-packages``; in a built site's ``_static``, everything
but the handbook's own ``_static/app``; ``*.min.js``/``*.min.css``), and tool
or build folders (``.git``, ``.venv``, ``_build``, ``build``, ``.cache`` …).
The skip list applies below each PATH given, so ``python tools/privacy_scan.py
_build/html`` scans the built site itself.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

__all__ = ["Finding", "scan_text", "scan_paths", "valid_id_number", "luhn_valid", "main"]

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "_build", "build", "dist", ".cache", "__pycache__",
    ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", ".ipynb_checkpoints", ".jupyter_cache",
    "jupyter_cache", "node_modules", "site-packages", "vendor",
})
#: Inside a ``_static`` folder only these subfolders are the handbook's own files.
STATIC_OWN = frozenset({"app"})
BINARY_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".bmp", ".svgz", ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz",
    ".whl", ".egg", ".pyc", ".pyo", ".so", ".dylib", ".dll", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mo",
    ".sqlite", ".db", ".pickle", ".pkl", ".npy", ".npz", ".parquet", ".wasm", ".mp3", ".mp4",
})
BUNDLE_SUFFIXES = (".min.js", ".min.css", ".bundle.js", ".js.map", ".css.map")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_EDGE_BEFORE = r"(?<![0-9A-Za-z_.])(?<![0-9][ -])"
_EDGE_AFTER = r"(?![ -]?[0-9])(?![0-9A-Za-z_])(?!\.[0-9])"
ID_RE = re.compile(_EDGE_BEFORE + r"([1-8][0-9]{16}[0-9Xx])" + _EDGE_AFTER)
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z_.+])(?<![0-9][ -])(?:(?:\+|00)?86[ -]?)?"
    r"(1[3-9][0-9](?:[0-9]{8}|( |-)[0-9]{4}\2[0-9]{4}))" + _EDGE_AFTER
)
CARD_RE = re.compile(
    _EDGE_BEFORE
    + r"([2-6](?:[0-9]{12,18}|[0-9]{3}( |-)[0-9]{4}(?:\2[0-9]{4}){1,2}(?:\2[0-9]{1,4})?|[0-9]{3}( |-)[0-9]{6}\3[0-9]{5}))"
    + _EDGE_AFTER
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str  # "id_number" | "mobile" | "card"
    masked: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.masked}"


def valid_id_number(number: str) -> bool:
    """An 18-character resident ID with a valid GB 11643 check digit and a real birth date (1900 to today).

    >>> base = "11010119900307123"
    >>> total = sum(int(d) * w for d, w in zip(base, _WEIGHTS))
    >>> valid_id_number(base + _CHECK[total % 11]), valid_id_number(base + "0")
    (True, False)
    """
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    if _CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by card numbers.

    >>> luhn_valid("79927398713"), luhn_valid("79927398710")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask(digits: str, keep_start: int, keep_end: int = 4) -> str:
    return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[-keep_end:]


def scan_text(text: str, path: str = "<text>") -> list[Finding]:
    """Findings in one text, line by line.

    >>> scan_text("客服电话 95555、400-820-5555，投诉 12378 或 12363；2026-03-02 还款 50,000.00 元。")
    []
    """
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not any(c.isdigit() for c in line):
            continue
        taken: list[tuple[int, int]] = []
        for match in ID_RE.finditer(line):
            if valid_id_number(match.group(1)):
                taken.append(match.span(1))
                findings.append(Finding(path, number, "id_number", _mask(match.group(1).upper(), 6)))
        for match in CARD_RE.finditer(line):
            start, end = match.span(1)
            digits = re.sub(r"[ -]", "", match.group(1))
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits):
                taken.append((start, end))
                findings.append(Finding(path, number, "card", _mask(digits, 4)))
        for match in MOBILE_RE.finditer(line):
            start, end = match.span(1)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            digits = re.sub(r"[ -]", "", match.group(1))
            findings.append(Finding(path, number, "mobile", _mask(digits, 3)))
    return findings


def _built_static(folder: Path) -> bool:
    """A ``_static`` folder of a built Sphinx site (theme and search files are third-party there)."""
    return folder.name == "_static" and ((folder.parent / "searchindex.js").is_file() or (folder.parent / "objects.inv").is_file())


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        if _built_static(here):
            dirs[:] = [d for d in dirs if d in STATIC_OWN]
            continue  # files directly under a built site's _static are the theme's and Sphinx's
        for name in sorted(names):
            yield here / name


def _read_text(path: Path) -> str | None:
    name = path.name.lower()
    if path.suffix.lower() in BINARY_SUFFIXES or name.endswith(BUNDLE_SUFFIXES):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def scan_paths(paths: list[str | Path]) -> list[Finding]:
    """Scan files and folders (see the module docstring for what is skipped).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "page.md").write_text("客服 95555", encoding="utf-8")
    ...     scan_paths([folder])
    []
    """
    findings: list[Finding] = []
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(str(root))
        for path in _files(root):
            text = _read_text(path)
            if text is not None:
                findings.extend(scan_text(text, str(path)))
    return findings


def main(argv: list[str] | None = None) -> int:
    """The command line: print findings, return 1 if any, 2 for a missing path, else 0.

    >>> main(["tools/privacy_scan.py"])
    0
    """
    parser = argparse.ArgumentParser(description="Fail on real-looking ID, mobile or card numbers.")
    parser.add_argument("paths", nargs="+", help="files or folders to scan")
    args = parser.parse_args(argv)
    try:
        findings = scan_paths(args.paths)
    except FileNotFoundError as exc:
        print(f"privacy_scan: no such file or folder: {exc}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if findings:
        print(f"privacy_scan: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
