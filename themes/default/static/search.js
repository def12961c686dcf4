/* gongkai search: Pagefind's JS API behind a labelled, keyboard-friendly UI.
   State lives in the URL (?q=…&年度=2025), so a search can be shared and Back works.
   Words are reported when they match nothing (never silently dropped); a year such as
   2025 or 2025年 becomes the 年度 filter; an agency's own name puts its pages first. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var S = JSON.parse(app.getAttribute("data-strings"));
  var root = app.getAttribute("data-root");
  var bundle = new URL(app.getAttribute("data-bundle"), location.href).href;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var statusEl = document.getElementById("search-status");
  var notesEl = document.getElementById("search-notes");
  var resultsEl = document.getElementById("results");
  var moreBtn = document.getElementById("more");
  var facetsEl = document.getElementById("facets");
  var FACETS = [];  // filled from search/facets.json, in display order
  var TOPICS = [];  // the facets that are rows of tables 三、四
  var PAGE = 10;
  var pagefind = null;
  var allFilters = {};
  var seq = 0;
  var current = [];
  var shown = 0;
  var state = readUrl();
  var matched = {};  // table rows the current query names: {filter: [values]}
  app.hidden = false;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function readUrl() {
    var p = new URLSearchParams(location.search);
    var filters = {};
    p.forEach(function (value, key) { if (key !== "q") (filters[key] = filters[key] || []).push(value); });
    return { q: p.get("q") || "", filters: filters };
  }
  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    Object.keys(state.filters).forEach(function (k) { state.filters[k].forEach(function (v) { p.append(k, v); }); });
    var qs = p.toString();
    var url = location.pathname + (qs ? "?" + qs : "");
    if (url === location.pathname + location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
  /* Pagefind itself, warmed up when the page opens; the facets come from a small file written
     at build time (pagefind.filters() would download every filter of the index). */
  function load() {
    if (!pagefind) {
      var facets = fetch(app.getAttribute("data-facets"), { cache: "no-cache" }).then(function (r) { return r.json(); });
      pagefind = Promise.all([import(bundle), facets]).then(function (both) {
        var pf = both[0];
        allFilters = {};
        FACETS = [];
        both[1].facets.forEach(function (facet) {
          FACETS.push(facet[0]);
          allFilters[facet[0]] = {};
          facet[1].forEach(function (pair) { allFilters[facet[0]][pair[0]] = pair[1]; });
        });
        TOPICS = both[1].topics;
        if (both[1].pending) {  // gongkai serve: the pages are newer than the index, for a few seconds
          var pendingEl = document.getElementById("search-pending");
          pendingEl.textContent = S.pending;
          pendingEl.hidden = false;
        }
        // A first search without a term downloads nothing but readies Pagefind (its first real search
        // would otherwise take a few hundred milliseconds longer at 10,000 reports).
        return pf.options({ excerptLength: 36 }).then(function () { return pf.init(); })
          .then(function () { return pf.search(null); }).then(function () { return pf; });
      });
    }
    return pagefind;
  }
  function parse(q) {
    var out = [];
    var re = /"([^"]+)"|“([^”]+)”|(\S+)/g;
    var m;
    while ((m = re.exec(q))) {
      var phrase = m[1] || m[2];
      out.push(phrase ? { text: '"' + phrase + '"', raw: phrase, quoted: true } : { text: m[3], raw: m[3], quoted: false });
    }
    return out;
  }
  function pfFilters(filters) {
    var out = {};
    Object.keys(filters).forEach(function (k) { if (filters[k].length) out[k] = { any: filters[k] }; });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

  /* One word's matches. A Chinese reader means "contains 信访": Pagefind splits the word as
     Intl.Segmenter does (信|访) and matches each piece as the start of any word, so 信 alone
     finds every 信息. A page counts only where the pieces stand next to each other (their
     positions are consecutive), which is the phrase, checked on the one search's own results:
     an exact-phrase search costs Pagefind 0.4–0.9 s at 10,000 reports for common phrases.
     A quoted word is searched as Pagefind's exact phrase. */
  var SEGMENTER = window.Intl && Intl.Segmenter ? new Intl.Segmenter("zh-CN", { granularity: "word" }) : null;

  function pieces(text) {
    if (!SEGMENTER) return 1;
    var n = 0;
    var it = SEGMENTER.segment(text)[Symbol.iterator]();
    for (var step = it.next(); !step.done; step = it.next()) if (step.value.isWordLike) n++;
    return Math.max(n, 1);
  }

  function adjacent(words, k) {
    if (k <= 1) return words.length > 0;
    var at = {};
    words.forEach(function (w) { at[w] = true; });
    return words.some(function (w) {
      for (var i = 1; i < k; i++) if (!at[w + i]) return false;
      return true;
    });
  }

  function matchWord(pf, word, options) {
    var han = HAN.test(word.raw);
    var text = word.quoted ? pf.search('"' + word.raw + '"', options) : pf.search(word.raw, options);
    return Promise.all([text, han ? matchTopics(pf, word, options) : Promise.resolve([])]).then(function (both) {
      var found = both[0].results;
      var topical = both[1];
      if (han && !word.quoted) {
        var k = pieces(word.raw);
        var together = found.filter(function (r) { return adjacent(r.words || [], k); });
        // Nowhere together: the index may have cut the pages' text into other pieces than the query
        // (段简 in 一段简单), so the pages with all pieces stand; never for a number (2024年 is not 2024 … 年).
        if (together.length || topical.length || /\d/.test(word.raw)) found = together;
      }
      if (!topical.length) return { results: found };
      // Reports whose tables record the row come first, then the others that mention the word.
      var ids = {};
      topical.forEach(function (r) { ids[r.id] = true; });
      return { results: topical.concat(found.filter(function (r) { return !ids[r.id]; })) };
    });
  }

  /* A word that names a row of tables 三、四 (信访 → 不予处理：信访举报投诉类申请) or a group of
     them (不予公开) finds the reports that recorded something there: the rows are filter values. */
  function matchTopics(pf, word, options) {
    var searches = [];
    TOPICS.forEach(function (key) {
      var all = Object.keys(allFilters[key] || {});
      var values = key.indexOf(word.raw) >= 0 ? all : all.filter(function (v) { return v.indexOf(word.raw) >= 0; });
      if (!values.length) return;
      matched[key] = (matched[key] || []).concat(values);
      var filters = JSON.parse(JSON.stringify(options.filters || {}));
      var chosen = filters[key];
      filters[key] = { any: values };
      searches.push(pf.search(null, { filters: filters, sort: { year: "desc" } }).then(function (r) {
        if (!chosen) return r.results;
        return pf.search(null, { filters: options.filters }).then(function (c) {
          var ok = {};
          c.results.forEach(function (x) { ok[x.id] = true; });
          return r.results.filter(function (x) { return ok[x.id]; });
        });
      }));
    });
    return Promise.all(searches).then(function (lists) {
      var seen = {};
      var out = [];
      lists.forEach(function (list) {
        list.forEach(function (r) { if (!seen[r.id]) { seen[r.id] = true; out.push(r); } });
      });
      return out;
    });
  }

  function run() {
    var my = ++seq;
    matched = {};
    return load().then(function (pf) {
      if (my !== seq) return null;
      var terms = parse(state.q);
      var years = [];
      var words = [];
      terms.forEach(function (t) {
        var y = !t.quoted && /^(\d{4})(?:年度?)?$/.exec(t.raw);
        if (y && allFilters["年度"] && allFilters["年度"][y[1]] !== undefined) years.push(y[1]); else words.push(t);
      });
      var filters = JSON.parse(JSON.stringify(state.filters));
      if (years.length) {
        filters["年度"] = (filters["年度"] || []).concat(years.filter(function (y) { return (filters["年度"] || []).indexOf(y) < 0; }));
      }
      var hasFilters = Object.keys(filters).some(function (k) { return filters[k].length; });
      if (!words.length && !hasFilters) { show(my, [], { idle: true }); return null; }
      var options = { filters: pfFilters(filters) };
      var searches = words.length
        ? Promise.all(words.map(function (w) { return matchWord(pf, w, options); }))
        : pf.search(null, { filters: options.filters, sort: { year: "desc" } }).then(function (r) { return [r]; });
      return searches.then(function (found) {
        if (my !== seq) return null;
        // Every word must match; a word that is on no page at all is named (with filters on, checked without them).
        var checks = words.map(function (w, i) {
          if (found[i].results.length || !hasFilters) return Promise.resolve(found[i].results.length);
          return matchWord(pf, w, {}).then(function (r) { return r.results.length ? -1 : 0; });
        });
        return Promise.all(checks).then(function (counts) {
          if (my !== seq) return null;
          var ignored = words.filter(function (_, i) { return counts[i] === 0; });
          var kept = [];
          words.forEach(function (_, i) { kept.push(i); });
          if (ignored.length) { show(my, [], { ignored: ignored, none: true }); return null; }
          var results = words.length ? intersect(kept.map(function (i) { return found[i].results; })) : found[0].results;
          var name = kept.map(function (i) { return words[i].raw; }).join("");
          if (!name || !results.length || results.length > 60) return [results, ignored];
          // An agency's own name: its page, then its reports (newest first), before anything else.
          return results[0].data().then(function (top) {
            var meta = top.meta || {};
            if (meta.agency !== name) return [results, ignored];
            return Promise.all(results.map(function (r) { return r.data(); })).then(function (all) {
              var rank = results.map(function (r, i) {
                var m = all[i].meta || {};
                var own = m.agency === name ? (m.kind === "agency" ? 0 : 1) : 2;
                return { r: r, own: own, year: Number(m.year || 0), i: i };
              });
              rank.sort(function (a, b) { return a.own - b.own || (a.own === 1 ? b.year - a.year : 0) || a.i - b.i; });
              return [rank.map(function (x) { return x.r; }), ignored];
            });
          });
        }).then(function (out) {
          if (!out || my !== seq) return;
          show(my, out[0], { ignored: out[1], years: years, none: !out[0].length });
        });
      });
    }).catch(function (e) {
      statusEl.textContent = S.error;
      if (window.console) console.info(e);
    });
  }

  /* Results present in every list, ranked by their summed scores. */
  function intersect(lists) {
    if (lists.length === 1) return lists[0];
    var score = {};
    var seen = {};
    lists.forEach(function (list) {
      list.forEach(function (r) { score[r.id] = (score[r.id] || 0) + r.score; seen[r.id] = (seen[r.id] || 0) + 1; });
    });
    return lists[0].filter(function (r) { return seen[r.id] === lists.length; })
      .sort(function (a, b) { return score[b.id] - score[a.id]; });
  }

  function show(my, results, info) {
    if (my !== seq) return;
    current = results;
    shown = 0;
    resultsEl.innerHTML = "";
    resultsEl.removeAttribute("data-query");
    var notes = [];
    if (info.ignored && info.ignored.length) {
      notes.push(fmt(S.ignored, { words: info.ignored.map(function (w) { return "“" + w.raw + "”"; }).join("、") }));
    }
    if (info.years && info.years.length) notes.push(fmt(S.year_filter, { years: info.years.join("、") }));
    notesEl.textContent = notes.join(" ");
    statusEl.setAttribute("data-query", state.q);
    if (info.idle) statusEl.textContent = "";
    else if (info.none) statusEl.textContent = fmt(S.none, { q: state.q });
    else statusEl.textContent = fmt(S.count, { n: results.length });
    renderFacets(!!info.idle);
    more();
  }

  function more() {
    var batch = current.slice(shown, shown + PAGE);
    shown += batch.length;
    moreBtn.hidden = shown >= current.length;
    var my = seq;
    var typed = parse(state.q).map(function (w) { return w.raw; });
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (my !== seq) return;
      items.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "result";
        var meta = d.meta || {};
        var url = root + String(d.url).replace(/^\//, "");
        var facts = [];
        if (meta.kind === "agency") facts.push(S.kind_agency);
        if (meta.agency && meta.kind !== "agency") facts.push(esc(meta.agency));
        if (meta.year) facts.push(fmt(S.year, { year: esc(meta.year) }));
        if (meta.published) facts.push(fmt(S.published, { date: esc(meta.published) }));
        var rows = [];
        Object.keys(matched).forEach(function (key) {
          ((d.filters || {})[key] || []).forEach(function (v) {
            if (matched[key].indexOf(v) >= 0) rows.push(esc(key === v ? v : key + "：" + v));
          });
        });
        li.innerHTML = '<h3 class="result-title"><a href="' + esc(url) + '">' + esc(meta.title || d.url) + "</a></h3>" +
          '<p class="result-meta">' + facts.join(" · ") + "</p>" +
          (rows.length ? '<p class="result-rows">' + fmt(S.rows, { rows: "<mark>" + rows.join("</mark>、<mark>") + "</mark>" }) + "</p>" : "") +
          '<p class="result-excerpt">' + excerptFor(d, typed) + "</p>";
        resultsEl.appendChild(li);
      });
      resultsEl.setAttribute("data-query", state.q);
    });
  }

  // The sentence where a typed word stands as written, the word marked once per occurrence;
  // Pagefind's own excerpt (around its best window of word pieces) where no word stands whole.
  function excerptFor(d, words) {
    var text = String(d.content || ""), at = -1, hit = "";
    words.forEach(function (w) {
      var i = w ? text.indexOf(w) : -1;
      if (i >= 0 && (at < 0 || i < at)) { at = i; hit = w; }
    });
    if (at < 0) return d.excerpt || "";
    var start = at, end = at + hit.length;
    while (start > 0 && at - start < 60 && !/[。！？；\n]/.test(text.charAt(start - 1))) start--;
    while (end < text.length && end - at < 90 && !/[。！？；\n]/.test(text.charAt(end))) end++;
    if (end < text.length && /[。！？；]/.test(text.charAt(end))) end++;
    var piece = text.slice(start, end), out = "", i = 0;
    while (i < piece.length) {
      var best = "";
      words.forEach(function (w) { if (w && w.length > best.length && piece.substr(i, w.length) === w) best = w; });
      if (best) { out += "<mark>" + esc(best) + "</mark>"; i += best.length; } else { out += esc(piece.charAt(i)); i++; }
    }
    return (start > 0 ? "…" : "") + out + (end < text.length ? "…" : "");
  }

  var FACET_TOP = 5; // a facet shows its top values; the rest behind 更多, so the column stays short

  function renderFacets(idle) {
    facetsEl.innerHTML = "";
    FACETS.forEach(function (facet) {
      var values = allFilters[facet];
      if (!values || !Object.keys(values).length) return;
      var fieldset = document.createElement("fieldset");
      fieldset.className = "facet";
      var legend = document.createElement("legend");
      legend.textContent = (S.facets && S.facets[facet]) || facet;
      fieldset.appendChild(legend);
      var keys = Object.keys(values);
      keys.sort(facet === "年度" ? function (a, b) { return b.localeCompare(a); } : function (a, b) { return values[b] - values[a] || a.localeCompare(b, "zh-CN"); });
      var selected = state.filters[facet] || [];
      var list = document.createElement("ul");
      keys.forEach(function (value, i) {
        var n = idle ? values[value] : "";
        var li = document.createElement("li");
        if (i >= FACET_TOP && selected.indexOf(value) < 0) li.className = "facet-extra";
        var id = "f-" + facet + "-" + i;
        li.innerHTML = '<input type="checkbox" id="' + esc(id) + '"' + (selected.indexOf(value) >= 0 ? " checked" : "") +
          '><label for="' + esc(id) + '">' + esc(value) + ' <span class="facet-count">' + n + "</span></label>";
        li.firstChild.addEventListener("change", function (e) {
          var now = (state.filters[facet] || []).filter(function (v) { return v !== value; });
          if (e.target.checked) now.push(value);
          if (now.length) state.filters[facet] = now; else delete state.filters[facet];
          typingEntry = false;
          writeUrl(true);
          run();
        });
        list.appendChild(li);
      });
      fieldset.appendChild(list);
      if (keys.length > FACET_TOP) {
        var toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "facet-toggle";
        toggle.textContent = fmt(S.show_all, { n: keys.length });
        toggle.addEventListener("click", function () { fieldset.classList.add("open"); toggle.remove(); });
        fieldset.appendChild(toggle);
      }
      facetsEl.appendChild(fieldset);
    });
  }

  // A new query gets its own history entry when typing starts (Back returns to the one before);
  // the keystrokes after it, and Enter, change that entry rather than add one per character.
  var timer = null, typingEntry = false;
  function typed(e) {
    if (e.isComposing) return;  // a Chinese input method is still composing: wait for the characters
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (input.value === state.q) return;
      state.q = input.value.trim() ? input.value : "";
      writeUrl(!typingEntry);
      typingEntry = true;
      run();
    }, 50);
  }
  input.addEventListener("input", typed);
  input.addEventListener("compositionend", typed);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value;
    writeUrl(!typingEntry);
    typingEntry = false;
    run();
  });
  moreBtn.addEventListener("click", more);
  window.addEventListener("popstate", function () {
    var next = readUrl();
    typingEntry = false;
    if (same(next, state)) return;
    state = next;
    input.value = state.q;
    run();
  });
  input.value = state.q;
  run();
})();
