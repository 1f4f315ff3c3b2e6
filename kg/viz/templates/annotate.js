/* kg annotated text: the document as written, built node by node with textContent.
 * Links go only to the graph page given at render time (a relative path checked in Python). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var REL = { based_on: "căn cứ (based on)", cites: "trích dẫn (cites)", nested: "nested (in the subject of)" };
  var SAFE_HREF = !/^\s*[a-z][a-z0-9+.\-]*:/i.test(data.graph) && data.graph.indexOf("//") !== 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function graphLink(a, node) {
    if (SAFE_HREF && node) a.setAttribute("href", data.graph + "#node=" + encodeURIComponent(node));
  }

  document.title = data.title + " — annotated";
  $("kg-title").textContent = data.title;
  var h = data.header;
  var meta = [h.doc_type, h.identifier, h.date, h.issuer].filter(Boolean).join(" · ");
  $("kg-meta").textContent = meta + (meta ? " · " : "") + data.source
    + (data.text_kind !== "text" ? " (" + data.text_kind + ")" : "");
  if (data.plan_node) {
    var toGraph = el("a", null, " open in graph");
    graphLink(toGraph, data.plan_node);
    $("kg-meta").appendChild(toGraph);
  }

  var keys = $("kg-keys");
  ["based_on", "cites", "nested"].forEach(function (r) {
    var k = el("span", "k kg-cite kg-cite-" + r, REL[r] + ": " + (data.counts[r] || 0));
    keys.appendChild(k);
  });
  var tk = el("span", "k kg-task-key", "task: " + data.tasks.length);
  keys.appendChild(tk);
  var findings = data.findings || [];
  if (findings.length) {
    keys.appendChild(el("span", "k kg-finding kg-finding-error", "kg check: " + findings.length));
  }

  // -- the text ---------------------------------------------------------------------------------
  // Lines: an anchor #L<n> where each line of the source starts (the line numbers of the graph's
  // quotes), and runs of blank lines in a small block (converted files are double-spaced). The
  // text itself is kept whole: the page's textContent is the document's text.
  var line = 1, started = false, any = false, buf = [], ws = "", anchors = [1];
  function flush(parent) {
    var raw = buf.join("");
    buf = [];
    var first = any && raw.charAt(0) === "\n" ? "\n" : "";
    if (first) parent.appendChild(document.createTextNode(first));
    if (raw.length > first.length) parent.appendChild(el("span", "kg-gap", raw.slice(first.length)));
    anchors.forEach(function (n) { var a = el("span", "kg-ln"); a.id = "L" + n; parent.appendChild(a); });
    anchors = [];
    if (ws) parent.appendChild(document.createTextNode(ws));
    ws = "";
  }
  function text(parent, s) {
    s.split("\n").forEach(function (p, i) {
      if (i > 0) {
        line += 1;
        anchors.push(line);
        if (!started) buf.push(ws);
        buf.push("\n");
        ws = "";
        started = false;
      }
      if (!p) return;
      if (!started) {
        if (!p.trim()) { ws += p; return; }
        flush(parent);
        started = any = true;
      }
      parent.appendChild(document.createTextNode(p));
    });
  }
  function build(parent, items) {
    items.forEach(function (it) {
      if (typeof it === "string") {
        text(parent, it);
      } else if (it.c !== undefined) {
        var c = data.citations[it.c];
        var a = el("a", "kg-cite kg-cite-" + c.relation);
        a.setAttribute("data-i", String(it.c));
        graphLink(a, c.node);
        build(a, it.k);
        parent.appendChild(a);
      } else if (it.f !== undefined) {
        var f = findings[it.f];
        var m = el("mark", "kg-finding kg-finding-" + (f.severity === "error" || f.severity === "warning" ? f.severity : "info"));
        m.setAttribute("data-f", String(it.f));
        m.tabIndex = 0;
        build(m, it.k);
        parent.appendChild(m);
      } else {
        var t = data.tasks[it.t];
        var s = el("span", "kg-task");
        s.setAttribute("data-task", t.id);
        var badge = el("a", "kg-task-label", t.label);
        graphLink(badge, t.node);
        s.appendChild(badge);
        build(s, it.k);
        parent.appendChild(s);
      }
    });
  }
  build($("kg-doc"), data.tree);
  flush($("kg-doc"));
  if (/^#L\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1))) {
    document.getElementById(location.hash.slice(1)).scrollIntoView({block: "center"});
  }

  // -- fields on hover --------------------------------------------------------------------------
  var FIELDS = [["relation", "Relation"], ["identifier", "Number/symbol"], ["title", "Title"], ["doc_type", "Type"],
    ["date", "Date"], ["issuer", "Issuer"], ["subject", "Subject"], ["pinpoints", "Pinpoints"],
    ["effect", "Effect"], ["cited_by", "In the subject of"], ["kind", "Form"], ["line", "Line"]];
  var tip = $("kg-tip");
  // The findings that concern an element: those marked inside it, and the one it stands in.
  function findingsOf(a, inner) {
    var seen = {};
    var out = [];
    var marks = Array.prototype.slice.call(a.querySelectorAll(".kg-finding"));
    if (inner) marks.push(inner);
    marks.forEach(function (m) {
      var i = m.getAttribute("data-f");
      if (i !== null && !seen[i] && findings[+i]) { seen[i] = true; out.push(findings[+i]); }
    });
    return out;
  }
  function show(a, inner) {
    var c = a.classList.contains("kg-cite") ? data.citations[parseInt(a.getAttribute("data-i"), 10)] : null;
    var fs = findingsOf(a, inner);
    if (!c && !fs.length) return;
    tip.textContent = "";
    if (c) {
      var dl = el("dl", "kg-fields");
      FIELDS.forEach(function (f) {
        var v = c[f[0]];
        if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return;
        if (f[0] === "relation") v = REL[v] || v;
        if (Array.isArray(v)) v = v.join("; ");
        dl.appendChild(el("dt", null, f[1]));
        dl.appendChild(el("dd", null, v));
      });
      tip.appendChild(dl);
    }
    fs.forEach(function (f) {
      var p = el("p", "kg-finding-msg kg-finding-" + f.severity);
      p.appendChild(el("strong", null, f.severity + " " + f.rule + ": "));
      p.appendChild(document.createTextNode(f.message));
      if (f.reference) p.appendChild(el("span", "kg-muted", " (" + f.reference + ")"));
      tip.appendChild(p);
    });
    tip.hidden = false;
    var r = a.getBoundingClientRect();
    var column = $("kg-doc").getBoundingClientRect();
    var x, y;
    if (window.innerWidth - column.right >= 280) {  // beside the text, so it never hides a line
      x = column.right + 12;
      tip.style.maxWidth = Math.min(440, window.innerWidth - x - 12) + "px";
      y = Math.min(r.top, window.innerHeight - tip.offsetHeight - 8);
    } else {
      tip.style.maxWidth = "";
      x = Math.min(r.left, window.innerWidth - tip.offsetWidth - 8);
      y = r.bottom + 6;
      if (y + tip.offsetHeight > window.innerHeight - 8) y = r.top - tip.offsetHeight - 6;
    }
    tip.style.left = Math.max(8, x) + window.scrollX + "px";  // absolute: it scrolls with the text
    tip.style.top = Math.max(8, y) + window.scrollY + "px";
  }
  function hide() { tip.hidden = true; }
  var doc = $("kg-doc");
  function hovered(ev) {
    if (!ev.target.closest) return;
    var inner = ev.target.closest(".kg-finding");
    var a = ev.target.closest(".kg-cite") || inner;
    if (a && doc.contains(a)) show(a, inner && doc.contains(inner) ? inner : null); else hide();
  }
  doc.addEventListener("mouseover", hovered);
  doc.addEventListener("focusin", hovered);
  doc.addEventListener("mouseleave", hide);

  window.kgReady = performance.now();
  document.body.setAttribute("data-ready", "1");
})();
