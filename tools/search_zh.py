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
import time
from pathlib import Path

from sphinx.search.zh import SearchChinese
from sphinx.util import logging as sphinx_logging

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "tools" / "search_lexicon.yml"
DATA_JS = "hb-search-data.js"
LOG = sphinx_logging.getLogger(__name__)
SEARCH_JS = "hb-search.js"

# A figure, optionally with a unit: 22:00, 0.05%, 60 期, 5 年, 30 天 (the same expression is in hb-search.js).
# An amount may be grouped with commas (50,000.00 元): read as one number, without them.
NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.:：]\d+)*)\s*(%|％|个月|期|天|日|年|元|次|倍|点|时)?")

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

    An amount is also indexed as people type it (a query is read by the same expression, commas dropped): "不低于
    50,000.00 元" is found by ``50,000.00``, ``50000元``, ``50,000`` or ``50000``.

    >>> number_terms("不低于 50,000.00 元")
    ['50000.00元', '50000.00', '50000元', '#50000']
    """
    terms = []
    for match in NUMBER.finditer(text):
        number = match.group(1).replace("：", ":").replace(",", "")
        unit = (match.group(2) or "").replace("％", "%")
        if unit == "元" or "," in match.group(1):  # an amount: its other written forms too
            whole = number[:-3] if number.endswith(".00") else number if number.isdigit() else ""
            variants = [number + unit, number] + ([whole + unit] if whole and unit else []) + (
                ["#" + whole] if len(whole) >= 5 else [])
            terms.extend(dict.fromkeys(term for term in variants if term and not term.isdigit()))
            continue
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


_LOADED_DICTS: set[tuple[str, int, int]] = set()  # user dictionaries jieba holds in this process


def initialize_jieba(cache_dir: Path | None, tokenizer=None) -> None:
    """Load jieba's default dictionary from a pickle in ``cache_dir`` (written on first use).

    jieba keeps its own cache as a ``marshal`` file in the temporary folder, which takes about three times as long
    to load (0.7 s of CPU against 0.25 s): the cost of every build that indexes a page.  The pickle holds the
    same prefix dictionary, taken right after jieba built or loaded it (before any user word is added); it is
    named after jieba's version.  Without ``cache_dir``, or with another main dictionary, jieba loads as usual.
    ``tokenizer`` defaults to jieba's global one (``jieba.dt``, what Sphinx's Chinese search uses).

    >>> import jieba, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> built = jieba.Tokenizer(); initialize_jieba(folder, built)  # jieba's own way, then saved as a pickle
    >>> loaded = jieba.Tokenizer(); initialize_jieba(folder, loaded)  # from the pickle
    >>> loaded.initialized, loaded.FREQ == built.FREQ, loaded.total == built.total, loaded.lcut("夜间催收") == built.lcut("夜间催收")
    (True, True, True, True)
    """
    import pickle
    import tempfile

    import jieba

    tokenizer = tokenizer or jieba.dt
    if tokenizer.initialized:
        return
    if cache_dir is None or tokenizer.dictionary != jieba.DEFAULT_DICT:
        tokenizer.check_initialized()
        return
    cache = cache_dir / f"jieba-{jieba.__version__}-prefix-dict.pickle"
    try:
        freq, total = pickle.loads(cache.read_bytes())
        if isinstance(freq, dict) and freq and isinstance(total, int):
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
        pass
    tokenizer.check_initialized()
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with open(handle, "wb") as sink:
        pickle.dump((tokenizer.FREQ, tokenizer.total), sink, pickle.HIGHEST_PROTOCOL)
    Path(scratch).replace(cache)


def load_user_dictionary(dict_path: str | None) -> None:
    """Load a jieba user dictionary once per process (each load re-adds every word: 0.2 s for nothing).

    jieba itself is initialised first by :func:`initialize_jieba`, its cache beside the user dictionary.
    """
    import os

    import jieba

    if not dict_path or not os.path.isfile(dict_path):
        return
    initialize_jieba(Path(dict_path).parent)
    stat = os.stat(dict_path)
    key = (os.path.abspath(dict_path), stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED_DICTS:
        jieba.load_userdict(dict_path)
        _LOADED_DICTS.add(key)


class HandbookChinese(SearchChinese):
    """Sphinx's Chinese search with figures indexed and the browser-side segmenter as query splitter."""

    js_splitter_code = JS_SPLITTER

    def init(self, options: dict[str, str]) -> None:
        load_user_dictionary(options.get("dict"))  # what Sphinx's init does, once per process
        super().init({key: value for key, value in options.items() if key != "dict"})

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


def term_frequencies(outdir: Path, index: dict, split, words_cache: dict | None = None) -> tuple[dict, list[int]]:
    """How often each indexed term occurs on each page (only counts above 1; 1 is implied by the index),
    and each page's length in terms: the ranking's term-frequency signal, which Sphinx's index lacks.

    ``words_cache`` maps a page text's digest to its words (kept between builds by :func:`write_search_data`):
    only pages whose text changed are cut again.
    """
    import hashlib

    vocabulary = set(index["terms"])
    counts: dict[str, dict[int, int]] = {}
    lengths: list[int] = []
    cache = {} if words_cache is None else words_cache
    used: dict[str, list[str]] = {}
    for doc, filename in enumerate(index["docnames"]):
        path = outdir / f"{filename}.html"
        words = []
        if path.is_file():
            text = _page_text(path.read_text(encoding="utf-8"))
            key = hashlib.sha256(text.encode()).hexdigest()
            words = used[key] = cache[key] if key in cache else [w.lower() for w in split(text)]
        lengths.append(len(words))
        for word in words:
            if word in vocabulary:
                counts.setdefault(word, {}).setdefault(doc, 0)
                counts[word][doc] += 1
    if words_cache is not None:  # keep the pages of this build only
        words_cache.clear()
        words_cache.update(used)
    return {w: [[d, n] for d, n in sorted(per.items()) if n > 1] for w, per in counts.items() if any(n > 1 for n in per.values())}, lengths


def _inputs_digest(outdir: Path, dict_path: str | None, salt: str) -> str:
    """A digest of everything :func:`write_search_data` reads: the search index, every indexed page, the user
    dictionary, the lexicon, the glossary (through ``salt``, the build's data digest), jieba and this module."""
    import hashlib

    import jieba

    digest = hashlib.sha256(f"{salt}\0{jieba.__version__}\0{outdir.resolve()}".encode())
    index_file = outdir / "searchindex.js"
    files = [Path(__file__), LEXICON, ROOT / "procedures" / "glossary.yml", index_file]
    files += [Path(dict_path)] if dict_path and Path(dict_path).is_file() else []
    files += [outdir / f"{name}.html" for name in _load_index(outdir)["docnames"]]
    for path in files:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return digest.hexdigest()


def write_search_data(outdir: Path, dict_path: str | None, cache_dir: Path | None = None, salt: str = "") -> Path:
    """Write ``_static/hb-search-data.js`` for the built site in ``outdir``.

    With ``cache_dir``, a build whose inputs (see :func:`_inputs_digest`) are those of the last one leaves the
    file as it is (a no-op rebuild), and pages whose text is unchanged are not cut again (a one-page edit).
    """
    import pickle

    import jieba

    from procedures import glossary

    target = outdir / "_static" / DATA_JS
    stamp = words_file = None
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        stamp, words_file = cache_dir / "search-data.digest", cache_dir / "page-words.pickle"
        inputs = _inputs_digest(outdir, dict_path, salt)
        if target.is_file() and stamp.is_file() and stamp.read_text() == inputs:
            return target
    initialize_jieba(cache_dir)
    load_user_dictionary(dict_path)  # the build's glossary dictionary (already loaded when Sphinx indexed pages)
    groups = [[t.term, *t.aliases] for t in glossary().terms if t.aliases]
    index = _load_index(outdir)
    data = search_data(index, read_lexicon(), groups, jieba.dt.FREQ.get, jieba.dt.total)
    language = HandbookChinese({"dict": dict_path or ""})
    # The cut of a page depends on the dictionary and this module: cached words are kept only while both are.
    words_key = (jieba.__version__, dict_path and Path(dict_path).read_bytes(), Path(__file__).read_bytes())
    words_cache: dict = {}
    if words_file is not None and words_file.is_file():
        try:
            saved_key, saved = pickle.loads(words_file.read_bytes())
            words_cache = saved if saved_key == words_key else {}
        except Exception:  # noqa: BLE001 (an unreadable cache is rebuilt)
            words_cache = {}
    data["tf"], data["lengths"] = term_frequencies(outdir, index, language.split, words_cache)
    target.write_text("window.HB_SEARCH_DATA = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n",
                      encoding="utf-8")
    if stamp is not None and words_file is not None:
        words_file.write_bytes(pickle.dumps((words_key, words_cache), pickle.HIGHEST_PROTOCOL))
        stamp.write_text(inputs)
    return target


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(DATA_JS, loading_method="defer")
        app.add_js_file(SEARCH_JS, loading_method="defer")


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html" and (Path(app.outdir) / "searchindex.js").is_file():
        dict_path = (app.config.html_search_options or {}).get("dict")
        started = time.perf_counter()
        # The cache lives beside the build's user dictionary (_build/search), not in the published site.
        write_search_data(Path(app.outdir), dict_path, Path(dict_path).parent if dict_path else None,
                          salt=getattr(app, "handbook_digest", ""))
        LOG.info(f"[handbook] phase search data: {time.perf_counter() - started:.2f} s")


def setup(app) -> dict:
    app.add_search_language(HandbookChinese)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["HandbookChinese", "number_terms", "read_lexicon", "search_data", "write_search_data"]
