"""The one normaliser for numbers typed into a form, a widget or the browser form.

People type numbers the way they see them printed: full-width digits from a
Chinese input method (``１２``), grouping commas (``1,000``, ``1，000``), a
currency sign or unit (``¥1000``, ``￥1,000.50``, ``1000元``, ``RMB 1000``), a
period count with its unit (``１２期``) or a percent with its sign (``0.66％``).
:func:`normalize_number` turns each of these into the plain ASCII text the
calculators parse (``"1000"``, ``"1000.50"``, ``"12"``, ``"0.66"``), so the same
typed text gives the same figures everywhere; every view and widget, and the
site form (the same Python, in Pyodide), calls it.  Anything else is rejected
with a Chinese message that names the cause (``请只填数字，不要带单位``), never
guessed.  Standard library only.

Field kinds:

* ``"amount"``: yuan; accepts ``¥`` / ``￥`` / ``RMB`` / ``人民币`` before and ``元`` after.
* ``"integer"``: a whole number such as 期数; accepts ``期`` after.
* ``"percent"``: a percent such as 每期手续费率（%）; accepts ``%`` / ``％`` after.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import CalculatorInputError

__all__ = ["KINDS", "NOT_A_NUMBER", "normalize_date", "normalize_leading_date", "normalize_number", "normalize_text"]

#: The field kinds :func:`normalize_number` knows, with the unit words each accepts.
KINDS = ("amount", "integer", "percent")
#: The ``allowed`` text of the normaliser's errors; their ``allowed_zh`` is a full Chinese sentence naming the cause.
NOT_A_NUMBER = "a plain number"
_MAX_LENGTH = 40  # longer than any amount the calculators accept, written with every grouping comma
_PREFIXES = {"amount": ("人民币", "RMB", "¥")}
_SUFFIXES = {"amount": ("人民币", "元", "RMB"), "integer": ("期",), "percent": ("%",)}
_UNIT_NAMES = {"amount": "元", "integer": "期", "percent": "%"}
_PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_SPACES = re.compile(r"\s+")
#: Characters that take no room on screen (zero-width spaces and joiners, the byte-order mark, soft hyphens).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


#: What :func:`normalize_text` folds: full-width and half-width forms (``１２``, ``．``, ``％``, ``￥``) and spaces other than
#: the ASCII space (the ideographic space of a Chinese input method, no-break spaces).  Not the rest of what NFKC folds:
#: superscript, subscript and circled digits (``1000²``, ``①``), fractions and ligatures are not digits a person typed as
#: such (a footnote mark pasted with a number would silently change it) and are left for the caller to reject.
_FOLDED = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\uff01-\uff5e\uffe0-\uffee]+")


def normalize_text(text: str) -> str:
    """Fold the full-width forms and spaces in typed text (Unicode NFKC, applied to those characters only): full-width
    digits, letters, ``．``, ``：``, ``，``, ``％`` and ``￥`` become ASCII (``¥``), the ideographic space a space.

    >>> normalize_text("２０２６－０５－２０　３００．５")
    '2026-05-20 300.5'
    >>> normalize_text("21：30")
    '21:30'
    >>> normalize_text("1000²"), normalize_text("①②000")  # (not folded: rejected where a number is wanted)
    ('1000²', '①②000')
    """
    return _FOLDED.sub(lambda found: unicodedata.normalize("NFKC", found.group()), text or "").translate(_MINUS)


#: Minus signs that are not the ASCII hyphen-minus (the mathematical minus of some input methods and word processors):
#: read as "-", so that a negative amount gets the calculator's range message, as "－10000" does.
_MINUS = str.maketrans({"\u2212": "-", "\u2796": "-", "\ufe63": "-"})
#: Punctuation an input method adds after (or before) a value: named as what it is.
_STRAY_PUNCTUATION = re.compile(r"^[。，、；;！!？?：:]+|[。，,、；;！!？?：:]+$")


#: A date as people write it besides YYYY-MM-DD: 2026年5月20日 (or 号), 2026.5.20, and dashes other than the hyphen
#: (2026–05–20, as word processors turn them).
_WRITTEN_DATE = re.compile(r"([0-9]{4}) *(?:年 *([0-9]{1,2}) *月 *([0-9]{1,2}) *[日号]?|\.([0-9]{1,2})\.([0-9]{1,2})"
                           r"|[\u2010-\u2015\u2212]([0-9]{1,2})[\u2010-\u2015\u2212]([0-9]{1,2}))")


def normalize_date(text: str) -> str:
    """``text`` as ``YYYY-M-D`` when the whole of it is a date written another common way, else ``text`` unchanged (the
    date reader then names what is wrong).

    >>> [normalize_date(t) for t in ("2026年5月20日", "2026 年 05 月 20 号", "2026.5.20", "2026–05–20", "2026-05-20", "5月20日")]
    ['2026-5-20', '2026-05-20', '2026-5-20', '2026-05-20', '2026-05-20', '5月20日']
    """
    written = _WRITTEN_DATE.fullmatch(text.strip())
    if not written:
        return text
    month, day = next((written.group(k), written.group(k + 1)) for k in (2, 4, 6) if written.group(k))
    return f"{written.group(1)}-{month}-{day}"


def normalize_leading_date(line: str) -> str:
    """``line`` with the date it starts with written ``YYYY-M-D`` (:func:`normalize_date`), a 年月日 date with spaces in it
    (``2026 年 5 月 20 日``) included: what the list readers (payments, contact log, collections) cut into words.

    >>> normalize_leading_date("2026 年 5 月 20 日 300"), normalize_leading_date("2026.5.20 300"), normalize_leading_date("abc 1")
    ('2026-5-20 300', '2026-5-20 300', 'abc 1')
    """
    line = line.strip()
    written = _WRITTEN_DATE.match(line)
    if written and (written.end() == len(line) or line[written.end()] in " \t,，、"):
        return normalize_date(written.group()) + line[written.end():]
    return line


def _fail(field: str, typed: str, cause: str) -> CalculatorInputError:
    return CalculatorInputError(field, typed, NOT_A_NUMBER, allowed_zh=cause)


def _strip_unit(text: str, kind: str) -> str:
    """Remove one accepted currency sign or unit word (case-insensitive RMB) and the spaces around it."""
    upper = text.upper()
    for prefix in _PREFIXES.get(kind, ()):
        if upper.startswith(prefix):
            text, upper = text[len(prefix):].strip(), upper[len(prefix):].strip()
            break
    for suffix in _SUFFIXES.get(kind, ()):
        if upper.endswith(suffix):
            text = text[: len(text) - len(suffix)].strip()
            break
    return text


def normalize_number(typed: str, field: str, kind: str) -> str:
    """The plain ASCII number in ``typed``, or a :class:`CalculatorInputError` whose Chinese text names the cause.

    ``kind`` is one of :data:`KINDS`.  An empty field gives ``""`` (the
    calculator reports a missing value in its own words).  The result is text:
    the calculators parse and range-check it exactly as before.

    >>> [normalize_number(t, "principal", "amount") for t in ("１２", "1,000", "1，000", "1000元", "¥1000", "￥1,000.50", "RMB 1000")]
    ['12', '1000', '1000', '1000', '1000', '1000.50', '1000']
    >>> normalize_number("１２期", "periods", "integer"), normalize_number("0.66％", "monthly_fee_rate", "percent")
    ('12', '0.66')
    >>> normalize_number("12个月", "periods", "integer")
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: periods='12个月' is not allowed: a plain number
    >>> try:
    ...     normalize_number("1,00", "principal", "amount")
    ... except CalculatorInputError as err:
    ...     print(err.allowed_zh)
    千分位逗号的位置不对：逗号应每三位一个（例如 1,000 或 12,345.67），也可以不写逗号
    """
    if kind not in KINDS:
        raise ValueError(f"unknown field kind {kind!r}; one of {KINDS}")  # a programming error, not bad input
    raw = typed if isinstance(typed, str) else ("" if typed is None else str(typed))
    if len(raw) > _MAX_LENGTH * 4:  # checked before any work: a pasted page is not a number
        raise _fail(field, raw[:20] + "…", f"内容太长：这里只填一个数字（不超过 {_MAX_LENGTH} 个字符）")
    text = _SPACES.sub(" ", normalize_text(raw)).strip()
    if not text:
        return ""
    if len(text) > _MAX_LENGTH:
        raise _fail(field, raw, f"内容太长：这里只填一个数字（不超过 {_MAX_LENGTH} 个字符）")
    number = _strip_unit(text, kind)
    if _PLAIN.fullmatch(number):
        return number
    if _GROUPED.fullmatch(number):
        return number.replace(",", "")
    raise _fail(field, raw, _cause(number, kind))


def _cause(text: str, kind: str) -> str:
    """Why ``text`` (already without an accepted unit) is not a number of this kind, in Chinese."""
    unit = _UNIT_NAMES[kind]
    stray = _STRAY_PUNCTUATION.search(text)
    if stray and re.search(r"[0-9]", text):  # "10000元。", "0.66%，": the input method's full stop or comma came along
        return f"数字{'前' if stray.start() == 0 else '后'}面多了标点“{stray.group()}”：请删掉，只填数字"
    if not text:
        return f"只写了单位，没有数字：请填数字，例如 {'1000' if kind == 'amount' else '12' if kind == 'integer' else '0.66'}"
    if "%" in text:
        return "本栏不是百分数：请只填数字，不要带 %" if kind != "percent" else "% 只能写在数字后面，例如 0.66%"
    if "整" in text and re.search(r"[0-9]", text):  # "1000元整", as on a cheque
        return "请不要写“整”：只填数字，例如 1000 或 1000元"
    if kind == "integer" and re.search(r"[0-9] *期[^期\s]", text):  # "12期数": the unit after the number, then more words
        return "“期”后面不要再写别的字：例如 12 或 12期"
    if re.search(r"[0-9][,.] +[0-9]|[0-9] +[,.][0-9]", text):  # "1, 000", "0. 66", "1000 .50"
        return "逗号、小数点前后不要有空格：例如 1,000 或 0.66"
    if "元" in text or "¥" in text or "RMB" in text.upper():
        return ("本栏不是金额：请只填数字，不要带“元”或货币符号" if kind != "amount"
                else "货币符号写在数字前、“元”写在数字后，各写一次即可，例如 ¥1000 或 1000元")
    if "期" in text:
        return "本栏不是期数：请只填数字，不要带“期”" if kind != "integer" else "“期”只能写在数字后面，例如 12期"
    if re.search(r"[0-9] +[0-9]", text):
        return "数字中间不要有空格（分隔千位请用逗号，或不分隔）"
    if "," in text:
        return "千分位逗号的位置不对：逗号应每三位一个（例如 1,000 或 12,345.67），也可以不写逗号"
    if text.count(".") > 1:
        return "小数点只能有一个"
    if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", text):
        return "请直接写出数字，不要用科学计数法（如 1e3）"
    if re.fullmatch(r"[+-]?\.[0-9]+|[+-]?[0-9]+\.", text):
        return "小数点前后都要有数字，例如 0.5"
    if _INVISIBLE.search(text):
        return "数字里有看不见的字符（如零宽空格，常随复制粘贴带入）：请删掉本栏内容后重新输入"
    if re.search(r"[0-9]。[0-9]", text):
        return "小数点请用“.”：中文句号“。”不是小数点（例如 1000.50）"
    odd = [ch for ch in text if ch.isnumeric() and not "0" <= ch <= "9"]
    if odd:
        return f"请用阿拉伯数字 0-9 填写：“{odd[0]}”不是（汉字数字、上标、圈号等都不能代替）"
    if re.search(r"[0-9]", text):
        return f"请只填数字，不要带单位或其他文字（本栏单位：{unit}，可不写）"
    return "请填数字"
