"""Site search that answers staff questions (a Sphinx extension, set up by tools/site_reader.py).

Sphinx's Chinese search cuts page text with jieba (plus the user dictionary
built from ``procedures/glossary.yml``) but splits the *query* only at spaces
and punctuation, so "夜间催收" finds nothing while "夜间 催收" finds pages.
This module makes both sides cut the same way:

* **Index side.** :class:`HandbookChinese` is Sphinx's Chinese search language
  plus :func:`number_terms`: times, percentages and counted figures
  ("22:00", "5%", "60期", "5年", hotlines as "#12378") become index terms (jieba cuts "22:00" into
  "22", ":", "00", and Sphinx drops bare numbers).
* **Query side.** After the build, :func:`write_search_data` writes
  ``_static/hb-search-data.js``: every term of the search index with its
  frequency in jieba's dictionary (the same dictionary, user words included),
  the question words and colloquial words of ``tools/search_lexicon.yml`` and
  the glossary's term/alias groups.  ``_static/hb-search.js`` cuts the query
  with jieba's own method (maximum probability path over the dictionary,
  then the shorter words of long ones, as ``cut_for_search``), drops question
  words, and ranks pages by how many of the question's words they hold
  (rarer words weigh more); a section whose heading holds them ranks above its
  page, and glossary entries rank below both.

The questions staff ask, with the page each must find, are in
``tests/search_questions.yml`` (checked in the browser by tests/test_search_questions.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.search.zh import SearchChinese

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "tools" / "search_lexicon.yml"
DATA_JS = "hb-search-data.js"
SEARCH_JS = "hb-search.js"

# A figure, optionally with a unit: 22:00, 0.05%, 60 期, 5 年, 30 天 (the same expression is in hb-search.js).
NUMBER = re.compile(r"(\d+(?:[.:：]\d+)*)\s*(%|％|个月|期|天|日|年|元|次|倍|点|时)?")

# The query splitter Sphinx puts into language_data.js: hb-search.js's segmenter once it is loaded.
JS_SPLITTER = r"""
splitQuery = function (query) {
  if (window.hbSearch) return window.hbSearch.segment(query);
  return query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((term) => term);
};
"""


def number_terms(text: str) -> list[str]:
    """Index terms for the figures in ``text``: times, decimals, percentages, figures with a unit.

    Bare whole numbers are left out (Sphinx never indexes them), except numbers of five digits or more
    (hotlines such as 12378), indexed as ``#12378``; "22 点" is the time 22:00.

    >>> number_terms("不得在 22:00 至次日 8：00 催收；分 60 期，费率 0.5%，保存 5 年，共 3 人")
    ['22:00', '8:00', '60期', '0.5%', '5年']
    >>> number_terms("晚上 22 点以后，投诉打 12378")
    ['22:00', '#12378']
    """
    terms = []
    for match in NUMBER.finditer(text):
        number = match.group(1).replace("：", ":")
        unit = (match.group(2) or "").replace("％", "%")
        if unit in ("点", "时"):
            if number.isdigit() and int(number) <= 24:
                terms.append(f"{number}:00")
            elif not number.isdigit():
                terms.append(number)
        elif unit or not number.isdigit():
            terms.append(number + unit)
        elif len(number) >= 5:
            terms.append("#" + number)  # a hotline or document number: Sphinx never indexes bare digits
    return terms


class HandbookChinese(SearchChinese):
    """Sphinx's Chinese search with figures indexed and the browser-side segmenter as query splitter."""

    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        return super().split(input) + number_terms(input)


def read_lexicon(path: Path = LEXICON) -> dict:
    """The question words and colloquial words (``tools/search_lexicon.yml``).

    >>> lexicon = read_lexicon()
    >>> "怎么" in lexicon["question"] and "夜间" in lexicon["colloquial"]["晚上"]
    True
    """
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"question": [str(w) for w in data["question"]],
            "colloquial": {str(k): [str(w) for w in v] for k, v in data["colloquial"].items()},
            "secondary": [str(p) for p in data.get("secondary", [])]}


def _load_index(outdir: Path) -> dict:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def search_data(index: dict, lexicon: dict, groups: list[list[str]], freq, total: int) -> dict:
    """What hb-search.js needs: word frequencies (index vocabulary, question and colloquial words), groups.

    >>> d = search_data({"terms": {"夜间": 1, "催收": [1, 2]}, "titleterms": {}}, {"question": ["怎么"], "colloquial": {}},
    ...                 [], {"夜间": 500, "催收": 90}.get, 1000)
    >>> d["freq"] == {"夜间": 500, "催收": 90, "怎么": 1}, d["stop"]
    (True, ['怎么'])
    """
    words = set(index["terms"]) | set(index["titleterms"]) | set(lexicon["question"]) | set(lexicon["colloquial"])
    words |= {w for group in groups for w in group}
    words = {w for w in words if w and not w.isdigit()}
    return {
        "freq": {w: int(freq(w) or 1) for w in sorted(words)},
        "total": int(total),
        "maxLen": max((len(w) for w in words), default=1),
        "stop": sorted(set(lexicon["question"])),
        "colloquial": lexicon["colloquial"],
        "secondary": lexicon.get("secondary", []),
        "groups": groups,
    }


def _page_text(page: str) -> str:
    """The readable text of a built page's main content (what Sphinx indexed), tags and scripts removed.

    >>> _page_text('<nav>x</nav><main><h1>夜间</h1><script>var a;</script><p>22:00 &amp; 催收</p></main>')
    ' 夜间 22:00 & 催收 '
    """
    import html

    start, end = page.find("<main"), page.rfind("</main>")
    body = page[start:end] if start >= 0 and end > start else page
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body[body.find(">") + 1:] if body.startswith("<main") else body)
    return html.unescape(re.sub(r"[ \t]+", " ", body))


def term_frequencies(outdir: Path, index: dict, split) -> tuple[dict, list[int]]:
    """How often each indexed term occurs on each page (only counts above 1; 1 is implied by the index),
    and each page's length in terms: the ranking's term-frequency signal, which Sphinx's index lacks."""
    vocabulary = set(index["terms"])
    counts: dict[str, dict[int, int]] = {}
    lengths = []
    for doc, filename in enumerate(index["docnames"]):
        path = outdir / f"{filename}.html"
        words = [w.lower() for w in split(_page_text(path.read_text(encoding="utf-8")))] if path.is_file() else []
        lengths.append(len(words))
        for word in words:
            if word in vocabulary:
                counts.setdefault(word, {}).setdefault(doc, 0)
                counts[word][doc] += 1
    return {w: [[d, n] for d, n in sorted(per.items()) if n > 1] for w, per in counts.items() if any(n > 1 for n in per.values())}, lengths


def write_search_data(outdir: Path, dict_path: str | None) -> Path:
    """Write ``_static/hb-search-data.js`` for the built site in ``outdir``."""
    import jieba

    from procedures import glossary

    jieba.dt.check_initialized()
    if dict_path and Path(dict_path).is_file():
        jieba.load_userdict(dict_path)  # the build's glossary dictionary (Sphinx loaded it in this process too)
    groups = [[t.term, *t.aliases] for t in glossary().terms if t.aliases]
    index = _load_index(outdir)
    data = search_data(index, read_lexicon(), groups, jieba.dt.FREQ.get, jieba.dt.total)
    language = HandbookChinese({"dict": dict_path or ""})
    data["tf"], data["lengths"] = term_frequencies(outdir, index, language.split)
    target = outdir / "_static" / DATA_JS
    target.write_text("window.HB_SEARCH_DATA = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n",
                      encoding="utf-8")
    return target


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(DATA_JS, loading_method="defer")
        app.add_js_file(SEARCH_JS, loading_method="defer")


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html" and (Path(app.outdir) / "searchindex.js").is_file():
        write_search_data(Path(app.outdir), (app.config.html_search_options or {}).get("dict"))


def setup(app) -> dict:
    app.add_search_language(HandbookChinese)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["HandbookChinese", "number_terms", "read_lexicon", "search_data", "write_search_data"]
