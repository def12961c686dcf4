/* gongkai: the compare page. It loads compare/index.json, then the file of each region chosen (never all of them);
   the whole view is in the address (?g=regions&l=level&a=agencies&y=years&m=measures&c=chart), so a copied address
   opens the same comparison. Sums add counts; the rate is computed from the summed counts. No ranking. */
(function () {
  "use strict";
  var root = document.getElementById("compare");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var S = JSON.parse(document.getElementById("compare-strings").textContent);
  var site = root.getAttribute("data-root");
  var form = document.getElementById("compare-form");
  var regionSel = document.getElementById("cmp-region");
  var levelSel = document.getElementById("cmp-level");
  var agencyList = document.getElementById("cmp-agency-list");
  var chartSel = document.getElementById("cmp-chart");
  var status = document.getElementById("cmp-status");
  var output = document.getElementById("cmp-output");
  var csvLink = document.getElementById("cmp-csv");
  var DEFAULT_MEASURES = ["received", "disclosed", "partially_disclosed", "withheld", "unavailable", "rate"];
  var COLORS = ["#1d4f91", "#c0392b", "#1e8449", "#8e44ad", "#b9770e", "#117a8b", "#7f8c8d", "#d35400"];
  var index = null, labels = {}, position = {}, byPath = {}, files = {}, known = {}, loaded = {};
  var state = { g: [], l: "", a: [], y: [], m: [], c: "" };
  var csvUrl = null;

  function fmt(text, args) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in args ? String(args[k]) : m; });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function list(value) { return value ? value.split(",").filter(Boolean) : []; }
  function number(n) { return n === null || n === undefined ? "—" : n.toLocaleString("zh-CN"); }
  function percent(x) { return x === null ? "—" : (x * 100).toFixed(1) + "%"; }

  /* ------------------------------------------------------------------ data */

  function load(path) {
    var group = byPath[path];
    if (!group) return Promise.resolve(null);
    if (!files[group.file]) {
      files[group.file] = fetch(site + group.file).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (data) {
        data.agencies.forEach(function (a) { known[a.slug] = { rec: a, region: path }; });
        loaded[path] = data;
        return data;
      });
    }
    return files[group.file];
  }

  /* A measure of one agency in one year: [value or null, marked], or null where it has no report. */
  function cell(slug, year, key) {
    var found = known[slug] && known[slug].rec.years[String(year)];
    if (!found) return null;
    var values = found[0], marked = found[1] || [];
    if (key === "rate") {
      var parts = index.rate[1].map(function (k) { return values[position[k]]; });
      var rate = parts.indexOf(null) >= 0 || !parts[2] ? null : (parts[0] + parts[1]) / parts[2];
      var flagged = index.rate[1].some(function (k) { return marked.indexOf(position[k]) >= 0; });
      return [rate, flagged];
    }
    return [values[position[key]], marked.indexOf(position[key]) >= 0];
  }

  function rollup(slug, year) { return (known[slug].rec.rollups || []).indexOf(String(year)) >= 0; }

  /* The sum over the chosen agencies of one year (roll-ups left out: they sum their region's reports again) (reports whose value is not a number are left out, and counted). */
  function total(year, key) {
    var keys = key === "rate" ? index.rate[1] : [key];
    var sums = keys.map(function () { return 0; }), unknown = 0, reports = 0;
    state.a.forEach(function (slug) {
      var found = known[slug] && known[slug].rec.years[String(year)];
      if (!found || rollup(slug, year)) return;
      var values = keys.map(function (k) { return found[0][position[k]]; });
      if (values.indexOf(null) >= 0) { unknown += 1; return; }
      reports += 1;
      values.forEach(function (v, i) { sums[i] += v; });
    });
    var value = key === "rate" ? (sums[2] ? (sums[0] + sums[1]) / sums[2] : null) : sums[0];
    return { value: reports ? value : null, unknown: unknown };
  }

  /* ------------------------------------------------------------------ the address */

  function read() {
    var q = new URLSearchParams(location.search);
    var first = index.groups[0];
    state.g = list(q.get("g")).filter(function (p) { return byPath[p]; });
    if (!state.g.length) state.g = [first.region.join("/")];
    state.l = q.has("l") ? q.get("l") : null;
    state.a = q.has("a") ? list(q.get("a")) : null;
    var years = index.years.map(String);
    state.y = list(q.get("y")).filter(function (y) { return years.indexOf(y) >= 0; });
    if (!state.y.length) state.y = years.slice(-3);
    state.m = list(q.get("m")).filter(function (m) { return m === "rate" || m in position; });
    if (!state.m.length) state.m = DEFAULT_MEASURES.slice();
    state.c = q.get("c") || "";
  }

  function write() {
    var q = new URLSearchParams();
    q.set("g", state.g.join(","));
    q.set("l", state.l);
    q.set("a", state.a.join(","));
    q.set("y", state.y.join(","));
    q.set("m", state.m.join(","));
    q.set("c", state.c);
    history.replaceState(null, "", "?" + q.toString().replace(/%2C/g, ",").replace(/%2F/g, "/"));
  }

  function current() { return state.g[state.g.length - 1]; }

  /* The level most agencies of a region have: the default peer group. */
  function commonLevel(group) {
    var best = "", count = 0;
    Object.keys(group.levels).forEach(function (lv) {
      if (group.levels[lv] > count) { best = lv; count = group.levels[lv]; }
    });
    return best;
  }

  /* ------------------------------------------------------------------ the form */

  function fillForm(data) {
    var group = byPath[current()];
    regionSel.value = current();
    levelSel.textContent = "";
    levelSel.appendChild(el("option", { value: "" }, levelSel.getAttribute("data-all")));
    Object.keys(index.levels).forEach(function (lv) {
      if (group.levels[lv]) levelSel.appendChild(el("option", { value: lv }, index.levels[lv] + "（" + group.levels[lv] + "）"));
    });
    levelSel.value = state.l;
    agencyList.textContent = "";
    var shown = {};
    data.agencies.forEach(function (a) {
      if (state.l && a.level !== state.l) return;
      shown[a.slug] = true;
      agencyList.appendChild(option(a));
    });
    state.a.forEach(function (slug) {  // chosen in another region or level: listed too, so it can be unticked
      if (!shown[slug] && known[slug]) agencyList.appendChild(option(known[slug].rec, known[slug].region));
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=y]"), function (box) { box.checked = state.y.indexOf(box.value) >= 0; });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=m]"), function (box) { box.checked = state.m.indexOf(box.value) >= 0; });
    chartSel.textContent = "";
    state.m.forEach(function (m) { chartSel.appendChild(el("option", { value: m }, label(m))); });
    if (state.m.indexOf(state.c) < 0) state.c = state.m[0] || "";
    chartSel.value = state.c;
  }

  function option(a, region) {
    var wrap = el("label");
    var box = el("input", { type: "checkbox", name: "a", value: a.slug });
    box.checked = state.a.indexOf(a.slug) >= 0;
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(" " + a.name + (region ? "（" + region.split("/").pop() + "）" : "")));
    return wrap;
  }

  function label(key) { return key === "rate" ? S.rate : labels[key]; }

  function ticked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=" + name + "]"), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
  }

  /* ------------------------------------------------------------------ the view */

  function render() {
    output.textContent = "";
    var years = state.y.slice().sort();
    var chosen = state.a.filter(function (slug) { return known[slug]; });
    if (!chosen.length || !years.length || !state.m.length) {
      status.textContent = S.choose;
      csvLink.hidden = true;
      return;
    }
    status.textContent = fmt(S.summary, { agencies: chosen.length, years: years.length, measures: state.m.length });
    if (state.c) output.appendChild(chart(state.c, chosen, years));
    var tables = output.appendChild(el("div", { "class": "compare-tables" }));
    state.m.forEach(function (key) { tables.appendChild(table(key, chosen, years)); });
    csv(chosen, years);
  }

  function table(key, chosen, years) {
    var wrap = el("div", { "class": "table-scroll", tabindex: "0", role: "region", "aria-label": label(key) });
    var t = el("table", { "class": "data numeric stack compare-table", "data-measure": key });
    t.appendChild(el("caption", {}, label(key)));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, S.agency));
    years.forEach(function (y) { head.appendChild(el("th", { scope: "col" }, y)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    chosen.forEach(function (slug) {
      var a = known[slug].rec, row = el("tr");
      var name = el("th", { scope: "row" });
      name.appendChild(el("a", { href: site + a.url }, a.name));
      row.appendChild(name);
      years.forEach(function (y) {
        var found = cell(slug, y, key), td = el("td", { "data-label": y });
        if (!found) { td.textContent = S.no_report; td.className = "muted"; }
        else {
          var span = el("span", {}, key === "rate" ? percent(found[0]) : number(found[0]));
          if (found[1]) span.appendChild(el("span", { "class": "flag-mark", title: S.flagged_title }, "※"));
          if (rollup(slug, y)) span.appendChild(el("span", { "class": "muted" }, S.rollup));
          td.appendChild(span);
          if (found[1]) td.setAttribute("data-flagged", "1");
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    var foot = el("tr"), notes = 0;
    foot.appendChild(el("th", { scope: "row" }, S.total));
    years.forEach(function (y) {
      var sum = total(y, key), td = el("td", { "data-label": y });
      var span = el("span", {}, key === "rate" ? percent(sum.value) : number(sum.value));
      if (sum.unknown) { span.appendChild(el("span", { "class": "partial-mark" }, "*")); notes = Math.max(notes, sum.unknown); }
      td.appendChild(span);
      foot.appendChild(td);
    });
    t.appendChild(el("tfoot")).appendChild(foot);
    wrap.appendChild(t);
    var box = el("div");
    box.appendChild(wrap);
    if (notes) box.appendChild(el("p", { "class": "note" }, fmt(S.unknown_note, { count: notes })));
    return box;
  }

  function chart(key, chosen, years) {
    var figure = el("figure", { "class": "compare-chart" });
    var title = fmt(S.chart_title, { measure: label(key) });
    figure.appendChild(el("figcaption", {}, title));
    if (years.length < 2) { figure.appendChild(el("p", { "class": "note" }, S.chart_one_year)); return figure; }
    var last = years[years.length - 1];
    var value = function (slug, y) { var c = cell(slug, y, key); return c ? c[0] : null; };
    var drawn = chosen.slice().sort(function (p, q) { return (value(q, last) || 0) - (value(p, last) || 0); }).slice(0, COLORS.length);
    var max = 0;
    drawn.forEach(function (slug) { years.forEach(function (y) { max = Math.max(max, value(slug, y) || 0); }); });
    max = key === "rate" ? 1 : nice(max || 1);
    var W = 640, H = 260, L = 56, R = 16, T = 12, B = 32;
    var x = function (i) { return L + (W - L - R) * i / (years.length - 1); };
    var yy = function (v) { return T + (H - T - B) * (1 - v / max); };
    var graphic = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title, "class": "compare-svg" });
    for (var k = 0; k <= 4; k++) {
      var v = max * k / 4, at = yy(v);
      graphic.appendChild(svg("line", { x1: L, x2: W - R, y1: at, y2: at, "class": "grid" }));
      var tick = svg("text", { x: L - 6, y: at + 4, "text-anchor": "end", "class": "tick" });
      tick.textContent = key === "rate" ? Math.round(v * 100) + "%" : (Number.isInteger(v) ? v : v.toFixed(1));
      graphic.appendChild(tick);
    }
    years.forEach(function (y, i) {
      var label = svg("text", { x: x(i), y: H - 10, "text-anchor": "middle", "class": "tick" });
      label.textContent = y;
      graphic.appendChild(label);
    });
    var legend = el("ul", { "class": "compare-legend" });
    drawn.forEach(function (slug, n) {
      var points = [];
      years.forEach(function (y, i) {
        var v = value(slug, y);
        if (v === null) return;
        points.push(x(i) + "," + yy(v));
        var dot = svg("circle", { cx: x(i), cy: yy(v), r: 3.5, fill: COLORS[n] });
        var tip = svg("title");
        tip.textContent = known[slug].rec.name + " " + y + "：" + (key === "rate" ? percent(v) : number(v));
        dot.appendChild(tip);
        graphic.appendChild(dot);
      });
      graphic.appendChild(svg("polyline", { points: points.join(" "), fill: "none", stroke: COLORS[n], "stroke-width": 2 }));
      var item = el("li");
      item.appendChild(el("span", { "class": "swatch", style: "background:" + COLORS[n], "aria-hidden": "true" }));
      item.appendChild(document.createTextNode(known[slug].rec.name));
      legend.appendChild(item);
    });
    figure.appendChild(graphic);
    figure.appendChild(legend);
    if (chosen.length > drawn.length) {
      figure.appendChild(el("p", { "class": "note" }, fmt(S.chart_more, { shown: drawn.length, total: chosen.length })));
    }
    return figure;
  }

  /* The top of the scale: 1, 2, 2.5 or 5 times a power of ten, so that its quarters are round. */
  function nice(max) {
    var power = Math.pow(10, Math.floor(Math.log10(max)));
    var steps = [1, 2, 2.5, 4, 5, 8, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power >= max) return steps[i] * power;
    return 10 * power;
  }

  /* A CSV as spreadsheets open it: UTF-8 with a BOM, CRLF, fields quoted where needed. */
  function csv(chosen, years) {
    var quote = function (v) {
      v = v === null || v === undefined ? "" : String(v);
      if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
      return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
    };
    var head = [S.region, S.agency, S.level, S.year].concat(state.m.map(label), [S.flagged]);
    var lines = [head.map(quote).join(",")];
    var value = function (found, key) {
      if (!found || found[0] === null) return "";
      return key === "rate" ? (found[0] * 100).toFixed(1) + "%" : found[0];
    };
    chosen.forEach(function (slug) {
      var a = known[slug].rec;
      years.forEach(function (y) {
        if (!a.years[String(y)]) return;
        var cells = state.m.map(function (key) { return cell(slug, y, key); });
        var marked = state.m.filter(function (key, i) { return cells[i] && cells[i][1]; }).map(label);
        lines.push([known[slug].region.split("/").join(" "), a.name, index.levels[a.level] || a.level, y]
          .concat(cells.map(function (c, i) { return value(c, state.m[i]); }), [marked.join("；")]).map(quote).join(","));
      });
    });
    years.forEach(function (y) {
      var sums = state.m.map(function (key) { var s = total(y, key); return s.value === null ? "" : (key === "rate" ? (s.value * 100).toFixed(1) + "%" : s.value); });
      lines.push(["", S.total, "", y].concat(sums, [""]).map(quote).join(","));
    });
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" }));
    csvLink.href = csvUrl;
    csvLink.hidden = false;
  }

  /* ------------------------------------------------------------------ events */

  function refresh() {
    return Promise.all(state.g.map(load)).then(function (all) {
      var data = all[all.length - 1];
      var group = byPath[current()];
      if (state.l === null) state.l = commonLevel(group);
      if (state.a === null) {
        state.a = data.agencies.filter(function (a) { return !state.l || a.level === state.l; }).map(function (a) { return a.slug; });
      }
      state.a = state.a.filter(function (slug) { return known[slug]; });
      // the regions listed are those of the agencies chosen, and the one being browsed
      var paths = [];
      state.a.forEach(function (slug) { if (paths.indexOf(known[slug].region) < 0) paths.push(known[slug].region); });
      state.g = paths.filter(function (p) { return p !== current(); }).concat([current()]);
      fillForm(data);
      write();
      render();
    }).catch(function () { status.textContent = S.error; });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === regionSel) {
      state.g = [regionSel.value];
      state.l = null;
      state.a = null;
    } else if (target === levelSel) {
      state.l = levelSel.value;  // the peer group: every agency of this level in this region
      state.a = loaded[current()].agencies.filter(function (a) { return !state.l || a.level === state.l; })
        .map(function (a) { return a.slug; });
    } else if (target.name === "a") {
      state.a = ticked("a");
    } else if (target.name === "y") {
      state.y = ticked("y");
    } else if (target.name === "m") {
      state.m = ticked("m");
    } else if (target === chartSel) {
      state.c = chartSel.value;
    }
    refresh();
  });

  Array.prototype.forEach.call(form.querySelectorAll("[data-all]"), function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("data-all") === "1";
      Array.prototype.forEach.call(form.querySelectorAll("input[name=a]"), function (b) { b.checked = on; });
      state.a = ticked("a");
      refresh();
    });
  });

  document.getElementById("cmp-share").addEventListener("click", function () {
    var done = function () { status.textContent = S.copied; };
    var failed = function () { status.textContent = S.copy_failed; };
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, failed);
    else failed();
  });

  status.textContent = S.loading;
  fetch(root.getAttribute("data-index")).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    index = data;
    data.measures.forEach(function (m, i) { labels[m[0]] = m[1]; position[m[0]] = i; });
    data.groups.forEach(function (g, i) {
      g.file = "compare/g/" + i + ".json";
      byPath[g.region.join("/")] = g;
      var count = Object.keys(g.levels).reduce(function (n, lv) { return n + g.levels[lv]; }, 0);
      regionSel.appendChild(el("option", { value: g.region.join("/") }, g.region.join(" ") + fmt(S.region_count, { count: count })));
    });
    read();
    return refresh();
  }).catch(function () { status.textContent = S.error; });
})();
