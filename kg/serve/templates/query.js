/* The query page: a plain textarea and fetch to /sparql on the same server; nothing else loads.
 * Results: a full-width table, 50 rows a page, IRIs as links to the explorer's pages with the
 * node's label (asked of /sparql for the rows shown). Every value goes in with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var M = data.messages, PAGE = 50;
  var box = document.getElementById("kg-sparql");
  var status = document.getElementById("kg-status");
  var note = document.getElementById("kg-note");
  var out = document.getElementById("kg-results");
  var csv = document.getElementById("kg-csv");
  var json = document.getElementById("kg-json");
  var pager = document.getElementById("kg-pager");
  var current = null, page = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fill(s, o) { return s.replace(/\{(\w+)\}/g, function (_, k) { return o[k]; }); }

  function links() {
    var q = encodeURIComponent(box.value);
    csv.setAttribute("href", "/sparql?format=csv&query=" + q);
    json.setAttribute("href", "/sparql?format=json&query=" + q);
  }

  function pick(q) {
    box.value = q.text;
    note.textContent = q.params.length ? fill(M.params, {params: q.params.join(", ")}) : q.about;
    links();
  }

  var list = document.getElementById("kg-named-list");
  data.queries.forEach(function (q) {
    var li = el("li");
    var b = el("button", "kg-linkbtn", q.name);
    b.type = "button";
    b.title = q.about;
    b.addEventListener("click", function () { pick(q); });
    li.appendChild(b);
    li.appendChild(el("div", "kg-muted", q.about));
    list.appendChild(li);
  });

  var BASE = "https://w3id.org/vn-legal-kg/";
  function pageOf(iri) {  // which explorer page shows a node of ours; null for anything else
    if (iri.indexOf(BASE) !== 0) return null;
    var rest = iri.slice(BASE.length);
    if (/\/task\//.test(rest)) return "/task";
    if (/^agency\//.test(rest)) return "/agency";
    if (/^eli\//.test(rest) || /^doc\/[0-9a-f]+$/.test(rest)) return "/doc";
    return null;
  }

  var labels = {};
  function fetchLabels(iris, done) {
    var want = iris.filter(function (i) { return !(i in labels) && pageOf(i); });
    if (!want.length) { done(); return; }
    var q = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " +
      "SELECT ?n (SAMPLE(?l) AS ?label) WHERE { VALUES ?n { " + want.map(function (i) { return "<" + i + ">"; }).join(" ") +
      " } ?n rdfs:label|skos:prefLabel ?l } GROUP BY ?n";
    fetch("/sparql", {method: "POST", headers: {"Content-Type": "application/sparql-query",
      "Accept": "application/sparql-results+json"}, body: q, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) {
        want.forEach(function (i) { labels[i] = null; });
        if (res) res.results.bindings.forEach(function (b) { labels[b.n.value] = b.label.value; });
        done();
      }).catch(function () { done(); });
  }

  function cell(td, c) {
    if (!c) return;
    if (c.type === "uri") {
      var target = pageOf(c.value);
      var a = el(target ? "a" : "span", "kg-iri", labels[c.value] || c.value);
      if (target) a.setAttribute("href", target + "?node=" + encodeURIComponent(c.value) + (data.lang !== "vi" ? "&lang=" + data.lang : ""));
      a.title = c.value;
      td.appendChild(a);
      return;
    }
    td.textContent = c.value;
    if (c["xml:lang"]) td.appendChild(el("span", "kg-muted", " @" + c["xml:lang"]));
  }

  function draw() {
    var res = current, vars = res.head.vars, rows = res.results.bindings;
    var start = page * PAGE, end = Math.min(rows.length, start + PAGE), shown = rows.slice(start, end);
    var iris = [];
    shown.forEach(function (r) { vars.forEach(function (v) { if (r[v] && r[v].type === "uri") iris.push(r[v].value); }); });
    fetchLabels(iris, function () {
      out.textContent = "";
      var t = el("table", "kg-table kg-wide"), head = el("tr");
      vars.forEach(function (v) { head.appendChild(el("th", null, v)); });
      var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
      var body = el("tbody");
      shown.forEach(function (r) {
        var tr = el("tr");
        vars.forEach(function (v) { var td = el("td", r[v] ? "kg-" + r[v].type : null); cell(td, r[v]); tr.appendChild(td); });
        body.appendChild(tr);
      });
      t.appendChild(body);
      out.appendChild(t);
      pager.hidden = rows.length <= PAGE;
      document.getElementById("kg-page").textContent = fill(M.rows, {from: rows.length ? start + 1 : 0, to: end, n: rows.length});
      document.getElementById("kg-prev").disabled = page === 0;
      document.getElementById("kg-next").disabled = end >= rows.length;
      document.body.setAttribute("data-drawn", String(page));
    });
  }
  document.getElementById("kg-prev").addEventListener("click", function () { page = Math.max(0, page - 1); draw(); });
  document.getElementById("kg-next").addEventListener("click", function () { page += 1; draw(); });

  function run() {
    var t0 = performance.now();
    status.textContent = M.running;
    out.textContent = "";
    pager.hidden = true;
    fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.5"},
      body: box.value,
      credentials: "same-origin"
    }).then(function (r) {
      return r.text().then(function (text) { return {r: r, text: text}; });
    }).then(function (x) {
      var ms = Math.round(performance.now() - t0);
      if (!x.r.ok) {
        status.textContent = "HTTP " + x.r.status + " (" + ms + " ms)";
        out.appendChild(el("pre", "kg-error", x.text));
        return;
      }
      var type = x.r.headers.get("Content-Type") || "";
      if (type.indexOf("json") >= 0) {
        var res = JSON.parse(x.text);
        if (typeof res.boolean === "boolean") {
          out.appendChild(el("p", "kg-answer", res.boolean ? "true" : "false"));
          status.textContent = ms + " ms";
          return;
        }
        current = res; page = 0;
        status.textContent = fill(M.count, {n: res.results.bindings.length}) + " · " + ms + " ms";
        draw();
      } else {
        out.appendChild(el("pre", null, x.text));
        status.textContent = ms + " ms";
      }
    }).catch(function (err) {
      status.textContent = "failed: " + err;
    });
  }

  document.getElementById("kg-run").addEventListener("click", run);
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
  box.addEventListener("input", links);
  var first = data.queries.filter(function (q) { return !q.params.length; })[0];
  if (first) pick(first);
  document.body.setAttribute("data-ready", "1");
})();
