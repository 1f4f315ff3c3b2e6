"""`kg build`: files -> the store, incrementally by content hash.

Unchanged files are skipped (a rebuild with nothing changed only hashes the files and reads the
manifest), changed files replace their named graph, `prune` removes the graphs of files that are
gone. A file's hash covers its bytes and the code that reads it (extractor, grammar tables,
mapping): a new extractor rebuilds everything, since an old graph would otherwise quietly stay.
Extraction is a pure function of one file, so it runs in a process pool (`workers`) with the same
result as a serial build. Everything is written into a snapshot that becomes current in one step
(kg.graph.store), so an interrupted build changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.progress import phase, track
from kg.batch import Failure, collect_inputs, run_batch, skipped_line
from kg.ingest.names import display_path
from kg.errors import MissingDependency
from kg.graph.changes import LOG_GRAPH, LOG_SOURCE, Build, log_ntriples, new_build_id, old_log
from kg.graph.links import LINKS_GRAPH, LINKS_SOURCE, links_ntriples
from kg.graph.timeline import TIMELINE_GRAPH, TIMELINE_SOURCE, timeline_ntriples
from kg.graph.store import Store, default_store_dir
from kg.ingest.readers import DEFAULT_MAX_BYTES, Source
from kg.resolve.identity import BASE

VOCAB_SOURCE = "<ontology>"
VOCAB_GRAPH = f"{BASE}/graph/vocabulary"
_PKG = Path(__file__).resolve().parents[1]
# The code whose output is in the graph: a change here makes every stored graph stale.
_PIPELINE = ("models.py", "extract/*.py", "grammar/*.py", "grammar/data/*", "ingest/*.py", "ingest/data/*",
             "resolve/*.py", "graph/mapping.py", "graph/vocab.py")


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    triples: int = 0
    store: str = ""
    build_id: str | None = None  # the build log's id for this build (kg changes --since)

    def summary(self) -> str:
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in self.phases.items())
        lines = [f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
                 f"removed {len(self.removed)}, failed {len(self.failed)}, skipped {len(self.skipped)} "
                 f"in {self.seconds:.2f} s ({phases}); {self.triples} triples in {self.store}"]
        if self.skipped:
            lines.append(skipped_line(self.skipped))
        lines += [f"failed: {f.path}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


def file_hash(path: str, salt: str = "") -> str:
    h = hashlib.sha256(salt.encode("ascii"))
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def pipeline_hash() -> str:
    h = hashlib.sha256()
    for pattern in _PIPELINE:
        for p in sorted(_PKG.glob(pattern)):
            if p.is_file():
                h.update(p.relative_to(_PKG).as_posix().encode("utf-8"))
                h.update(p.read_bytes())
    from kg.grammar import DATA

    for p in sorted(DATA.glob("*.yaml")):  # the grammar in use (KG_GRAMMAR_DIR may name another copy)
        h.update(p.name.encode("utf-8"))
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def document_ntriples(src: Source) -> tuple[str, bytes]:
    """The pure step: one source -> (named graph IRI, N-Triples). Runs in workers."""
    from kg.extract import extract_text
    from kg.graph.mapping import document_ntriples as to_nt

    return to_nt(extract_text(src.text, src.path, src.kind))


def _vocabulary_hash() -> str:
    from kg.graph.vocab import ONTOLOGY_DIR

    h = hashlib.sha256(pipeline_hash().encode("ascii"))
    h.update((ONTOLOGY_DIR / "kg.ttl").read_bytes())
    return h.hexdigest()


def _vocabulary() -> bytes:
    """The ontology and SKOS schemes ride in the store too, so queries can read their labels."""
    from kg.graph.vocab import ontology_graph

    return ontology_graph().serialize(format="nt", encoding="utf-8")


def _extract(todo: list[str], workers: int, max_bytes: int, progress: bool | None):
    """The whole batch through one pool of workers (each compiles the grammar once), with the
    progress (kg.progress) moving as each file is done. (It used to start a pool per chunk.)"""
    from kg.batch import BatchResult, stream_batch

    if progress is False or len(todo) <= 1:
        return run_batch(todo, document_ntriples, max_bytes=max_bytes, workers=workers)
    out = BatchResult(ok=[], failed=[], skipped=[])
    files = stream_batch(todo, document_ntriples, out, max_bytes=max_bytes, workers=workers)
    for _ in track(files, len(todo), f"extracting {len(todo)} files", progress):
        pass
    return out


def _timeline(store) -> tuple[bytes, str, str]:
    nt, h = timeline_ntriples(store)
    return nt, TIMELINE_SOURCE, h


def _record(store, log: bytes, rep: BuildReport) -> None:
    """This build in the build log (kg.graph.changes), carried over from the previous graph."""
    build_id, when = new_build_id(salt=",".join(rep.added + rep.updated + rep.removed))
    rep.build_id = build_id
    nt, h = log_ntriples(log, Build(build_id, when, list(rep.added), list(rep.updated), list(rep.removed)))
    store.replace_graph(LOG_GRAPH, nt, LOG_SOURCE, h)


def build(paths: list[str], store_dir: str | Path | None = None, *, prune: bool = False, workers: int = 1,
          scheduler: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False,
          force: bool = False, endpoint: str | None = None, timeline: bool = True) -> BuildReport:
    """`endpoint`: write to that SPARQL 1.1 server (kg.graph.remote) instead of the store directory.
    `timeline`: write the validity timeline graph (kg.graph.timeline); off only to measure its cost."""
    t0 = time.perf_counter()
    d = Path(store_dir or default_store_dir())
    inputs = collect_inputs(paths)
    if not inputs[0] and inputs[1] and not prune:  # nothing readable was named: leave the store alone
        rep = BuildReport(store=endpoint or str(d), failed=list(inputs[1]), skipped=list(inputs[2]))
        rep.seconds = time.perf_counter() - t0
        return rep
    if endpoint:
        return _build(inputs, d, None, t0, prune, workers, scheduler, max_bytes, progress, force, endpoint, timeline)
    # The lock is taken before the manifest is read, so a second build decides from this one's
    # result; the snapshot takes it over (and releases it at commit or abort).
    held = {"lock": Store.lock(d)}
    try:
        return _build(inputs, d, held, t0, prune, workers, scheduler, max_bytes, progress, force, None, timeline)
    finally:
        if held["lock"] is not None:
            Store.unlock(held["lock"])


def _build(inputs, d: Path, held: dict | None, t0: float, prune, workers, scheduler, max_bytes, progress, force,
           endpoint, timeline=True) -> BuildReport:
    rep = BuildReport(store=endpoint or str(d))
    files, failures, skipped = inputs
    rep.failed += failures
    rep.skipped += skipped
    if endpoint:
        from kg.graph.remote import RemoteStore
    try:
        current = RemoteStore(endpoint) if endpoint else Store.open_read(d)
        manifest = current.manifest()
        rep.triples = len(current)
        log = old_log(current)
        current.close()
    except FileNotFoundError:
        manifest, log = {}, b""
    salt = pipeline_hash()
    hashes: dict[str, str] = {}
    for f in files:
        try:
            hashes[f] = file_hash(f, salt)
        except OSError as e:
            rep.failed.append(Failure(f, e.strerror or str(e)))
    name = {f: display_path(f) for f in hashes}  # the manifest keeps names as valid UTF-8
    todo = [f for f in hashes if force or manifest.get(name[f], ("", ""))[0] != hashes[f]]
    rep.unchanged = [f for f in hashes if f not in todo]
    # --prune: sources that are no longer on disk (named in this run or not)
    shown = set(name.values())
    gone = [s for s in manifest if s not in shown and not s.startswith("<") and not os.path.exists(s)] if prune else []
    # one file named two ways (relative, then absolute) is one source: the new name replaces the old
    by_real = {os.path.realpath(s): s for s in manifest if not s.startswith("<")}
    renamed: dict[str, str] = {}  # old name -> new name, dropped once the new one is in
    for f in hashes:
        old = by_real.get(os.path.realpath(f)) if name[f] not in manifest else None
        if old is not None and old != name[f] and old not in shown and old not in gone:
            renamed[old] = name[f]
    vocab_hash = _vocabulary_hash()
    vocab_stale = force or manifest.get(VOCAB_SOURCE, ("", ""))[0] != vocab_hash
    rep.phases["hash"] = time.perf_counter() - t0
    if not todo and not gone and not vocab_stale:
        rep.seconds = time.perf_counter() - t0
        return rep
    t = time.perf_counter()
    if scheduler:
        try:
            from kg.graph.distributed import run_on_dask
        except ModuleNotFoundError:
            raise MissingDependency("--scheduler", "Dask (pip install 'dask[distributed]')") from None
        result = run_on_dask(todo, document_ntriples, scheduler, max_bytes)
    else:
        result = _extract(todo, workers, max_bytes, progress)
    rep.failed += result.failed
    rep.phases["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    replaced = set(todo) | set(gone)
    kept = [s for s in manifest if not s.startswith("<") and s not in replaced]
    # nothing to keep: start empty, skip the removals; a remote store writes each document as it comes
    if endpoint:
        store = RemoteStore(endpoint)
    else:
        store = Store.begin_build(d, fresh=not kept, lock=held["lock"])
        held["lock"] = None
    rep.phases["snapshot"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        ok = sorted(result.ok)
        items = [(graph, nt, name[path], hashes[path]) for path, (graph, nt) in ok]
        if hasattr(store, "replace_graphs"):  # the embedded store loads them all in one bulk load
            with phase(f"writing {len(items)} documents to the store", progress if items else False):
                store.replace_graphs(items)
        else:
            for item in track(items, len(items), "writing to the SPARQL server", progress if len(items) > 1 else False):
                store.replace_graph(*item)
        for path, _ in ok:
            (rep.updated if name[path] in manifest else rep.added).append(name[path])
        done = {name[path] for path, _ in ok}
        for src in gone + [o for o, n in renamed.items() if n in done]:
            store.drop_source(src)
            rep.removed.append(src)
        if vocab_stale or not kept:
            store.replace_graph(VOCAB_GRAPH, _vocabulary(), VOCAB_SOURCE, vocab_hash)
        with phase("linking spellings of one document", progress):
            links, links_hash = links_ntriples(store)
        store.replace_graph(LINKS_GRAPH, links, LINKS_SOURCE, links_hash)
        if timeline:
            store.replace_graph(TIMELINE_GRAPH, *_timeline(store))
        _record(store, log, rep)
        rep.triples = len(store)
        rep.phases["write"] = time.perf_counter() - t
        t = time.perf_counter()
        with phase("committing the snapshot", progress):
            store.commit()
        rep.phases["commit"] = time.perf_counter() - t
    except BaseException:
        store.abort()
        raise
    finally:
        store.close()
    rep.seconds = time.perf_counter() - t0
    return rep
