"""The red-line linter for collection scripts (话术红线检查).

:func:`lint` flags text that crosses a red line of the 2026 CBA collection
guideline: threats, insults, impersonating police, courts or government, fake
"blacklists", exaggerated legal consequences, urging the customer to borrow
elsewhere, revealing the debt to a third party, extra fees, public notices,
private phones or apps, entering homes or offices.  The categories and their
Chinese patterns are data (``procedures/rules/redlines.yml``), loaded by
:func:`procedures.rules.redlines` into a :class:`RedlineRules` object (or from
JSON in the browser through :meth:`RedlineRules.from_dict`).

How a pattern matches (so that compliant phrasing such as "我们不会上门",
"征信里没有所谓的‘黑名单’" or "请不要向网贷借钱还款" is not flagged):

* Patterns are regular expressions over the raw text.  ``<NAME>`` stands for a
  macro from the data (``<YOU>`` is ``[你您侬]``; ``<GAP>`` one character that
  is not clause punctuation), so a pattern never reaches across a clause.
* Chat text is often punctuated with spaces: a run of spaces between two
  Chinese characters parts clauses as a comma does (:func:`clause_view`; the
  findings quote the text as written).
* A pattern's ``negation`` mode decides whether a negation cancels a match:
  ``clause`` (the default) looks for a negation word (``不会``, ``没有``,
  ``请勿``, ``严禁`` …) in the last ``negation_window`` characters of the clause
  before the match and inside the match; ``prefix`` looks only before the
  match (for patterns that contain a negation word themselves, such as
  ``不要脸`` or ``上不了学``); ``none`` ignores negation words (a prohibition or
  a report heading the clause or the sentence, below, still scopes over it).
* A prohibition at the head of a clause (``prohibitions`` such as ``不得``,
  ``严禁``, ``切勿`` starting within the first ``prohibition_head``
  characters, so after a short subject such as ``催收人员``) negates the whole
  clause, however long: "不得建议客户通过借呗、网贷等方式借新还旧" is a rule
  of conduct, not advice to borrow.  A breaker between them still counts.
  The model layer follows the same scope: a sentence it flags is flagged only
  if it still scores above the threshold without its prohibited clauses.
* A sentence's head is its first clause, past a clause that only addresses
  someone (``李先生，``): "李先生，按照您同意的时间，我们周六到您家" is headed
  by the agreement.
* "Neutral forms" (``能不能``, ``是不是`` …) are questions, not negations:
  they are ignored when looking for a negation word.
* A "breaker" earlier in the clause (``以为``, ``否则`` …) turns a negation
  back into a threat: "别以为你不会坐牢" is flagged.
* Negation after the match counts too (``post_negations`` within
  ``post_window`` characters of the same clause, or of the next clause when
  the match ends a question): "“黑名单”其实并不存在" and "去您单位找您？这不是
  我们的做法" are not flagged (not for ``none`` patterns).
* A quoted mention is not said to the customer: a match inside quotation marks
  with a cue such as ``不要说`` or ``例如`` just before the quote, or ``属于`` /
  ``这类`` just after it, is not flagged (training text that quotes what not
  to say).

Every position question is answered from one index of the text
(:class:`calculators.compliance.redline_text.TextIndex`), so linting is linear in the
length of the text, with or without punctuation.  The patterns are scanned together, one
regex per first character (see :data:`_DISPATCH_LIMIT`; a pattern that can start with many
characters is cut into its alternatives first, :func:`_pieces`); each finds exactly what the
pattern's own scanner finds.

The second layer is a statistical model (:mod:`calculators.compliance.redline_model`,
trained on a labelled corpus): a sentence that no rule flags but that the
model scores above its threshold is reported as "可能越线，需复核" with the
words that drove the score (:attr:`Finding.source` is ``"model"``).  The model also checks the rules: a rule
finding in sentences it reads as clearly compliant is dropped (its veto), and so is one in a sentence it does not
flag whose context the context judge (:mod:`calculators.compliance.redline_context`) reads as reported, forbidden
or refused in words the cue lists do not hold.

This is a training aid: a clean result means no rule and the model found
nothing, not that the text is compliant.

Standard library only (runs in the browser).
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Annotated, Any, Collection, Iterable, Iterator, Literal, Mapping, Sequence

from .ruledata import Between, NonEmpty, Slug, SourceRef, dump_fields, read_fields
from .ruledata import fail as _fail
from .redline_model import LintModel, default_model, windows
from .redline_text import TextIndex, alternation, first_at_or_after, fold_traditional, last_between

__all__ = ["NEGATION_MODES", "MODEL_VERDICT", "RULE_VERDICT", "Pattern", "Redline", "LintCategory", "RedlineRules", "Finding", "lint",
           "clause_view", "blank_scoped", "rule_candidates", "finding_patterns", "has_customer_turn"]

#: How a finding of each layer is labelled in results.
RULE_VERDICT = "越过红线"
MODEL_VERDICT = "可能越线，需复核"

#: How a negation before (or inside) a match is treated; see the module docstring.
NEGATION_MODES = ("clause", "prefix", "none")
_MACRO = re.compile(r"<([A-Z][A-Z0-9_]*)>")


if TYPE_CHECKING:
    Negation = str
else:
    Negation = Literal[NEGATION_MODES]


@dataclass(frozen=True)
class Pattern:
    """One detection pattern: the regex as written in the data (macros unexpanded) and its negation mode.

    ``compiled`` and ``scanner`` are derived (set by :meth:`RedlineRules.from_dict`, which knows the macros);
    they are neither read from data nor written back.
    """

    regex: str
    negation: Negation = "clause"
    example: str = ""
    compiled: re.Pattern[str] = field(default=None, compare=False, repr=False, metadata={"derived": True})  # type: ignore[arg-type]
    #: The same pattern behind a character-class prefix (``[F](?<=(?=(P)).)``, F = the characters a match can
    #: start with) so that the regex engine skips quickly to candidate positions; group 1 is the match.
    scanner: re.Pattern[str] = field(default=None, compare=False, repr=False, metadata={"derived": True})  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        return dump_fields(self)

    @classmethod
    def from_dict(cls, data: Any, field: str = "pattern") -> "Pattern":
        """The pattern as written (not compiled: :meth:`RedlineRules.from_dict` compiles it with the macros)."""
        return cls(**read_fields(cls, data, field))


@dataclass(frozen=True)
class Redline:
    """One of the eight red lines of the 2026 CBA guideline."""

    id: Slug
    name: str
    rule: str
    sources: Annotated[tuple[SourceRef, ...], NonEmpty()]

    def to_dict(self) -> dict[str, Any]:
        return dump_fields(self)

    @classmethod
    def from_dict(cls, data: Any, field: str = "redline") -> "Redline":
        return cls(**read_fields(cls, data, field))


@dataclass(frozen=True)
class LintCategory:
    """A linter category: what it detects, which red line it belongs to, and its patterns."""

    id: Slug
    name: str
    redline: Slug
    rule: str
    sources: Annotated[tuple[SourceRef, ...], NonEmpty()]
    patterns: Annotated[tuple[Pattern, ...], NonEmpty()]

    def to_dict(self) -> dict[str, Any]:
        return dump_fields(self)

    @classmethod
    def from_dict(cls, data: Any, field: str = "category") -> "LintCategory":
        """The category with its patterns as written (compiled by :meth:`RedlineRules.from_dict`)."""
        return cls(**read_fields(cls, data, field))


#: Fields of :class:`RedlineRules` that :meth:`RedlineRules.from_dict` reads itself (cross-references, verbatim text).
_BY_HAND = ("clause_delimiters", "macros", "redlines", "categories")
#: The cue lists that :attr:`RedlineRules.rule_only_cues` may add to (the model's view leaves those cues out of them).
_RULE_ONLY_LISTS = ("prohibitions", "sentence_prohibitions", "instruction_heads", "disapprovals")
#: The lists that :attr:`RedlineRules.rule_only_forms` may add to (the model's view leaves those forms out of them).
_RULE_ONLY_FORM_LISTS = ("negations", "neutral_forms", "post_negations", "sentence_sanctions")


@dataclass(frozen=True, kw_only=True)
class RedlineRules:
    """The red lines, the linter categories and the negation settings.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> len(rules.redlines), rules.category("threat").name
    (8, '威胁恐吓')
    >>> RedlineRules.from_dict(rules.to_dict()) == rules
    True
    """

    redlines: tuple[Redline, ...]
    categories: tuple[LintCategory, ...]
    negations: tuple[str, ...]
    negation_breakers: tuple[str, ...] = ()
    neutral_forms: tuple[str, ...] = ()
    negation_window: Annotated[int, Between(0, 100, "characters")]
    clause_delimiters: str
    macros: Mapping[str, str]
    post_negations: tuple[str, ...] = ()
    post_window: Annotated[int, Between(0, 100, "characters")] = 0
    mention_before: tuple[str, ...] = ()
    mention_after: tuple[str, ...] = ()
    prohibitions: tuple[str, ...] = ()
    prohibition_head: Annotated[int, Between(0, 20, "characters")] = 0
    sentence_prohibitions: tuple[str, ...] = ()
    #: Speaker labels of the customer or a third party in a transcript (``客户：……``): what follows the label, up to
    #: the end of its sentence, is their own words, not said to the customer.
    speaker_labels: tuple[str, ...] = ()
    #: Sanctions that end a sentence (``……的，一律严禁``, ``……这几条红线谁碰谁走人``): the sentence is a rule
    #: about what must not be done, so everything before the sanction is in scope (see :func:`_sentence_scope`).
    sentence_sanctions: tuple[str, ...] = ()
    #: Quiz questions (``下列哪句话违反……？``): the sentence after such a question lists the options, which are
    #: quoted, not said to a customer.
    question_heads: tuple[str, ...] = ()
    #: Cues that hand a quotation to staff as a line to say (``遇到嘴硬的，就讲“……”``, ``话术卡：“……”``): such a quotation
    #: is prescribed, not mentioned, whatever ``mention_before`` or ``mention_after`` holds.
    prescriptive_before: tuple[str, ...] = ()
    #: Cues that endorse what a report or a training head introduces (``一定要``, ``统一口径``, ``可以直接说``): between
    #: the head and a match, such a cue ends the head's scope, as a negation breaker does ("带教记录：可以直接说……" is an
    #: instruction, not a quotation of what not to say).
    endorsements: tuple[str, ...] = ()
    #: Report or training heads that only introduce (``大家注意``, ``角色扮演``, ``晨会``): such a head scopes over its
    #: clause or sentence only when the sentence disapproves of what it introduces (a cue of :attr:`disapprovals` outside
    #: quotation marks), and a quotation in a sentence that it heads without disapproval is handed to staff, not mentioned
    #: (``角色扮演指令：坐席台词——“……”`` is a line to say; ``大家注意：“……”这种话严禁说`` is an example of what not to say).
    #: Each must be one of :attr:`prohibitions` or :attr:`sentence_prohibitions`.
    instruction_heads: tuple[str, ...] = ()
    #: Cues that disapprove of what an instruction head introduces (``严禁``, ``违规``, ``错误``, ``不要说``).
    disapprovals: tuple[str, ...] = ()
    #: Forms that hold a cue of :attr:`disapprovals` without disapproving (``称要投诉``: a customer's reaction in a
    #: collector's record; ``容易被投诉``: a lead's reason to put a threat in other words): not read as disapprovals.
    #: The rule layer's only: the model's view (:attr:`model_view`) has none.
    not_disapprovals: tuple[str, ...] = ()
    #: Cues of the lists above that only the rule layer reads: the statistical model is trained and run on text scoped
    #: by the lists without them (:attr:`model_view`, :func:`blank_scoped`), so that adding a cue for the rules leaves the
    #: model as ``tools/train_linter.py`` made it.  Each must be in one of :attr:`prohibitions`,
    #: :attr:`sentence_prohibitions`, :attr:`instruction_heads` or :attr:`disapprovals`; the model's view leaves it out
    #: of all of them (so a cue the model was trained with must not be listed).
    rule_only_cues: tuple[str, ...] = ()
    #: Forms of :attr:`negations`, :attr:`neutral_forms`, :attr:`post_negations` and :attr:`sentence_sanctions` that only
    #: the rule layer reads, as :attr:`rule_only_cues` are for the heads (``唔会``: Cantonese "will not"; ``跟客户说``: the
    #: collector speaking, not ``客户说``, the customer's words, reported; ``……？不是的``: a question answered no;
    #: ``……，直接下岗``: a rule, with its sanction).  The model's view leaves them out of these lists (and so do the
    #: negations the model is trained with, which ``tools/train_linter.py`` takes from that view), so a form the model
    #: was trained with must not be listed.
    rule_only_forms: tuple[str, ...] = ()
    #: Report heads that are :attr:`instruction_heads` for the rule layer only (``通话小结``: a collector's record that
    #: disapproves of nothing is the collector's own account, and is checked); for the model they stay report heads, as
    #: it was trained.  Each must be one of :attr:`instruction_heads`.
    rule_only_instruction_heads: tuple[str, ...] = ()
    #: Negation cues that attribute words or a role to someone (``自称``, ``冒充``): they cancel a match as reports do
    #: ("有人自称法院……"), but not in a sentence that an instruction head hands to staff ("话术模板：开场自称“……法官”" tells
    #: staff to say it). Each must be one of :attr:`negations`.
    attributions: tuple[str, ...] = ()

    @property
    def model_view(self) -> "RedlineRules":
        """These rules without :attr:`rule_only_cues`, :attr:`rule_only_instruction_heads`, :attr:`rule_only_forms` and
        :attr:`not_disapprovals`: the scopes the
        statistical model is trained and run on (:func:`blank_scoped`).  The same object for the same rules.

        >>> from procedures.rules import redlines
        >>> rules = redlines()
        >>> "通话小结" in rules.instruction_heads, "通话小结" in rules.model_view.instruction_heads
        (True, False)
        >>> "通话小结" in rules.model_view.prohibitions and rules.model_view is rules.model_view
        True
        """
        if not (self.rule_only_cues or self.rule_only_instruction_heads or self.not_disapprovals or self.rule_only_forms):
            return self
        known: RedlineRules | None = self.__dict__.get("_model_view")  # (made once per rules object)
        if known is not None:
            return known
        drop = set(self.rule_only_cues)

        def kept(cues: tuple[str, ...], also: tuple[str, ...] = ()) -> tuple[str, ...]:
            return tuple(cue for cue in cues if cue not in drop and cue not in also)

        lists: dict[str, Any] = {name: kept(getattr(self, name)) for name in _RULE_ONLY_LISTS}
        lists["instruction_heads"] = kept(self.instruction_heads, self.rule_only_instruction_heads)
        forms = set(self.rule_only_forms)
        lists.update({name: tuple(form for form in getattr(self, name) if form not in forms) for name in _RULE_ONLY_FORM_LISTS})
        view = replace(self, **lists, not_disapprovals=(), rule_only_cues=(), rule_only_instruction_heads=(),
                       rule_only_forms=())
        object.__setattr__(self, "_model_view", view)  # (not a field: neither compared, printed nor copied by replace)
        return view

    def category(self, category_id: str) -> LintCategory:
        """One category by id (``KeyError`` for an unknown id)."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; :meth:`from_dict` reads it back."""
        return dump_fields(self)

    @classmethod
    def from_dict(cls, data: Any) -> "RedlineRules":
        """Validate parsed data into :class:`RedlineRules`, compiling every pattern.

        >>> RedlineRules.from_dict({"negations": [], "negation_breakers": [], "neutral_forms": [], "negation_window": 8,
        ...     "clause_delimiters": "，。", "macros": {}, "redlines": [], "categories": [
        ...     {"id": "x", "name": "x", "redline": "y", "rule": "r", "sources": [], "patterns": []}]})
        Traceback (most recent call last):
        ...
        calculators.errors.CalculatorInputError: categories[0].redline='y' is not allowed: the id of one of the red lines: (none)
        """
        if not isinstance(data, Mapping):
            raise _fail("redlines", data, "a mapping {negations, negation_breakers, negation_window, clause_delimiters, macros, redlines, categories}")
        values = read_fields(cls, data, skip=_BY_HAND)
        delimiters = data.get("clause_delimiters")
        if not isinstance(delimiters, str) or not delimiters:
            raise _fail("clause_delimiters", delimiters, "a non-empty string of punctuation characters")
        macros = data.get("macros") or {}
        if not isinstance(macros, Mapping) or not all(isinstance(k, str) and _MACRO.fullmatch(f"<{k}>") and isinstance(v, str) for k, v in macros.items()):
            raise _fail("macros", macros, "a mapping of UPPERCASE names to regex fragments")
        red = tuple(Redline.from_dict(item, f"redlines[{i}]") for i, item in enumerate(_list(data.get("redlines"), "redlines")))
        red_ids = [r.id for r in red]
        categories = []
        for i, item in enumerate(_list(data.get("categories"), "categories")):
            where = f"categories[{i}]"
            if isinstance(item, Mapping) and item.get("redline") not in red_ids:
                raise _fail(f"{where}.redline", item.get("redline"), "the id of one of the red lines: " + (", ".join(red_ids) or "(none)"))
            category = LintCategory.from_dict(item, where)
            patterns = tuple(_compiled(p, f"{where}.patterns[{j}]", macros) for j, p in enumerate(category.patterns))
            categories.append(replace(category, patterns=patterns))
        ids = [c.id for c in categories]
        if len(set(ids)) != len(ids):
            raise _fail("categories", ids, "categories with distinct ids")
        for name, cues in values.items():  # a cue listed twice is a slip (two edits of one list), never a weighting
            if isinstance(cues, tuple) and cues and all(isinstance(cue, str) for cue in cues) and len(set(cues)) != len(cues):
                repeated = sorted({cue for cue in cues if cues.count(cue) > 1})
                raise _fail(name, repeated, "each cue listed once (remove the repeated ones)", "每个提示词只列一次（请删去重复项）")
        heads = set(values.get("prohibitions", ())) | set(values.get("sentence_prohibitions", ()))
        stray = [head for head in values.get("instruction_heads", ()) if head not in heads]
        if stray:
            raise _fail("instruction_heads", stray, "heads listed in prohibitions or sentence_prohibitions")
        stray = [cue for cue in values.get("attributions", ()) if cue not in values.get("negations", ())]
        if stray:
            raise _fail("attributions", stray, "cues listed in negations")
        listed = {cue for name in _RULE_ONLY_LISTS for cue in values.get(name, ())}
        stray = [cue for cue in values.get("rule_only_cues", ()) if cue not in listed]
        if stray:
            raise _fail("rule_only_cues", stray, "cues listed in " + ", ".join(_RULE_ONLY_LISTS))
        listed = {form for name in _RULE_ONLY_FORM_LISTS for form in values.get(name, ())}
        stray = [form for form in values.get("rule_only_forms", ()) if form not in listed]
        if stray:
            raise _fail("rule_only_forms", stray, "forms listed in " + ", ".join(_RULE_ONLY_FORM_LISTS))
        stray = [head for head in values.get("rule_only_instruction_heads", ()) if head not in values.get("instruction_heads", ())]
        if stray:
            raise _fail("rule_only_instruction_heads", stray, "heads listed in instruction_heads")
        return cls(**values, clause_delimiters=delimiters, macros=dict(macros), redlines=red, categories=tuple(categories))


def _list(value: Any, field_name: str) -> list[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _fail(field_name, value, "a list")
    return list(value)


def _compiled(pattern: Pattern, where: str, macros: Mapping[str, str]) -> Pattern:
    regex = pattern.regex

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise _fail(f"{where}.regex", regex, f"known macros only ({', '.join(macros) or 'none'}); <{name}> is undefined")
        return macros[name]

    expanded = regex
    for _ in range(4):  # macros may use macros (<DOC> uses <GAP>)
        expanded = _MACRO.sub(expand, expanded)
    try:
        compiled = re.compile(expanded)
    except re.error as exc:
        raise _fail(f"{where}.regex", regex, f"a valid regular expression ({exc})", f"有效的正则表达式（{exc}）") from None
    if compiled.match(""):
        raise _fail(f"{where}.regex", regex, "a pattern that cannot match empty text")
    return replace(pattern, compiled=compiled, scanner=_scanner(expanded))


def _first_chars(items: Any) -> tuple[set[str], bool] | None:
    """(characters a match of the parsed items can start with, whether they can match empty), or None if any."""
    from re import _constants as c  # type: ignore[attr-defined]

    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is c.IN:
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    chars.add(chr(sub_av))
                elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < 256:
                    chars.update(chr(x) for x in range(sub_av[0], sub_av[1] + 1))
                else:
                    return None
            return chars, False
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        if op is c.SUBPATTERN:
            inner = _first_chars(av[3])
        elif op is c.BRANCH:
            branches = [_first_chars(b) for b in av[1]]
            known = [b for b in branches if b is not None]
            if len(known) < len(branches):
                return None
            inner = (set().union(*(b[0] for b in known)), any(b[1] for b in known))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            found = _first_chars(av[2])
            inner = None if found is None else (found[0], found[1] or av[0] == 0)
        else:
            return None
        if inner is None:
            return None
        chars |= inner[0]
        if not inner[1]:
            return chars, False
    return chars, True


#: :func:`_parsed` of the sources parsed so far (a rule set's patterns and their pieces: a few thousand at most).
_PARSED: dict[str, Any] = {}


def _parsed(source: str) -> Any:
    """``source`` parsed by the regex module's own parser (kept: a pattern's pieces are looked at several times while a
    scanning plan is made); raises what the parser raises, or ImportError where the parser is not there."""
    known = _PARSED.get(source)
    if known is None:
        from re import _parser  # type: ignore[attr-defined]

        if len(_PARSED) >= 20_000:
            _PARSED.clear()
        known = _PARSED[source] = _parser.parse(source)
    return known


def _scanner(expanded: str) -> re.Pattern[str]:
    """A fast equivalent of ``re.compile(expanded)`` for finding every match start (see :attr:`Pattern.scanner`)."""
    try:
        first = _first_chars(_parsed(expanded))
    except Exception:  # an interpreter without the internal parser: scan with the plain pattern
        first = None
    if first is None or first[1] or not first[0]:
        return re.compile(f"({expanded})")
    scanner = re.compile("[" + "".join(re.escape(ch) for ch in sorted(first[0])) + f"](?<=(?=({expanded})).)")
    _SCANNER_FIRST[scanner.pattern] = (frozenset(first[0]), expanded)
    return scanner


#: The characters a match of each character-class scanner starts with, and the pattern it wraps (see :func:`_scanner`):
#: :func:`lint` skips a scanner whose characters do not occur in the text at all (it could find nothing), and scans
#: patterns that start with few characters together (:func:`_dispatch`).
_SCANNER_FIRST: dict[str, tuple[frozenset[str], str]] = {}

#: A pattern (or a piece of one, :func:`_pieces`) whose matches start with at most this many characters is scanned
#: together with the other such patterns that can start with the same character, by one regex per character
#: (:func:`_dispatch`); a regex that starts with one literal character skips to its candidates several times faster
#: than a character class does, and a pattern is tried only where the next character can follow (:func:`_second_chars`).
#: The price: each pattern is compiled once more per character it can start with, on first use by a text of at least
#: :data:`_DISPATCH_TEXT` characters.  Measured on the 20,000-character benchmark texts (session 7): 10 gives 40-48 ms per text and about 0.6 s of CPU for
#: the first long text in a process; 40 gave 40-50 ms and 1.7 s; 5 gave 44-54 ms and 0.2 s; 0 (no dispatch) 49-60 ms.
_DISPATCH_LIMIT = 10
#: Texts shorter than this are scanned pattern by pattern; the scanning plan (:func:`_dispatch`) is made only for longer
#: ones.  Measured (session 20, CPU): pattern by pattern 4 ms at 2,000 characters, 9 ms at 5,000, 16 ms at 10,000, 31 ms
#: at 20,000; by the plan about half that, but making the plan once takes about 0.85 s (more in the browser), so a
#: script or transcript of a few pages, linted a few times in the site form, is faster without it.
_DISPATCH_TEXT = 8000
#: Patterns that refer to their own groups (back-references, conditionals, named groups) keep their own scanner.
_SELF_REFERRING = re.compile(r"\\[1-9]|\(\?P|\(\?\(")


#: A member that can go on with at most this many second characters is tried only after one of them (see
#: :meth:`_CharScanner.compiled`; measured on the benchmark texts, session 20: 6 saves 1.5-2 ms of 14-17 ms of scanning
#: for 0.1 s more to compile, 100 nothing for 1.5 s more).
_SECOND_CHAR_BRANCHES = 6


class _CharScanner:
    """The pieces of patterns (by member id, see :class:`_Plan`) that can start with one character, scanned by one regex
    compiled on first use:
    ``c(?<=(?=(P1)|)(?=(P2)|)…(?=(Pn)|).)`` plus a condition that at least one group matched.  At each occurrence of
    ``c`` the group of each ``Pi`` holds exactly what ``Pi``'s own scanner finds there (the same lookahead at the same
    position), or nothing.
    """

    __slots__ = ("char", "members", "_compiled")

    def __init__(self, char: str, members: list[tuple[int, str]]) -> None:
        self.char, self.members = char, members
        self._compiled: tuple[re.Pattern[str], tuple[tuple[int, int], ...]] | None = None

    def compiled(self) -> tuple[re.Pattern[str], tuple[tuple[int, int], ...]]:
        """(the regex, (member id, group number) of each member; a member may have several groups, of which at most one
        is set at a match).

        A member whose matches starting with this character can only go on with a few known characters (at most
        :data:`_SECOND_CHAR_BRANCHES`) is tried only after one of them: the members are grouped by second character in
        one branch, ``(?=(?:d1(?<=(?=(Pa)|)…(?s:..))|d2(?<=…)|))``, which the regex engine enters only at the
        alternative of the character that follows (a member with two such characters is in two alternatives, with a
        group in each).  A member with more is tried behind a guard (``(?=c[S])``), so that most occurrences of a common
        character fail there at once instead of inside the pattern; a member that can go on with any character is
        tried everywhere.
        """
        if self._compiled is None:
            char = re.escape(self.char)
            groups: list[tuple[int, int]] = []
            number = 1

            def part(member: int, expanded: str, guard: str = "") -> str:
                nonlocal number
                groups.append((member, number))
                number += 1 + _group_count(expanded)
                return f"(?={guard}({expanded})|)"

            guarded: list[tuple[int, str, frozenset[str] | None]] = []
            branches: dict[str, list[tuple[int, str]]] = {}
            for member, expanded in self.members:
                seconds = _second_chars(expanded, self.char)
                if seconds is None or len(seconds) > _SECOND_CHAR_BRANCHES:
                    guarded.append((member, expanded, seconds))
                else:
                    for second in sorted(seconds):
                        branches.setdefault(second, []).append((member, expanded))
            here = "".join(part(member, expanded, f"(?={char}[{''.join(re.escape(ch) for ch in sorted(seconds))}])" if seconds else "")
                           for member, expanded, seconds in guarded)
            after = "|".join(re.escape(second) + "(?<=" + "".join(part(member, expanded) for member, expanded in members) + "(?s:..))"
                             for second, members in branches.items())
            regex = char + "(?<=" + here + ".)" + (f"(?=(?:{after}|))" if after else "") + _any_group(groups)
            self._compiled = (re.compile(regex), tuple(groups))
        return self._compiled


def _any_group(groups: Sequence[tuple[int, int]]) -> str:
    """A regex condition that holds where at least one of the (member, group number) ``groups`` matched, else fails.

    >>> _any_group([(0, 1), (5, 3)])
    '(?(1)|(?(3)|(?!)))'
    """
    condition = "(?!)"
    for _, group in reversed(groups):
        condition = f"(?({group})|{condition})"
    return condition


def _group_count(source: str) -> int:
    """How many capturing groups the regex ``source`` has.

    >>> _group_count("(a|(?:b))(c)"), _group_count(r"[(]\\(")
    (2, 0)
    """
    try:
        return int(_parsed(source).state.groups) - 1
    except ImportError:  # (an interpreter without the internal parser)
        return re.compile(source).groups


#: "Any character" in :func:`_heads`.
_ANY = None


def _heads(items: Any, k: int) -> set[tuple[str | None, ...]] | None:
    """The possible first ``k`` characters of a match of the parsed ``items``: tuples of characters (:data:`_ANY` for any
    character; a tuple shorter than ``k`` is a whole match), or None when unknown.  Zero-width assertions are ignored
    (a superset, which is all a filter needs).

    >>> from re import _parser
    >>> sorted(_heads(_parser.parse("(老赖|无赖|找)[^，]{0,2}").data, 2), key=str)
    [('找', None), ('找',), ('无', '赖'), ('老', '赖')]
    """
    from re import _constants as c  # type: ignore[attr-defined]

    found: set[tuple[str | None, ...]] = set()
    partial: set[tuple[str | None, ...]] = {()}
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        if op is c.LITERAL:
            step: set[tuple[str | None, ...]] | None = {(chr(av),)}
        elif op in (c.NOT_LITERAL, c.ANY):
            step = {(_ANY,)}
        elif op is c.IN:
            chars: set[str | None] = set()
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    chars.add(chr(sub_av))
                elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < 256:
                    chars.update(chr(x) for x in range(sub_av[0], sub_av[1] + 1))
                else:  # a negated class, a category, a wide range: any character, as far as the filter knows
                    chars = {_ANY}
                    break
            step = {(ch,) for ch in chars}
        elif op is c.SUBPATTERN:
            step = None if av[1] or av[2] else _heads(av[3], k)  # flags (?i:…) change what a character matches
        elif op is c.ATOMIC_GROUP:
            step = _heads(av, k)
        elif op is c.BRANCH:
            branches = [_heads(b, k) for b in av[1]]
            step = None if any(b is None for b in branches) else set().union(*branches)  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, item = av
            one = _heads(item, k)
            if one is None:
                return None
            # r copies for r in [low, max(low, k)] give every possible head: more copies either add nothing within the
            # first k characters or repeat empty matches
            repeated: set[tuple[str | None, ...]] = set()
            copies: set[tuple[str | None, ...]] = {()}
            for count in range(0, min(high, max(low, k)) + 1):
                if count >= low:
                    repeated |= copies
                copies = {(a + b)[:k] for a in copies for b in one}
            step = repeated
        else:
            return None
        if step is None:
            return None
        grown = {(head + more)[:k] for head in partial for more in step}
        found |= {h for h in grown if len(h) == k}
        partial = {h for h in grown if len(h) < k}
        if len(found) + len(partial) > 5000:
            return None
        if not partial:
            break
    return found | partial


_HEADS: dict[str, set[tuple[str | None, ...]] | None] = {}
_SECONDS: dict[tuple[str, str], frozenset[str] | None] = {}


def _second_chars(expanded: str, char: str) -> frozenset[str] | None:
    """The characters that can follow ``char`` at the start of a match of ``expanded``, or None when any can (or when
    a match can be ``char`` alone, or the pattern is not understood).

    >>> sorted(_second_chars("(老赖|无赖|老板)", "老")), _second_chars("找[^，]{0,2}", "找")
    (['板', '赖'], None)
    """
    key = (expanded, char)
    if key not in _SECONDS:
        if expanded not in _HEADS:
            try:
                parsed = _parsed(expanded)
                _HEADS[expanded] = None if parsed.state.flags & re.IGNORECASE else _heads(parsed.data, 2)
            except Exception:  # an interpreter without the internal parser: no filter
                _HEADS[expanded] = None
        heads = _HEADS[expanded]
        seconds: set[str] | None = set()
        for head in heads if heads is not None else [()]:
            if head and head[0] is not _ANY and head[0] != char:
                continue
            if len(head) < 2 or head[1] is _ANY:
                seconds = None
                break
            seconds.add(head[1])  # type: ignore[union-attr]
        _SECONDS[key] = frozenset(seconds) if seconds is not None else None
    return _SECONDS[key]


def _top_level(source: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Where ``source`` (a regex) has ``|`` outside any group, and the spans (opening, closing parenthesis) of its
    outermost groups; escapes and character classes are skipped.

    >>> _top_level(r"(a|b)c|[|(]d\\(")
    ([6], [(0, 4)])
    """
    bars: list[int] = []
    groups: list[tuple[int, int]] = []
    opened: list[int] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: "]" first (after an optional "^") is a member, not its end
            i += 2 if source[i + 1:i + 2] == "^" else 1
            i += 1 if source[i:i + 1] == "]" else 0
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            at = opened.pop()
            if not opened:
                groups.append((at, i))
        elif ch == "|" and not opened:
            bars.append(i)
        i += 1
    return bars, groups


def _cut_at(source: str, bars: list[int]) -> list[str]:
    return [source[a + 1:b] for a, b in zip([-1, *bars], [*bars, len(source)])]


def _alternatives(source: str) -> list[str] | None:
    """``source`` (a regex) as alternatives that, tried in order at a position, match there exactly what it matches
    (the first that matches wins, as in the regex itself), or None if it is not an alternation: ``A|B`` gives ``A``,
    ``B``; ``L(A|B)R`` (``L`` lookarounds) gives ``L(?:A)R``, ``L(?:B)R``.  (Only regexes without references to their
    own groups: see :data:`_SELF_REFERRING`.)

    >>> _alternatives("(?<!不)(找|去)你家"), _alternatives("找|去"), _alternatives("(找|去)?你家")
    (['(?<!不)(?:找)你家', '(?<!不)(?:去)你家'], ['找', '去'], None)
    """
    bars, groups = _top_level(source)
    if bars:
        return _cut_at(source, bars)
    position = 0
    for open_at, close_at in groups:
        if open_at != position:
            return None  # (something before the first group that is not a lookaround)
        inner = source[open_at + 1:close_at]
        if inner.startswith(("?<!", "?<=", "?=", "?!")):
            position = close_at + 1  # a lookaround: stays in front of every alternative
            continue
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None  # (flags, named or atomic groups)
        if source[close_at + 1:close_at + 2] in ("?", "*", "+", "{"):
            return None  # (a repeated group)
        inner_bars = _top_level(inner)[0]
        if not inner_bars:
            return None
        lead, rest = source[:open_at], source[close_at + 1:]
        return [f"{lead}(?:{alternative}){rest}" for alternative in _cut_at(inner, inner_bars)]
    return None


def _first_chars_of(source: str) -> frozenset[str] | None:
    """The characters a match of ``source`` can start with (see :func:`_first_chars`), or None when any character
    can, a match can be empty, or the regex is not understood."""
    try:
        first = _first_chars(_parsed(source))
    except Exception:
        return None
    return frozenset(first[0]) if first is not None and not first[1] and first[0] else None


#: How deep :func:`_pieces` cuts (1: a pattern's own alternatives, not theirs; measured on the 20,000-character benchmark
#: texts, session 20: the scan takes 13-16 ms at 1, about the same at 2 or 3, 17-20 ms uncut; the plan and its regexes
#: take 0.73 s of CPU to make at 1, 0.85 s at 2, 0.49 s uncut), and how many pieces one pattern may become.
_SPLIT_DEPTH = 1
_SPLIT_PIECES = 64


def _pieces(source: str, depth: int = 0) -> list[str] | None:
    """``source`` cut into alternatives (:func:`_alternatives`, again and again) until each starts with at most
    :data:`_DISPATCH_LIMIT` characters, in order (the first piece that matches at a position gives the match there);
    None if some piece's first characters are unknown (it would have to be tried everywhere).  A piece that cannot be
    split further may start with more characters.

    >>> _pieces("(老赖|无赖)|[一二三四五六七八九十两几]年")  # (the class starts with 12 characters, and cannot be cut)
    ['(老赖|无赖)', '[一二三四五六七八九十两几]年']
    """
    first = _first_chars_of(source)
    if first is None:
        return None
    if len(first) <= _DISPATCH_LIMIT or depth >= _SPLIT_DEPTH:
        return [source]
    alternatives = _alternatives(source)
    if alternatives is None:
        return [source]
    pieces: list[str] = []
    for alternative in alternatives:
        more = _pieces(alternative, depth + 1)
        if more is None:
            return None
        pieces.extend(more)
    return pieces if len(pieces) <= _SPLIT_PIECES else [source]


@dataclass(frozen=True)
class _Plan:
    """How the patterns of a rule set are scanned (:func:`_dispatch`, :func:`_scan`).

    A pattern whose matches start with at most :data:`_DISPATCH_LIMIT` characters is one member; a pattern whose
    matches start with more is cut into pieces (:func:`_pieces`), each a member, so that most pieces join the
    per-character scanners.  ``members[m]`` is (pattern index, rank of the piece); ``table`` holds the per-character
    scanners; ``alone`` the members scanned on their own, as (member id, scanner, the characters a match starts with or
    None); ``together`` the scanners of members that start with the same characters, several in one pass
    (:func:`_together`); ``split`` the patterns cut into more than one piece (at a position, the match of the piece with the lowest
    rank is the pattern's match there).
    """

    members: tuple[tuple[int, int], ...]
    table: dict[str, _CharScanner]
    alone: tuple[tuple[int, re.Pattern[str], frozenset[str] | None], ...]
    split: frozenset[int]
    together: tuple[tuple[frozenset[str], re.Pattern[str], tuple[tuple[int, int], ...]], ...] = ()


#: :func:`_dispatch` of the last few rule sets (by the text of their scanners).
_DISPATCHED: dict[tuple[str, ...], _Plan] = {}


def _dispatch(scanners: tuple[str, ...]) -> _Plan:
    """The scanning plan (:class:`_Plan`) for the scanners of a rule set (in order).

    Every pattern is scanned whole on its own, or each of its pieces is scanned on its own or is a member of the
    scanner of each character it can start with:

    >>> from procedures.rules import redlines
    >>> scanners = tuple(p.scanner.pattern for c in redlines().categories for p in c.patterns)
    >>> plan = _dispatch(scanners)
    >>> len(plan.alone) < len(scanners) // 4 and {k for k, _ in plan.members} == set(range(len(scanners)))
    True
    """
    plan = _DISPATCHED.get(scanners)
    if plan is not None:
        return plan
    if len(_DISPATCHED) >= 8:
        _DISPATCHED.clear()
    members: list[tuple[int, int]] = []
    by_char: dict[str, list[tuple[int, str]]] = {}
    alone: list[tuple[int, re.Pattern[str], frozenset[str] | None]] = []
    split: set[int] = set()
    for k, scanner in enumerate(scanners):
        known = _SCANNER_FIRST.get(scanner)
        pieces = None if known is None or _SELF_REFERRING.search(known[1]) else _pieces(known[1])
        firsts = [_first_chars_of(piece) for piece in pieces] if pieces is not None else []
        if pieces is None or sum(len(first or ()) > _DISPATCH_LIMIT for first in firsts) > 1:
            # scanned whole: one pass over the text, not one per piece that would still be scanned alone
            members.append((k, 0))
            alone.append((len(members) - 1, re.compile(scanner), known[0] if known is not None else None))
            continue
        if len(pieces) > 1:
            split.add(k)
        for rank, (piece, first) in enumerate(zip(pieces, firsts)):
            members.append((k, rank))
            member = len(members) - 1
            if first is None or len(first) > _DISPATCH_LIMIT:
                alone.append((member, _scanner(piece), first))
                continue
            for char in sorted(first):
                by_char.setdefault(char, []).append((member, piece))
    alone, together = _together(alone)
    plan = _DISPATCHED[scanners] = _Plan(tuple(members), {char: _CharScanner(char, m) for char, m in by_char.items()},
                                         tuple(alone), frozenset(split), tuple(together))
    return plan


def _together(alone: list[tuple[int, re.Pattern[str], frozenset[str] | None]]) -> tuple[
        list[tuple[int, re.Pattern[str], frozenset[str] | None]], list[tuple[frozenset[str], re.Pattern[str], tuple[tuple[int, int], ...]]]]:
    """The scanners of :attr:`_Plan.alone` that start with the same characters, joined: each group of two or more becomes
    one regex, ``[F](?<=(?=(P1)|)…(?=(Pn)|).)`` plus a condition that at least one group matched, which the regex engine
    runs over the text once, testing each character against ``F`` once instead of once per scanner.  At each position the
    group of each ``Pi`` holds what ``Pi``'s own scanner finds there (the same lookahead at the same position), or nothing
    (as in :class:`_CharScanner`).  A scanner whose pattern refers to its own groups keeps its own pass.  Returns the
    scanners left alone and the joined ones as (their characters, regex, (member id, group number) of each member).

    >>> first = frozenset("找打")
    >>> alone = [(0, _scanner("找你|打你"), first), (1, _scanner("打[人他]|找他"), first), (2, _scanner("骂你"), frozenset("骂"))]
    >>> left, joined = _together(alone)
    >>> [member for member, *_ in left], [(sorted(chars), groups) for chars, _, groups in joined]
    ([2], [(['打', '找'], ((0, 1), (1, 2)))])
    >>> found = list(joined[0][1].finditer("我找你，他打他"))
    >>> [(m.span(1), m.span(2)) for m in found]
    [((1, 3), (-1, -1)), ((-1, -1), (5, 7))]
    """
    groups: dict[frozenset[str], list[tuple[int, str]]] = {}
    for member, scanner, first in alone:
        known = _SCANNER_FIRST.get(scanner.pattern)
        if first is not None and known is not None and known[0] == first and not _SELF_REFERRING.search(known[1]):
            groups.setdefault(first, []).append((member, known[1]))
    joined_members = {member for group in groups.values() if len(group) > 1 for member, _ in group}
    together = []
    for first, group in groups.items():
        if len(group) < 2:
            continue
        numbers: list[tuple[int, int]] = []
        parts = []
        number = 1
        for member, expanded in group:
            numbers.append((member, number))
            parts.append(f"(?=({expanded})|)")
            number += 1 + _group_count(expanded)
        head = "[" + "".join(re.escape(ch) for ch in sorted(first)) + "]"
        together.append((first, re.compile(head + "(?<=" + "".join(parts) + ".)" + _any_group(numbers)), tuple(numbers)))
    return [entry for entry in alone if entry[0] not in joined_members], together


#: A per-character scanner is tried at the first this many occurrences of its character one by one, found by ``str.find``
#: (which skips through the text much faster than the regex engine does), and with ``finditer`` from the next one on
#: (where a frequent character makes the calls from Python cost more than the skipping saves).  Measured on the
#: benchmark texts in instructions (session 23, bench/bench_instructions.py): see bench/README.md.
_FIND_FIRST = 16


def _char_matches(regex: re.Pattern[str], text: str, char: str) -> list[re.Match[str]]:
    """The matches in ``text`` of the regex of a per-character scanner (:meth:`_CharScanner.compiled`, which starts
    with ``char`` and consumes only it, so that it can match only at an occurrence of ``char``): what
    ``regex.finditer(text)`` finds, found faster (:data:`_FIND_FIRST`).  A lookbehind sees the text before the position
    where a match is tried, as in ``finditer``.

    >>> regex = re.compile("找(?<=(?<!不)(?=(找你)|).)(?(1)|(?!))")
    >>> [m.start() for m in _char_matches(regex, "找你，不找你，找他，找你" * 3, "找")] == [
    ...     m.start() for m in regex.finditer("找你，不找你，找他，找你" * 3)]
    True
    """
    matches: list[re.Match[str]] = []
    match, find = regex.match, text.find
    at = find(char)
    for _ in range(_FIND_FIRST):
        if at < 0:
            return matches
        found = match(text, at)
        if found is not None:
            matches.append(found)
        at = find(char, at + 1)
    if at >= 0:
        matches.extend(regex.finditer(text, at))
    return matches


def _scan(text: str, scanners: Sequence[re.Pattern[str]]) -> list[tuple[int, int, int]]:
    """Every match of every scanner (:attr:`Pattern.scanner`, by index) in ``text`` as (scanner index, start, end): for
    each position, what the scanner itself finds there (through the plan of :func:`_dispatch` for a long text; each
    scanner on its own for a short one), unsorted.

    >>> from procedures.rules import redlines
    >>> scanners = [p.scanner for c in redlines().categories for p in c.patterns]
    >>> text = "你再不还钱就等着坐牢吧！" * 700  # (long enough for the plan: _DISPATCH_TEXT)
    >>> found = sorted(_scan(text, scanners))
    >>> found == sorted((k, *m.span(1)) for k, s in enumerate(scanners) for m in s.finditer(text) if m.start(1) != m.end(1))
    True
    """
    found: list[tuple[int, int, int]] = []
    present = set(text)
    if len(text) < _DISPATCH_TEXT:  # a short text is scanned as fast pattern by pattern, without compiling the plan
        for k, scanner in enumerate(scanners):
            known = _SCANNER_FIRST.get(scanner.pattern)
            if known is not None and present.isdisjoint(known[0]):
                continue  # no match can start anywhere in this text
            for match in scanner.finditer(text):
                start, end = match.span(1)
                if start != end:
                    found.append((k, start, end))
        return found
    plan = _dispatch(tuple(scanner.pattern for scanner in scanners))
    members, split = plan.members, plan.split
    ranked: dict[tuple[int, int], tuple[int, int]] = {}  # (split pattern, start) -> (rank, end) of its lowest-rank piece

    def take(member: int, start: int, end: int) -> None:
        k, rank = members[member]
        if k in split:
            known = ranked.get((k, start))
            if known is None or rank < known[0]:
                ranked[k, start] = (rank, end)
        else:
            found.append((k, start, end))

    for member, scanner, first in plan.alone:
        if first is not None and present.isdisjoint(first):
            continue
        for match in scanner.finditer(text):
            start, end = match.span(1)
            if start != end:
                take(member, start, end)
    for first, regex, groups in plan.together:
        if present.isdisjoint(first):
            continue
        for match in regex.finditer(text):
            span = match.span
            for member, group in groups:
                start, end = span(group)
                if start != end:
                    take(member, start, end)
    for char in present.intersection(plan.table):
        regex, groups = plan.table[char].compiled()
        for match in _char_matches(regex, text, char):
            span = match.span  # (not match.regs, which builds the spans of every inner group of every member)
            for member, group in groups:
                start, end = span(group)
                if start != end:  # (-1, -1): this member does not match here
                    take(member, start, end)
    found.extend((k, start, end) for (k, start), (_, end) in ranked.items())
    return found


@dataclass(frozen=True)
class Finding:
    """Text that crosses a red line: category, matched text, its span, the rule and its sources."""

    category: str
    name: str
    text: str
    span: tuple[int, int]
    rule: str
    sources: tuple[str, ...]
    redline: str
    source: str = "rule"  # "rule": a pattern matched; "model": the statistical layer flagged the sentence
    probability: float | None = None  # the model's probability (model findings only)
    drivers: tuple[str, ...] = ()  # the words or n-grams that drove the model's score

    @property
    def verdict(self) -> str:
        """``越过红线`` for a rule finding, ``可能越线，需复核`` for a model finding."""
        return MODEL_VERDICT if self.source == "model" else RULE_VERDICT

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "name": self.name, "text": self.text, "span": list(self.span),
                "rule": self.rule, "sources": list(self.sources), "redline": self.redline, "source": self.source,
                "verdict": self.verdict, "probability": self.probability, "drivers": list(self.drivers)}


_NEW_OBJECT = object.__new__
#: The defaults of :class:`Finding`'s fields (those of a rule finding), as :func:`_rule_finding` sets them.
_FINDING_DEFAULTS = {f.name: f.default for f in fields(Finding) if f.default is not MISSING}


def _rule_finding(category: str, name: str, text: str, span: tuple[int, int], rule: str, sources: tuple[str, ...],
                  redline: str) -> Finding:
    """``Finding(category, name, text, span, rule, sources, redline)``, made about twice as fast: a frozen dataclass's
    ``__init__`` sets each of its ten fields through ``object.__setattr__``, which a text with thousands of findings
    (a list of insults) pays for thousands of times.  The instance is the same (equal, same fields, same defaults).

    >>> _rule_finding("insult", "侮辱", "老赖", (0, 2), "r", ("s",), "l") == Finding("insult", "侮辱", "老赖", (0, 2), "r", ("s",), "l")
    True
    """
    finding = _NEW_OBJECT(Finding)
    finding.__dict__.update(_FINDING_DEFAULTS, category=category, name=name, text=text, span=span, rule=rule, sources=sources,
                            redline=redline)
    return finding


#: A clause-heading prohibition reaches at most this many characters (keeps linting linear in the text length).
_HEAD_REACH = 60
#: The longest prohibition cue looked for at the head of a clause.
_LONGEST_CUE = 6


#: Spaces between two characters that are not ASCII: in chat messages they part clauses as a comma does.
_SPACE_BETWEEN = re.compile(r"(?<=[^\x00-\x7f\s])[ \t\u3000]+(?=[^\x00-\x7f\s])")


def _spaced_as_comma(match: re.Match[str]) -> str:
    return "，" * len(match.group())


def clause_view(text: str, rules: RedlineRules) -> str:
    """``text`` as the rules read it: a run of spaces between two Chinese characters (not ASCII) parts clauses, as a
    comma does (``提醒一下哈 逾期会上征信的``), so it becomes ``，`` (same length: spans stay valid); spaces in ASCII
    text (``交 500 元``) stay.  Unchanged when ``，`` is not one of the rules' ``clause_delimiters``.

    >>> from procedures.rules import redlines
    >>> clause_view("客户问咱是哪家的 一律说是银行的　别提公司名 ok thx", redlines())
    '客户问咱是哪家的，一律说是银行的，别提公司名 ok thx'
    """
    if "，" not in rules.clause_delimiters or not any(ch in text for ch in " \t\u3000"):
        return text
    return _SPACE_BETWEEN.sub(_spaced_as_comma, text)


def _blank(match: re.Match[str]) -> str:
    """A neutral form (``能不能`` …) blanked to ``＿`` (same length), so that it is not read as a negation."""
    return "＿" * len(match.group())


class _Cues:
    """The word lists of one :class:`RedlineRules` compiled once (for one :func:`lint` call), and the answers
    already given for the text being linted (every question is a pure function of the text and a position).

    >>> from procedures.rules import redlines
    >>> _Cues(redlines()).negations.search("我们不会上门").group()
    '不会'
    """

    __slots__ = ("rules", "breakers", "neutral", "negations", "post", "prohibitions", "sentence", "sanctions", "questions",
                 "prescriptive", "before", "after", "mentions", "sentence_scope", "sentence_ends", "heads", "sanction_starts", "labels", "scope_breakers",
                 "instruction", "disapprovals", "not_disapprovals", "instructed", "attributions", "quiet", "rule_only_heads")

    def __init__(self, rules: RedlineRules) -> None:
        self.rules = rules
        self.breakers = alternation(rules.negation_breakers)
        # what ends a head's scope over its sentence: a negation breaker or an endorsement
        self.scope_breakers = alternation(tuple(rules.negation_breakers) + tuple(rules.endorsements))
        self.neutral = alternation(rules.neutral_forms)
        self.negations = alternation(tuple(rules.negations))
        self.post = alternation(tuple(rules.post_negations))
        self.prohibitions = alternation(rules.prohibitions)
        self.sentence = alternation(rules.sentence_prohibitions)
        self.sanctions = alternation(rules.sentence_sanctions)
        self.questions = alternation(rules.question_heads)
        self.prescriptive = alternation(rules.prescriptive_before)
        self.before = alternation(tuple(rules.mention_before))
        self.after = alternation(tuple(rules.mention_after))
        self.instruction = frozenset(rules.instruction_heads)
        self.attributions = frozenset(rules.attributions)
        self.disapprovals = alternation(tuple(rules.disapprovals))
        self.not_disapprovals = alternation(tuple(rules.not_disapprovals))
        # the instruction heads that only the rule layer reads (a collector's record, an order: RedlineRules.rule_only_cues)
        self.rule_only_heads = self.instruction & {*rules.rule_only_cues, *rules.rule_only_instruction_heads}
        self.instructed: dict[int, str] = {}  # sentence end before a sentence -> an instruction head heads it, undisapproved
        self.mentions: dict[tuple[int, int], bool] = {}  # quotation -> whether it is a quoted mention
        self.sentence_scope: dict[int, bool] = {}  # position -> _sentence_prohibited
        self.sentence_ends: tuple[str, list[int]] | None = None  # (text, positions of its sentence ends)
        # the head of the sentence after each sentence end (see _sentence_scope):
        # cut -> (head end, a customer's turn, the head's verdict without breakers, where the first breaker after it starts)
        self.heads: dict[int, tuple[int, bool, bool, int]] = {}
        # (text, starts of the speakers' labels in it, whether each is one of speaker_labels): see _labels
        self.labels: tuple[str, list[int], list[bool]] | None = None
        self.sanction_starts: tuple[str, list[int]] | None = None  # (text, starts of the sanction cues found left to right)
        # sentence (index of its end in the sentence ends) -> nothing in or before it scopes over any of its positions
        self.quiet: dict[int, bool] = {}

    def disapproves(self, text: str) -> bool:
        """Whether ``text`` holds a cue of ``disapprovals`` outside the forms of ``not_disapprovals`` ("称要投诉")."""
        if self.disapprovals is None or self.disapprovals.search(text) is None:
            return False
        return self.not_disapprovals is None or self.disapprovals.search(self.not_disapprovals.sub(_blank, text)) is not None

    def neutralised(self, text: str) -> str:
        """``text`` with its neutral forms blanked (see :func:`_blank`)."""
        return self.neutral.sub(_blank, text) if self.neutral is not None else text

    def holds(self, cues: re.Pattern[str] | None, text: str) -> bool:
        """Whether ``text`` holds one of ``cues`` outside its neutral forms.  (Blanking neutral forms never adds a cue,
        so the blanked text is searched only where the text as written holds one.)"""
        return cues is not None and cues.search(text) is not None and cues.search(self.neutralised(text)) is not None

    def is_mention(self, index: TextIndex, quote: tuple[int, int], reach: int = 12) -> bool:
        """:meth:`TextIndex.is_mention` with the rules' cues, answered once per quotation."""
        known = self.mentions.get(quote)
        if known is None:
            open_at, close_at = quote
            text = index.text
            lead = text[max(0, open_at - reach):open_at]
            known = (not (self.prescriptive is not None and self.prescriptive.search(lead))
                     and ((self.before is not None and self.before.search(lead) is not None)
                          or (self.after is not None and self.after.search(text[close_at + 1:close_at + 1 + reach]) is not None))
                     and not _instructed(index, open_at, self))
            self.mentions[quote] = known
        return known


def _cue_at_head(cues: re.Pattern[str] | None, head: str, rules: RedlineRules) -> re.Match[str] | None:
    """The first of ``cues`` that starts within the first ``prohibition_head`` characters of ``head``, or None."""
    found = cues.search(head[:rules.prohibition_head + _LONGEST_CUE]) if cues is not None else None
    return found if found is not None and found.start() <= rules.prohibition_head else None


def _prohibited(lead: str, rules: RedlineRules, cues: _Cues | None = None) -> bool:
    """Whether ``lead`` (a clause from its start) begins with a prohibition (``prohibitions`` within the first
    ``prohibition_head`` characters) and has no negation breaker after it.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> _prohibited("不得建议客户通过借呗、网贷等方式借新还旧", rules), _prohibited("你能不能帮他把钱还了", rules)
    (True, False)
    """
    if cues is None:
        cues = _Cues(rules)
    if cues.prohibitions is None:
        return False
    if cues.prohibitions.search(lead, 0, rules.prohibition_head + _LONGEST_CUE) is None:
        return False  # (blanking neutral forms never adds a cue: most clauses are answered without it)
    lead = cues.neutralised(lead)  # "你能不能……": a question, not a prohibition
    found = _cue_at_head(cues.prohibitions, lead, rules)
    if found is None:
        return False
    if found.group() in cues.instruction and not cues.disapproves(lead):
        if found.group() not in cues.rule_only_heads:
            return False  # "大家注意把……": an instruction head introduces, it does not forbid
        # the head of a collector's record or an order introduces too, but a prohibition or report cue right after it
        # still heads the clause ("【通话小结】客户表示准备借网贷……" is the customer's own plan)
        rest = lead[found.end():].lstrip("】]）)：: ")
        found = _cue_at_head(cues.prohibitions, rest, rules)
        if found is None or found.group() in cues.instruction:
            return False
        lead = rest
    return cues.breakers is None or not cues.breakers.search(lead, found.end())


#: Sentence ends: a list heading or a conditional clause reaches no further.
_SENTENCE_ENDS = "。！？!?\n"
_SENTENCE_END = re.compile("[" + re.escape(_SENTENCE_ENDS) + "]")


def _sentence_ends(index: TextIndex, cues: _Cues) -> list[int]:
    """Where the sentences of ``index.text`` end (positions of their end marks), found once per text."""
    text = index.text
    ends = cues.sentence_ends
    if ends is None or ends[0] is not text:
        ends = cues.sentence_ends = (text, [found.start() for found in _SENTENCE_END.finditer(text)])
    return ends[1]


def _sentence_prohibited(index: TextIndex, position: int, rules: RedlineRules, cues: _Cues | None = None) -> bool:
    """Whether ``position`` lies after the first clause of its sentence and that clause scopes over the rest:
    a prohibition heading a list (``以下行为一律禁止：……``) or a conditional cue of ``sentence_prohibitions``
    (``如果有人自称……，让您……，请直接挂断``); a negation breaker in between ends the scope.
    Bounded to ``2 * _HEAD_REACH`` characters back (linear time).

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "以下行为一律禁止：冒充公检法、要求客户转账到个人账户。"
    >>> _sentence_prohibited(TextIndex(text, rules.clause_delimiters), 20, rules)
    True
    >>> text = "我们说清楚：转到个人账户就行。"
    >>> _sentence_prohibited(TextIndex(text, rules.clause_delimiters), 8, rules)
    False
    >>> text = "客户：我听说不还会被抓去坐牢。坐席：不会的。"
    >>> _sentence_prohibited(TextIndex(text, rules.clause_delimiters), 10, rules)
    True
    """
    if cues is None:
        cues = _Cues(rules)
    known = cues.sentence_scope.get(position)
    if known is None:
        known = cues.sentence_scope[position] = _sentence_scope(index, position, rules, cues)
    return known


def _sentence_scope(index: TextIndex, position: int, rules: RedlineRules, cues: _Cues) -> bool:
    """:func:`_sentence_prohibited`, computed."""
    text = index.text
    low = max(0, position - 2 * _HEAD_REACH)
    ends = _sentence_ends(index, cues)
    later = first_at_or_after(ends, position)  # the end of the sentence holding the position (its index)
    quiet = cues.quiet.get(later)
    if quiet is None:
        quiet = cues.quiet[later] = _quiet(index, later, ends, rules, cues)
    if quiet:
        return False  # (most sentences: answered once for all their positions)
    cut = ends[later - 1] if later and ends[later - 1] >= low else -1  # the last sentence end in [low, position)
    if _sanctioned(index, position, ends, cues, later) or _after_quiz_question(text, position, low, ends, rules, cues, cut):
        return True
    if cut < 0 and low > 0:
        return False  # no sentence start within reach
    known = cues.heads.get(cut)
    if known is None:
        known = cues.heads[cut] = _sentence_head(index, cut, rules, cues)
    head_end, turn, verdict, breaker = known
    if head_end >= position:
        return False  # the position is in the first clause itself (see _prohibited)
    if turn:
        # a turn of the customer in a transcript ("客户：……", "客户说：……"): their words, breakers and all, up to the
        # next speaker's label ("客户：我不想活了……坐席：……": the agent's words count again)
        return _turn_goes_on(index, head_end, position, rules, cues)
    if breaker < position and cues.scope_breakers is not None and cues.scope_breakers.search(text, head_end, position):
        return False
    return verdict


def _quiet(index: TextIndex, later: int, ends: list[int], rules: RedlineRules, cues: _Cues) -> bool:
    """Whether :func:`_sentence_scope` is False at every position of the sentence that ends at ``ends[later]`` (or at the
    text's end): it holds no sanction cue, it does not follow a question (a quiz question's options), and its head
    neither is a customer's turn nor scopes over it.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "您好。以下行为一律禁止：上门、曝光。"
    >>> index, cues = TextIndex(text, rules.clause_delimiters), _Cues(rules)
    >>> [_quiet(index, k, _sentence_ends(index, cues), rules, cues) for k in (0, 1)]
    [True, False]
    """
    text = index.text
    start = ends[later - 1] + 1 if later else 0
    end = ends[later] if later < len(ends) else len(text)
    if cues.sanctions is not None:
        starts = _sanction_starts(index, cues)
        first = first_at_or_after(starts, start)
        if first < len(starts) and starts[first] < end:
            return False
    if later and cues.questions is not None and text[ends[later - 1]] in "？?":
        return False
    cut = ends[later - 1] if later else -1
    known = cues.heads.get(cut)
    if known is None:
        known = cues.heads[cut] = _sentence_head(index, cut, rules, cues)
    return not known[1] and not known[2]


#: A clause that only addresses someone ("李先生，", "王女士您好，", "您好，"): a sentence's head is the clause after it.
_VOCATIVE = re.compile(r"[\u4e00-\u9fff]{0,3}(先生|女士|小姐|老师|师傅|阿姨|叔叔|大姐|大哥|同志|您好|你好)|喂|亲")


def _head_clause(index: TextIndex, cut: int) -> tuple[int, int]:
    """The first clause of the sentence after the sentence end ``cut`` (-1: the text's first), past a clause that only
    addresses someone (:data:`_VOCATIVE`).

    >>> text = "李先生，按您同意的时间，我们周六到您家。"
    >>> _head_clause(TextIndex(text, "，。"), -1)
    (4, 11)
    """
    head_start, head_end = index.clause(cut + 1, cut + 1)
    text = index.text
    if head_end < len(text) and text[head_end] in "，," and _VOCATIVE.fullmatch(text[head_start:head_end].strip()):
        return index.clause(head_end + 1, head_end + 1)
    return head_start, head_end


def _sentence_head(index: TextIndex, cut: int, rules: RedlineRules, cues: _Cues) -> tuple[int, bool, bool, int]:
    """What :func:`_sentence_scope` needs to know of the head (first clause) of the sentence after the sentence end
    ``cut`` (-1: the text's first sentence), whatever the position asked about: where the head ends, whether it is a
    customer's turn, whether it scopes over the sentence (breakers aside), and where the first negation breaker after
    it starts (``len(text)`` if none)."""
    text = index.text
    head_start, head_end = _head_clause(index, cut)
    if head_end >= len(text):
        return head_end, False, False, len(text)
    head = text[head_start:min(head_end, head_start + _HEAD_REACH)]
    label = head.strip(" \t【】[]()（）")
    colon = text[head_end] in "：:"
    if colon and (label in rules.speaker_labels
                  or (label.startswith(rules.speaker_labels) and _prohibited(head + text[head_end], rules, cues))):
        return head_end, True, True, len(text)
    if not (colon and len(label) <= _LABEL_LENGTH) and _in_customer_turn(index, cut, rules, cues):
        return cut, True, True, len(text)  # a later sentence of the customer's turn: all of it (to the next label)
    # (a position asked about lies at most 2 * _HEAD_REACH after the sentence end: bounded, so linear time)
    first = cues.scope_breakers.search(text, head_end, cut + 1 + 2 * _HEAD_REACH) if cues.scope_breakers is not None else None
    breaker = first.start() if first is not None else len(text)
    if colon and _prohibited(head + text[head_end], rules, cues):
        return head_end, False, True, breaker  # a list headed by a prohibition
    # the head with its delimiter, so that a cue written with its colon ("投诉：", "通知：") is found
    head += text[head_end] if len(head) == head_end - head_start else ""
    found = _cue_at_head(cues.sentence, head, rules)
    verdict = found is not None
    if found is not None and found.group() in cues.instruction:
        verdict = _disapproves(index, head_start, _sentence_end(index, head_end, cues), cues)  # ("反面话术：" included)
    return head_end, False, verdict, breaker


def _sentence_end(index: TextIndex, position: int, cues: _Cues) -> int:
    """Where the sentence holding ``position`` ends (its end mark, or the text's end), at most ``2 * _HEAD_REACH``
    characters on (bounded: linear time)."""
    ends = _sentence_ends(index, cues)
    later = first_at_or_after(ends, position)
    return min(ends[later] if later < len(ends) else len(index.text), position + 2 * _HEAD_REACH)


def _disapproves(index: TextIndex, start: int, end: int, cues: _Cues) -> bool:
    """Whether ``text[start:end]`` holds a cue of ``disapprovals`` outside quotation marks (a quoted line's own "别说"
    is part of the line).

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "大家注意：“到时候别说我没提醒你”。"
    >>> _disapproves(TextIndex(text, rules.clause_delimiters), 4, len(text), _Cues(rules))
    False
    >>> text = "大家注意：“到时候别说我没提醒你”这种话严禁说。"
    >>> _disapproves(TextIndex(text, rules.clause_delimiters), 4, len(text), _Cues(rules))
    True
    """
    if cues.disapprovals is None:
        return False
    text = index.text
    pieces, position = [], start
    quotes = index.quotes
    k = index.first_quote_reaching(start)
    while k < len(quotes) and quotes[k][0] < end:  # (only the quotations in reach: linear time)
        open_at, close_at = quotes[k]
        k += 1
        if close_at < start:
            continue
        pieces.append(text[position:max(position, open_at)])
        position = max(position, close_at + 1)
    pieces.append(text[position:end])
    return any(cues.disapproves(piece) for piece in pieces if piece)


def _instructed(index: TextIndex, position: int, cues: _Cues) -> bool:
    """Whether the sentence holding ``position`` is headed by an instruction head (``instruction_heads``) without a
    disapproval: a quotation in it is a line handed to staff (see :attr:`RedlineRules.instruction_heads`)."""
    return bool(_instructing_head(index, position, cues))


def _instructing_head(index: TextIndex, position: int, cues: _Cues) -> str:
    """The instruction head that heads the sentence holding ``position`` without a disapproval (see :func:`_instructed`),
    or ``""``.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "通话小结：告知客户若不还款将联系其单位领导。"
    >>> _instructing_head(TextIndex(text, rules.clause_delimiters), 8, _Cues(rules))
    '通话小结'
    >>> _instructing_head(TextIndex(text, rules.clause_delimiters), 8, _Cues(rules.model_view))  # a report head there
    ''
    """
    if not cues.instruction:
        return ""
    text = index.text
    low = max(0, position - 2 * _HEAD_REACH)
    cut = last_between(_sentence_ends(index, cues), low, position)
    if cut < 0 and low > 0:
        return ""  # no sentence start within reach
    known = cues.instructed.get(cut)
    if known is None:
        head_start, head_end = index.clause(cut + 1, cut + 1)
        head = text[head_start:min(head_end, head_start + _HEAD_REACH)]
        head += text[head_end] if head_end < len(text) and len(head) == head_end - head_start else ""
        found = _cue_at_head(cues.sentence, head, cues.rules) or _cue_at_head(cues.prohibitions, head, cues.rules)
        known = (found.group() if found is not None and found.group() in cues.instruction
                 and not _disapproves(index, head_start, _sentence_end(index, head_start, cues), cues) else "")
        cues.instructed[cut] = known
    return known


def _ordered(index: TextIndex, position: int, cues: _Cues, model_cues: _Cues) -> bool:
    """Whether the sentence holding ``position`` is headed, for the rules (``cues``), by an instruction head without a
    disapproval that the model (``model_cues``, the cues of :attr:`RedlineRules.model_view`) was not trained to read so:
    a head that only the rules read as one (``rule_only_cues``, ``rule_only_instruction_heads``), or one whose
    disapproval only the model's view sees (``not_disapprovals``: "主管辅导：你太直白容易被投诉，换个说法……")."""
    head = _instructing_head(index, position, cues)
    if not head:
        return False
    return head in cues.rule_only_heads or (model_cues is not cues and not _instructing_head(index, position, model_cues))


#: A clause this short followed by a colon is a speaker's label ("坐席：", "组长：", "客户："); each label starts a turn.
_LABEL_LENGTH = 6
#: How far back (characters) a customer's turn is looked for (bounded: linear time).
_TURN_REACH = 300
_COLON = re.compile("[：:]")


def _labels(index: TextIndex, rules: RedlineRules, cues: _Cues) -> tuple[list[int], list[bool]]:
    """Where the speakers' labels of ``index.text`` start (a clause of at most :data:`_LABEL_LENGTH` characters, brackets
    aside, followed by a colon), and whether each is one of ``speaker_labels`` (the customer's side); computed once."""
    text = index.text
    known = cues.labels
    if known is None or known[0] is not text:
        starts: list[int] = []
        customer: list[bool] = []
        for colon in _COLON.finditer(text):  # (colons are few: each is looked at once)
            head_start, head_end = index.clause(colon.start(), colon.start())
            if head_end == colon.start() and head_end > head_start:
                label = text[head_start:head_end].strip(" \t【】[]()（）")
                if 0 < len(label) <= _LABEL_LENGTH and not label[-1].isdigit():  # (not a clock time: "10:00")
                    starts.append(head_start)
                    customer.append(label in rules.speaker_labels)
        known = cues.labels = (text, starts, customer)
    return known[1], known[2]


def has_customer_turn(text: str, rules: RedlineRules) -> bool:
    """Whether ``text`` has a speaker's label (a short clause before a colon) that is one of ``speaker_labels``: a turn
    the rules read as the customer's or a relative's own words, as :func:`lint` reads it.

    >>> from procedures.rules import redlines
    >>> [has_customer_turn(t, redlines()) for t in ("【客户】：我还不上。", "坐席：您好。", "客户说要投诉。")]
    [True, False, False]
    """
    view = clause_view(text, rules)
    return any(_labels(TextIndex(view, rules.clause_delimiters), rules, _Cues(rules))[1])


def _turn_goes_on(index: TextIndex, start: int, position: int, rules: RedlineRules, cues: _Cues) -> bool:
    """Whether no speaker's label other than the customer's starts in ``text[start:position]`` (the customer's turn
    that reaches ``start`` still holds at ``position``)."""
    starts, customer = _labels(index, rules, cues)
    k = first_at_or_after(starts, start)
    while k < len(starts) and starts[k] < position:
        if not customer[k]:
            return False
        k += 1
    return True


def _in_customer_turn(index: TextIndex, cut: int, rules: RedlineRules, cues: _Cues) -> bool:
    """Whether the sentence after the sentence end ``cut`` goes on a turn of the customer in a transcript: the last
    speaker's label before it (at most :data:`_TURN_REACH` characters back) is one of ``speaker_labels``
    (``客户：滚！一群吸血鬼！坐席：……``: the second sentence is still the customer's).

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "客户：滚！一群吸血鬼！坐席：好的。明天再联系您。"
    >>> index, cues = TextIndex(text, rules.clause_delimiters), _Cues(rules)
    >>> _in_customer_turn(index, 4, rules, cues), _in_customer_turn(index, 16, rules, cues)
    (True, False)
    >>> lint(text, rules, None)
    []
    >>> lint("客户：我10:00才下班。你们再打，我就去网上曝光你们！坐席：好的，我们改到晚上联系前先发短信。", rules, None)
    []
    """
    if not rules.speaker_labels or cut < 0:
        return False
    starts, customer = _labels(index, rules, cues)
    k = first_at_or_after(starts, cut + 1) - 1  # the last label that starts before this sentence
    return k >= 0 and starts[k] >= cut - _TURN_REACH and customer[k]


def _sanctioned(index: TextIndex, position: int, ends: list[int], cues: _Cues, later: int | None = None) -> bool:
    """Whether the sentence holding ``position`` has a sanction (``sentence_sanctions``) after ``position``, with
    no negation breaker in between: ``通过朋友圈公开持卡人欠款信息的，一律严禁。``
    Bounded to ``2 * _HEAD_REACH`` characters ahead (linear time). ``later``: the index in ``ends`` of the first end
    at or after ``position``, if known.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "在社交平台曝光欠款人，不管出于什么目的，公司都坚决禁止。"
    >>> cues = _Cues(rules)
    >>> _sanctioned(TextIndex(text, rules.clause_delimiters), 5, [len(text) - 1], cues)
    True
    >>> text = "在社交平台曝光你，看你还跑不跑。一律严禁拖欠。"
    >>> _sanctioned(TextIndex(text, rules.clause_delimiters), 5, [15, len(text) - 1], cues)
    False
    """
    if cues.sanctions is None:
        return False
    text = index.text
    if later is None:
        later = first_at_or_after(ends, position)
    end = ends[later] if later < len(ends) else len(text)
    if end - position > 2 * _HEAD_REACH:
        return False
    # a sentence holds a sanction cue iff a left-to-right scan of the whole text finds one starting in it (a cue never
    # spans a sentence end): most sentences are answered without a search
    starts = _sanction_starts(index, cues)
    first = first_at_or_after(starts, ends[later - 1] + 1 if later else 0)
    if first == len(starts) or starts[first] >= end:
        return False
    found = cues.sanctions.search(text, position, end)
    if found is None:
        return False
    return cues.breakers is None or not cues.breakers.search(text, position, found.start())


def _sanction_starts(index: TextIndex, cues: _Cues) -> list[int]:
    """Where the sanction cues of ``index.text`` start (a left-to-right scan, done once per text)."""
    text = index.text
    starts = cues.sanction_starts
    if starts is None or starts[0] is not text:
        assert cues.sanctions is not None
        starts = cues.sanction_starts = (text, [found.start() for found in cues.sanctions.finditer(text)])
    return starts[1]


def _after_quiz_question(text: str, position: int, low: int, ends: list[int], rules: RedlineRules, cues: _Cues,
                         cut: int | None = None) -> bool:
    """Whether ``position`` lies in the sentence right after a quiz question (``question_heads``, ending with a
    question mark): ``下列哪句话违反催收规范？A.……B.再拖下去我们就去你单位闹。`` lists options, it does not say them.
    ``cut``: the last sentence end in ``[low, position)`` (-1 if none), if known.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "下列哪句话违规？A.您好 B.我们去你单位闹。"
    >>> _after_quiz_question(text, 15, 0, [7, len(text) - 1], rules, _Cues(rules))
    True
    """
    if cues.questions is None:
        return False
    if cut is None:
        cut = last_between(ends, low, position)
    if cut < 0 or text[cut] not in "？?":
        return False
    start = last_between(ends, low, cut) + 1 if cut > low else low
    return cues.questions.search(text, max(start, cut - _HEAD_REACH), cut) is not None


def _without_prohibited_clauses(index: TextIndex, start: int, end: int, rules: RedlineRules, cues: _Cues | None = None) -> str:
    """``text[start:end]`` without the parts that lie in a clause of the whole text headed by a prohibition
    (the delimiters stay).

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "不要向亲戚借钱来还款，量力而行就好。"
    >>> _without_prohibited_clauses(TextIndex(text, rules.clause_delimiters), 0, len(text), rules)
    '，量力而行就好。'
    >>> text = "请勿相信要求您缴纳“解冻费”的人。"
    >>> _without_prohibited_clauses(TextIndex(text, rules.clause_delimiters), 14, len(text), rules)
    '。'
    """
    return "".join(piece for piece, scoped in _scoped_pieces(index, start, end, rules, cues) if not scoped)


def _scoped_pieces(index: TextIndex, start: int, end: int, rules: RedlineRules, cues: _Cues | None = None) -> Iterator[tuple[str, bool]]:
    """``text[start:end]`` cut into clause pieces and their delimiters, each with whether a prohibition heading its
    clause, or the head of its sentence (:func:`_sentence_prohibited`), scopes over it (a delimiter: never).

    >>> from procedures.rules import redlines
    >>> text = "不要借网贷，量力而行。"
    >>> list(_scoped_pieces(TextIndex(text, redlines().clause_delimiters), 0, len(text), redlines()))
    [('不要借网贷', True), ('，', False), ('量力而行', False), ('。', False)]
    """
    if cues is None:
        cues = _Cues(rules)
    text, position, cuts = index.text, start, index.cuts
    prohibitions, reach = cues.prohibitions, rules.prohibition_head + _LONGEST_CUE
    k = first_at_or_after(cuts, start)  # (the clauses in turn, as index.clause gives them)
    clause_start = cuts[k - 1] + 1 if k else 0
    while position < end:
        clause_end = cuts[k] if k < len(cuts) else len(text)
        piece_end = min(clause_end, end)
        head_end = min(clause_end, clause_start + _HEAD_REACH)
        # (_prohibited looks first for a cue in the first characters: most clauses are answered without calling it)
        yield text[position:piece_end], ((prohibitions is not None and prohibitions.search(text, clause_start, min(head_end, clause_start + reach)) is not None
                                          and _prohibited(text[clause_start:head_end], rules, cues))
                                         or _sentence_prohibited(index, clause_start, rules, cues))
        if piece_end < end:
            yield text[piece_end], False  # the delimiter
        position = piece_end + 1
        clause_start, k = clause_end + 1, k + 1


def _scoped_clauses(index: TextIndex, rules: RedlineRules, cues: _Cues) -> list[tuple[int, int]]:
    """The clauses of the whole text that :func:`_scoped_pieces` marks as scoped, as (start, end), in order: the same
    answers with fewer questions.  Whether the head of its sentence scopes over a clause is asked only where that
    sentence is not quiet (:func:`_quiet`, answered once per sentence): most clauses are not asked at all.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "您好，我是招行的。不要借网贷，量力而行。以下行为一律禁止：上门、曝光。"
    >>> index, cues = TextIndex(text, rules.clause_delimiters), _Cues(rules)
    >>> [text[s:e] for s, e in _scoped_clauses(index, rules, cues)]
    ['不要借网贷', '以下行为一律禁止', '上门、曝光']
    """
    text, length = index.text, len(index.text)
    prohibitions = cues.prohibitions
    lead = min(_HEAD_REACH, rules.prohibition_head + _LONGEST_CUE)  # (where _scoped_pieces looks for a prohibition)
    ends = _sentence_ends(index, cues)
    scoped: list[tuple[int, int]] = []
    j, sentence_end, quiet = -1, -1, True  # the sentence of the clause (the index of its end), its end, _quiet of it
    clause_start = 0
    for clause_end in (*index.cuts, length):
        if clause_start >= length:
            break
        if (prohibitions is not None and prohibitions.search(text, clause_start, min(clause_end, clause_start + lead)) is not None
                and _prohibited(text[clause_start:min(clause_end, clause_start + _HEAD_REACH)], rules, cues)):
            scoped.append((clause_start, clause_end))
        else:
            if clause_start > sentence_end:  # (the clause starts a later sentence)
                j = first_at_or_after(ends, clause_start)
                sentence_end = ends[j] if j < len(ends) else length
                known = cues.quiet.get(j)
                if known is None:
                    known = cues.quiet[j] = _quiet(index, j, ends, rules, cues)
                quiet = known
            if not quiet and _sentence_prohibited(index, clause_start, rules, cues):
                scoped.append((clause_start, clause_end))
        clause_start = clause_end + 1
    return scoped


def _cancelled(index: TextIndex, start: int, end: int, mode: str, rules: RedlineRules, cues: _Cues | None = None) -> bool:
    """Whether a match is cancelled by a negation before or after it, or by being a quoted mention.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> text = "我们确实没有上门。"
    >>> _cancelled(TextIndex(text, rules.clause_delimiters), 6, 8, "clause", rules), _cancelled(TextIndex(text, rules.clause_delimiters), 6, 8, "none", rules)
    (True, False)
    >>> text = "质检发现：坐席说要上门。"  # a report head scopes over every pattern
    >>> _cancelled(TextIndex(text, rules.clause_delimiters), 9, 11, "none", rules)
    True
    """
    if cues is None:
        cues = _Cues(rules)
    if index.quotes:
        for quote in index.quotes_overlapping(start, end):
            if cues.is_mention(index, quote):
                return True
    text = index.text
    clause_start, clause_end = index.clause(start, end)
    reach = max(rules.negation_window * 2, 20)  # bounded: linear time on unpunctuated text
    before = text[max(clause_start, start - reach):start]
    if before and cues.breakers is not None and cues.breakers.search(before):
        if len(before) == start - clause_start:  # (the clause's head is in reach: its report cue is not a breaker)
            head = _cue_at_head(cues.prohibitions, before, rules)
            if head is not None:  # "客户以为……": the customer's belief, reported ("以为" breaks nothing there)
                before = before[:head.start()] + "…" * len(head.group()) + before[head.end():]
        if cues.holds(cues.breakers, before):
            return False  # "别以为……" breaks a negation; "很多人以为……" (a neutral form) does not
    if 0 < start - clause_start <= _HEAD_REACH and _prohibited(text[clause_start:start], rules, cues):
        return True  # a prohibition heading the clause ("不得建议客户……借新还旧") negates all of it (bounded: linear time)
    if _sentence_prohibited(index, start, rules, cues):
        return True  # a list headed by a prohibition ("以下行为一律禁止：……"), a conditional ("如果有人自称……")
    if mode == "none":
        return False  # (a prohibition or a report heading the clause or sentence scopes over these patterns too)
    scope = before[-rules.negation_window:] if rules.negation_window else ""
    if mode == "clause":
        scope += text[start:end]
    if cues.negations is not None and cues.negations.search(scope):
        scope = cues.neutralised(scope)  # "能不能", "是不是": questions, not negations
        # (an attribution, "自称", in a sentence an instruction head hands to staff is what staff are told to say)
        if cues.negations.search(scope) and not (
                cues.attributions and all(found.group() in cues.attributions for found in cues.negations.finditer(scope))
                and _instructed(index, start, cues)):
            return True
    if rules.post_window and cues.post is not None:
        after_end = min(clause_end, end + rules.post_window)
        after = text[end:after_end]
        # the next clause too when the match ends a question ("去您单位？不会的。") or tops a comment
        # ("坐牢这种事，单纯逾期是不会发生的。")
        if after_end == clause_end < len(text) and text[clause_end] in "？?":
            # the answer to a question is the next sentence, not only its first clause ("找您爱人要钱？抱歉，这个我们不能做。")
            answer = text[clause_end + 1:clause_end + 1 + rules.post_window]
            cut = min((answer.find(mark) for mark in _SENTENCE_ENDS if mark in answer), default=len(answer))
            after += text[clause_end] + answer[:cut + 1]
        elif after_end == clause_end < len(text) and clause_end - end <= 10:
            after += text[clause_end:min(index.next_clause_end(clause_end), clause_end + 1 + rules.post_window)]
        if cues.holds(cues.post, after):  # ("涉嫌违规" is an accusation, not a negation after the match)
            return True
    return False


def _answered_by_refutation(text: str, end: int, rules: RedlineRules, cues: _Cues | None = None) -> bool:
    """Whether the sentence ending at ``end`` is a question and the next ``post_window`` characters (up to the
    next sentence end) hold a negation after (``post_negations``).

    >>> from procedures.rules import redlines
    >>> _answered_by_refutation("加急处理费？我们没有这种收费。", 6, redlines())
    True
    >>> _answered_by_refutation("加急处理费？先交五百。", 6, redlines())
    False
    """
    if cues is None:
        cues = _Cues(rules)
    last = end  # (the last character before `end` that is not a space: looked for from `end`, not by copying the text)
    while last and text[last - 1].isspace():
        last -= 1
    if not last or text[last - 1] not in "？?" or cues.post is None:
        return False
    after = text[end:end + rules.post_window + 1]
    cut = min((after.find(mark) for mark in _SENTENCE_ENDS if mark in after), default=len(after))
    return cues.post.search(after[:cut + 1]) is not None


def blank_scoped(text: str, rules: RedlineRules, cues: _Cues | None = None, index: TextIndex | None = None) -> str:
    """``text`` with every clause that a prohibition, a report head or a customer's turn scopes over blanked with
    ``…`` (same length, so spans still match), and the quotation marks of a quotation that an instruction head hands to
    staff replaced by commas: what the statistical model is given, in training
    (``tools/train_linter.py``) and in :func:`lint` alike, so that a quoted wrong example neither teaches it nor
    trips it.  The scopes are those of ``rules.model_view`` (:attr:`RedlineRules.model_view`: cues that only the rule
    layer reads are left out), and ``cues``, if given, are used only if they are that view's.  Spaces are read as
    :func:`clause_view` reads them; an ``index``, if given, must be that of the clause view (:func:`lint` passes both).

    >>> from procedures.rules import redlines
    >>> blank_scoped("不要向亲戚借钱来还款，量力而行就好。", redlines())
    '…………………………，量力而行就好。'
    >>> blank_scoped("大家注意：统一说“你是废物”。", redlines())  # an instruction head hands the line to staff
    '大家注意：统一说，你是废物，。'
    """
    rules = rules.model_view
    if index is None:  # (lint passes the clause view and its index)
        text = clause_view(text, rules)
        index = TextIndex(text, rules.clause_delimiters)
    if cues is None or cues.rules is not rules:
        cues = _Cues(rules)
    pieces: list[str] = []
    last = 0
    for start, end in _scoped_clauses(index, rules, cues):
        pieces += (text[last:start], "…" * (end - start))
        last = end
    pieces.append(text[last:])
    blanked = "".join(pieces)
    if not cues.instruction or not index.quotes:
        return blanked
    # a quotation that an instruction head hands to staff (see RedlineRules.instruction_heads) loses its quotation
    # marks (commas instead: n-grams are cut there all the same), so that the model does not take it for a mention
    chars = None
    for open_at, close_at in index.quotes:
        if blanked[open_at] != "…" and _instructed(index, open_at, cues):
            chars = list(blanked) if chars is None else chars
            chars[open_at] = chars[close_at] = "，"
    return blanked if chars is None else "".join(chars)


def _rule_findings(text: str, rules: RedlineRules, index: TextIndex, cues: _Cues,
                   examined: list[tuple[int, int, bool]] | None = None, written: str | None = None,
                   found_by: dict[tuple[int, int, int], tuple[str, ...]] | None = None,
                   track: Collection[str] | None = None) -> list[tuple[int, int, int, Finding]]:
    """The rule findings of ``text`` (the :func:`clause_view` of ``written``, the text as written, whose words the
    findings quote) as (start, category order, end, finding), unsorted; ``examined``, if given, receives every match
    looked at, as (start, end, cancelled); ``found_by``, if given, receives for each finding, by (category order, start,
    end), the patterns (their regexes as written; only those in ``track``, if given) that match exactly its words and
    are not cancelled there (what :meth:`LintModel.veto_for` reads)."""
    written = text if written is None else written
    verdicts: dict[tuple[int, int, str], bool] = {}  # (start, end, negation mode) -> cancelled
    findings: list[tuple[int, int, int, Finding]] = []
    patterns = [(order, pattern) for order, category in enumerate(rules.categories) for pattern in category.patterns]
    # per category: (start, -end, pattern, negation mode), which sorts as wanted without a key function (the earliest,
    # then the longest, then in pattern order; a pattern matches once at a start, so the mode is never compared)
    raw: list[list[tuple[int, int, int, str]]] = [[] for _ in rules.categories]
    tracked = None if track is None else {k for k, (_, pattern) in enumerate(patterns) if pattern.regex in track}
    for k, start, end in _scan(text, [pattern.scanner for _, pattern in patterns]):
        order, pattern = patterns[k]
        raw[order].append((start, -end, k, pattern.negation))
    for order, category in enumerate(rules.categories):
        spans = raw[order]
        # overlapping matches of one category: the earliest, longest one that is not cancelled (a match that starts
        # inside one already kept is dropped whether cancelled or not, so it is not examined)
        kept: list[tuple[int, int]] = []
        spans.sort()
        for start, end, _k, mode in spans:
            end = -end
            if kept and start < kept[-1][1]:
                continue
            key = (start, end, mode)
            cancelled = verdicts.get(key)
            if cancelled is None:
                cancelled = verdicts[key] = _cancelled(index, start, end, mode, rules, cues)
            if examined is not None:
                examined.append((start, end, cancelled))
            if not cancelled:
                kept.append((start, end))
        if found_by is not None and kept:
            wanted = set(kept)
            for start, end, k, mode in spans:
                end = -end
                if (start, end) in wanted and (tracked is None or k in tracked):
                    key = (start, end, mode)
                    cancelled = verdicts.get(key)
                    if cancelled is None:  # (another pattern's negation mode on the same words: rare)
                        cancelled = verdicts[key] = _cancelled(index, start, end, mode, rules, cues)
                    if not cancelled:
                        found_by[order, start, end] = (*found_by.get((order, start, end), ()), patterns[k][1].regex)
        sources = tuple(s.text for s in category.sources)
        for start, end in kept:
            findings.append((start, order, end, _rule_finding(category.id, category.name, written[start:end], (start, end),
                                                              category.rule, sources, category.redline)))
    return findings


def rule_candidates(text: str, rules: RedlineRules) -> list[tuple[int, int, bool]]:
    """Every rule match that :func:`lint` looks at in ``text``, as (start, end, cancelled): what the context judge
    (:mod:`calculators.compliance.redline_context`) is trained on.

    >>> from procedures.rules import redlines
    >>> rule_candidates("严禁说你是废物。你是废物。", redlines())
    [(5, 7, True), (10, 12, False)]
    """
    examined: list[tuple[int, int, bool]] = []
    view = clause_view(text, rules)
    _rule_findings(view, rules, TextIndex(view, rules.clause_delimiters), _Cues(rules), examined)
    return sorted(set(examined))


def finding_patterns(text: str, rules: RedlineRules) -> dict[tuple[str, tuple[int, int]], tuple[str, ...]]:
    """For each rule finding of ``text`` (rules only), by (category, span): the patterns that make it, their regexes as
    written (what the rule veto of a pattern, :attr:`LintModel.pattern_veto`, is keyed by).

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> found = finding_patterns("你再不还钱就等着坐牢吧！", rules)
    >>> [(category, span) for category, span in found]
    [('exaggerated-legal', (8, 10))]
    >>> all(p in {q.regex for q in rules.category("exaggerated-legal").patterns} for p in found["exaggerated-legal", (8, 10)])
    True
    """
    found_by: dict[tuple[int, int, int], tuple[str, ...]] = {}
    view = clause_view(text, rules)
    _rule_findings(view, rules, TextIndex(view, rules.clause_delimiters), _Cues(rules), written=text, found_by=found_by)
    return {(rules.categories[order].id, (start, end)): patterns for (order, start, end), patterns in sorted(found_by.items())}


_DEFAULT_MODEL: Any = object()


#: Four or more Chinese characters each set apart by one space ("今 天 再 不 还 钱"): a line spaced out character by
#: character (to slip past a checker, or as some fonts and OCR give it), not spaces parting clauses (clause_view).
_SPACED_OUT = re.compile(r"(?:[\u3400-\u9fff][ \u3000]){3,}[\u3400-\u9fff]")


#: Where a spaced-out run may start: a space before three more spaced-out characters (found ten times faster than
#: :data:`_SPACED_OUT`, whose first item is not a literal; the character before the space is checked apart).
_SPACED_OUT_SPACE = re.compile(r"[ \u3000](?=[\u3400-\u9fff][ \u3000][\u3400-\u9fff][ \u3000][\u3400-\u9fff])")


#: Short Chinese words each set apart by one space, three or more of them ("今天 再不 还钱", "小心我 揍 你"): text segmented
#: word by word, as speech-to-text transcripts give it; read without the spaces when its words are short (:func:`_word_runs`).
_WORD_SPACED = re.compile(r"(?:[\u3400-\u9fff]{1,4}[ \u3000]){2,}[\u3400-\u9fff]{1,4}(?![\u3400-\u9fff])")
#: Where a word-spaced run may start: a space between Chinese characters, another space within reach (found at C speed;
#: most text has no space between Chinese characters at all).
_WORD_SPACED_SPACE = re.compile(r"[ \u3000](?=[\u3400-\u9fff]{1,4}[ \u3000][\u3400-\u9fff])")
#: The longest mean word length of a run read as segmented text: spaces that part clauses ("您好 我是招行的 请问是李女士吗")
#: part longer pieces and stay clause marks (:func:`clause_view`).
_WORD_MEAN = 2.5


def _word_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the word-spaced runs of ``text`` (:data:`_WORD_SPACED`) whose words are short (mean at most
    :data:`_WORD_MEAN` characters).

    >>> text = "今天 再不 还钱 ， 我们 就 把 情况 告诉 您的 单位 和 家人 。"
    >>> [text[s:e] for s, e in _word_runs(text)]
    ['今天 再不 还钱', '我们 就 把 情况 告诉 您的 单位 和 家人']
    >>> _word_runs("您好 我是招行的 请问是李女士吗"), _word_runs("我们不会 上门")
    ([], [])
    """
    runs: list[tuple[int, int]] = []
    reach = 0  # (where the last run ended: a space inside it starts no other)
    for space in _WORD_SPACED_SPACE.finditer(text):  # (the space first: found at C speed; most text has none)
        at = space.start()
        if at < reach or not at or not "\u3400" <= text[at - 1] <= "\u9fff":
            continue
        start = at - 1  # the first word of the run ends at this space: find where it starts (at most 4 characters back)
        while start > 0 and at - start < 5 and "\u3400" <= text[start - 1] <= "\u9fff":
            start -= 1
        if start and "\u3400" <= text[start - 1] <= "\u9fff":
            continue  # a word of more than 4 characters: this space parts clauses, not words
        match = _WORD_SPACED.match(text, start)
        if match is None:
            continue
        words = match.group().split()
        if sum(map(len, words)) / len(words) <= _WORD_MEAN:
            runs.append(match.span())
        reach = match.end()
    return runs


def _spaced_out(text: str) -> bool:
    """Whether ``text`` holds a run of :data:`_SPACED_OUT`, or a word-spaced run (:func:`_word_runs`).

    >>> _spaced_out("今 天 再 不 还"), _spaced_out("提醒一下哈 逾期会上征信的"), _spaced_out("a 天 再")  # (two words: not enough)
    (True, False, False)
    >>> _spaced_out("小心我 揍 你"), _spaced_out("您好 我是招行的 请问是李女士吗")
    (True, False)
    """
    return (any(m.start() and "\u3400" <= text[m.start() - 1] <= "\u9fff" for m in _SPACED_OUT_SPACE.finditer(text))
            or bool(_word_runs(text)))


def _lint_spaced_out(text: str, rules: RedlineRules, model: LintModel | None) -> list[Finding]:
    """:func:`lint` of ``text`` with the spaces inside its spaced-out runs (:data:`_SPACED_OUT`) taken out, each finding's
    span and words mapped back onto ``text`` as written.

    >>> from procedures.rules import redlines
    >>> text = "今 天 再 不 还 钱，我们就把情况告诉您的单位。"
    >>> [f.category for f in lint(text, redlines())] == [f.category for f in lint(text.replace(" ", ""), redlines())]
    True
    >>> [f.text for f in lint("你 再 不 还 就 等 着 坐 牢 吧", redlines()) if f.category == "exaggerated-legal"]
    ['坐 牢']
    """
    dropped = {m.start() + k for m in _SPACED_OUT.finditer(text) for k in range(1, m.end() - m.start(), 2)}
    dropped.update(k for start, end in _word_runs(text) for k in range(start, end) if text[k] in " \u3000")
    origin = [i for i in range(len(text)) if i not in dropped]  # (each character of the compact text: where it was)
    out = []
    for finding in lint("".join(text[i] for i in origin), rules, model):
        start, end = origin[finding.span[0]], origin[finding.span[1] - 1] + 1  # (a finding's span is never empty)
        out.append(replace(finding, span=(start, end), text=text[start:end]))
    return out


def lint(text: Any, rules: RedlineRules, model: LintModel | None = _DEFAULT_MODEL) -> list[Finding]:
    """Every red-line finding in ``text``, in order of position.

    Rule findings come first in each place: overlapping matches of one
    category are reported once (the earliest, longest); different categories
    may flag the same words.  Then every sentence that no rule flagged is
    scored by ``model`` (the packaged :func:`calculators.compliance.redline_model.default_model`
    unless given; ``None`` for rules only); a flagged sentence becomes a
    finding with ``source="model"``, the model's likely category and the words
    that drove it.  The model also checks the rules: a rule finding in sentences
    it reads as clearly compliant is dropped (:meth:`LintModel.veto_for`), and so is
    one in a sentence it does not flag whose context its judge
    (:attr:`LintModel.context`) reads as negated, forbidden, reported or refused.
    A model read with ``LintModel.from_dict`` from data without a ``context`` has
    no judge.  Traditional characters are read as simplified
    (:func:`calculators.compliance.redline_text.fold_traditional`); findings quote
    the text as written.

    >>> from procedures.rules import redlines
    >>> rules = redlines()
    >>> [(f.category, f.text) for f in lint("你再不还钱就等着坐牢吧！", rules)]
    [('exaggerated-legal', '坐牢')]
    >>> lint("逾期本身不会让您坐牢，我们也不会上门。您有权投诉。", rules)
    []
    >>> lint("“黑名单”其实并不存在。", rules)
    []
    >>> [(f.category, f.text) for f in lint("你作為佢老婆，有義務幫佢還錢。", rules)]  # (missed if read as written)
    [('third-party-pay', '你作為佢老婆，有義務幫佢還錢。')]
    >>> lint(None, rules)
    Traceback (most recent call last):
    ...
    calculators.errors.CalculatorInputError: text=None is not allowed: a text (the script to check)
    """
    if not isinstance(text, str):
        raise _fail("text", text, "a text (the script to check)", "待检查的话术文本")
    if not isinstance(rules, RedlineRules):
        raise _fail("rules", type(rules).__name__, "a RedlineRules object (procedures.rules.redlines() or RedlineRules.from_dict)",
                    "红线规则对象（procedures.rules.redlines() 或 RedlineRules.from_dict 的结果）")
    if model is _DEFAULT_MODEL:
        model = default_model()
    elif model is not None and not isinstance(model, LintModel):
        raise _fail("model", type(model).__name__, "a LintModel (calculators.compliance.redline_model.default_model()) or None",
                    "LintModel 模型（calculators.compliance.redline_model.default_model()）或 None")
    if _spaced_out(text):  # "今 天 再 不 还 钱": read without the spaces, findings mapped back onto the text as written
        return _lint_spaced_out(text, rules, model)
    # traditional characters are read as simplified (the rules are written and the model trained in simplified ones);
    # findings quote the text as written.  (Only here, where text enters the linter: training reads its corpus as written,
    # so the shipped model stays what tools/train_linter.py makes of the corpus.)
    written, text = text, fold_traditional(text)
    view = clause_view(text, rules)  # (the rules read spaces between Chinese characters as commas)
    index = TextIndex(view, rules.clause_delimiters)
    cues = _Cues(rules)
    # (which of the patterns with vetoes of their own made each finding: only a model with such vetoes needs to know)
    judged = model.context.pattern_veto.keys() if model is not None and model.context is not None else ()
    track = {*model.pattern_veto, *judged} if model is not None and (model.pattern_veto or judged) else None
    found_by: dict[tuple[int, int, int], tuple[str, ...]] | None = {} if track is not None else None
    findings = _rule_findings(view, rules, index, cues, written=written, found_by=found_by, track=track)
    if model is not None:
        by_id = {c.id: c for c in rules.categories}
        # (the model reads the text as it was trained to: scoped by the rules' model view, RedlineRules.model_view)
        model_rules = rules.model_view
        model_cues = cues if model_rules is rules else _Cues(model_rules)
        if model_cues is not cues:  # (what depends on no list that the views differ in is found once)
            model_cues.sentence_ends, model_cues.labels = cues.sentence_ends, cues.labels
            if model_rules.sentence_sanctions == rules.sentence_sanctions:
                model_cues.sanction_starts = cues.sanction_starts
        scoped = blank_scoped(view, rules, model_cues, index)
        prepared = model.prepare(scoped)
        cut = tuple(windows(text))  # (the model's windows of the text, asked for twice or three times)
        judge = model.context
        if (model.vetoes or judge is not None) and findings:
            # a rule finding in sentences the model reads as clearly compliant ("您直接加入手机黑名单就好") is dropped;
            # a finding whose words a scope blanked (the rules' scopes differ: a pattern may hold whatever the
            # sentence says) is judged on its sentences as written, not on what is left of them: a wholly blanked
            # sentence scores the bias alone, which says nothing about the words the rule found
            seen: list[tuple[int, int]] = []
            hidden: list[tuple[int, int]] = []
            for *_, f in findings:
                (seen if scoped[f.span[0]:f.span[1]] == view[f.span[0]:f.span[1]] else hidden).append(f.span)
            # a finding in a sentence that a rule-only instruction head heads without disapproval (a collector's own
            # record, an order to staff: RedlineRules.rule_only_cues, rule_only_instruction_heads) is put neither to the
            # veto nor to the judge: both were trained with such sentences read as reports or not at all
            # (so is one under a head that the model's view reads as disapproved where the rules do not: "容易被投诉" is
            # a lead's reason to put a threat in other words, RedlineRules.not_disapprovals)
            ordered = {f.span for *_, f in findings if _ordered(index, f.span[0], cues, model_cues)}
            scores = model.veto_scores(text, seen, prepared=prepared, cut=cut)
            if hidden:  # words a scope blanked: the model judges their sentences as written
                scores.update(model.veto_scores(text, hidden, by_sentence=True, cut=cut))
            # (each finding against the veto of its own category, or of the patterns that made it: a span two categories
            # flag may keep one of them)
            findings = [item for item in findings if item[3].span in ordered or scores[item[3].span] >= model.veto_for(
                item[3].category, found_by.get((item[1], item[0], item[2]), ()) if found_by else ())]
            if judge is not None:
                # a rule finding whose context reads as negated, forbidden, reported or quoted in a way the cue lists
                # do not know ("……，我劝住了") is dropped, and its sentence is scored by the model like any other; a
                # finding in a sentence the model flags anyway is not asked about (dropping it would only trade the
                # rule's explanation for the model's).  (A finding whose words a scope blanked is scored on its
                # sentences as written, above: where that score reaches the threshold the finding is kept, though the
                # model, reading the blanked text, may not flag the sentence.)
                findings = [item for item in findings if item[3].span in ordered or scores[item[3].span] >= model.threshold
                            or judge.probability(text, item[3].span) >= judge.veto_for(
                                item[3].category, found_by.get((item[1], item[0], item[2]), ()) if found_by else ())]
        taken = sorted(f.span for *_, f in findings)
        for flag in model.flags(text, taken, prepared=prepared, cut=cut):
            start, end = flag.span
            # what a clause-heading prohibition covers is not said to the customer (as for the rules): the model
            # must flag the rest of the sentence on its own
            kept_text = _without_prohibited_clauses(index, start, end, model_rules, model_cues)
            if kept_text != view[start:end] and model.probability(kept_text) < model.threshold:
                continue
            if _answered_by_refutation(view, end, rules, cues):
                continue  # "被警察带走？正常逾期根本不会这样。": a question the next sentence refutes (as for the rules)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            flagged = by_id.get(flag.category)
            finding = Finding(flag.category, flagged.name if flagged else MODEL_VERDICT, written[start:end], (start, end),
                              flagged.rule if flagged else "", tuple(s.text for s in flagged.sources) if flagged else (),
                              flagged.redline if flagged else "", "model", flag.probability, flag.drivers)
            findings.append((start, len(rules.categories), end, finding))
    # (sorted as tuples: no two findings share their first three items, so no Finding is ever compared: the rule
    # findings of one category do not overlap, and the model's come from disjoint segments, after every category)
    findings.sort()
    return [finding for *_, finding in findings]
