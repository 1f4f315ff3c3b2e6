"""Graph -> one self-contained HTML page that works offline and treats every document string as data.

Why not pyvis's own template: measured in pyvis 0.3.2, it pulls Bootstrap from a CDN in every mode
(and vis-network in "local"/"remote"), inserts ``heading`` raw, and switches to an innerHTML popup
as soon as a node title contains "href". So pyvis builds the nodes and edges
(``cdn_resources="in_line"``) and our template draws the page: vis-network inlined from the copy
inside the pyvis package, the data in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, every string put into the DOM through ``textContent``, and a
Content-Security-Policy that allows no request and only our own scripts (by hash).

Positions are computed here, not by physics in the browser: measured, 2,000 nodes take minutes to
settle in headless Chromium and 10,000 never do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from kg.viz.model import KINDS, Graph

TEMPLATES = Path(__file__).parent / "templates"

KIND_STYLE = {  # shape, size, label
    "plan": ("diamond", 26, "Plan / citing document"),
    "document": ("dot", 12, "Cited document"),
    "task": ("square", 9, "Task"),
    "agency": ("triangle", 12, "Agency"),
}
TYPE_STYLE = {
    "law": ("#d62728", "Hiến pháp, Luật, Pháp lệnh"),
    "decree": ("#ff7f0e", "Nghị định"),
    "resolution": ("#9467bd", "Nghị quyết"),
    "decision": ("#1f77b4", "Quyết định"),
    "circular": ("#2ca02c", "Thông tư"),
    "directive": ("#8c564b", "Chỉ thị"),
    "plan": ("#e377c2", "Kế hoạch, Chương trình, Đề án"),
    "other": ("#9a9a9a", "Other / unknown type"),
}
LEVEL_STYLE = {  # border of documents, fill of agencies
    "central": ("#111111", "Central"),
    "party": ("#c00000", "Party"),
    "province": ("#0b8f6a", "Province"),
    "district": ("#d4a600", "District"),
    "commune": ("#7f7f7f", "Commune"),
    "unit": ("#7f7f7f", "Unit"),
    None: ("#ffffff", "Issuer unknown"),
}
REL_STYLE = {  # colour, width, dashes, label
    "based_on": ("#1f4e9c", 2.6, False, "căn cứ (based on)"),
    "cites": ("#6f6f6f", 1.4, False, "trích dẫn (cites)"),
    "nested": ("#d08000", 1.6, [6, 4], "nested (in the subject of)"),
    "part": ("#17becf", 1.2, False, "task of"),
    "issued": ("#c4c4c4", 0.8, [2, 4], "issued by"),
    "role": ("#3a9d5d", 1.2, [8, 3], "agency role"),
}
TASK_COLOR = "#17becf"
KK_MAX = 200  # components up to this size get a Kamada-Kawai layout (slow beyond)
SMALL = 300  # up to this many nodes: laid out and shown whole, curved edges
CORE_KINDS = {"plan", "document"}
CORE_RELATIONS = {"based_on", "cites", "nested"}


# -- layout ---------------------------------------------------------------------------------------

def _fr(n: int, edges: np.ndarray, pos: np.ndarray, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold, vectorised and chunked so that memory stays flat on big graphs."""
    k = 1.0 / math.sqrt(n)
    t = 0.1 * max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-3)
    dt = t / (iterations + 1)
    chunk = max(1, 2_000_000 // n)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0], pos[:, 1]
        for i in range(0, n, chunk):
            dx = x[i:i + chunk, None] - x[None, :]
            dy = y[i:i + chunk, None] - y[None, :]
            w = dx * dx
            w += dy * dy
            np.maximum(w, 1e-4, out=w)
            np.divide(k * k, w, out=w)
            disp[i:i + chunk, 0] = (dx * w).sum(1)
            disp[i:i + chunk, 1] = (dy * w).sum(1)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            f = d * (np.sqrt((d ** 2).sum(-1)) / k)[:, None]
            np.add.at(disp, edges[:, 0], -f)
            np.add.at(disp, edges[:, 1], f)
        length = np.maximum(np.sqrt((disp ** 2).sum(-1)), 1e-9)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    return pos


def _component_layout(ids: list[str], edges: list[tuple[int, int]]) -> np.ndarray:
    n = len(ids)
    if n == 1:
        return np.zeros((1, 2))
    if n <= KK_MAX:  # stress layout: even spacing around hubs, the seed reads at a glance
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        for a, b in g.edges:  # longer spokes around hubs, so their leaves get room on the ring
            g.edges[a, b]["len"] = max(1.0, 0.45 * math.sqrt(max(g.degree[a], g.degree[b])))
        p = nx.kamada_kawai_layout(g, weight="len", pos=nx.circular_layout(g))
        return _spread(np.array([p[i] for i in range(n)], dtype=float))
    rng = np.random.default_rng(7)
    e = np.array(edges, dtype=int).reshape(-1, 2)
    pos = _spectral(n, e, rng.random((n, 2)))
    budget = 5e7 / (n * n)  # pair interactions: keeps the whole real corpus near a second
    return _fr(n, e, pos, int(min(150, max(8, budget))))


def _spread(pos: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push apart nodes closer than a fraction of the typical edge, so labels do not pile up."""
    n = len(pos)
    span = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-9)
    want = span / (1.2 * math.sqrt(n))
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1)) + np.eye(n) * want * 10
        short = np.clip(want - dist, 0, None)
        if not short.any():
            break
        push = (delta / np.maximum(dist, 1e-9)[..., None] * (short / 2)[..., None]).sum(1)
        pos = pos + push * 0.5
    return pos


def _spectral(n: int, e: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """A start that already separates the clusters, so few force iterations are needed."""
    try:
        from scipy.sparse import coo_matrix, diags
        from scipy.sparse.linalg import eigsh

        a = coo_matrix((np.ones(len(e) * 2), (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])), shape=(n, n)).tocsr()
        a.data[:] = 1.0
        lap = diags(np.asarray(a.sum(1)).ravel()) - a
        _, vec = eigsh(lap, k=3, sigma=-1e-3, which="LM", v0=np.full(n, 1.0 / n))
        pos = vec[:, 1:3]
        span = np.ptp(pos, axis=0)
        if not np.all(span > 1e-9):
            return fallback
        pos = (pos - pos.min(0)) / span
        return pos + fallback * 0.02  # break ties between twins (same neighbours)
    except Exception:  # noqa: BLE001 - a failed eigen-solve only costs layout quality
        return fallback


def _declutter(pos: np.ndarray, w: np.ndarray, h: np.ndarray, rounds: int = 300) -> np.ndarray:
    """Move apart the nodes whose label boxes (w x h pixels around each position) overlap, each
    pair along the axis where they overlap least, until none does: measured on the seed, labels
    lay on each other wherever the stress layout put two nodes closer than their labels are wide."""
    pos = pos.copy()
    n = len(pos)
    if n < 2:
        return pos
    half_w = (w[:, None] + w[None, :]) / 2
    half_h = (h[:, None] + h[None, :]) / 2
    eye = np.eye(n, dtype=bool)
    for _ in range(rounds):
        dx = pos[:, None, 0] - pos[None, :, 0]
        dy = pos[:, None, 1] - pos[None, :, 1]
        ox = half_w - np.abs(dx)
        oy = half_h - np.abs(dy)
        hit = (ox > 0) & (oy > 0) & ~eye
        if not hit.any():
            break
        along_x = hit & (ox / half_w <= oy / half_h)
        along_y = hit & ~along_x
        sx = np.where(dx >= 0, 1.0, -1.0)
        sy = np.where(dy >= 0, 1.0, -1.0)
        pos[:, 0] += (np.where(along_x, sx * (ox / 2 + 0.5), 0)).sum(1) * 0.5
        pos[:, 1] += (np.where(along_y, sy * (oy / 2 + 0.5), 0)).sum(1) * 0.5
    return pos


def label_box(label: str | None, size: float, font: float) -> tuple[float, float]:
    """The pixels a node and its label take (vis-network draws the label under the shape)."""
    return max(2 * size, 0.62 * font * len(label or "") + 10), 2 * size + font + 10


def _packed(ids: list[str], links: Iterable[tuple[str, str]], top: float = 0.0,
            boxes: dict[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Each connected component laid out alone, components packed in rows from y = top; with
    `boxes` (label sizes), a component's labels are moved apart until none overlaps."""
    index = {k: i for i, k in enumerate(ids)}
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = []
    for s, t in links:
        a, b = index[s], index[t]
        pairs.append((a, b))
        parent[root(a)] = root(b)
    comps: dict[int, list[int]] = {}
    for i in range(len(ids)):
        comps.setdefault(root(i), []).append(i)
    by_comp: dict[int, list[tuple[int, int]]] = {r: [] for r in comps}
    for a, b in pairs:
        by_comp[root(a)].append((a, b))

    placed: list[tuple[list[int], np.ndarray, float]] = []
    for r, members in sorted(comps.items(), key=lambda kv: -len(kv[1])):
        local = {m: j for j, m in enumerate(members)}
        pos = _component_layout([ids[m] for m in members], [(local[a], local[b]) for a, b in by_comp[r]])
        pos -= pos.mean(0)
        radius = float(np.sqrt((pos ** 2).sum(-1)).max()) or 1.0
        size = 150.0 * math.sqrt(len(members)) + 60  # pixels across for this component
        pos = pos * (size / 2 / radius)
        if boxes is not None and len(members) <= SMALL:
            wh = np.array([boxes[ids[m]] for m in members], dtype=float)
            pos = _declutter(pos, wh[:, 0], wh[:, 1])
            pos -= (pos.min(0) + pos.max(0)) / 2
            size = max(size, float(np.ptp(pos[:, 0]) + wh[:, 0].max()), float(np.ptp(pos[:, 1]) + wh[:, 1].max()))
        placed.append((members, pos, size))

    out: dict[str, tuple[float, float]] = {}
    width = max(placed[0][2], 1.5 * math.sqrt(sum(p[2] ** 2 for p in placed))) if placed else 0
    x, y, row_h = 0.0, top, 0.0
    for members, pos, size in placed:
        if x > 0 and x + size > width:
            x, y, row_h = 0.0, y + row_h + 60, 0.0
        for m, (px, py) in zip(members, pos):
            out[ids[m]] = (round(float(px + x + size / 2), 1), round(float(py + y + size / 2), 1))
        x += size + 60
        row_h = max(row_h, size)
    return out


def positions(g: Graph) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node.

    A small graph is laid out whole. A big one opens on its skeleton (documents and the citations
    between them, see `initial_view`), so the skeleton is laid out alone and well; tasks and
    agencies are then set around the nodes they link to, in a sunflower spiral per anchor.
    """
    if len(g.nodes) <= SMALL:
        boxes = {k: label_box(n.label, _size(n), 16) for k, n in g.nodes.items()}
        return _packed(list(g.nodes), ((e.source, e.target) for e in g.edges.values()), boxes=boxes)
    core = [k for k, n in g.nodes.items() if n.kind in CORE_KINDS]
    core_set = set(core)
    pos = _packed(core, ((e.source, e.target) for e in g.edges.values()
                         if e.relation in CORE_RELATIONS and e.source in core_set and e.target in core_set))
    adj: dict[str, list[str]] = {k: [] for k in g.nodes}
    for e in g.edges.values():
        adj[e.source].append(e.target)
        adj[e.target].append(e.source)
    frontier = [k for k in g.nodes if k not in pos and any(m in pos for m in adj[k])]
    crowd: Counter = Counter()
    while frontier:
        placed = {}
        for k in frontier:
            anchors = [m for m in adj[k] if m in pos]
            cx = sum(pos[m][0] for m in anchors) / len(anchors)
            cy = sum(pos[m][1] for m in anchors) / len(anchors)
            key = anchors[0]
            i = crowd[key] = crowd[key] + 1
            r, a = 45.0 * math.sqrt(i), i * 2.39996  # golden angle: an even disc around the anchor
            placed[k] = (round(cx + r * math.cos(a), 1), round(cy + r * math.sin(a), 1))
        pos.update(placed)
        frontier = sorted({m for k in placed for m in adj[k] if m not in pos})
    rest = [k for k in g.nodes if k not in pos]
    if rest:
        bottom = max((p[1] for p in pos.values()), default=0.0) + 200
        rest_set = set(rest)
        pos.update(_packed(rest, ((e.source, e.target) for e in g.edges.values()
                                  if e.source in rest_set and e.target in rest_set), top=bottom))
    return pos


def initial_view(g: Graph) -> dict[str, list[str]] | None:
    """What a big graph opens on: documents and the citations between them (measured: a corpus
    with every task and agency drawn is a hairball). The filters bring the rest in."""
    if len(g.nodes) <= SMALL:
        return None
    return {"kinds": [k for k in KINDS if k in CORE_KINDS], "relations": sorted(CORE_RELATIONS)}


# -- pyvis network --------------------------------------------------------------------------------

class _Ids(list):
    """pyvis tests membership in a list for every node and edge added: quadratic on a corpus."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set = set()

    def append(self, x) -> None:  # type: ignore[override]
        super().append(x)
        self._set.add(x)

    def __contains__(self, x) -> bool:
        return x in self._set


def _size(n) -> float:
    """A node's radius in pixels: by kind, and for cited documents by how often they are cited."""
    size = KIND_STYLE.get(n.kind, KIND_STYLE["document"])[1]
    return size + 4 * math.log2(1 + max(n.mentions, 1)) if n.kind == "document" else size


def network(g: Graph, pos: dict[str, tuple[float, float]] | None = None):
    """A pyvis Network holding vis-network's node and edge records (no titles: tooltips are ours)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _Ids()
    pos = pos if pos is not None else positions(g)
    small = len(g.nodes) <= SMALL
    for n in g.nodes.values():
        shape = KIND_STYLE.get(n.kind, KIND_STYLE["document"])[0]
        size = _size(n)
        border = LEVEL_STYLE.get(n.level, LEVEL_STYLE[None])[0]
        if n.kind == "agency":
            fill = border
            border = "#444444"
        elif n.kind == "task":
            fill = TASK_COLOR
        else:
            fill = TYPE_STYLE.get(n.type_group or "other", TYPE_STYLE["other"])[0]
        x, y = pos.get(n.id, (0.0, 0.0))
        net.add_node(n.id, label=n.label or "?", shape=shape, size=round(size, 1), x=x, y=y,
                     color={"background": fill, "border": border,
                            "highlight": {"background": fill, "border": "#ffbf00"},
                            "hover": {"background": fill, "border": "#ffbf00"}},
                     borderWidth=(3 if small else 2) if n.kind in ("plan", "document") else 1,
                     font={"size": 16 if small else 12, "color": "#222222", "strokeWidth": 3,
                           "strokeColor": "#ffffff"})
    for e in g.edges.values():
        color, width, dashes, _ = REL_STYLE.get(e.relation, REL_STYLE["cites"])
        net.add_edge(e.source, e.target, id=e.id, color={"color": color, "highlight": "#ffbf00", "hover": color},
                     width=width, dashes=dashes, arrows={"to": {"enabled": True, "scaleFactor": 0.5}})
    return net


def vis_options(n_nodes: int) -> dict[str, Any]:
    small = n_nodes <= SMALL
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": not small,
                        "hideEdgesOnZoom": not small, "keyboard": False, "multiselect": False},
        "edges": {"smooth": {"type": "continuous", "roundness": 0.2} if small else False,
                  "selectionWidth": 2, "hoverWidth": 1},
        "nodes": {"scaling": {"label": {"drawThreshold": 5 if small else 9}}},  # small: labels at the first fit
    }


def legend(g: Graph) -> dict[str, list[dict[str, Any]]]:
    """Only what occurs in this graph, in a fixed order."""
    kinds = {n.kind for n in g.nodes.values()}
    types = {n.type_group or "other" for n in g.nodes.values() if n.kind in ("plan", "document")}
    levels = {n.level for n in g.nodes.values() if n.kind in ("plan", "document", "agency")}
    rels = {e.relation for e in g.edges.values()}
    return {
        "kinds": [{"key": k, "shape": s, "label": lab, "present": k in kinds}
                  for k, (s, _, lab) in KIND_STYLE.items()],
        "types": [{"key": k, "color": c, "label": lab} for k, (c, lab) in TYPE_STYLE.items() if k in types],
        "levels": [{"key": k or "", "color": c, "label": lab} for k, (c, lab) in LEVEL_STYLE.items()
                   if k in levels],
        "relations": [{"key": k, "color": c, "width": w, "dashed": bool(d), "label": lab,
                       "present": k in rels} for k, (c, w, d, lab) in REL_STYLE.items()],
    }


# -- page -----------------------------------------------------------------------------------------

def script_json(obj: Any) -> str:
    """JSON that cannot end its <script> block or open a comment: <, >, & become \\u escapes."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def vis_js() -> str:
    """vis-network as shipped inside pyvis: the page needs no other copy and no network."""
    import pyvis

    base = Path(pyvis.__file__).parent
    for rel in ("templates/lib/vis-9.1.2/vis-network.min.js", "lib/vis-9.1.2/vis-network.min.js"):
        p = base / rel
        if p.is_file():
            js = p.read_text(encoding="utf-8").replace("\r\n", "\n")
            if "</script" in js.lower():  # would end the inline block early
                raise RuntimeError(f"{p} contains '</script' and cannot be inlined")
            return js
    raise FileNotFoundError(f"vis-network.min.js not found under {base}")


def script_hash(js: str) -> str:
    """The CSP source that lets exactly this inline script run."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


def page(template: str, title: str, data: Any, scripts: Iterable[str]) -> str:
    """Fill one of our templates; only the listed scripts may run (CSP hashes), nothing may load."""
    from markupsafe import Markup

    scripts = [s.replace("\r\n", "\n") for s in scripts]
    csp = ("default-src 'none'; script-src " + " ".join(script_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    css = (TEMPLATES / "common.css").read_text(encoding="utf-8")
    return _env().get_template(template).render(
        title=title, csp=Markup(csp), css=Markup(css), data=Markup(script_json(data)),
        scripts=[Markup(s) for s in scripts])


def graph_payload(g: Graph, title: str, focus: list[str] | None = None, depth: int = 2) -> dict[str, Any]:
    pos = positions(g)
    net = network(g, pos)
    issuers = Counter(n.issuer for n in g.nodes.values() if n.issuer and n.kind in ("plan", "document"))
    years = [n.year for n in g.nodes.values() if n.year]
    return {
        "title": title,
        "nodes": [_node_dict(n) for n in g.nodes.values()],
        "edges": [_edge_dict(e) for e in g.edges.values()],
        "vis_nodes": net.nodes,
        "vis_edges": net.edges,
        "options": vis_options(len(g.nodes)),
        "legend": legend(g),
        "kinds": [k for k in KINDS if any(n.kind == k for n in g.nodes.values())],
        "issuers": [[name, count] for name, count in sorted(issuers.items(), key=lambda kv: (-kv[1], kv[0]))],
        "years": [min(years), max(years)] if years else None,
        "focus": focus or [],
        "depth": depth,
        "initial": initial_view(g),
    }


def _node_dict(n) -> dict[str, Any]:
    d = {k: v for k, v in vars(n).items() if v not in (None, "", [], 0) or k in ("id", "kind", "label")}
    return d


def _edge_dict(e) -> dict[str, Any]:
    d = {k: v for k, v in vars(e).items() if k != "quotes" and v not in (None, "", [], False)}
    if e.quotes:
        d["quotes"] = [vars(q) for q in e.quotes]
    return d


def render_graph(g: Graph, title: str = "kg graph", focus: list[str] | None = None, depth: int = 2) -> str:
    """The whole page as a string; `focus` opens it on an ego view of those nodes."""
    app = (TEMPLATES / "graph.js").read_text(encoding="utf-8")
    return page("graph.html", title, graph_payload(g, title, focus, depth), [vis_js(), app])
