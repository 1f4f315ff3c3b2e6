"""`kg build`: files -> the store, incrementally by content hash.

Unchanged files are skipped (a rebuild with nothing changed only hashes the files), changed files
replace their named graph, `prune` removes the graphs of files that are gone. Extraction is a pure
function of one file, so it can run in a process pool (`workers`) or on a Dask cluster
(`scheduler`), with the same result as a serial build.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.batch import Failure, collect_inputs, run_batch
from kg.graph.store import Store, default_store_dir
from kg.ingest.readers import DEFAULT_MAX_BYTES, Source
from kg.resolve.identity import BASE


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0
    store: str = ""

    def summary(self) -> str:
        lines = [f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
                 f"removed {len(self.removed)}, failed {len(self.failed)}, skipped {len(self.skipped)} "
                 f"in {self.seconds:.2f} s; {self.triples} triples in {self.store}"]
        lines += [f"failed: {f.path}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def document_ntriples(src: Source) -> tuple[str, bytes]:
    """The pure step: one source -> (named graph IRI, N-Triples). Runs in workers."""
    from kg.extract import extract_text
    from kg.graph.mapping import document_graph

    doc = extract_text(src.text, src.path, src.kind)
    graph, g = document_graph(doc)
    return graph, g.serialize(format="nt", encoding="utf-8")


VOCAB_SOURCE = "<ontology>"


def _vocabulary() -> tuple[bytes, str]:
    """The ontology and SKOS schemes ride in the store too, so queries can read their labels."""
    from kg.graph.vocab import ontology_graph

    nt = ontology_graph().serialize(format="nt", encoding="utf-8")
    return nt, hashlib.sha256(nt).hexdigest()


def build(paths: list[str], store_dir: str | Path | None = None, *, prune: bool = False, workers: int = 1,
          scheduler: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False) -> BuildReport:
    t0 = time.perf_counter()
    d = Path(store_dir or default_store_dir())
    rep = BuildReport(store=str(d))
    files, failures, skipped = collect_inputs(paths)
    rep.failed += failures
    rep.skipped += skipped
    try:
        current = Store.open_read(d)
        manifest = current.manifest()
        rep.triples = len(current)
        del current
    except FileNotFoundError:
        manifest = {}
    hashes: dict[str, str] = {}
    for f in files:
        try:
            hashes[f] = file_hash(f)
        except OSError as e:
            rep.failed.append(Failure(f, e.strerror or str(e)))
    todo = [f for f in hashes if manifest.get(f, ("", ""))[0] != hashes[f]]
    rep.unchanged = [f for f in hashes if f not in todo]
    gone = [s for s in manifest if s not in hashes and not s.startswith("<")] if prune else []
    vocab_nt, vocab_hash = _vocabulary()
    vocab_stale = manifest.get(VOCAB_SOURCE, ("", ""))[0] != vocab_hash
    if not todo and not gone and not vocab_stale:
        rep.seconds = time.perf_counter() - t0
        return rep
    if scheduler:
        from kg.graph.distributed import run_on_dask

        result = run_on_dask(todo, document_ntriples, scheduler, max_bytes)
    else:
        result = run_batch(todo, document_ntriples, max_bytes=max_bytes, workers=workers, progress=progress)
    rep.failed += result.failed
    store = Store.begin_build(d)
    for path, (graph, nt) in sorted(result.ok):
        store.replace_graph(graph, nt, path, hashes[path])
        (rep.updated if path in manifest else rep.added).append(path)
    for src in gone:
        store.drop_source(src)
        rep.removed.append(src)
    if vocab_stale:
        store.replace_graph(f"{BASE}/graph/vocabulary", vocab_nt, VOCAB_SOURCE, vocab_hash)
    rep.triples = len(store)
    store.commit()
    store.close()
    rep.seconds = time.perf_counter() - t0
    return rep
