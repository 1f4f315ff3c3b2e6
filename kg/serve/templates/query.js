/* The query page: a plain textarea and fetch to /sparql on the same server; nothing else loads.
 * Every value from the store or the server is put into the page with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var box = document.getElementById("kg-sparql");
  var status = document.getElementById("kg-status");
  var note = document.getElementById("kg-note");
  var out = document.getElementById("kg-results");
  var csv = document.getElementById("kg-csv");
  var json = document.getElementById("kg-json");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function links() {
    var q = encodeURIComponent(box.value);
    csv.setAttribute("href", "/sparql?format=csv&query=" + q);
    json.setAttribute("href", "/sparql?format=json&query=" + q);
  }

  function pick(q) {
    box.value = q.text;
    note.textContent = q.params.length ? "This query takes parameters: replace " + q.params.join(", ") +
      " with values before running it (e.g. \"42/2022/nq-hdnd\")." : q.about;
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

  function table(res) {
    out.textContent = "";
    if (typeof res.boolean === "boolean") {
      out.appendChild(el("p", "kg-answer", res.boolean ? "true" : "false"));
      return 1;
    }
    var vars = res.head.vars, rows = res.results.bindings;
    var t = el("table", "kg-table"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", null, v)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      vars.forEach(function (v) {
        var cell = r[v];
        var td = el("td", cell ? "kg-" + cell.type : null, cell ? cell.value : "");
        if (cell && cell["xml:lang"]) td.appendChild(el("span", "kg-muted", " @" + cell["xml:lang"]));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    out.appendChild(t);
    return rows.length;
  }

  function run() {
    var t0 = performance.now();
    status.textContent = "running …";
    out.textContent = "";
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
        status.textContent = "HTTP " + x.r.status + " after " + ms + " ms";
        out.appendChild(el("pre", "kg-error", x.text));
        return;
      }
      var type = x.r.headers.get("Content-Type") || "";
      if (type.indexOf("json") >= 0) {
        var n = table(JSON.parse(x.text));
        status.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
      } else {
        out.appendChild(el("pre", null, x.text));
        status.textContent = "graph in " + ms + " ms";
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
