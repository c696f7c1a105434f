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
  const NUMBER = /(\d+(?:[.:：]\d+)*)\s*(%|％|个月|期|天|日|年|元|次|倍|点|时)?/g;

  function numberTerms(text) {
    const terms = [];
    for (const m of text.matchAll(NUMBER)) {
      const number = m[1].replace("：", ":");
      const unit = (m[2] || "").replace("％", "%");
      const whole = /^\d+$/.test(number);
      if (unit === "点" || unit === "时") {
        if (whole && Number(number) <= 24) terms.push(number + ":00");
        else if (!whole) terms.push(number);
      } else if (unit || !whole) terms.push(number + unit);
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

  function segment(query) {
    const terms = numberTerms(query);
    const rest = query.replace(NUMBER, " ");
    for (const latin of rest.match(/[a-zA-Z][a-zA-Z0-9_+]*/g) || []) terms.push(latin);
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

  // Groups of equivalent words: glossary term + aliases, colloquial word + handbook words.
  const glossaryGroup = new Map();
  for (const group of data.groups) for (const word of group) glossaryGroup.set(word.toLowerCase(), group.map((w) => w.toLowerCase()));
  function expand(term) {
    const words = new Set([term, ...(glossaryGroup.get(term) || [])]);
    for (const word of data.colloquial[term] || []) {
      words.add(word.toLowerCase());
      for (const alias of glossaryGroup.get(word) || []) words.add(alias);
    }
    return [...words];
  }

  const asList = (files) => (files === undefined ? [] : Array.isArray(files) ? files : [files]);

  Search._performSearch = (query, searchTerms) => {
    const index = Search._index;
    const docCount = index.docnames.length;
    // A term inside a longer query word (e.g. 分期 in 个性化分期) is part of that word's group, not a group of its own.
    const terms = [...searchTerms];
    const groups = terms
      .filter((t) => !terms.some((other) => other !== t && other.length > t.length && other.includes(t)))
      .map((t) => expand(t).concat(terms.filter((o) => o !== t && t.includes(o))));
    if (!groups.length) return [];
    const idf = (word) => {
      const df = new Set([...asList(index.terms[word]), ...asList(index.titleterms[word])]).size;
      return df ? Math.log(1 + docCount / df) : 0;
    };
    // Glossary pages (their anchors are glossary terms) repeat every word: they rank after the pages that explain it.
    const glossaryDocs = new Set();
    for (const entries of Object.values(index.indexentries)) for (const [file, id] of entries) if (String(id).startsWith("term-")) glossaryDocs.add(file);

    const pageScore = new Map(); // file -> [groups covered, weight]
    for (const group of groups) {
      const best = new Map();
      for (const word of group) {
        const weight = idf(word);
        for (const file of asList(index.terms[word])) best.set(file, Math.max(best.get(file) || 0, weight));
        for (const file of asList(index.titleterms[word])) best.set(file, Math.max(best.get(file) || 0, weight * 1.5));
      }
      for (const [file, weight] of best) {
        const [covered, total] = pageScore.get(file) || [0, 0];
        pageScore.set(file, [covered + 1, total + weight]);
      }
    }
    let need = groups.length <= 2 ? groups.length : Math.ceil(groups.length * 0.6);
    const maxCovered = Math.max(0, ...[...pageScore.values()].map(([covered]) => covered));
    need = Math.max(1, Math.min(need, maxCovered));
    const score = (file) => {
      const [covered, weight] = pageScore.get(file);
      return (covered * 10 + weight) * (glossaryDocs.has(file) ? 0.5 : 1);
    };
    const results = [];
    const listed = (file) => pageScore.has(file) && pageScore.get(file)[0] >= need;
    for (const file of pageScore.keys()) {
      if (!listed(file)) continue;
      results.push([index.docnames[file], index.titles[file], "", null, score(file), index.filenames[file]]);
    }
    // Sections: a heading holding query words, on a page that is listed.
    for (const [title, places] of Object.entries(index.alltitles)) {
      const lower = title.toLowerCase();
      const inTitle = groups.filter((group) => group.some((word) => lower.includes(word))).length;
      if (!inTitle) continue;
      for (const [file, id] of places) {
        if (!id || !listed(file) || title === index.titles[file]) continue;
        results.push([index.docnames[file], `${index.titles[file]} > ${title}`, "#" + id, null, score(file) + 2 * inTitle + 1, index.filenames[file]]);
      }
    }
    // Glossary entries: below the pages that explain the word.
    for (const [entry, places] of Object.entries(index.indexentries)) {
      const word = entry.toLowerCase();
      if (!groups.some((group) => group.includes(word))) continue;
      for (const [file, id] of places) results.push([index.docnames[file], `${index.titles[file]} > ${entry}`, id ? "#" + id : "", null, 1, index.filenames[file]]);
    }
    results.sort((a, b) => a[4] - b[4] || (a[1] < b[1] ? 1 : -1)); // ascending: the page shows results.pop() first
    return results;
  };

  window.hbSearch = { segment, cut, numberTerms };
})();
