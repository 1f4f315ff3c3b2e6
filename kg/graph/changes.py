"""Alerts: what each build brought into the graph, and what rests on what it changed.

Every build that writes something records itself in the build log, a named graph of its own
(`LOG_GRAPH`) carried from snapshot to snapshot: its id, its time and the sources it added, updated
and removed. `changes(store, since)` takes the builds after `since` (a date, a build id, or none:
the last build), the acts the operative texts of their sources perform (the timeline's acts), and
for each the tasks and documents resting on the changed document, directly and transitively
(`kg impact`'s walk), with the agencies that lead or are assigned each task.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from kg.errors import NotFound
from kg.graph import literal, named_query
from kg.resolve.identity import BASE, ONTO

LOG_GRAPH = f"{BASE}/graph/builds"
LOG_SOURCE = "<builds>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")


@dataclass
class Build:
    id: str
    time: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def new_build_id(now: datetime | None = None, salt: str = "") -> tuple[str, str]:
    now = now or datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    # The time keeps microseconds: two builds in one second (a script, a test) must still sort in order.
    # the hash takes the microseconds too, so the id is the build's own even then.
    when = now.isoformat(timespec="microseconds")
    return f"{stamp}-{hashlib.sha1((when + salt).encode()).hexdigest()[:6]}", when


def old_log(store) -> bytes:
    """The log as the current graph has it (a fresh snapshot starts empty, so the build carries it)."""
    if store is None or not hasattr(store, "dump"):
        return b""
    try:
        import pyoxigraph as ox

        return store.dump(ox.RdfFormat.N_TRIPLES, graph=LOG_GRAPH)
    except Exception:  # noqa: BLE001 - no log yet (or a store without one): start a new one
        return b""


def log_ntriples(previous: bytes, build: Build) -> tuple[bytes, str]:
    """The previous log plus this build, as N-Triples, and its hash."""
    b = f"<{BASE}/build/{build.id}>"
    lines = [f"{b} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ONTO}Build> .",
             f"{b} <{ONTO}buildId> {literal(build.id)} .",
             f'{b} <http://purl.org/dc/terms/created> "{build.time}"^^<{_XSD}dateTime> .']
    for prop, names in (("addedSource", build.added), ("updatedSource", build.updated),
                        ("removedSource", build.removed)):
        lines += [f"{b} <{ONTO}{prop}> {literal(n)} ." for n in names]
    nt = previous + "".join(line + "\n" for line in lines).encode("utf-8")
    return nt, hashlib.sha256(nt).hexdigest()


def builds(store) -> list[Build]:
    out: dict[str, Build] = {}
    for r in store.query(named_query("builds")):
        b = out.setdefault(r["build"], Build(r["id"], str(r["time"])))
        if r.get("prop"):
            getattr(b, re.sub(r"Source$", "", r["prop"].rsplit("#", 1)[-1])).append(r["source"])
    return sorted(out.values(), key=lambda b: (b.time, b.id))


def since_builds(store, since: str | None) -> list[Build]:
    """The builds after `since`: a build id (exclusive), a date or time (from it on), or the last one."""
    every = builds(store)
    if not every:
        raise NotFound("the store has no build log yet (it is written by every `kg build` that changes something)")
    if since is None:
        return every[-1:]
    if _ID.fullmatch(since):
        ids = [b.id for b in every]
        if since not in ids:
            raise NotFound(f"no build {since!r} in the log; builds: {', '.join(ids[-5:])}")
        return every[ids.index(since) + 1:]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:]+(Z|[+-]\d\d:\d\d)?)?", since):
        raise NotFound(f"--since takes a date (2026-03-01), a time or a build id, not {since!r}")
    return [b for b in every if b.time >= since]


def changes(store, since: str | None = None) -> list[dict[str, Any]]:
    """One row per (act that reached the graph since then, what rests on the changed document)."""
    from kg.graph.query import _SameAs, describe, impact_nodes
    from kg.graph.timeline import timelines

    picked = since_builds(store, since)
    sources = {s: b for b in picked for s in (*b.added, *b.updated)}
    if not sources:
        return []
    from kg.graph import fill

    acts = store.query(fill(named_query("acts_in_sources"), literals={"SOURCES": sorted(sources)}))
    same = _SameAs(store)
    targets = sorted({same(r["target"]) for r in acts})
    lines = timelines(store, targets)
    out = []
    infos = describe(store, targets)
    walks = {node: impact_nodes(store, [node]) for node in targets}
    agencies = _agencies(store, sorted({r["node"] for rs in walks.values() for r in rs if r["kind"] == "task"}))
    for node in targets:
        info = infos.get(node, {})
        facts = [f for f in lines[node].acts if f.source in sources]
        resting = walks[node]
        for f in facts:
            mine = [r for r in resting if r["id"] != f.by and r.get("document") != f.by]  # not the actor itself
            base = {"build": sources[f.source].id, "act": f.act, "by": f.by, "target": info.get("id") or node,
                    "scope": "; ".join(f.scope), "effective": f.date, "quote": f.quote, "source": f.source,
                    "line": f.line, "target_node": node}
            if not mine:
                out.append({**base, "depth": None, "kind": None, "id": None, "label": None, "agency": None,
                            "document": None, "via": None})
            for r in mine:
                out.append({**base, "depth": r["depth"], "kind": r["kind"], "id": r["id"], "label": r["label"],
                            "document": r.get("document"), "via": r["via"], "node": r["node"],
                            "agency": "; ".join(agencies.get(r["node"], []))})
    return out


def _agencies(store, tasks: list[str]) -> dict[str, list[str]]:
    """task -> the agencies that lead it or are assigned it (its heading's too)."""
    from kg.graph import fill

    out: dict[str, list[str]] = {}
    for i in range(0, len(tasks), 200):
        for r in store.query(fill(named_query("task_leads"), {"NODES": tasks[i:i + 200]})):
            names = out.setdefault(r["task"], [])
            if r["name"] not in names:
                names.append(r["name"])
    return {k: sorted(v) for k, v in out.items()}


def summary(rows: list[dict[str, Any]]) -> list[str]:
    """One line per act: "158/2025/NĐ-CP bãi bỏ 115/2015/NĐ-CP; nhiệm vụ 2.1 (Sở …) dựa trên nó"."""
    from kg.graph.timeline import act_label

    acts: dict[tuple, list[dict]] = {}
    for r in rows:
        acts.setdefault((r["by"], r["act"], r["target"], r["scope"], r["effective"]), []).append(r)
    out = []
    for (by, act, target, scope, eff), rs in acts.items():
        tasks = [f"{r['id']}" + (f" ({r['agency']})" if r["agency"] else "") for r in rs if r["kind"] == "task"]
        docs = sorted({r["id"] for r in rs if r["kind"] == "document"})
        head = f"{by} {act_label(act)} {target}" + (f" ({scope})" if scope else "") + (f", từ {eff}" if eff else "")
        rest = ("; nhiệm vụ " + ", ".join(tasks) if tasks else "") + ("; văn bản " + ", ".join(docs) if docs else "")
        out.append(head + (rest + " dựa trên văn bản bị tác động" if rest else "; không có gì dựa trên nó"))
    return out
