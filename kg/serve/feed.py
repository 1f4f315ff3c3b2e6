"""`/changes.atom`: the alerts of `kg changes` as an Atom 1.0 feed an officer subscribes to.

One entry per act that reached the graph (every build in the log), newest build first: the act,
the changed document, its operative sentence, and the tasks and documents resting on it with the
tasks' agencies. `?agency=` keeps the acts under which some task of that agency rests (words of
its name, diacritics optional); `?document=` keeps the acts by or on that document, or under
which a document of that number rests. The rows come from kg.graph.changes, the same as the CLI's.
"""

from __future__ import annotations

import hashlib
from typing import Any
from xml.etree import ElementTree as ET

from kg.graph.timeline import act_label
from kg.ingest.normalize import fold_key, strip_accents

ATOM = "http://www.w3.org/2005/Atom"


def _plain(s: str | None) -> str:
    return strip_accents(fold_key(s or "")).replace("đ", "d")


def entries(rows: list[dict[str, Any]], agency: str | None = None, document: str | None = None) -> list[dict]:
    """Rows of kg.graph.changes.changes grouped per act, filtered; what the feed and a page show."""
    acts: dict[tuple, dict] = {}
    for r in rows:
        key = (r["build"], r["by"], r["act"], r["target"], r["scope"], r["line"])
        e = acts.setdefault(key, {**{k: r[k] for k in ("build", "by", "act", "target", "scope", "effective", "quote",
                                                       "source", "line")}, "resting": []})
        if r.get("id"):
            e["resting"].append({k: r.get(k) for k in ("kind", "id", "document", "agency", "depth")})
    out = list(acts.values())
    if agency:
        words = _plain(agency).split()
        out = [e for e in out if any(all(w in _plain(x["agency"]) for w in words) for x in e["resting"] if x["agency"])]
    if document:
        d = _plain(document)
        out = [e for e in out if d in (_plain(e["by"]), _plain(e["target"]))
               or any(d in (_plain(x["id"]), _plain(x["document"])) for x in e["resting"])]
    return sorted(out, key=lambda e: (e["build"], e["by"] or "", e["target"] or ""), reverse=True)


def _title(e: dict) -> str:
    scope = f" ({e['scope']})" if e["scope"] else ""
    return f"{e['by']} {act_label(e['act'])} {e['target']}{scope}"


def _summary(e: dict) -> str:
    tasks = [f"{x['id']}" + (f" của {x['document']}" if x["document"] else "") + (f" ({x['agency']})" if x["agency"] else "")
             for x in e["resting"] if x["kind"] == "task"]
    docs = sorted({x["id"] for x in e["resting"] if x["kind"] == "document"})
    lines = [f"Có hiệu lực từ {e['effective']}." if e["effective"] else "Không rõ ngày có hiệu lực.",
             f"“{e['quote']}” ({e['source']}, dòng {e['line']})"]
    if tasks:
        lines.append("Nhiệm vụ dựa trên văn bản bị tác động: " + "; ".join(tasks))
    if docs:
        lines.append("Văn bản dựa trên văn bản bị tác động: " + "; ".join(docs))
    return "\n".join(lines)


def atom(rows: list[dict[str, Any]], builds: list, agency: str | None = None, document: str | None = None,
         self_url: str = "/changes.atom") -> bytes:
    """The feed: valid Atom 1.0 (id, title, updated on the feed and each entry)."""
    ET.register_namespace("", ATOM)
    times = {b.id: b.time for b in builds}
    feed = ET.Element(f"{{{ATOM}}}feed")
    chosen = entries(rows, agency, document)
    last = max(times.values(), default="1970-01-01T00:00:00+00:00")
    for tag, text in (("id", "urn:kg:changes:" + hashlib.sha1(self_url.encode()).hexdigest()[:16]),
                      ("title", "Văn bản thay đổi dưới các nhiệm vụ (kg changes)"), ("updated", last)):
        ET.SubElement(feed, f"{{{ATOM}}}{tag}").text = text
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "kg"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    for e in chosen:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ident = hashlib.sha1("|".join(str(e[k]) for k in ("build", "by", "act", "target", "scope", "line"))
                             .encode()).hexdigest()
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:kg:act:{ident}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _title(e)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = times.get(e["build"], last)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = _summary(e)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=e["act"], label=act_label(e["act"]))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def changes_atom(store_dir, params: dict[str, list[str]]) -> bytes:
    """What the server's route answers: every build in the log, filtered by ?agency= / ?document=."""
    from kg.graph import changes
    from kg.graph.store import Store

    store = Store.open_read(store_dir)
    try:
        every = changes.builds(store)
        rows = changes.changes(store, "1970-01-01") if every else []
        return atom(rows, every, (params.get("agency") or [None])[0], (params.get("document") or [None])[0])
    finally:
        store.close()
