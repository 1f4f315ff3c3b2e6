/* kg graph view.
 * Document text is hostile until proven otherwise: it reaches the page only through textContent,
 * setAttribute on inert attributes, or vis-network's canvas labels. Never innerHTML, never a URL. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = new Map();
  var alias = new Map();
  var edgeById = new Map();
  var incident = new Map();
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    incident.set(n.id, []);
    (n.aliases || []).forEach(function (a) { alias.set(a, n.id); });
  });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    incident.get(e.source).push(e);
    incident.get(e.target).push(e);
  });
  var relLabel = {};
  data.legend.relations.forEach(function (r) { relLabel[r.key] = r.label; });
  var kindLabel = {};
  data.legend.kinds.forEach(function (k) { kindLabel[k.key] = k.label; });

  // -- small DOM helpers: text only -----------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function fold(s) {
    if (!s) return "";
    return String(s).replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function nodeName(n) {  // a plan with a blank number ("/KH-KHCN") is better named by its title
    if (n.kind === "task") return n.label;  // its title is the heading of its section
    if (n.identifier && n.identifier.charAt(0) !== "/") return n.identifier;
    return n.title || n.label || n.identifier || n.id;
  }

  document.title = data.title;
  $("kg-title").textContent = data.title;

  // -- the network ----------------------------------------------------------------------------
  var nodes = new vis.DataSet(data.vis_nodes);
  var edges = new vis.DataSet(data.vis_edges);
  var container = $("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.once("afterDrawing", function () {
    window.kgReady = performance.now();  // first frame on screen: what the benchmark times
    document.body.setAttribute("data-ready", "1");
  });

  // -- state and filtering --------------------------------------------------------------------
  var present = data.legend.relations.filter(function (r) { return r.present; }).map(function (r) { return r.key; });
  function defaults() {  // a big graph opens on its skeleton (data.initial); the boxes bring the rest
    var init = data.initial;
    return {
      kinds: new Set(init ? data.kinds.filter(function (k) { return init.kinds.indexOf(k) >= 0; }) : data.kinds),
      relations: new Set(init ? present.filter(function (r) { return init.relations.indexOf(r) >= 0; }) : present),
      issuer: "", yearFrom: null, yearTo: null, undated: true, ego: null
    };
  }
  var state = defaults();
  var shownNodes = new Set(data.nodes.map(function (n) { return n.id; }));
  var shownEdges = new Set(data.edges.map(function (e) { return e.id; }));
  var selected = null;

  function isDoc(n) { return n.kind === "plan" || n.kind === "document"; }
  function passDocFilters(n) {
    if (state.issuer && n.issuer !== state.issuer) return false;
    if (state.yearFrom !== null || state.yearTo !== null) {
      if (!n.year) return state.undated;
      if (state.yearFrom !== null && n.year < state.yearFrom) return false;
      if (state.yearTo !== null && n.year > state.yearTo) return false;
    }
    return true;
  }
  function passNode(n) {
    if (!state.kinds.has(n.kind)) return false;
    if (isDoc(n)) return passDocFilters(n);
    if (n.kind === "task" && n.owner && byId.has(n.owner)) return passDocFilters(byId.get(n.owner));
    return true;
  }

  function compute() {
    var vn = new Set();
    data.nodes.forEach(function (n) { if (passNode(n)) vn.add(n.id); });
    var ve = data.edges.filter(function (e) {
      return state.relations.has(e.relation) && vn.has(e.source) && vn.has(e.target);
    });
    // tasks and agencies are shown through their links: without one they say nothing
    var touched = new Set();
    ve.forEach(function (e) { touched.add(e.source); touched.add(e.target); });
    vn.forEach(function (id) {
      var k = byId.get(id).kind;
      if ((k === "task" || k === "agency") && !touched.has(id)) vn.delete(id);
    });
    ve = ve.filter(function (e) {
      if (!vn.has(e.source) || !vn.has(e.target)) return false;
      // a plan's edge that stands for its tasks' citations: drawn while one of those tasks is not
      return !e.via || e.direct || e.via.some(function (t) { return !vn.has(t); });
    });
    if (state.ego) {
      var adj = new Map();
      ve.forEach(function (e) {
        if (!adj.has(e.source)) adj.set(e.source, []);
        if (!adj.has(e.target)) adj.set(e.target, []);
        adj.get(e.source).push(e.target);
        adj.get(e.target).push(e.source);
      });
      var seen = new Map();
      var queue = [];
      state.ego.ids.forEach(function (id) { seen.set(id, 0); queue.push(id); });
      for (var qi = 0; qi < queue.length; qi++) {
        var cur = queue[qi];
        var d = seen.get(cur);
        if (d >= state.ego.depth) continue;
        (adj.get(cur) || []).forEach(function (m) {
          if (!seen.has(m)) { seen.set(m, d + 1); queue.push(m); }
        });
      }
      vn = new Set(seen.keys());
      ve = ve.filter(function (e) { return vn.has(e.source) && vn.has(e.target); });
    }
    return { nodes: vn, edges: new Set(ve.map(function (e) { return e.id; })) };
  }

  function apply(fit) {
    var v = compute();
    var nu = [], eu = [];
    data.nodes.forEach(function (n) {
      var show = v.nodes.has(n.id);
      if (show !== shownNodes.has(n.id)) nu.push({ id: n.id, hidden: !show });
    });
    data.edges.forEach(function (e) {
      var show = v.edges.has(e.id);
      if (show !== shownEdges.has(e.id)) eu.push({ id: e.id, hidden: !show });
    });
    shownNodes = v.nodes;
    shownEdges = v.edges;
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    $("kg-stats").textContent = "showing " + shownNodes.size + " of " + data.nodes.length + " nodes, "
      + shownEdges.size + " of " + data.edges.length + " links";
    var st = $("kg-ego-status");
    if (state.ego) {
      st.textContent = "Around " + state.ego.ids.map(function (i) { return nodeName(byId.get(i)); }).join(", ")
        + ", depth " + state.ego.depth;
    } else {
      st.textContent = "";
    }
    $("kg-ego-off").disabled = !state.ego;
    if (fit && shownNodes.size) network.fit({ nodes: Array.from(shownNodes), animation: false });
  }

  // -- filter controls ------------------------------------------------------------------------
  function checkbox(parent, key, label, checked, onChange, swatch) {
    var lab = el("label", "kg-check");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.setAttribute("data-key", key);
    box.addEventListener("change", function () { onChange(box.checked); });
    lab.appendChild(box);
    if (swatch) lab.appendChild(swatch);
    lab.appendChild(document.createTextNode(" " + label));
    parent.appendChild(lab);
    return box;
  }
  function shapeSwatch(shape) { return el("span", "kg-shape kg-shape-" + shape); }
  function lineSwatch(r) {
    var s = el("span", "kg-line");
    s.style.borderTopColor = r.color;
    s.style.borderTopWidth = Math.max(1, Math.round(r.width)) + "px";
    s.style.borderTopStyle = r.dashed ? "dashed" : "solid";
    return s;
  }
  function colorSwatch(color, cls) {
    var s = el("span", cls || "kg-swatch");
    s.style.backgroundColor = color;
    return s;
  }

  var kindBoxes = {}, relBoxes = {};
  data.legend.kinds.forEach(function (k) {
    if (!k.present) return;
    kindBoxes[k.key] = checkbox($("kg-kinds"), k.key, k.label, state.kinds.has(k.key), function (on) {
      if (on) state.kinds.add(k.key); else state.kinds.delete(k.key);
      apply(false);
    }, shapeSwatch(k.shape));
  });
  data.legend.relations.forEach(function (r) {
    if (!r.present) return;
    relBoxes[r.key] = checkbox($("kg-relations"), r.key, r.label, state.relations.has(r.key), function (on) {
      if (on) state.relations.add(r.key); else state.relations.delete(r.key);
      apply(false);
    }, lineSwatch(r));
  });
  var issuerSel = $("kg-issuer");
  data.issuers.forEach(function (pair) {
    var o = el("option", null, pair[0] + " (" + pair[1] + ")");
    o.value = pair[0];
    issuerSel.appendChild(o);
  });
  issuerSel.addEventListener("change", function () { state.issuer = issuerSel.value; apply(false); });
  function yearInput(id, key) {
    var inp = $(id);
    if (data.years) inp.placeholder = String(key === "yearFrom" ? data.years[0] : data.years[1]);
    inp.addEventListener("input", function () {
      var v = parseInt(inp.value, 10);
      state[key] = isNaN(v) ? null : v;
      apply(false);
    });
    return inp;
  }
  var yFrom = yearInput("kg-year-from", "yearFrom");
  var yTo = yearInput("kg-year-to", "yearTo");
  var undated = $("kg-undated");
  undated.addEventListener("change", function () { state.undated = undated.checked; apply(false); });

  function resetFilters() {
    var ego = state.ego;
    state = defaults();
    state.ego = null;
    Object.keys(kindBoxes).forEach(function (k) { kindBoxes[k].checked = state.kinds.has(k); });
    Object.keys(relBoxes).forEach(function (k) { relBoxes[k].checked = state.relations.has(k); });
    issuerSel.value = "";
    yFrom.value = "";
    yTo.value = "";
    undated.checked = true;
    return ego;
  }
  $("kg-reset").addEventListener("click", function () { resetFilters(); apply(true); });

  // -- ego view -------------------------------------------------------------------------------
  var depthInput = $("kg-depth");
  depthInput.value = String(data.depth || 2);
  function depth() {
    var d = parseInt(depthInput.value, 10);
    return isNaN(d) || d < 1 ? 1 : Math.min(d, 8);
  }
  function egoView(ids, d) {
    state.ego = { ids: ids, depth: d };
    apply(true);
  }
  $("kg-ego-on").addEventListener("click", function () { if (selected) egoView([selected], depth()); });
  $("kg-ego-off").addEventListener("click", function () { state.ego = null; apply(true); });
  depthInput.addEventListener("change", function () {
    if (state.ego) { state.ego.depth = depth(); apply(true); }
  });

  // -- legend ---------------------------------------------------------------------------------
  (function buildLegend() {
    var body = $("kg-legend-body");
    function group(title, items, make) {
      if (!items.length) return;
      body.appendChild(el("h3", null, title));
      var ul = el("ul", "kg-legend-list");
      items.forEach(function (it) {
        var li = el("li");
        li.appendChild(make(it));
        li.appendChild(document.createTextNode(" " + it.label));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    group("Node kind (shape)", data.legend.kinds.filter(function (k) { return k.present; }),
      function (k) { return shapeSwatch(k.shape); });
    group("Document type (fill)", data.legend.types, function (t) { return colorSwatch(t.color); });
    group("Issuer level (border; agency fill)", data.legend.levels, function (l) {
      var s = colorSwatch("#ffffff", "kg-swatch kg-ring");
      s.style.borderColor = l.color;
      return s;
    });
    group("Link", data.legend.relations.filter(function (r) { return r.present; }), lineSwatch);
  })();

  // -- details of one node --------------------------------------------------------------------
  var FIELDS = [["kind", "Kind"], ["identifier", "Number/symbol"], ["title", "Title"], ["doc_type", "Type"],
    ["date", "Date"], ["issuer", "Issuer"], ["level", "Issuer level"], ["subject", "Subject"],
    ["source", "File"], ["text", "Text"], ["mentions", "Mentions"]];

  function fieldList(n, short) {
    var dl = el("dl", "kg-fields");
    FIELDS.forEach(function (f) {
      var v = n[f[0]];
      if (v === undefined || v === null || v === "" || (short && (f[0] === "text" || f[0] === "source"))) return;
      if (f[0] === "kind") v = kindLabel[v] || v;
      if (f[0] === "level" && n.kind === "agency") f = [f[0], "Level"];
      if (f[0] === "title" && n.kind === "task") f = [f[0], "Section"];
      if (f[0] === "subject" && n.kind === "task") f = [f[0], "Action"];
      dl.appendChild(el("dt", null, f[1]));
      var s = String(v);
      if (short && s.length > 220) s = s.slice(0, 219) + "…";
      dl.appendChild(el("dd", null, s));
    });
    return dl;
  }

  function quoteBlock(q) {
    var b = el("blockquote", "kg-quote");
    b.appendChild(el("span", null, q.text));
    b.appendChild(el("cite", null, q.source + (q.line ? ":" + q.line : "")));
    return b;
  }

  function relText(e, fromHere) {
    var r = relLabel[e.relation] || e.relation;
    if (e.role) r += ": " + e.role;
    if (e.effect) r += " (" + e.effect + ")";
    if (e.via && !e.direct) r += " (through its tasks)";
    return (fromHere ? "→ " : "← ") + r;
  }

  function showInfo(id) {
    var n = byId.get(id);
    var box = $("kg-info");
    box.textContent = "";
    if (!n) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el("h2", null, nodeName(n)));
    box.appendChild(fieldList(n, false));
    var links = incident.get(id) || [];
    if (links.length) {
      box.appendChild(el("h3", null, "Links (" + links.length + ")"));
      var ul = el("ul", "kg-links");
      links.slice(0, 200).forEach(function (e) {
        var other = byId.get(e.source === id ? e.target : e.source);
        var li = el("li");
        li.appendChild(el("span", "kg-rel kg-rel-" + e.relation, relText(e, e.source === id)));
        var b = el("button", "kg-linkbtn", nodeName(other));
        b.type = "button";
        b.addEventListener("click", function () { focusNode(other.id); });
        li.appendChild(b);
        if (e.pinpoints && e.pinpoints.length) li.appendChild(el("span", "kg-muted", " " + e.pinpoints.join("; ")));
        (e.quotes || []).forEach(function (q) { li.appendChild(quoteBlock(q)); });
        if (e.count > (e.quotes || []).length && e.quotes && e.quotes.length) {
          li.appendChild(el("p", "kg-muted", e.count + " mentions, " + e.quotes.length + " shown"));
        }
        ul.appendChild(li);
      });
      if (links.length > 200) ul.appendChild(el("li", "kg-muted", (links.length - 200) + " more"));
      box.appendChild(ul);
    }
  }

  // -- selecting and focusing -----------------------------------------------------------------
  function resolveId(id) {
    if (byId.has(id)) return id;
    if (alias.has(id)) return alias.get(id);
    return null;
  }
  function reveal(id) {
    // shown on request: clear the filters, then let in its kind, then every relation if need be
    resetFilters();
    var k = byId.get(id).kind;
    state.kinds.add(k);
    if (kindBoxes[k]) kindBoxes[k].checked = true;
    apply(false);
    if (!shownNodes.has(id)) {
      present.forEach(function (r) { state.relations.add(r); if (relBoxes[r]) relBoxes[r].checked = true; });
      apply(false);
    }
  }
  function select(id) {
    selected = id;
    $("kg-ego-on").disabled = !id;
    showInfo(id);
  }
  function focusNode(raw) {
    var id = resolveId(raw);
    if (!id) return false;
    if (!shownNodes.has(id)) reveal(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: false });
    select(id);
    try { history.replaceState(null, "", "#node=" + encodeURIComponent(id)); } catch (err) { /* file: */ }
    return true;
  }
  var hrefs = {};  // the overview's groups and plans: a click opens their neighbourhood (same server)
  data.nodes.forEach(function (n) { if (n.href && /^graph\?[\w=&%.~+-]*$/.test(n.href)) hrefs[n.id] = n.href; });
  network.on("click", function (p) {
    if (p.nodes && p.nodes.length && hrefs[p.nodes[0]]) { location.href = hrefs[p.nodes[0]]; return; }
    if (p.nodes && p.nodes.length) select(p.nodes[0]);
  });
  network.on("doubleClick", function (p) {
    if (p.nodes && p.nodes.length) egoView([p.nodes[0]], depth());
  });

  // -- search ---------------------------------------------------------------------------------
  var hay = new Map();
  data.nodes.forEach(function (n) {
    var text = fold([n.identifier, n.label, n.title, n.subject, n.issuer].filter(Boolean).join(" "));
    hay.set(n.id, { ident: fold(n.identifier).replace(/ /g, ""), text: text, tight: text.replace(/ /g, "") });
  });
  var KIND_RANK = { plan: 0, document: 1, agency: 2, task: 3 };
  function search(q) {
    var f = fold(q), tight = f.replace(/ /g, ""), words = f.split(" ").filter(Boolean);
    if (!tight) return [];
    var hits = [];
    data.nodes.forEach(function (n) {
      var h = hay.get(n.id), score;
      if (h.ident && h.ident === tight) score = 0;
      else if (h.ident && h.ident.indexOf(tight) === 0) score = 1;
      else if (h.ident && h.ident.indexOf(tight) >= 0) score = 2;
      else if (words.every(function (w) { return h.text.indexOf(w) >= 0; })) score = 3;
      else if (h.tight.indexOf(tight) >= 0) score = 4;
      else return;
      hits.push([score, KIND_RANK[n.kind] || 0, nodeName(n), n.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits.map(function (h) { return h[3]; });
  }
  var input = $("kg-search"), results = $("kg-results"), lastHits = [];
  function showResults() {
    lastHits = search(input.value);
    results.textContent = "";
    lastHits.slice(0, 30).forEach(function (id) {
      var n = byId.get(id);
      var li = el("li");
      var b = el("button", "kg-result", nodeName(n));
      b.type = "button";
      b.setAttribute("data-id", id);
      b.addEventListener("click", function () { focusNode(id); });
      li.appendChild(b);
      li.appendChild(el("span", "kg-muted", " " + (kindLabel[n.kind] || n.kind) + (shownNodes.has(id) ? "" : " (hidden)")));
      results.appendChild(li);
    });
    if (input.value && !lastHits.length) results.appendChild(el("li", "kg-muted", "no match"));
    if (lastHits.length > 30) results.appendChild(el("li", "kg-muted", (lastHits.length - 30) + " more"));
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      showResults();
      if (lastHits.length) focusNode(lastHits[0]);
      ev.preventDefault();
    }
  });

  // -- tooltips -------------------------------------------------------------------------------
  var tip = $("kg-tip");
  function placeTip(p) {
    var r = container.getBoundingClientRect();
    var x = r.left + p.pointer.DOM.x + 14, y = r.top + p.pointer.DOM.y + 14;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, x - w - 28);
    if (y + h > window.innerHeight - 8) y = Math.max(8, y - h - 28);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  network.on("hoverNode", function (p) {
    var n = byId.get(p.node);
    if (!n) return;
    tip.textContent = "";
    tip.appendChild(el("strong", null, nodeName(n)));
    tip.appendChild(fieldList(n, true));
    var quotes = (incident.get(n.id) || []).filter(function (e) { return e.quotes && e.quotes.length; });
    quotes.slice(0, 3).forEach(function (e) {
      tip.appendChild(el("div", "kg-rel kg-rel-" + e.relation, relText(e, e.source === n.id) + " "
        + nodeName(byId.get(e.source === n.id ? e.target : e.source))));
      tip.appendChild(quoteBlock(e.quotes[0]));
    });
    if (quotes.length > 3) tip.appendChild(el("p", "kg-muted", (quotes.length - 3) + " more links: click the node"));
    placeTip(p);
  });
  network.on("hoverEdge", function (p) {
    var e = edgeById.get(p.edge);
    if (!e) return;
    tip.textContent = "";
    tip.appendChild(el("strong", null, nodeName(byId.get(e.source)) + " " + relText(e, true).slice(2) + " "
      + nodeName(byId.get(e.target))));
    if (e.pinpoints && e.pinpoints.length) tip.appendChild(el("div", "kg-muted", e.pinpoints.join("; ")));
    (e.quotes || []).slice(0, 2).forEach(function (q) { tip.appendChild(quoteBlock(q)); });
    placeTip(p);
  });
  function hideTip() { tip.hidden = true; }
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // -- start ----------------------------------------------------------------------------------
  function fromHash() {
    var m = /^#node=(.*)$/.exec(location.hash);
    if (!m) return false;
    var id;
    try { id = decodeURIComponent(m[1]); } catch (err) { return false; }
    return focusNode(id);
  }
  window.addEventListener("hashchange", fromHash);

  var focus = (data.focus || []).map(resolveId).filter(Boolean);
  if (focus.length) {
    state.ego = { ids: focus, depth: data.depth || 2 };
    apply(true);
    select(focus[0]);
    network.selectNodes(focus);
  } else {
    apply(false);
  }
  fromHash();

  // what the browser tests read: the state of the view, not its pixels
  window.kgView = {
    network: network,
    shownNodes: function () { return Array.from(shownNodes); },
    shownEdges: function () { return Array.from(shownEdges); },
    selected: function () { return selected; },
    focus: focusNode,
    egoView: egoView,
    search: search,
    state: function () { return state; }
  };
})();
