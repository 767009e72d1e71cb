// Search as one types over the index written at build time (search-index.js sets
// window.BRIEFING_SEARCH). No network, no dependencies. Results are built with DOM methods and
// textContent only, so no indexed text is ever parsed as HTML.
(function () {
  "use strict";
  var data = window.BRIEFING_SEARCH;
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list || !status) return;
  if (!data) {
    status.textContent = "The search index (search-index.js) could not be loaded.";
    return;
  }
  var root = list.getAttribute("data-root") || "";
  var MAX = 50;
  var LABELS = { corroborated: "Corroborated", conflicting: "Disputed", "single-source": "Single source" };

  function fold(s) {
    return s.toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  // Folded copies, computed once.
  var claims = data.claims.map(function (c) { return { item: c, f: fold(c.t) }; });
  var sentences = data.sentences.map(function (s) { return { item: s, f: fold(s.t) }; });

  function terms(q) {
    return fold(q).split(/[^\p{L}\p{N}'"]+/u).filter(function (w) { return w.length > 0; });
  }
  // Every term must occur; a term at the start of a word scores higher than inside one.
  function score(f, ts) {
    var total = 0;
    for (var i = 0; i < ts.length; i++) {
      var at = f.indexOf(ts[i]);
      if (at < 0) return 0;
      total += (at === 0 || /[^\p{L}\p{N}]/u.test(f.charAt(at - 1))) ? 2 : 1;
    }
    return total;
  }
  function rank(pool, ts) {
    var out = [];
    for (var i = 0; i < pool.length; i++) {
      var s = score(pool[i].f, ts);
      if (s > 0) out.push({ item: pool[i].item, s: s, i: i });
    }
    out.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    return out;
  }
  // The text with each term's occurrences wrapped in <mark>, as DOM nodes.
  function highlighted(text, ts) {
    var f = fold(text);
    var marks = [];
    ts.forEach(function (t) {
      var from = 0, at;
      while (t && (at = f.indexOf(t, from)) >= 0) { marks.push([at, at + t.length]); from = at + t.length; }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var frag = document.createDocumentFragment();
    var pos = 0;
    // fold() keeps lengths for ordinary text; if it did not, show the text unmarked.
    if (f.length !== text.length) marks = [];
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      frag.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      frag.appendChild(mark);
      pos = m[1];
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }
  function row(kind, text, href, meta, ts) {
    var li = document.createElement("li");
    li.className = "result result-" + kind;
    var a = document.createElement("a");
    a.href = root + href;
    a.appendChild(highlighted(text, ts));
    li.appendChild(a);
    var p = document.createElement("span");
    p.className = "meta";
    p.textContent = meta;
    li.appendChild(p);
    return li;
  }
  function run() {
    var q = input.value;
    var ts = terms(q);
    list.textContent = "";
    if (ts.join("").length < 2) {
      status.textContent = "Type at least two letters.";
      return;
    }
    var cs = rank(claims, ts);
    var ss = rank(sentences, ts);
    var shown = 0;
    cs.slice(0, MAX).forEach(function (r) {
      var c = r.item;
      list.appendChild(row("claim", c.t, c.u,
        "Claim \u00b7 " + (LABELS[c.v] || c.v) + " \u00b7 " + c.n + " source" + (c.n === 1 ? "" : "s"), ts));
      shown++;
    });
    ss.slice(0, Math.max(0, MAX - shown)).forEach(function (r) {
      var s = r.item, a = data.articles[s.a] || { title: "", outlet: "" };
      list.appendChild(row("sentence", s.t, s.u, "Sentence \u00b7 " + a.outlet + ", \u201c" + a.title + "\u201d", ts));
    });
    var n = cs.length + ss.length;
    status.textContent = n === 0 ? "Nothing found for \u201c" + q + "\u201d."
      : cs.length + " claim" + (cs.length === 1 ? "" : "s") + " and " + ss.length + " sentence" +
        (ss.length === 1 ? "" : "s") + " match" + (n > MAX ? "; the first " + MAX + " are shown." : ".");
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      run();
      var u = new URL(window.location.href);
      if (input.value) u.searchParams.set("q", input.value); else u.searchParams.delete("q");
      try { history.replaceState(null, "", u); } catch (e) { /* file:// may refuse */ }
    }, 120);
  });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  var q0 = new URL(window.location.href).searchParams.get("q");
  if (q0) { input.value = q0; run(); }
})();
