"""Privacy scanner: fail on anything that looks like a real identity number, mobile number or card number.

Usage::

    python tools/privacy_scan.py PATH...       # files or folders; exit 1 on findings
    python tools/privacy_scan.py --self-test   # precision and recall on a generated corpus

Every example person in the handbook is fictional, so the sources and the
built site must not contain:

* an 18-digit resident identity number (居民身份证号码) with a valid GB 11643
  check digit, a province-level region code (:data:`REGIONS`) and a real birth
  date, written solid or in groups of at least two characters (6-8-4, 6-4-4-4,
  3-3-4-4-4 …), the check character perhaps set apart at the end (6-8-3-1);
* a 15-digit identity number of the first generation (region code, ``YYMMDD``
  birth date, sequence; no check digit), grouped 6-6-3 or 6-9, or written solid
  after an ID word (身份证、证件、ID …);
* a mainland mobile number: 11 digits starting 13–19, written solid or in
  groups of at least three digits (3-4-4, 3-3-5, 4-4-3, 3-8 …), optionally
  after +86 / 0086 / 86 (as its own group or glued on);
* a card number of 13–19 digits that passes the Luhn check **and** either starts
  with a card prefix issued in China (UnionPay 62 and 60, domestic 955 BINs of
  16–19 digits, ABC's 103 of 19, Visa 4 (13 or 16 digits), Mastercard 51–55 and
  2221–2720, JCB 3528–3589, American Express 34/37, each with its lengths) or
  follows a card word (any word ending in 卡: 银行卡、还款卡、VISA卡; 卡号、卡片、
  账号、账户、card …) in the same clause, within 16 characters, with no word
  between them that names it something else (流水号、订单号、参考号 …); written
  solid, in groups of at least three digits (4-4-4-4, 6-6-7, 4-6-5, 6-13 …), or
  in groups of four and a shorter last one (4-4-4-4-2).

A serial word as the last label word before a number in its clause (订单号、
流水号、工单号、运单、快递、注册号、营业执照、信用代码、SKU、SN、订单ID、商户ID …),
with no card, ID or mobile word after it, names the number: it is not reported
as any kind (``订单号 62…``, ``工单号 T1xx…``, ``营业执照注册号 …``).

Any of these may also be spaced out one character at a time, as OCR and some
fonts give them (``1 3 9 1 …``).

Groups are separated by one to eight spaces, or by a hyphen or a dot (or two of
them) with a space on either side or not (``1xx - xxxx - xxxx``, ``1xx--xxxx``);
one number may mix them (``1xx xxxx-xxxx``).  Tabs count as spaces; middle dots,
bullets (• ‧ ∙ ⋅), long-vowel marks and an underscore between digits as hyphens,
and so does a slash between two groups of at least three digits
(``1xx/xxxx/xxxx``; not a date's ``2026/03/02``); every format character
(Unicode category Cf: zero-width characters, soft hyphens, direction marks, bidi
embeddings and isolates …) is dropped; a mobile's network code may stand in
brackets (``(1xx) xxxx-xxxx``).  Dots that group a number come two or more
(``1xx.xxxx.xxxx``): a lone dot is a decimal point, whatever else parts the
digits (``1838.683 6605``).  A date at the start of a run of digits (a call
log's ``2026-03-02 1xx xxxx xxxx``) is read apart from the number after it; and
a longer run of digit groups that reads as numbers written one after another,
each in a canonical shape (:data:`CANONICAL_GROUPS`: 3-4-4, 6-8-4, 4-4-4-4, 6-13 …),
after a short lead and before a short tail (:func:`_partition`), gives each of
them as a candidate: a number after a time, a list number or a table's other
column, two numbers in a row (``21:30 1xx xxxx xxxx``, ``1. 1xx xxxx xxxx``), or
one before an extension (``1xxxxxxxxxx-8001``).  A run whose groups cannot all be
read so (drawing coordinates, a table of figures) gives no part; a part never cuts
a decimal, and four groups of four next to another group of four are a window in
a table, not a card.  A number
split over a line break (a line that ends in a digit, the next that starts with
one) is found too, at its first line.  A line written URL-encoded (``%XX``
escapes, or a ``+`` next to digits) is also read decoded.  Before matching, each line is
NFKC-normalised, so full-width digits, letters, spaces and hyphens
(１３９－１２３４…) count like ASCII ones, and dashes (‐ – —) count as hyphens.  A
number may be glued to a Chinese prefix (卡号6222…), to a Latin label followed by
a colon or ``#`` (``VX:``, ``WeChat#``), or directly to a known Latin one or
several run together (Tel、ID、No.、VX、QQ、card、IDcard、MobileNo; bank, card network
and document words: ICBC、CMB、UnionPay、bankcard、Visa、Passport、Cel …, not ``abc``); it may not be
part of a longer run of digits or of another word (hashes such as
``a13912345678d0e``, identifiers such as ``id_1xx…``), and it may not continue
with a decimal point (amounts).  A word after it that starts with an x (``1xx
xxxx xxxx xiaoming``) or an extension (``ext`` before a digit or a non-letter:
``ext8001``, not ``extra``) does not hide it; an x glued to the digits is an ID's
check character, so if the ID is not valid the digits before it are read only as
a mobile number, not as a card.

Not found, by design: numbers written in Chinese numerals (一三九…), and a solid
15-digit old ID in a table whose header, not its row, names the column.

Service numbers (95555, 400-820-5555, 12378, 12363), dates, amounts, article
numbers and hashes do not match these shapes.  Output is ``file:line: kind:
masked match``; the number itself is never printed in full.  :func:`self_test`
measures precision and recall per kind on generated positives (every format
above) and negatives (service numbers, dates, amounts, serial numbers, wrong
check digits); ``--self-test`` also prints the recall on numbers written with a
separator, grouping, label, width and trailing word drawn at random
(:func:`variant_corpus`) and the false-alarm rate on look-alike lines
(:func:`lookalike_corpus`: random serials after serial words, ID-shaped order
numbers, coordinates, identifiers, card-prefixed serials after serial words,
business registration numbers, single-letter codes after 工单号).  A random 16-digit serial passes the Luhn
check one time in ten; about 2 % of them read as cards, by their prefix alone.

An HTML page is scanned twice: as written, and as a reader sees it
(:func:`visible_text`: tags out, entities read; an entity for a line break is a
space, so the lines stay the source's), so that a number a code highlighter cut
into spans is found too.

What is scanned: text files under each PATH, read as UTF-8, as UTF-16 when they
start with a byte order mark (Excel's "Unicode text"), or as GB 18030 when they
are not valid UTF-8 but valid GB 18030 (GBK files).  Skipped: binary files (a NUL
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
import html
import os
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator
from urllib.parse import quote_plus, unquote_plus

__all__ = ["Finding", "scan_text", "scan_page", "visible_text", "scan_paths", "valid_id_number", "valid_old_id_number",
           "luhn_valid", "chinese_card_prefix", "self_test", "variant_corpus", "lookalike_corpus", "main"]

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
#: What separates two groups of digits: one to eight spaces; a hyphen or a dot, or two of them, with a space on either
#: side or not (tabs, underscores and middle dots are read as these first: :data:`DASHES`).
SEPARATOR = r"(?: ?[.-]{1,2} ?| {1,8})"
_SEPARATOR_RE = re.compile(SEPARATOR)
#: A date (year first) and the spaces after it, at the start of a run of digits: what follows is read on its own too.
_DATE_FIRST = re.compile(r"[12][0-9]{3}([-./])[01]?[0-9]\1[0-3]?[0-9] +(?=[0-9])")
#: A run of digits in groups (an 18-character ID may end in X).
TOKEN_RE = re.compile(rf"(?<![0-9])[0-9](?:{SEPARATOR}?[0-9])*(?:{SEPARATOR}?[Xx](?![A-Za-z0-9]))?(?![0-9])")
#: Latin words a number may be glued to directly or after a dot or hyphen (lower case, without punctuation); after a
#: colon or ``#`` any Latin word is a label.
LATIN_PREFIXES = frozenset({
    "tel", "tele", "telephone", "phone", "ph", "mobile", "mob", "cell", "call", "sms", "hp", "mp", "contact", "no", "num",
    "number", "nr", "id", "idno", "card", "cardno", "acct", "account", "sfz", "sj", "sjh", "dh", "m", "t",
    "v", "vx", "wx", "wechat", "weixin", "qq", "whatsapp", "sfzh", "zjhm", "pan", "ext", "cel", "cellphone",
    # bank, card network and document words, and the banks' own codes ("ICBC6222…", "UnionPay6225…", "Passport1101…")
    # ("abc", the Agricultural Bank's, is left out: it is the commonest identifier in code and test data, abc1xx…)
    "bank", "bankcard", "unionpay", "visa", "mastercard", "master", "debit", "credit", "passport",
    "icbc", "cmb", "ccb", "boc", "bocom", "psbc", "cmbc", "cib", "spdb", "citic", "ceb",
})
#: A Latin label glued to a number: one of :data:`LATIN_PREFIXES` or several run together (IDcard、MobileNo、CardNumber).
_LABEL_WORD = re.compile("(?:" + "|".join(sorted(LATIN_PREFIXES, key=len, reverse=True)) + ")+")
#: Words that say a number is a card's or an account's: any word ending in 卡 (银行卡、还款卡、VISA卡), 卡号、卡片, 账号、账户 ….
CARD_WORDS = re.compile(r"(卡\s*号|卡片号?|卡|账号|帐号|账户|帐户|card|acct|account)", re.IGNORECASE)
#: Words that name a number as something other than a card, between a card word and the number ("信用卡还款流水号 …"):
#: the card word no longer speaks for it.
#: A serial word right before the number (the last label word in its clause) names it too: it is not reported as any
#: kind (订单号 62…、工单号 T1xx…、营业执照注册号 …).  "订单ID"、"商户ID" are serial words, not ID words.
SERIAL_WORDS = re.compile(r"((?:订单|商户|商家|交易|流水|工单|用户|会员|设备|产品|商品)\s*id(?![a-z])|"
                          r"流水|订单|单号|编号|工单|交易号|序列号|批次|凭证|合同|参考号|注册号|执照|信用代码|运单|快递|"
                          r"serial|order|ref|txn|trade|sku|(?<![a-z])sn(?![a-z]))", re.IGNORECASE)
#: Words that say a number is a phone number (they, like card and ID words, undo a serial word before them).
MOBILE_WORDS = re.compile(r"(手机|电话|联系|微信|致电|来电|拨打|tel|phone|mobile|(?<![a-z])mob(?![a-z])|cell|whatsapp|wechat|weixin|"
                          r"(?<![a-z])(?:vx|wx|qq|sms)(?![a-z]))", re.IGNORECASE)
#: How far before a number a card or ID word is looked for (in the same clause: :func:`_labelled`).
CONTEXT_REACH = 16
_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?、]")
#: Read before matching: dashes, middle dots, bullets and long-vowel marks as hyphens; tabs and no-break spaces as
#: spaces; every format character (Unicode category Cf: zero-width spaces and joiners, the soft hyphen, direction marks,
#: bidi embeddings and isolates, invisible operators, tags …) dropped: they part nothing a reader sees.  (An underscore
#: between digits is read as a hyphen too, :data:`_UNDERSCORED`; one next to a letter joins an identifier, ``id_1xx…``;
#: a slash between two groups of at least three digits as well, :data:`_SLASHED`.)
DASHES = str.maketrans({
    **{code: None for code in (*range(0x10000), *range(0xE0000, 0xE0080)) if unicodedata.category(chr(code)) == "Cf"},
    **{ord(c): "-" for c in "‐‑‒–—―−·・ー\u2022\u2027\u2219\u22c5"},
    ord("\t"): " ", 0xA0: " ",
})
_SLASHED = re.compile(r"(?<=[0-9]{3})/(?=[0-9]{3})")
#: A mobile's network code in brackets, as some write it ("(1xx) xxxx-xxxx", "+86(1xx)…"): read without them.
_UNDERSCORED = re.compile(r"(?<=[0-9])_(?=[0-9Xx])")
_BRACKETED = re.compile(r"(?<![0-9])(\+?86 ?)?\(([0-9]{3})\) ?(?=[0-9])")
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


#: The first two digits of a resident ID: a province-level region (GB/T 2260; 71 Taiwan, 81 Hong Kong, 82 Macao, 83 the
#: residence permits of residents of Taiwan). An order number shaped like an ID ("80…", "19…") starts with none of them.
REGIONS = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
                     "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
                     "83"})
#: Words that say a number is an identity number (an old 15-digit one, written solid, counts only after one).
ID_WORDS = re.compile(r"(身份证|证件|公民身份|居民身份|sfz|id ?card|(?<![a-z_])id(?![a-z_]|\())", re.IGNORECASE)
#: How an old 15-digit ID is grouped when it is written without a word before it: region, birth date, sequence (6-6-3),
#: or the birth date and sequence together (6-9); or one character at a time.
OLD_ID_GROUPS = frozenset({(6, 6, 3), (6, 9)})


def valid_old_id_number(number: str) -> bool:
    """A 15-digit resident ID of the first generation (issued until 2004, no check digit): a province-level region
    (:data:`REGIONS`) and a real birth date in 1900–1999 (``YYMMDD`` in digits 7–12).

    >>> born, month13 = "491231", "491331"
    >>> valid_old_id_number("110105" + born + "002"), valid_old_id_number("110105" + month13 + "002")
    (True, False)
    >>> valid_old_id_number("800105" + born + "002")  # no region 80
    False
    """
    if len(number) != 15 or not number.isdigit() or number[:2] not in REGIONS:
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def valid_id_number(number: str) -> bool:
    """An 18-character resident ID with a valid GB 11643 check digit, a province-level region (:data:`REGIONS`) and a
    real birth date (1900 to today).

    >>> base = "11010119900307123"
    >>> total = sum(int(d) * w for d, w in zip(base, _WEIGHTS))
    >>> valid_id_number(base + _CHECK[total % 11]), valid_id_number(base + "0")
    (True, False)
    >>> other = "80" + base[2:]  # the same digits after a region code that does not exist
    >>> valid_id_number(other + _CHECK[sum(int(d) * w for d, w in zip(other, _WEIGHTS)) % 11])
    False
    """
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in REGIONS:
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
            or (digits[:3] == "955" and 16 <= n <= 19)  # other domestic 955 BINs (PSBC 955100, BOCOM 955590 …)
            or (digits[:3] == "103" and n == 19)  # ABC's 103
            or (digits[0] == "4" and n in (13, 16))  # Visa (cards issued in China have 16 digits)
            or ((51 <= head2 <= 55 or 2221 <= head4 <= 2720) and n == 16)  # Mastercard
            or (3528 <= head4 <= 3589 and 16 <= n <= 19)  # JCB
            or (head2 in (34, 37) and n == 15))  # American Express


def _normalise(line: str) -> str:
    if line.isascii():  # (most lines: NFKC and the table change nothing in ASCII but a tab)
        line = line.replace("\t", " ")
    else:
        line = unicodedata.normalize("NFKC", line.translate(DASHES)).translate(DASHES)
    return _BRACKETED.sub(r"\1\2 ", _SLASHED.sub("-", _UNDERSCORED.sub("-", line)))


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
    return bool(_LABEL_WORD.fullmatch(word.lower())) or (mark in (":", "#") and word.isalpha())


def _grouped_candidate(offset: int, text: str) -> list[tuple[int, str, tuple[int, ...]]]:
    """``text`` at ``offset`` as a candidate with its group lengths, or nothing when it holds a lone dot: a lone dot is a
    decimal point, whatever else parts the digits (137.90124779, 1838.683 6605); dots that group a number come two or
    more (1xx.xxxx.xxxx), and not one in each of several numbers parted by spaces (a drawing's coordinates, 376.52 467.5).

    >>> _grouped_candidate(4, "12.34.56"), _grouped_candidate(0, "1838.683 6605"), _grouped_candidate(0, "376.523 467.536")
    ([(4, '12.34.56', (2, 2, 2))], [], [])
    """
    separators = _SEPARATOR_RE.findall(text)
    if separators.count(".") == 1:
        return []
    if "." in separators and all(part.count(".") == 1 for part in re.split(r" +", text)):
        return []  # decimals in a row
    return [(offset, text, tuple(len(g) for g in _SEPARATOR_RE.split(text)))]


#: The group lengths of the canonical ways of writing each kind of number: a run of digit groups longer than one number
#: (a time, a list number or another number before it, an extension after it) offers each contiguous part of it that has
#: one of these shapes (:func:`_chunks`).
CANONICAL_GROUPS = frozenset({
    # mobile: solid, 3-4-4, 3-8, 7-4, 4-4-3, 3-3-5; with a country code 86 or 0086 as its own group
    (11,), (3, 4, 4), (3, 8), (7, 4), (4, 4, 3), (3, 3, 5), (2, 3, 4, 4), (4, 3, 4, 4), (2, 11), (4, 11),
    # ID: solid, 6-8-4, 6-4-4-4, 3-3-4-4-4, the check character set apart (6-8-3-1, 17-1); an old ID: solid, 6-6-3, 6-9
    (18,), (6, 8, 4), (6, 4, 4, 4), (3, 3, 4, 4, 4), (6, 8, 3, 1), (17, 1), (15,), (6, 6, 3), (6, 9),
    # card: solid, 4-4-4-4 (and a shorter last group), 4-6-5 (and 4-6-6 … 4-6-9), the issuer's part and the rest (6-10 …
    # 6-13), 6-6-4 … 6-6-7
    *((n,) for n in range(16, 20)), (4, 4, 4, 4), *((4, 4, 4, 4, n) for n in (1, 2, 3)), *((4, 6, n) for n in range(5, 10)),
    *((6, n) for n in range(10, 14)), *((6, 6, n) for n in range(4, 8)),
})
_CANONICAL_LONGEST = 20  # characters: 19 digits, or 18 and an X


#: What may stand before the numbers of a token and be read apart: a list number, an age, a time's minutes, a date
#: written solid (one group of at most 8 digits), or a month and day (two groups of at most 2).
_LEAD_LONGEST = 8
#: What may follow the last number of a token: an extension, a count (one group of at most 5 digits).
_TAIL_LONGEST = 5


def _partition(lengths: list[int], seps: list[str]) -> list[tuple[list[int], list[int]]]:
    """The ways to read a token of several groups (their ``lengths``, and the separator after each) as numbers written one
    after another: after an optional lead (:data:`_LEAD_LONGEST`), every group belongs to one part of a canonical shape
    (:data:`CANONICAL_GROUPS`), but for an optional short tail (:data:`_TAIL_LONGEST`).  The first such reading, as
    (first groups, end groups) of its parts; none when the token is one number, or when its groups cannot all be read so
    (drawing coordinates, a table of figures: "4691 1926 4173 1376 3482 960" holds a 4-4-3 run that is no number).
    A part never starts or ends at a lone dot (a decimal point).

    >>> _partition([2, 3, 4, 4], [" ", " ", " ", ""])  # "30 1xx xxxx xxxx": a time's minutes, then a mobile
    [([1], [4])]
    >>> _partition([3, 4, 4, 3, 4, 4], ["-", "-", " ", "-", "-", ""])  # two mobiles in a row
    [([0, 3], [3, 6])]
    >>> _partition([4, 4, 4, 3, 4, 4, 4], [" "] * 6 + [""])  # coordinates: no 4-4-4 number, so no part at all
    []
    """
    count = len(lengths)
    if count < 2:
        return []

    def fits(i: int, j: int) -> bool:
        size = sum(lengths[i:j])
        if size > _CANONICAL_LONGEST or tuple(lengths[i:j]) not in CANONICAL_GROUPS:
            return False
        inner = seps[i:j - 1]
        return seps[j - 1] != "." and (i == 0 or seps[i - 1] != ".") and inner.count(".") != 1

    leads = [0]
    if lengths[0] <= _LEAD_LONGEST and seps[0] != ".":
        leads.append(1)
    if count > 2 and lengths[0] <= 2 and lengths[1] <= 2 and seps[1] != ".":
        leads.append(2)
    ends = [count] + ([count - 1] if lengths[-1] <= _TAIL_LONGEST and seps[-2] != "." else [])
    readings: list[tuple[list[int], list[int]]] = []
    for lead in leads:
        for end in ends:
            # reach[k]: how the groups lead..k can be cut into canonical parts (the part that ends at k), or None
            reach: dict[int, int] = {lead: lead}
            for k in range(lead, end):
                if k not in reach:
                    continue
                for j in range(k + 1, min(end, k + 6) + 1):
                    if j not in reach and fits(k, j):
                        reach[j] = k
            if end in reach and end != lead:
                first, stop, k = [], [], end
                while k != lead:
                    first.append(reach[k])
                    stop.append(k)
                    k = reach[k]
                if (first, stop) != ([0], [count]):  # (the whole token as one number: a candidate of its own already)
                    readings.append((first[::-1], stop[::-1]))
    return readings


def _chunks(token: str) -> list[tuple[int, str, tuple[int, ...]]]:
    """Candidate numbers in a token: (offset, text, group lengths) of the whole token, of the part after a date at its
    start, of each space-separated chunk that is one solid run of at least 11 digits (a mobile number followed by
    " 2026年"), then of each part of the readings of :func:`_partition` (the token read as numbers one after another,
    after a short lead, before a short tail): a number after a time, a list number or another number ("21:30 1xx xxxx
    xxxx", "1. 1xx xxxx xxxx"), or before an extension ("1xxxxxxxxxx-8001").  Four groups of four with another group of
    four next to them are a window in a table or a list of coordinates, not a card.  Linear in the length of the token.

    >>> [(at, groups) for at, _, groups in _chunks("123 4567-8901")]
    [(0, (3, 4, 4))]
    >>> _chunks("123.45678901"), _chunks("1838.683 6605")
    ([], [])
    >>> [(at, groups) for at, _, groups in _chunks("2026 12345678901")]
    [(0, (4, 11)), (5, (11,)), (5, (11,))]
    >>> [(at, groups) for at, _, groups in _chunks("2026-03-02 123 4567 8901")]
    [(0, (4, 2, 2, 3, 4, 4)), (11, (3, 4, 4))]
    >>> [(at, groups) for at, _, groups in _chunks("30 123 4567 8901 5")]
    [(0, (2, 3, 4, 4, 1)), (0, (2, 3, 4, 4)), (3, (3, 4, 4))]
    >>> [groups for _, _, groups in _chunks("1234 5678 9012 3456 7890")]  # no window of a uniform run of fours
    [(4, 4, 4, 4, 4)]
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
    # the groups: where each starts, its length, and the separator after it
    starts: list[int] = []
    lengths: list[int] = []
    seps: list[str] = []
    at = 0
    for sep in _SEPARATOR_RE.finditer(token):
        starts.append(at)
        lengths.append(sep.start() - at)
        seps.append(sep.group())
        at = sep.end()
    starts.append(at)
    lengths.append(len(token) - at)
    seps.append("")
    for first, stop in _partition(lengths, seps):
        parts = []
        for i, j in zip(first, stop):
            groups = tuple(lengths[i:j])
            if groups[:4] == (4, 4, 4, 4) and ((i and lengths[i - 1] == 4) or (j < len(lengths) and lengths[j] == 4)):
                continue  # a window in a longer run of four-digit groups (a table, coordinates): which one?
            parts.append((starts[i], token[starts[i]:starts[j - 1] + lengths[j - 1]], groups))
        out += parts
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


def _labelled(words: re.Pattern[str], before: str) -> bool:
    """Whether one of ``words`` comes in the last :data:`CONTEXT_REACH` characters of ``before``, in the same clause as
    the number, with no word naming it something else (:data:`SERIAL_WORDS`) after it.

    >>> _labelled(CARD_WORDS, "卡号 "), _labelled(CARD_WORDS, "卡号尾号1234，订单 "), _labelled(CARD_WORDS, "信用卡还款流水号 ")
    (True, False, False)
    """
    near = before[-CONTEXT_REACH:]
    near = near[max((m.end() for m in _CLAUSE_BREAK.finditer(near)), default=0):]
    last = max((match.end() for match in words.finditer(near)), default=None)
    return last is not None and not SERIAL_WORDS.search(near, last)


def _serial_named(before: str) -> bool:
    """Whether the last label word in the number's clause (within :data:`CONTEXT_REACH`) is a serial word
    (:data:`SERIAL_WORDS`), with no card, ID or mobile word after it: the number is named a serial, not reported.

    >>> _serial_named("订单号 "), _serial_named("工单号 T"), _serial_named("订单ID "), _serial_named("订单联系人手机 "), _serial_named("订单号 1，手机 ")
    (True, True, True, False, False)
    """
    near = before[-CONTEXT_REACH:]
    near = near[max((m.end() for m in _CLAUSE_BREAK.finditer(near)), default=0):]
    last = max((match.end() for match in SERIAL_WORDS.finditer(near)), default=None)
    return last is not None and not any(words.search(near, last) for words in (CARD_WORDS, ID_WORDS, MOBILE_WORDS))


def _classify(text: str, groups: tuple[int, ...], before: str) -> tuple[str, str] | None:
    """(kind, digits) of one candidate, or None (``before``: the end of the line before it, for context words)."""
    if _serial_named(before):
        return None
    digits = re.sub(r"[ .-]", "", text)
    if len(digits) == 18 and _id_grouped(groups) and valid_id_number(digits):
        return "id_number", digits.upper()
    if not digits.isdigit():
        if digits[-1:] in ("X", "x"):  # not an ID: the x may be a word after the number ("1xx xxxx xxxx x")
            rest = text[:-1].rstrip(" .-")
            found = _classify(rest, tuple(len(g) for g in _SEPARATOR_RE.split(rest)), before) if rest else None
            # an x glued to the digits is an ID's check character (6201…0009X, a wrong ID): the digits before it are
            # read only as a mobile number with a letter after it, not as a card or an ID
            return found if found and (found[0] == "mobile" or rest != text[:-1]) else None
        return None
    if (len(digits) == 15 and valid_old_id_number(digits)
            and (groups in OLD_ID_GROUPS or _spaced_out(groups) or _labelled(ID_WORDS, before))):
        return "id_number", digits
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
        if chinese_card_prefix(digits) or _labelled(CARD_WORDS, before):
            return "card", digits
    return None


KIND_ORDER = {"id_number": 0, "card": 1, "mobile": 2}


_EXTENSION = re.compile(r"ext(?![A-Za-z])", re.IGNORECASE)
#: A line written URL-encoded (a search link, a form's query string): %XX escapes, or a plus between digits.
_URL_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}|(?<=[0-9])\+|\+(?=[0-9-])")


def scan_line(line: str) -> list[tuple[str, str]]:
    """(kind, digits) of every number found in one line (normalised here), IDs first, then cards, then mobiles.  A line
    written URL-encoded is also read decoded (``q=1xx+xxxx+xxxx``, ``%E8%BA%AB…``).

    >>> digits = "1" + "39" + "1234" + "5678"
    >>> wide = "".join(chr(ord(c) + 0xFEE0) for c in digits)  # full-width digits
    >>> scan_line(f"手机 {wide[:3]}－{wide[3:7]}－{wide[7:]}") == [("mobile", digits)]
    True
    >>> scan_line("Tel:" + digits) == scan_line("电话" + digits) == scan_line("q=" + "+".join((digits[:3], digits[3:7], digits[7:]))) == [("mobile", digits)]
    True
    >>> scan_line("sha a" + digits + "b"), scan_line("合计 " + digits + ".50 元")
    ([], [])
    """
    found = _scan_normalised(_normalise(line))
    if _URL_ENCODED.search(line):
        found += list((Counter(_scan_normalised(_normalise(unquote_plus(line)))) - Counter(found)).elements())
    return sorted(found, key=lambda kd: KIND_ORDER[kd[0]])


def _scan_normalised(line: str, across: int = -1) -> list[tuple[str, str]]:
    """What :func:`scan_line` finds in a normalised line; with ``across``, only the numbers that hold that position
    (the space that joins two lines: :func:`_across_break`)."""
    found: list[tuple[str, str]] = []
    for match in TOKEN_RE.finditer(line):
        start, end = match.span()
        if across >= 0 and not start <= across < end:
            continue  # (the numbers of one token are read apart from those of another)
        token = match.group()
        after = line[end:end + 1]
        if after.isascii() and after.isalpha() and not _EXTENSION.match(line, end):
            continue  # part of a word or a hash: 13912345678d0e (but for an extension: 1xx…ext8001, not 1xx…extra)
        if after == "." and line[end + 1:end + 2].isdigit():
            continue  # an amount: 13800138000.50
        glued = _glued_ok(line, start)
        before = line[max(0, start - CONTEXT_REACH):start]  # (only the end: a line of many numbers stays linear)
        covered = bytearray(len(token))  # the characters of the numbers found in this token
        for at, text, groups in _chunks(token):
            if (at == 0 and not glued) or covered.find(1, at, at + len(text)) != -1:
                continue
            kind_digits = _classify(text, groups, (before + token[max(0, at - CONTEXT_REACH):at])[-CONTEXT_REACH:])
            if kind_digits:
                covered[at:at + len(text)] = b"\x01" * len(text)
                if across < 0 or start + at <= across < start + at + len(text):
                    found.append(kind_digits)
    return found


def scan_text(text: str, path: str = "<text>") -> list[Finding]:
    """Findings in one text, line by line.

    >>> scan_text("客服电话 95555、400-820-5555，投诉 12378 或 12363；2026-03-02 还款 50,000.00 元。")
    []
    """
    findings = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if any(c.isdigit() for c in line):
            found = scan_line(line)
            if number < len(lines):
                found += _across_break(line, lines[number])
            for kind, digits in found:
                findings.append(Finding(path, number, kind, _mask(digits, 6 if kind == "id_number" else 3 if kind == "mobile" else 4)))
    return findings


_ENDS_IN_DIGIT = re.compile(r"([0-9]+)[ .-]{0,3}$")
_STARTS_WITH_DIGIT = re.compile(r" *([0-9]+[Xx]?)")
#: How much of each line :func:`_across_break` joins: the longest grouped number, and the first line's context words.
_BREAK_REACH = 48


def _across_break(line: str, following: str) -> list[tuple[str, str]]:
    """What a number split over a line break gives ("手机 1xx xxxx" / "xxxx"): the numbers in the tail of ``line`` and
    the head of ``following`` joined by a space that hold that space, so not what either gives alone (reported at the
    first line).

    >>> digits = "1" + "39" + "1234" + "5678"
    >>> _across_break("客户预留手机 " + digits[:3] + " " + digits[3:7], digits[7:] + "，请核实") == [("mobile", digits)]
    True
    >>> _across_break("手机 " + digits, "2026 年"), _across_break("第 1", "条")
    ([], [])
    """
    if not line or not following or not following.lstrip(" \t\u3000")[:1].isdecimal():
        return []
    first, second = _normalise(line), _normalise(following)
    ends, starts = _ENDS_IN_DIGIT.search(first), _STARTS_WITH_DIGIT.match(second)
    if not ends or not starts or len(ends.group(1)) + len(starts.group(1)) > _CANONICAL_LONGEST:
        return []  # (a number across the break holds the last group of one line and the first of the next: 20 at most)
    tail, head = first[-(_BREAK_REACH + CONTEXT_REACH):].rstrip(" "), second[:_BREAK_REACH].lstrip(" ")
    return _scan_normalised(tail + " " + head, across=len(tail))


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_TAG = re.compile(r"<[^<>]*>")
#: Tags that part what stands on either side of them (a table's cells, a line break): read as a bar, which parts numbers
#: (a space would join two cells into one grouped number), not as nothing.
_PARTING = re.compile(r"</?(?:br|p|div|td|th|tr|li|dd|dt|h[1-6]|table|thead|tbody|section|option|hr|img|input)\b", re.IGNORECASE)


def visible_text(page: str) -> str:
    """An HTML page's text as a reader sees it, line for line: tags taken out (a number that a code highlighter cut into
    spans is whole again; a tag that parts cells or lines leaves a bar) and entities read (``&nbsp;``, ``&#45;``).

    >>> visible_text('<span class="mi">12</span><span class="o">-</span>34&nbsp;56<br/>7</td><td>8')
    '12-34\xa056|7||8'
    >>> visible_text('<a\\nhref="#">1</a>').splitlines()  # a tag over two lines leaves the line count as it was
    ['', '1']
    >>> visible_text('a&#10;b&#13;c\\nd').splitlines()  # so does an entity that stands for a line break
    ['a b c', 'd']
    """
    text = _TAG.sub(lambda tag: "\n" * tag.group().count("\n") or ("|" if _PARTING.match(tag.group()) else ""), page)
    parts = _LINE_BREAK.split(text)
    parts[::2] = [_LINE_BREAK.sub(" ", html.unescape(part)) if "&" in part else part for part in parts[::2]]
    return "".join(parts)


#: What :meth:`str.splitlines` breaks a line at.
_LINE_BREAK = re.compile("(\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])")


def scan_page(text: str, path: str = "<page>") -> list[Finding]:
    """Findings in an HTML page: those of its source text (:func:`scan_text`) and those of its visible text
    (:func:`visible_text`) not already found on that line.

    >>> digits = "1" + "39" + "1234" + "5678"
    >>> page = f'<span class="mi">{digits[:3]}</span><span class="o">-</span><span class="mi">{digits[3:7]}</span>-{digits[7:]}'
    >>> scan_text(page), [f.kind for f in scan_page(page)]
    ([], ['mobile'])
    """
    findings = scan_text(text, path)
    seen = {(f.line, f.kind, f.masked) for f in findings}
    return findings + [f for f in scan_text(visible_text(text), path) if (f.line, f.kind, f.masked) not in seen]


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark (Excel's "Unicode text")
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a GBK / GB 18030 file (saved by older Chinese Windows tools)
    except UnicodeDecodeError:
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
                scan = scan_page if path.suffix.lower() in HTML_SUFFIXES else scan_text
                findings.extend(scan(text, str(path)))
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


#: Separators, labels and trailing words that :func:`variant_corpus` writes numbers with (drawn at random).
VARIANT_SEPARATORS = (" ", "-", ".", "  ", "   ", " - ", "--", "_", "\t", "·", "\u200b", "－", "\u3000", " . ", "\u2022", "\u2027",
                      "\u22c5", "/", "      ", "\u00ad", "\u200e", "\u2063")
VARIANT_LABELS = {
    "id_number": ("身份证号", "证件号码：", "ID:", "IDcard", "SFZH", "sfz ", "居民身份证 ", "No."),
    "mobile": ("手机", "电话：", "Tel", "MobileNo", "联系方式 ", "wx:", "+86 ", "(+86) ", "0086-", ""),
    "card": ("卡号", "银行卡 ", "CardNumber", "PAN", "信用卡：", "card#", "还款账号 ", ""),
}
VARIANT_TAILS = ("", "。", " xiaoming", " X", " 未接", "ext8001", "，已核实", "_backup", "）", "-8001")
#: What may stand right before the number, with no label between (a call log's time, a list number, a table's other
#: column, another number); ``{mobile}`` is another mobile number.
VARIANT_LEADS = ("21:30 ", "2026-03-02 21:30 ", "2026/03/02 ", "03-02 ", "1. ", "2) ", "35\t", "张三\t35\t", "{mobile} ")
#: Format characters that :func:`variant_corpus` may sprinkle into a number (soft hyphen, direction marks, bidi
#: embeddings and isolates, invisible operators).
VARIANT_INVISIBLES = ("\u00ad", "\u200e", "\u200f", "\u202a", "\u202c", "\u2066", "\u2069", "\u2063")


def variant_corpus(seed: int = 1, count: int = 600) -> list[tuple[str, str]]:
    """(line, kind) pairs: real-looking numbers of every kind, each written with a separator, grouping, label, width and
    trailing word drawn at random from :data:`VARIANT_SEPARATORS`, :data:`VARIANT_LABELS` and :data:`VARIANT_TAILS`,
    and 15-digit IDs of the first generation: combinations that :func:`generated_corpus` does not list one by one.
    Some have a time, a list number or another number before them (:data:`VARIANT_LEADS`), invisible format characters
    inside them (:data:`VARIANT_INVISIBLES`), or are URL-encoded as a search link would write them.

    >>> corpus = variant_corpus(count=30)
    >>> len(corpus), sorted({kind for _, kind in corpus})
    (30, ['card', 'id_number', 'mobile'])
    """
    rng = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def split(number: str, sizes: tuple[int, ...]) -> list[str]:
        parts, at = [], 0
        for size in sizes:
            parts.append(number[at:at + size])
            at += size
        return parts + ([number[at:]] if at < len(number) else [])

    regions = sorted(REGIONS - {"71", "81", "82", "83"})
    out: list[tuple[str, str]] = []
    for k in range(count):
        kind = ("id_number", "mobile", "card")[k % 3]
        label = rng.choice(VARIANT_LABELS[kind])
        if kind == "id_number" and rng.random() < 0.25:  # a first-generation ID (grouped 6-6-3, or after its word)
            number = rng.choice(regions) + digits(4) + date(rng.randint(1930, 1984), rng.randint(1, 12), rng.randint(1, 28)).strftime("%y%m%d") + digits(3)
            groups = rng.choice([(6, 6, 3), (15,)])
            label = rng.choice(("身份证号", "旧身份证：", "证件 ", "ID:", "IDcard", "sfz "))  # (solid, it needs its word)
        elif kind == "id_number":
            born = date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
            number = _id_complete(rng.choice(regions) + digits(4) + born.strftime("%Y%m%d") + digits(3))
            groups = rng.choice([(18,), (6, 8, 4), (6, 4, 4, 4), (3, 3, 4, 4, 4), (6, 8, 3)])
        elif kind == "mobile":
            number = "1" + rng.choice("3456789") + digits(9)
            groups = rng.choice([(11,), (3, 4, 4), (3, 3, 5), (4, 4, 3), (3, 8)])
        else:
            prefix, length = rng.choice((("622588", 16), ("621700", 19), ("9558", 19), ("4392", 16), ("5187", 16), ("6013", 19)))
            number = _luhn_complete(prefix + digits(length - len(prefix) - 1))
            groups = rng.choice([(length,), (4, 4, 4, 4), (6, 6), (4, 6)])
        separator = rng.choice(VARIANT_SEPARATORS)
        if separator == "/" and min(map(len, split(number, groups))) < 3:
            separator = "-"  # (a slash parts groups of at least three digits, not an ID's check character: …/X)
        if len(groups) == 2 and separator.strip() == ".":
            separator = " "  # (a lone dot is a decimal point: 1xx.xxxxxxxx is read as an amount, by design)
        written = separator.join(split(number, groups))
        if rng.random() < 0.2:
            written = _wide(written)
        tail = rng.choice(VARIANT_TAILS)
        if tail in (" X", "ext8001", "-8001") and kind != "mobile":
            tail = " 已核对"  # (an extension follows a phone number; an ID's own check character may be an X)
        if rng.random() < 0.15:  # invisible format characters inside the number
            written = "".join(c + (rng.choice(VARIANT_INVISIBLES) if c.isdigit() and rng.random() < 0.3 else "") for c in written)
        lead = ""
        if rng.random() < 0.25 and not (kind == "id_number" and len(number) == 15 and groups == (15,)):
            # (a solid old ID needs its word right before it, so it gets no lead)
            lead = rng.choice(VARIANT_LEADS).format(mobile=rng.choice(("1" + rng.choice("3456789") + digits(9),
                                                                       "1" + rng.choice("3456789") + digits(1) + " " + digits(4) + " " + digits(4))))
            label = label if len(number) == 15 else rng.choice(("", label))  # (an old ID needs its word)
        line = f"{label}{lead}{written}{tail}"
        if rng.random() < 0.08:  # URL-encoded, as a search link or a form's query string writes it
            line = "https://example.org/s?q=" + quote_plus(line)
        out.append((line, kind))
    return out


def lookalike_corpus(seed: int = 2, count: int = 1200) -> list[str]:
    """Lines with numbers that are not personal numbers but share their shape: random serials after serial words (some
    after a card word in an earlier clause or before the serial word), order numbers shaped like an ID (a 6-digit code,
    a real date, 4 digits), 15-digit merchant numbers, 19-digit order numbers starting with 4, drawing coordinates with
    decimals, identifiers in code, serials with a card prefix and a valid Luhn check after serial words, business
    registration numbers shaped like an old ID, single-letter codes (T1xx…) after 工单号 or SKU.  What the scanner
    reports here is a false alarm.

    >>> len(lookalike_corpus(count=20))
    20
    """
    rng = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    makers = (
        lambda: f"{rng.choice(['订单号', '流水号', '交易参考号', '工单', 'Order No.', '批次号'])} {digits(rng.randint(16, 19))}",
        lambda: f"{rng.choice(['信用卡还款流水号 ', '这张信用卡的订单号 ', '卡号尾号1234，订单 ', '银行卡交易凭证号：'])}{digits(16)}",
        lambda: f"订单号 {digits(6)}{date(rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)).strftime('%Y%m%d')}{digits(4)}",
        lambda: f"商户编号 {digits(15)}",
        lambda: f"淘宝订单 4{digits(18)}",
        lambda: f'<path d="M {digits(3)}.{digits(6)} {digits(3)}.{digits(3)} L {digits(2)}.{digits(5)} {digits(3)}.{digits(4)}"/>',
        lambda: f"{rng.choice(['user_', 'id_', 'sha=', 'v'])}{rng.choice('abcdef')}{digits(rng.randint(11, 18))}{rng.choice('abcdef')}",
        lambda: f"{rng.randint(2020, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{digits(9)} 时间戳",
        # serial words right before serials shaped like Chinese cards (a card prefix and a valid Luhn check)
        lambda: f"{rng.choice(['订单号 ', '流水号', '运单号：', '快递单号 ', 'SN:', 'SKU ', '交易参考号 ', 'Order No. '])}"
                f"{(lambda p, n: _luhn_complete(p + digits(n - len(p) - 1)))(rng.choice(['622', '621', '602', '9558', '955', '4']), rng.choice((16, 19)))}",
        # business registration numbers: 15 digits with a region code and a date-like middle, as an old ID has
        lambda: f"{rng.choice(['营业执照注册号 ', '企业证件号码（营业执照注册号）', '注册号：', '商户ID ', '订单ID:'])}"
                f"{rng.choice(sorted(REGIONS))}{digits(4)}{rng.randint(30, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{digits(3)}",
        # a single-letter code before a mobile-shaped number after a serial word
        lambda: f"{rng.choice(['工单号 ', '工单号：', 'SKU ', '订单号 ', '单号'])}{rng.choice('TMVtmv')}1{rng.choice('3456789')}{digits(9)}",
        # no label at all: a drawing's whole-number coordinates, and a table row of figures
        lambda: f"{rng.choice('MCLQ')} " + " ".join(str(rng.randint(0, 9999)) for _ in range(rng.randint(4, 8))),
        lambda: "| " + " | ".join(str(rng.randint(0, 99999)) for _ in range(rng.randint(4, 10))) + " |",
        lambda: " ".join(str(rng.randint(0, 99999)) for _ in range(rng.randint(4, 10))),
    )
    return [makers[k % len(makers)]() for k in range(count)]


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
        variants = variant_corpus()
        caught = sum(kind in [k for k, _ in scan_line(line)] for line, kind in variants)
        print(f"random variants (separator, grouping, label, width and trailing word drawn at random): "
              f"recall {caught / len(variants):.1%} ({caught} of {len(variants)})")
        lookalikes = lookalike_corpus()
        alarms = [kind for line in lookalikes for kind, _ in scan_line(line)]
        by_kind = ", ".join(f"{kind} {alarms.count(kind)}" for kind in ("id_number", "mobile", "card"))
        print(f"look-alikes (serials, ID-shaped order numbers, coordinates, identifiers): false alarms "
              f"{len(alarms) / len(lookalikes):.1%} ({len(alarms)} of {len(lookalikes)} lines: {by_kind})")
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
