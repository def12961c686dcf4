/* gongkai search: the site's own index (search-index/, written by gongkai build) behind a labelled,
   keyboard-friendly UI. A word is found where it stands as written on a page (substring, as a Chinese
   reader expects), every word typed must be found, a word on no page is named, a year filters.
   State lives in the URL (?q=…&年度=2025&sort=year), so a search can be shared and Back works. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var S = JSON.parse(app.getAttribute("data-strings"));
  var root = app.getAttribute("data-root");
  var base = new URL(app.getAttribute("data-index"), location.href).href;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var statusEl = document.getElementById("search-status");
  var notesEl = document.getElementById("search-notes");
  var resultsEl = document.getElementById("results");
  var moreBtn = document.getElementById("more");
  var facetsEl = document.getElementById("facets");
  var sortEl = document.getElementById("search-sort");
  var PAGE = 10;
  var FACET_TOP = 5;  // a facet shows its top values; the rest behind 更多, so the column stays short
  var index = null;   // a promise of the loaded index
  var ix = null;      // the loaded index
  var seq = 0;
  var current = [];
  var shown = 0;
  var counts = null;  // facet counts for the current query (null: the totals)
  var matched = [];   // table rows the current query names: topic numbers
  var changed = "";   // what the last facet click did, said in the status line
  var state = readUrl();
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
    p.forEach(function (value, key) { if (key !== "q" && key !== "sort") (filters[key] = filters[key] || []).push(value); });
    return { q: p.get("q") || "", sort: p.get("sort") === "year" ? "year" : "", filters: filters };
  }
  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    Object.keys(state.filters).forEach(function (k) { state.filters[k].forEach(function (v) { p.append(k, v); }); });
    if (state.sort) p.set("sort", state.sort);
    var qs = p.toString();
    var url = location.pathname + (qs ? "?" + qs : "");
    if (url === location.pathname + location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  /* ------------------------------------------------------------ the index files */

  function bytes(url, options) {
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error(url + " " + r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      var b = new Uint8Array(buf);
      if (b[0] !== 0x1f || b[1] !== 0x8b) return b;  // a host that already unpacked it
      var stream = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer().then(function (out) { return new Uint8Array(out); });
    });
  }
  function file(rel) { return base + rel + "?v=" + ix.meta.id; }

  function load() {
    if (!index) {
      var meta = bytes(base + "meta.bin", { cache: "no-cache" }).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
      var facets = fetch(app.getAttribute("data-facets"), { cache: "no-cache" }).then(function (r) { return r.json(); });
      index = Promise.all([meta, facets]).then(function (both) {
        ix = { meta: both[0], facets: both[1], shards: {}, pages: {} };
        ix.n = ix.meta.pages;
        ix.nb = (ix.n + 7) >> 3;
        if (both[1].pending) {  // gongkai serve: the pages are newer than the index, for a few seconds
          var pendingEl = document.getElementById("search-pending");
          pendingEl.textContent = S.pending;
          pendingEl.hidden = false;
        }
        return Promise.all([bytes(file("columns.bin")), bytes(file("topics.bin"))]);
      }).then(function (files) {
        var cols = new Uint16Array(files[0].buffer, files[0].byteOffset, files[0].byteLength >> 1);
        ix.kinds = cols.subarray(0, ix.n);
        ix.years = cols.subarray(ix.n, 2 * ix.n);
        ix.columns = {};
        ix.meta.columns.forEach(function (c, i) {
          ix.columns[c[0]] = { values: c[1], cells: cols.subarray((i + 2) * ix.n, (i + 3) * ix.n) };
        });
        var reader = { b: files[1], at: 0 };
        ix.topics = ix.meta.topics.map(function (t) { return { filter: t[0], value: t[1], bits: posting(reader, null) }; });
        return ix;
      });
    }
    return index;
  }

  function varint(r) {
    var value = 0, shift = 0, byte;
    do { byte = r.b[r.at++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return value;
  }
  /* One set of pages (a bitmap of ix.n bits): none, all, a bitmap, a list of gaps, or "as above". */
  function posting(r, above) {
    var kind = r.b[r.at++], bits = new Uint8Array(ix.nb), i;
    if (kind === 1) { bits.fill(255); if (ix.n & 7) bits[ix.nb - 1] = (1 << (ix.n & 7)) - 1; }
    else if (kind === 2) { bits.set(r.b.subarray(r.at, r.at + ix.nb)); r.at += ix.nb; }
    else if (kind === 3) {
      var end = varint(r); end += r.at;
      var page = -1;
      while (r.at < end) { page += varint(r) + 1; bits[page >> 3] |= 1 << (page & 7); }
    } else if (kind === 4) return above;
    return bits;
  }
  function hash(key) {
    var b = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shard(number) {
    if (!ix.shards[number]) {
      ix.shards[number] = bytes(file("shards/" + number.toString(16) + ".bin")).then(function (b) {
        var keys = {}, r = { b: b, at: 0 }, dec = new TextDecoder();
        while (r.at < b.length) {
          var len = varint(r), key = dec.decode(b.subarray(r.at, r.at + len));
          r.at += len;
          var page = posting(r, null);
          keys[key] = { page: page, prose: posting(r, page), head: posting(r, null) };
        }
        return keys;
      }).catch(function (e) { delete ix.shards[number]; throw e; });
    }
    return ix.shards[number];
  }
  function lookup(key) {
    return shard(hash(key) & (ix.meta.shards - 1)).then(function (keys) { return keys[key] || null; });
  }

  /* ------------------------------------------------------------ sets of pages */

  function and(a, b) { var o = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) o[i] = a[i] & b[i]; return o; }
  function or(a, b) { var o = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) o[i] = a[i] | b[i]; return o; }
  function none() { return new Uint8Array(ix.nb); }
  function every() { var b = none(); b.fill(255); if (ix.n & 7) b[ix.nb - 1] = (1 << (ix.n & 7)) - 1; return b; }
  function has(bits, i) { return (bits[i >> 3] >> (i & 7)) & 1; }
  function members(bits) {
    var out = [];
    for (var i = 0; i < bits.length; i++) {
      if (!bits[i]) continue;
      for (var j = 0; j < 8; j++) if (bits[i] >> j & 1) out.push(i * 8 + j);
    }
    return out;
  }
  function count(bits) { var n = 0; for (var i = 0; i < bits.length; i++) { var v = bits[i]; while (v) { v &= v - 1; n++; } } return n; }

  /* ------------------------------------------------------------ a query */

  function parse(q) {
    var out = [];
    var re = /"([^"]+)"|“([^”]+)”|(\S+)/g;
    var m;
    while ((m = re.exec(q))) {
      var phrase = m[1] || m[2];
      var raw = phrase || m[3];
      out.push({ raw: raw, norm: raw.normalize("NFKC"), quoted: !!phrase });
    }
    return out;
  }
  /* Runs of letters and digits, cut first and each put in NFKC after, as the index was made. */
  var RUN = /[\p{L}\p{N}]+/gu;
  function runs(text) {
    var out = [];
    (text.toLowerCase().match(RUN) || []).forEach(function (run) {
      var norm = run.normalize("NFKC");
      out = out.concat(norm === run ? [run] : norm.toLowerCase().match(RUN) || []);
    });
    return out;
  }
  /* The keys a word is found by: a run of up to three characters is one key, a longer one its
     three-character pieces (all must be on the page). */
  function keysOf(word) {
    var out = [];
    runs(word).forEach(function (run) {
      var cs = Array.from(run), g = ix.meta.gram;
      if (cs.length <= g) out.push(run);
      else for (var i = 0; i + g <= cs.length; i++) out.push(cs.slice(i, i + g).join(""));
    });
    return out;
  }
  /* Where a word stands: on the page, in the report's own prose, in its title or agency; and the
     reports whose tables record a row the word names (信访 → 不予处理：信访举报投诉类申请). */
  function find(word) {
    var keys = keysOf(word.raw);
    return Promise.all(keys.map(lookup)).then(function (found) {
      var out = { page: every(), prose: every(), head: every(), topical: none(), topics: [] };
      if (!keys.length) out.page = none();
      found.forEach(function (f) {
        if (!f) { out.page = out.prose = out.head = none(); return; }
        out.page = and(out.page, f.page); out.prose = and(out.prose, f.prose); out.head = and(out.head, f.head);
      });
      ix.topics.forEach(function (t, i) {
        if (t.value.indexOf(word.norm) >= 0 || t.filter.indexOf(word.norm) >= 0) {
          out.topics.push(i);
          out.topical = or(out.topical, and(t.bits, out.page));
        }
      });
      return out;
    });
  }
  /* The pages a facet's ticked values allow (any of them). */
  function allowed(facet, values) {
    var bits = none();
    var column = ix.columns[facet];
    if (column) {
      var wanted = {};
      values.forEach(function (v) { var i = column.values.indexOf(v); if (i >= 0) wanted[i + 1] = true; });
      for (var p = 0; p < ix.n; p++) if (wanted[column.cells[p]]) bits[p >> 3] |= 1 << (p & 7);
      return bits;
    }
    var known = false;
    ix.topics.forEach(function (t) {
      if (t.filter !== facet) return;
      known = true;
      if (values.indexOf(t.value) >= 0) bits = or(bits, t.bits);
    });
    return known ? bits : every();  // a facet this index does not list (too many values): no filter
  }
  function filtered(base, filters, except) {
    var bits = base;
    Object.keys(filters).forEach(function (f) { if (f !== except && filters[f].length) bits = and(bits, allowed(f, filters[f])); });
    return bits;
  }
  /* Each facet value's count among the results, as if that facet's own choice were not made. */
  function facetCounts(base, filters) {
    var out = {}, all = null;
    ix.facets.facets.forEach(function (facet) {
      var name = facet[0], bits = filtered(base, filters, name), c = {};
      var column = ix.columns[name];
      if (column) {
        var pages = bits === base ? (all = all || members(base)) : members(bits), tally = new Uint32Array(column.values.length + 1);
        for (var i = 0; i < pages.length; i++) tally[column.cells[pages[i]]]++;
        column.values.forEach(function (v, k) { if (tally[k + 1]) c[v] = tally[k + 1]; });
      } else {
        ix.topics.forEach(function (t) { if (t.filter === name) c[t.value] = count(and(t.bits, bits)); });
      }
      out[name] = c;
    });
    return out;
  }
  /* Relevance: a word in the title or agency name first (the agency's own page before its
     reports), then a table row the word names, then the report's own prose, then the rest of the
     page (table labels); ties newest first. "Newest first" puts the year before all of that. */
  function rank(pages, found) {
    var scored = pages.map(function (p) {
      var score = 0;
      found.forEach(function (f) {
        score += has(f.head, p) ? 8 : has(f.topical, p) ? 4 : has(f.prose, p) ? 2 : 1;
      });
      if (ix.kinds[p] === 0 && found.length && found.every(function (f) { return has(f.head, p); })) score += 100;
      return { p: p, score: score, year: ix.years[p] };
    });
    scored.sort(state.sort === "year"
      ? function (a, b) { return b.year - a.year || b.score - a.score || a.p - b.p; }
      : function (a, b) { return b.score - a.score || b.year - a.year || a.p - b.p; });
    return scored.map(function (s) { return s.p; });
  }

  function run() {
    var my = ++seq;
    return load().then(function () {
      if (my !== seq) return null;
      var years = [], words = [];
      var yearValues = (ix.columns["年度"] || { values: [] }).values;
      parse(state.q).forEach(function (t) {
        var y = !t.quoted && /^(\d{4})(?:年度?)?$/.exec(t.norm);
        if (y && yearValues.indexOf(y[1]) >= 0) years.push(y[1]); else words.push(t);
      });
      var filters = JSON.parse(JSON.stringify(state.filters));
      if (years.length) {
        filters["年度"] = (filters["年度"] || []).concat(years.filter(function (y) { return (filters["年度"] || []).indexOf(y) < 0; }));
      }
      var hasFilters = Object.keys(filters).some(function (k) { return filters[k].length; });
      if (!words.length && !hasFilters) { show(my, [], { idle: true }); return null; }
      return Promise.all(words.map(find)).then(function (found) {
        if (my !== seq) return;
        // Every word must be found; a word on no page at all is named, and nothing is shown.
        var absent = words.filter(function (_, i) { return !count(found[i].page); });
        matched = [];
        found.forEach(function (f) { matched = matched.concat(f.topics); });
        var base = every();
        found.forEach(function (f) { base = and(base, f.page); });
        if (!words.length) base = reportsOnly();
        if (absent.length) { counts = null; show(my, [], { ignored: absent, none: true }); return; }
        counts = facetCounts(base, filters);
        var results = rank(members(filtered(base, filters, null)), found);
        show(my, results, { years: years, none: !results.length });
      });
    }).catch(function (e) {
      statusEl.textContent = S.error;
      if (window.console) console.info(e);
    });
  }
  function reportsOnly() {
    var bits = none();
    for (var p = 0; p < ix.n; p++) if (ix.kinds[p] === 1) bits[p >> 3] |= 1 << (p & 7);
    return bits;
  }

  /* ------------------------------------------------------------ showing it */

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
    var said = info.idle ? "" : info.none ? fmt(S.none, { q: state.q }) : fmt(S.count, { n: results.length });
    statusEl.textContent = changed && !info.idle ? changed + said : said;
    changed = "";
    sortEl.hidden = !!info.idle || results.length < 2;
    Array.prototype.forEach.call(sortEl.querySelectorAll("input"), function (r) { r.checked = r.value === state.sort; });
    if (info.idle) counts = null;
    renderFacets();
    more();
  }

  function fragmentOf(p) {
    if (!ix.pages[p]) {
      ix.pages[p] = bytes(file("pages/" + Math.floor(p / 1000) + "/" + p + ".bin")).then(function (b) {
        return JSON.parse(new TextDecoder().decode(b));
      }).catch(function (e) { delete ix.pages[p]; throw e; });
    }
    return ix.pages[p];
  }

  function more() {
    var batch = current.slice(shown, shown + PAGE);
    shown += batch.length;
    moreBtn.hidden = shown >= current.length;
    var my = seq;
    var typed = parse(state.q).map(function (w) { return w.raw; });
    return Promise.all(batch.map(fragmentOf)).then(function (items) {
      if (my !== seq) return;
      items.forEach(function (d, i) {
        var li = document.createElement("li");
        li.className = "result";
        var url = root + String(d.url).replace(/^\//, "");
        var facts = [];
        if (d.kind === "agency") facts.push(S.kind_agency);
        else facts.push(esc(d.agency));
        if (d.year) facts.push(fmt(S.year, { year: esc(d.year) }));
        if (d.published) facts.push(fmt(S.published, { date: esc(d.published) }));
        var rows = [];
        matched.forEach(function (t) {
          var topic = ix.topics[t];
          if (has(topic.bits, batch[i])) rows.push(esc(topic.filter === topic.value ? topic.value : topic.filter + "：" + topic.value));
        });
        li.innerHTML = '<h3 class="result-title"><a href="' + esc(url) + '">' + esc(d.title) + "</a></h3>" +
          '<p class="result-meta">' + facts.join(" · ") + "</p>" +
          (rows.length ? '<p class="result-rows">' + fmt(S.rows, { rows: "<mark>" + rows.join("</mark>、<mark>") + "</mark>" }) + "</p>" : "") +
          '<p class="result-excerpt">' + excerptFor(String(d.text || ""), typed) + "</p>";
        resultsEl.appendChild(li);
      });
      resultsEl.setAttribute("data-query", state.q);
    });
  }

  // The sentence (or table row) where a typed word stands as written, the word marked once per
  // occurrence; the page's first lines where no word stands whole (a word only in the title).
  function excerptFor(text, words) {
    var lower = text.toLowerCase(), at = -1, hit = "";
    words.forEach(function (w) {
      var i = w ? lower.indexOf(w.toLowerCase()) : -1;
      if (i >= 0 && (at < 0 || i < at)) { at = i; hit = w; }
    });
    if (at < 0) return esc(text.slice(0, 90)) + (text.length > 90 ? "…" : "");
    var start = at, end = at + hit.length;
    while (start > 0 && at - start < 60 && !/[。！？；\n]/.test(text.charAt(start - 1))) start--;
    while (end < text.length && end - at < 90 && !/[。！？；\n]/.test(text.charAt(end))) end++;
    if (end < text.length && /[。！？；]/.test(text.charAt(end))) end++;
    var piece = text.slice(start, end), low = piece.toLowerCase(), out = "", i = 0;
    while (i < piece.length) {
      var best = "";
      words.forEach(function (w) { if (w && w.length > best.length && low.substr(i, w.length) === w.toLowerCase()) best = w; });
      if (best) { out += "<mark>" + esc(piece.substr(i, best.length)) + "</mark>"; i += best.length; } else { out += esc(piece.charAt(i)); i++; }
    }
    return (start > 0 ? "…" : "") + out + (end < text.length ? "…" : "");
  }

  function renderFacets() {
    facetsEl.innerHTML = "";
    ix.facets.facets.forEach(function (facet) {
      var name = facet[0];
      var totals = {};
      facet[1].forEach(function (pair) { totals[pair[0]] = pair[1]; });
      var values = counts ? counts[name] || {} : totals;
      var selected = state.filters[name] || [];
      var keys = Object.keys(totals).filter(function (v) { return values[v] || selected.indexOf(v) >= 0; });
      if (!keys.length) return;
      keys.sort(name === "年度" ? function (a, b) { return b.localeCompare(a); } : function (a, b) { return (values[b] || 0) - (values[a] || 0) || a.localeCompare(b, "zh-CN"); });
      var fieldset = document.createElement("fieldset");
      fieldset.className = "facet";
      var legend = document.createElement("legend");
      legend.textContent = (S.facets && S.facets[name]) || name;
      fieldset.appendChild(legend);
      var list = document.createElement("ul");
      keys.forEach(function (value, i) {
        var li = document.createElement("li");
        if (i >= FACET_TOP && selected.indexOf(value) < 0) li.className = "facet-extra";
        var id = "f-" + name + "-" + i;
        li.innerHTML = '<input type="checkbox" id="' + esc(id) + '"' + (selected.indexOf(value) >= 0 ? " checked" : "") +
          '><label for="' + esc(id) + '">' + esc(value) + ' <span class="facet-count">' + (values[value] || 0) + "</span></label>";
        li.firstChild.addEventListener("change", function (e) {
          var now = (state.filters[name] || []).filter(function (v) { return v !== value; });
          if (e.target.checked) now.push(value);
          if (now.length) state.filters[name] = now; else delete state.filters[name];
          changed = fmt(e.target.checked ? S.facet_on : S.facet_off, { value: value });
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
  sortEl.addEventListener("change", function (e) {
    state.sort = e.target.value === "year" ? "year" : "";
    typingEntry = false;
    writeUrl(true);
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
