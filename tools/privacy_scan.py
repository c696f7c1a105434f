"""Privacy scanner: fail on anything that looks like a real identity number, mobile number or card number.

Usage::

    python tools/privacy_scan.py PATH...       # files or folders; exit 1 on findings
    python tools/privacy_scan.py --self-test   # precision and recall on a generated corpus

Every example person in the handbook is fictional, so the sources and the
built site must not contain:

* an 18-digit resident identity number (居民身份证号码) with a valid GB 11643
  check digit, a plausible region code and a real birth date, written solid or
  in groups of at least two characters (6-8-4, 6-4-4-4, 3-3-4-4-4 …), the
  check character perhaps set apart at the end (6-8-3-1);
* a mainland mobile number: 11 digits starting 13–19, written solid or in
  groups of at least three digits (3-4-4, 3-3-5, 4-4-3, 3-8 …), optionally
  after +86 / 0086 / 86 (as its own group or glued on);
* a card number of 13–19 digits that passes the Luhn check **and** either starts
  with a card prefix issued in China (UnionPay 62 and 60, 9558/9559 19-digit
  debit cards, Visa 4, Mastercard 51–55 and 2221–2720, JCB 3528–3589, American
  Express 34/37, each with its lengths) or follows a card word (卡号、银行卡、
  信用卡、账号、card …) on the same line; written solid, in groups of at
  least three digits (4-4-4-4, 6-6-7, 4-6-5, 6-13 …), or in groups of four
  and a shorter last one (4-4-4-4-2).

Any of these may also be spaced out one character at a time, as OCR and some
fonts give them (``1 3 9 1 …``).

Groups are separated by a space, a hyphen or a dot, by two spaces, or by a
hyphen or dot with a space on either side (``1xx - xxxx - xxxx``); one number
may mix them (``1xx xxxx-xxxx``).  Dots that group a number come two or more
(``1xx.xxxx.xxxx``): a lone dot is a decimal point, whatever else parts the
digits (``1838.683 6605``).  A date at the start of a run of digits (a call
log's ``2026-03-02 1xx xxxx xxxx``) is read apart from the number after it;
otherwise a grouped number inside a longer run of numbers (tables, drawing
coordinates) is not a candidate.  Before matching, each line is
NFKC-normalised, so full-width digits, letters, spaces and hyphens
(１３９－１２３４…) count like ASCII ones, and dashes (‐ – —) count as hyphens.  A
number may be glued to a Chinese prefix (卡号6222…), to a Latin label followed by
a colon or ``#`` (``VX:``, ``WeChat#``), or directly to a known Latin one (Tel、
ID、No.、VX、QQ、card …); it may not be part of a longer run of digits or of
another word (hashes such as ``a13912345678d0e``), and it may not continue with
a decimal point (amounts).

Service numbers (95555, 400-820-5555, 12378, 12363), dates, amounts, article
numbers and hashes do not match these shapes.  Output is ``file:line: kind:
masked match``; the number itself is never printed in full.  :func:`self_test`
measures precision and recall per kind on generated positives (every format
above) and negatives (service numbers, dates, amounts, serial numbers, wrong
check digits).

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
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

__all__ = ["Finding", "scan_text", "scan_paths", "valid_id_number", "luhn_valid", "chinese_card_prefix", "self_test", "main"]

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
#: What separates two groups of digits: a space, a hyphen or a dot; two spaces; a hyphen or a dot with a space on
#: either side.
SEPARATOR = r"(?: ?[.-] ?|  ?)"
_SEPARATOR_RE = re.compile(SEPARATOR)
#: A date (year first) and the spaces after it, at the start of a run of digits: what follows is read on its own too.
_DATE_FIRST = re.compile(r"[12][0-9]{3}([-.])[01]?[0-9]\1[0-3]?[0-9] +(?=[0-9])")
#: A run of digits in groups (an 18-character ID may end in X).
TOKEN_RE = re.compile(rf"(?<![0-9])[0-9](?:{SEPARATOR}?[0-9])*(?:{SEPARATOR}?[Xx])?(?![0-9])")
#: Latin words a number may be glued to directly or after a dot or hyphen (lower case, without punctuation); after a
#: colon or ``#`` any Latin word is a label.
LATIN_PREFIXES = frozenset({
    "tel", "tele", "telephone", "phone", "ph", "mobile", "mob", "cell", "call", "sms", "hp", "mp", "contact", "no", "num",
    "number", "nr", "id", "idno", "card", "cardno", "acct", "account", "sfz", "sj", "sjh", "dh", "m", "t",
    "v", "vx", "wx", "wechat", "weixin", "qq", "whatsapp",
})
CARD_WORDS = re.compile(r"(卡号|卡\s*号|银行卡|信用卡|借记卡|储蓄卡|贷记卡|账号|帐号|卡片号|card|acct|account)", re.IGNORECASE)
DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "\u00a0": " "})
#: The shortest group of a grouped ID number (but for the check character, which may stand alone at the end:
#: :func:`_id_grouped`), and of a grouped mobile number.
ID_GROUP_MIN = 2
MOBILE_GROUP_MIN = 3
#: The shortest group of a grouped card number (groups of four may also end in a shorter one: 4-4-4-4-3, 4-4-4-4-2).
CARD_GROUP_MIN = 3
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


def chinese_card_prefix(digits: str) -> bool:
    """Whether a card number of this length starts with a prefix of cards issued in China.

    >>> chinese_card_prefix("6225880123456789"), chinese_card_prefix("9558801234567890123"), chinese_card_prefix("1234567890123456")
    (True, True, False)
    """
    n, head2, head4 = len(digits), int(digits[:2]), int(digits[:4])
    return ((head2 in (62, 60) and 16 <= n <= 19)  # UnionPay, domestic debit
            or (head4 in (9558, 9559) and n == 19)  # ICBC, ABC legacy debit cards
            or (digits[0] == "4" and n in (13, 16, 19))  # Visa
            or ((51 <= head2 <= 55 or 2221 <= head4 <= 2720) and n == 16)  # Mastercard
            or (3528 <= head4 <= 3589 and 16 <= n <= 19)  # JCB
            or (head2 in (34, 37) and n == 15))  # American Express


def _normalise(line: str) -> str:
    return unicodedata.normalize("NFKC", line).translate(DASHES)


def _glued_ok(line: str, start: int) -> bool:
    """A number may follow a non-Latin character, a Latin label and a colon or ``#`` (VX:、WeChat#), or a known
    Latin prefix (Tel、ID、No. …), not a hash or another word.

    >>> _glued_ok("VX:139", 3), _glued_ok("vx139", 2), _glued_ok("a139", 1), _glued_ok("x1:139", 3), _glued_ok("1.5", 2)
    (True, True, False, False, False)
    """
    k = start
    mark = line[k - 1] if k else ""
    if mark and mark in ".:#-":
        if mark == "." and k > 1 and line[k - 2].isdigit():
            return False  # the decimals of 1.5 …
        k -= 1
        while k and line[k - 1] == " " and mark in ":#":
            k -= 1  # "VX : 139…"
    j = k
    while j and line[j - 1].isascii() and (line[j - 1].isalnum() or line[j - 1] == "_"):
        j -= 1
    word = line[j:k]
    if not word:
        return True
    return word.lower() in LATIN_PREFIXES or (mark in (":", "#") and word.isalpha())


def _grouped_candidate(offset: int, text: str) -> list[tuple[int, str, tuple[int, ...]]]:
    """``text`` at ``offset`` as a candidate with its group lengths, or nothing when it holds a lone dot: a lone dot is a
    decimal point, whatever else parts the digits (137.90124779, 1838.683 6605); dots that group a number come two or
    more (1xx.xxxx.xxxx).

    >>> _grouped_candidate(4, "12.34.56"), _grouped_candidate(0, "1838.683 6605")
    ([(4, '12.34.56', (2, 2, 2))], [])
    """
    if _SEPARATOR_RE.findall(text).count(".") == 1:
        return []
    return [(offset, text, tuple(len(g) for g in _SEPARATOR_RE.split(text)))]


def _chunks(token: str) -> list[tuple[int, str, tuple[int, ...]]]:
    """Candidate numbers in a token: (offset, text, group lengths) of the whole token, then of each space-separated
    chunk of it that is one solid run of at least 11 digits (a mobile number followed by " 2026年").  A grouped number
    inside a longer run of numbers (drawing coordinates, tables) is not a candidate.

    >>> [(at, groups) for at, _, groups in _chunks("123 4567-8901")]
    [(0, (3, 4, 4))]
    >>> _chunks("123.45678901"), _chunks("1838.683 6605")
    ([], [])
    >>> [(at, groups) for at, _, groups in _chunks("2026 12345678901")]
    [(0, (4, 11)), (5, (11,))]
    >>> [(at, groups) for at, _, groups in _chunks("2026-03-02 123 4567 8901")]
    [(0, (4, 2, 2, 3, 4, 4)), (11, (3, 4, 4))]
    """
    out = _grouped_candidate(0, token)
    dated = _DATE_FIRST.match(token)  # a date before a number, in a call log: "2026-03-02 1xx xxxx xxxx"
    if dated:
        out += _grouped_candidate(dated.end(), token[dated.end():])
    if " " in token:
        offset = 0
        for chunk in token.split(" "):
            if len(chunk) >= 11 and re.fullmatch(r"[0-9]+[Xx]?", chunk):
                out.append((offset, chunk, (len(chunk),)))
            offset += len(chunk) + 1
    return out


def _spaced_out(groups: tuple[int, ...]) -> bool:
    """Every character a group of its own: a number as OCR or a spaced-out font gives it ("1 3 9 1 2 …")."""
    return len(groups) > 1 and max(groups) == 1


def _grouped(groups: tuple[int, ...], minimum: int) -> bool:
    """Whether ``groups`` (the lengths of a candidate's groups) is a way of writing one number whose groups have at least
    ``minimum`` characters, or one with every character spaced out.

    >>> _grouped((3, 4, 4), 3), _grouped((3, 8), 3), _grouped((1,) * 11, 3), _grouped((2, 3, 3, 3), 3)
    (True, True, True, False)
    """
    return min(groups) >= minimum or _spaced_out(groups)


def _id_grouped(groups: tuple[int, ...]) -> bool:
    """Whether ``groups`` is a way of writing an ID number: groups of at least :data:`ID_GROUP_MIN` characters, each
    character spaced out, or the check character set apart after such groups (region, birth date, sequence, check:
    6-8-3-1).

    >>> _id_grouped((6, 8, 4)), _id_grouped((6, 8, 3, 1)), _id_grouped((6, 8, 2, 1, 1)), _id_grouped((1, 6, 8, 3))
    (True, True, False, False)
    """
    return _grouped(groups, ID_GROUP_MIN) or (len(groups) > 1 and groups[-1] == 1 and min(groups[:-1]) >= ID_GROUP_MIN)


def _classify(text: str, groups: tuple[int, ...], before: str) -> tuple[str, str] | None:
    """(kind, digits) of one candidate, or None."""
    digits = re.sub(r"[ .-]", "", text)
    if len(digits) == 18 and _id_grouped(groups) and valid_id_number(digits):
        return "id_number", digits.upper()
    if not digits.isdigit():
        return None
    digits_m, mobile_groups = digits, groups
    for code in ("0086", "86"):  # the country code, as its own group ("+86 139…"), glued ("+86139…", "+86178-6905…")
        if digits.startswith(code) and len(digits) == len(code) + 11:
            if groups[0] >= len(code):
                rest = (groups[0] - len(code), *groups[1:]) if groups[0] > len(code) else groups[1:]
            elif _spaced_out(groups):  # "8 6 1 3 9 …"
                rest = groups[len(code):]
            else:
                continue
            digits_m, mobile_groups = digits[len(code):], rest
            break
    if len(digits_m) == 11 and re.fullmatch(r"1[3-9][0-9]{9}", digits_m) and _grouped(mobile_groups, MOBILE_GROUP_MIN):
        return "mobile", digits_m
    card_shape = (_grouped(groups, CARD_GROUP_MIN)
                  or (len(groups) >= 3 and all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4))
    if 13 <= len(digits) <= 19 and card_shape and len(set(digits)) > 1 and luhn_valid(digits):
        if chinese_card_prefix(digits) or CARD_WORDS.search(before[-16:]):
            return "card", digits
    return None


KIND_ORDER = {"id_number": 0, "card": 1, "mobile": 2}


def scan_line(line: str) -> list[tuple[str, str]]:
    """(kind, digits) of every number found in one line (normalised here), IDs first, then cards, then mobiles.

    >>> digits = "1" + "39" + "1234" + "5678"
    >>> wide = "".join(chr(ord(c) + 0xFEE0) for c in digits)  # full-width digits
    >>> scan_line(f"手机 {wide[:3]}－{wide[3:7]}－{wide[7:]}") == [("mobile", digits)]
    True
    >>> scan_line("Tel:" + digits) == scan_line("电话" + digits) == [("mobile", digits)]
    True
    >>> scan_line("sha a" + digits + "b"), scan_line("合计 " + digits + ".50 元")
    ([], [])
    """
    line = _normalise(line)
    found: list[tuple[str, str]] = []
    for match in TOKEN_RE.finditer(line):
        start, end = match.span()
        token = match.group()
        after = line[end:end + 2]
        if after[:1].isascii() and (after[:1].isalpha() or after[:1] == "_"):
            continue  # part of a word or a hash: 13912345678d0e
        if after[:1] == "." and after[1:2].isdigit():
            continue  # an amount: 13800138000.50
        glued = _glued_ok(line, start)
        before = line[:start]
        taken: list[tuple[int, int]] = []
        for at, text, groups in _chunks(token):
            if (at == 0 and not glued) or any(at < e and s < at + len(text) for s, e in taken):
                continue
            kind_digits = _classify(text, groups, before + token[:at])
            if kind_digits:
                taken.append((at, at + len(text)))
                found.append(kind_digits)
    return sorted(found, key=lambda kd: KIND_ORDER[kd[0]])


def scan_text(text: str, path: str = "<text>") -> list[Finding]:
    """Findings in one text, line by line.

    >>> scan_text("客服电话 95555、400-820-5555，投诉 12378 或 12363；2026-03-02 还款 50,000.00 元。")
    []
    """
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if any(c.isdigit() for c in line):
            for kind, digits in scan_line(line):
                findings.append(Finding(path, number, kind, _mask(digits, 6 if kind == "id_number" else 3 if kind == "mobile" else 4)))
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


# --- self-test on a generated corpus --------------------------------------------------------------


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "-" else "\u3000" if c == " " else c for c in text)


def _luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def _id_complete(base: str) -> str:
    return base + _CHECK[sum(int(d) * w for d, w in zip(base, _WEIGHTS)) % 11]


def generated_corpus(seed: int = 0, per_format: int = 40) -> list[tuple[str, str]]:
    """(line, expected kind or "") pairs: every format the scanner must catch, and look-alikes it must not.

    >>> corpus = generated_corpus(per_format=2)
    >>> len(corpus) > 50 and {kind for _, kind in corpus} == {"id_number", "mobile", "card", ""}
    True
    """
    rng = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def person_id() -> str:
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        return _id_complete(rng.choice(["110101", "310104", "440305", "510107", "330106"]) + born.strftime("%Y%m%d") + digits(3))

    def mobile() -> str:
        return "1" + rng.choice("3456789") + digits(9)

    def card(prefix: str, length: int) -> str:
        return _luhn_complete(prefix + digits(length - len(prefix) - 1))

    def grouped(number: str, sizes: tuple[int, ...], sep: str) -> str:
        parts, at = [], 0
        for size in sizes:
            parts.append(number[at:at + size])
            at += size
        if at < len(number):
            parts.append(number[at:])
        return sep.join(parts)

    positives: list[tuple[str, str]] = []
    for _ in range(per_format):
        pid, tel = person_id(), mobile()
        sep = rng.choice(" -")
        positives += [
            (f"客户身份证号 {pid}。", "id_number"),
            (f"身份证：{grouped(pid, (6, 8, 4), sep)}", "id_number"),
            (f"证件号码 {grouped(pid, (6, 4, 4, 4), sep)} 已核对", "id_number"),
            (f"身份证号{_wide(pid)}", "id_number"),
            (f"ID{pid}", "id_number"),
            (f"手机 {tel}", "mobile"),
            (f"电话{grouped(tel, (3, 4, 4), sep)}", "mobile"),
            (f"电话 {grouped(tel, (3, 3, 5), sep)}", "mobile"),
            (f"手机号 {grouped(tel, (3, 4, 4), '.')}", "mobile"),
            (f"联系电话：{_wide(grouped(tel, (3, 4, 4), sep))}", "mobile"),
            (f"+86 {tel}", "mobile"),
            (f"Tel:{tel}", "mobile"),
            (f"请拨{tel}联系", "mobile"),
            (f"手机 {tel[:3]} {tel[3:7]}-{tel[7:]}", "mobile"),  # mixed separators
            (f"电话 {tel[:3]} - {tel[3:7]} - {tel[7:]}", "mobile"),
            (f"手机 {tel[:3]} {tel[3:]}", "mobile"),  # 3-8
            (f"{rng.choice(['VX', 'wx', 'WeChat', 'QQ', 'Contact'])}:{tel}", "mobile"),  # a Latin label and a colon
            (f"加V{tel}", "mobile"),
            (f"联系方式{' '.join(tel)}", "mobile"),  # spaced out (OCR)
            (f"Tel +86{tel[:3]}.{tel[3:7]}.{tel[7:]}", "mobile"),  # a country code glued on
            (f"身份证 {' '.join(pid)}", "id_number"),
            (f"身份证 {grouped(pid, (3, 3, 4, 4, 4), sep)}", "id_number"),
            (f"证件 {pid[:6]} {pid[6:14]}-{pid[14:]}", "id_number"),
            (f"证件号码【{grouped(pid, (6, 8, 3), sep)}】", "id_number"),  # the check character set apart
        ]
        for prefix, length in (("622588", 16), ("621700", 19), ("9558", 19), ("4392", 16), ("5187", 16), ("6013", 19)):
            number = card(prefix, length)
            positives += [
                (f"卡号{number}", "card"),
                (f"尾号已隐藏？不，完整号码是 {grouped(number, (4,) * (length // 4), sep)}", "card"),
                (f"银行卡 {_wide(number)}", "card"),
                (f"号码 {number[:6]} {number[6:]}", "card"),  # the issuer's part and the rest
                (f"号码 {number[:6]} {number[6:12]} {number[12:]}", "card"),  # 6-6-4 … 6-6-7
            ]
        positives.append((f"卡号 {card(rng.choice('13578'), 16)}", "card"))  # any prefix after a card word
    negatives: list[tuple[str, str]] = []
    for _ in range(per_format):
        pid, tel = person_id(), mobile()
        wrong = pid[:-1] + ("0" if pid[-1] != "0" else "1")
        serial = digits(16)
        negatives += [
            (f"订单号 {serial}", ""),  # a random serial number: no card prefix, no card word
            (f"流水号{digits(19)}", ""),
            (f"工单 {rng.choice('123789')}{digits(15)}", ""),
            (f"身份证号 {wrong}（校验位错误）", ""),
            (f"编号 {tel}{rng.randint(0, 9)}", ""),
            (f"合计 {tel}.{rng.randint(10, 99)} 元", ""),
            (f"校验和 a{tel}b", ""),
            ("客服 95555、400-820-5555、12378、12363，报警 110", ""),
            (f"{rng.randint(2020, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 还款 {rng.randint(1, 999)},{rng.randint(0, 999):03d}.00 元", ""),
            (f"第 {rng.randint(1, 300)} 条；法释〔2009〕19 号；共 {rng.randint(1, 60)} 期，年化 {rng.randint(1, 24)}.{rng.randint(0, 99)}%", ""),
            (f"1{rng.choice('012')}{digits(9)} 不是手机号段", ""),
            (f"账单日 {rng.randint(2020, 2030)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", ""),
            (f"[{tel[:3]}.{tel[3:]}, {tel[:8]}.{tel[8:]}]", ""),  # decimals
            (f"合计 {tel[:2]} {tel[2:5]} {tel[5:8]} {tel[8:]} 元", ""),  # thousands parted by spaces
            (f"{rng.choice(['user', 'abc', '0x', 'id_'])}{tel}", ""),  # an identifier
            (f"订单号 {serial[:6]} {serial[6:]}", ""),
            (f"{tel[:4]}.{tel[4:7]} {tel[7:]}  0.000 0011", ""),  # a decimal with its digits grouped
        ]
    return positives + negatives


def self_test(seed: int = 0, per_format: int = 40) -> dict[str, dict[str, float]]:
    """Precision and recall per kind (and ``all``) on :func:`generated_corpus`.

    >>> figures = self_test(per_format=5)
    >>> figures["all"]["recall"] == 1.0 and figures["all"]["precision"] >= 0.95
    True
    """
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in ("id_number", "mobile", "card", "all")}
    for line, expected in generated_corpus(seed, per_format):
        kinds = [kind for kind, _ in scan_line(line)]
        for kind in kinds:
            hit = kind == expected
            for key in (kind, "all"):
                counts[key]["tp" if hit else "fp"] += 1
        if expected and expected not in kinds:
            counts[expected]["fn"] += 1
            counts["all"]["fn"] += 1
    return {kind: {"precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0,
                   "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0,
                   "found": c["tp"], "false_alarms": c["fp"], "missed": c["fn"]} for kind, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    """The command line: print findings, return 1 if any, 2 for a missing path, else 0 (``--self-test``: figures).

    >>> main(["tools/privacy_scan.py"])
    0
    """
    parser = argparse.ArgumentParser(description="Fail on real-looking ID, mobile or card numbers.")
    parser.add_argument("paths", nargs="*", help="files or folders to scan")
    parser.add_argument("--self-test", action="store_true", help="print precision and recall on a generated corpus")
    args = parser.parse_args(argv)
    if args.self_test:
        corpus = generated_corpus()
        print(f"generated corpus: {sum(1 for _, k in corpus if k)} lines with a number to find, "
              f"{sum(1 for _, k in corpus if not k)} look-alike lines")
        for kind, f in self_test().items():
            print(f"{kind:<10} precision {f['precision']:.1%}  recall {f['recall']:.1%}  "
                  f"(found {f['found']}, false alarms {f['false_alarms']}, missed {f['missed']})")
        return 0
    if not args.paths:
        parser.error("give files or folders to scan, or --self-test")
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
