/* The search box: as the user types, /search.json on this server gives documents, tasks and
 * agencies (the same resolver as `kg cites`); each is a link to its page. textContent only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var input = document.getElementById("kg-q"), list = document.getElementById("kg-suggest");
  var timer = null, asked = "";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function show(res) {
    list.textContent = "";
    if (!res.matches.length) { list.appendChild(el("li", "kg-muted", res.reason)); return; }
    res.matches.forEach(function (m) {
      var li = el("li", "kg-hit kg-hit-" + m.kind);
      li.appendChild(el("span", "kg-kind", data.kinds[m.kind] + " "));
      var a = el("a", null, m.label);
      a.setAttribute("href", m.href);
      li.appendChild(a);
      if (m.detail) li.appendChild(el("span", "kg-muted", " " + m.detail));
      list.appendChild(li);
    });
    if (res.total > res.matches.length) list.appendChild(el("li", "kg-muted", res.more));
  }
  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (q.length < 2) { list.textContent = ""; return; }
    fetch("/search.json?limit=12&lang=" + data.lang + "&q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (res) { if (input.value.trim() === q) { show(res); document.body.setAttribute("data-suggested", q); } })
      .catch(function () {});
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
  document.body.setAttribute("data-ready", "1");
})();
