// Site search that answers questions (loaded on search.html only; built data in hb-search-data.js).
//
// 1. The query is cut like the index was (tools/search_zh.py): figures first (22:00, 5%, 60期), then each run of
//    Chinese characters by jieba's maximum-probability path over the same dictionary frequencies, then the
//    shorter dictionary words inside long ones (jieba's cut_for_search). Question words (怎么, 几点…) are dropped.
// 2. Each remaining word is a "group": the word, its glossary aliases and its colloquial equivalents
//    (tools/search_lexicon.yml). A page is listed when it holds most groups; rarer words weigh more.
//    A section whose heading holds query words ranks just above its page; glossary entries rank below.
(() => {
  const data = window.HB_SEARCH_DATA;
  if (!data || typeof Search === "undefined") return;
  const freq = data.freq;
  const logTotal = Math.log(data.total);
  const stop = new Set(data.stop);
  const NUMBER = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.:：]\d+)*)\s*(%|％|个月|期|天|日|年|元|次|倍|点|时)?/g;

  function numberTerms(text) {
    const terms = [];
    for (const m of text.matchAll(NUMBER)) {
      const number = m[1].replace("：", ":").replaceAll(",", ""); // (50,000 is 50000, as the index has amounts)
      const unit = (m[2] || "").replace("％", "%");
      const whole = /^\d+$/.test(number);
      if (unit === "点" || unit === "时") {
        if (whole && Number(number) <= 24) terms.push(number + ":00");
        else if (!whole) terms.push(number);
      } else if (unit || !whole) terms.push(number + unit);
      else if (number.length >= 5) terms.push("#" + number); // hotlines, as the index has them (tools/search_zh.py)
    }
    return terms;
  }

  // jieba's calc(): best path from the end, log(freq or 1) - log(total) per word.
  function cut(sentence) {
    const n = sentence.length;
    const route = new Array(n + 1);
    route[n] = [0, n];
    for (let i = n - 1; i >= 0; i--) {
      let best = [-Infinity, i + 1];
      for (let j = i + 1; j <= Math.min(n, i + data.maxLen); j++) {
        const word = sentence.slice(i, j);
        if (j > i + 1 && !(word in freq)) continue;
        const score = Math.log(freq[word] || 1) - logTotal + route[j][0];
        if (score > best[0]) best = [score, j];
      }
      route[i] = best;
    }
    const words = [];
    for (let i = 0; i < n; i = route[i][1]) words.push(sentence.slice(i, route[i][1]));
    return words;
  }

  function forSearch(word) {  // jieba's cut_for_search: the 2- and 3-character dictionary words inside long ones
    const out = [];
    for (const size of [2, 3]) {
      if (word.length <= size) continue;
      for (let i = 0; i + size <= word.length; i++) {
        const part = word.slice(i, i + size);
        if (part in freq) out.push(part);
      }
    }
    return out;
  }

  const LATIN = /[a-zA-Z][a-zA-Z0-9_+]*/g;

  function segment(query) {
    // Full-width digits, letters and signs read as ASCII (６０期, ２２：００, ５％, Ｍ３), as the pages' figures are indexed;
    // a Latin word keeps its digits (M3, 95555 is a number but m3 a word) and is looked up in lower case, as indexed.
    query = query.normalize("NFKC");
    const latins = query.match(LATIN) || [];
    const noLatin = query.replace(LATIN, " ");
    const terms = numberTerms(noLatin);
    const rest = noLatin.replace(NUMBER, " ");
    for (const latin of latins) terms.push(latin.toLowerCase());
    for (const run of rest.match(/[\u3400-\u9fff]+/g) || []) {
      for (const word of cut(run)) {
        if (stop.has(word)) continue;
        const known = word in freq && (word.length > 1 || word in data.colloquial);
        if (known) terms.push(word);
        if (word.length > 2) terms.push(...forSearch(word).filter((w) => !stop.has(w)));
      }
    }
    return [...new Set(terms)];
  }

  // Groups of equivalent words: glossary term + aliases, colloquial word + handbook words. Each member has a
  // factor: the handbook's own words count fully, a colloquial word found literally counts half.
  const glossaryGroup = new Map();
  for (const group of data.groups) for (const word of group) glossaryGroup.set(word.toLowerCase(), group.map((w) => w.toLowerCase()));
  function expand(term) {
    const members = new Map([[term, term in data.colloquial ? 0.5 : 1]]);
    for (const alias of glossaryGroup.get(term) || []) if (!members.has(alias)) members.set(alias, 1);
    for (const word of data.colloquial[term] || []) {
      members.set(word.toLowerCase(), 1);
      for (const alias of glossaryGroup.get(word.toLowerCase()) || []) if (!members.has(alias)) members.set(alias, 1);
    }
    return members;
  }

  const asList = (files) => (files === undefined ? [] : Array.isArray(files) ? files : [files]);
  const secondary = (data.secondary || []).map((pattern) => new RegExp("^" + pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$"));

  Search._performSearch = (query, searchTerms) => {
    const index = Search._index;
    const docCount = index.docnames.length;
    // A term inside a longer query word (e.g. 电话 in 打电话) belongs to that word's group, not to a group of its own.
    const terms = [...searchTerms];
    const groups = terms
      .filter((t) => !terms.some((other) => other !== t && other.length > t.length && other.includes(t)))
      .map((t) => {
        const members = expand(t);
        for (const part of terms) if (part !== t && t.includes(part) && !members.has(part)) members.set(part, 0.8);
        return members;
      });
    if (!groups.length) return [];
    const idf = (word) => {
      const df = new Set([...asList(index.terms[word]), ...asList(index.titleterms[word])]).size;
      return df ? Math.log(1 + docCount / df) : 0;
    };
    // Pages that repeat what others explain rank after them: glossaries (their anchors are glossary terms) and
    // the pages matching data.secondary (tools/search_lexicon.yml: the chapter exercises).
    const demoted = new Set();
    for (const entries of Object.values(index.indexentries)) for (const [file, id] of entries) if (String(id).startsWith("term-")) demoted.add(file);
    index.docnames.forEach((name, file) => { if (secondary.some((re) => re.test(name))) demoted.add(file); });

    // Weight of a word on a page: BM25 (rarity × saturated frequency, shorter pages weigh more); a heading
    // counts half again. A group counts its best member, plus a quarter for every further member found.
    const lengths = data.lengths || [];
    const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length) || 1;
    const tf = (word, file) => {
      const row = (data.tf[word] || []).find(([doc]) => doc === file);
      return row ? row[1] : 1;
    };
    const bm25 = (word, file) => {
      const n = tf(word, file);
      const norm = 1 - 0.75 + 0.75 * (lengths[file] || avgLength) / avgLength;
      return (n * 2.2) / (n + 1.2 * norm);
    };
    const pageWeight = new Map(); // file -> [sum of weights, number of groups found]
    let possible = 0;
    for (const group of groups) {
      const perFile = new Map();
      let best = 0;
      for (const [word, factor] of group) {
        const rarity = idf(word) * factor;
        best = Math.max(best, rarity);
        const files = new Map();
        for (const file of asList(index.terms[word])) files.set(file, rarity * bm25(word, file));
        // Sphinx lists a word of a page's title under titleterms only (not terms): count it, and half again.
        for (const file of asList(index.titleterms[word])) files.set(file, rarity * bm25(word, file) * 1.5);
        for (const [file, w] of files) perFile.set(file, [...(perFile.get(file) || []), [w, rarity]]);
      }
      possible += best;
      for (const [file, weights] of perFile) {
        weights.sort((a, b) => b[0] - a[0]);
        const w = weights[0][0] + 0.25 * weights.slice(1).reduce((a, [b]) => a + b, 0);
        const [sum, covered] = pageWeight.get(file) || [0, 0];
        pageWeight.set(file, [sum + w, covered + 1]);
      }
    }

    if (!possible) return [];
    // Listed: pages holding most of the question's words (60 %; all of one or two), or the best there are.
    const bestCovered = Math.max(...[...pageWeight.values()].map(([, covered]) => covered));
    const need = Math.min(Math.ceil(0.6 * groups.length), bestCovered);
    const listed = (file) => pageWeight.has(file) && pageWeight.get(file)[1] >= need;
    const score = (file) => (100 * pageWeight.get(file)[0] / possible) * (demoted.has(file) ? 0.6 : 1);
    const results = [];
    for (const file of pageWeight.keys()) {
      if (listed(file)) results.push([index.docnames[file], index.titles[file], "", null, score(file), index.filenames[file]]);
    }
    // Sections: a heading holding query words, on a listed page, ranks just above its page.
    for (const [title, places] of Object.entries(index.alltitles)) {
      const lower = title.toLowerCase();
      const inTitle = groups.filter((group) => [...group.keys()].some((word) => lower.includes(word))).length;
      if (!inTitle) continue;
      for (const [file, id] of places) {
        if (!id || !listed(file) || title === index.titles[file]) continue;
        results.push([index.docnames[file], `${index.titles[file]} > ${title}`, "#" + id, null, score(file) + 2 * inTitle + 1, index.filenames[file]]);
      }
    }
    // Glossary entries: after the pages that explain the word.
    for (const [entry, places] of Object.entries(index.indexentries)) {
      const word = entry.toLowerCase();
      if (!groups.some((group) => group.has(word))) continue;
      for (const [file, id] of places) results.push([index.docnames[file], `${index.titles[file]} > ${entry}`, id ? "#" + id : "", null, 1, index.filenames[file]]);
    }
    results.sort((a, b) => a[4] - b[4] || (a[1] < b[1] ? 1 : -1)); // ascending: the page shows results.pop() first
    return results;
  };

  window.hbSearch = { segment, cut, numberTerms };
})();
