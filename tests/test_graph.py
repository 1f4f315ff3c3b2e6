"""The knowledge graph's foundations: ontology, identity, mapping with provenance, the store, builds.

The questions asked of a built graph (cites, deps, impact, stats, export, validate) are in
test_queries.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from conftest import CORPUS, ROOT, SEED, need_shared
from kg import extract
from kg.errors import StoreError
from kg.graph.build import build
from kg.graph.links import LINKS_GRAPH, same_as
from kg.graph.mapping import cited_iri, document_graph, document_ntriples
from kg.graph.store import Store
from kg.graph.vocab import ELI, KG, OA, ONTOLOGY_DIR, RELATIONS, doc_types_graph
from kg.resolve.identity import BASE, document_iri, parts, source_document_iri

KGV = Namespace(f"{BASE}/vocab/")


def _dataset(nq: bytes):
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=nq, format="nquads")
    return ds


# -- ontology -------------------------------------------------------------------------------------

def test_doc_types_ttl_is_generated_from_the_grammar_table():
    """ontology/doc-types.ttl is `python -m kg.graph.vocab` output: the YAML stays the one source."""
    on_disk = Graph().parse(ONTOLOGY_DIR / "doc-types.ttl")
    assert isomorphic(on_disk, doc_types_graph()), "run `python -m kg.graph.vocab` after editing doc_types.yaml"
    nq = URIRef(f"{BASE}/vocab/type/NghiQuyet")
    assert (nq, SKOS.notation, None) in on_disk and (nq, RDF.type, ELI.ResourceType) in on_disk
    assert {str(o) for o in on_disk.objects(nq, SKOS.prefLabel)} >= {"Nghị quyết", "Resolution"}


def test_relation_vocabulary_is_mapped_to_eli_and_agrees_with_the_code():
    """ontology/relations.ttl is generated from grammar/data/relations.yaml, and every relation's
    property is a sub-property of kg:restsOn, the one property the shipped queries follow."""
    from kg.graph.vocab import relations_graph

    g = Graph().parse(ONTOLOGY_DIR / "relations.ttl")
    assert isomorphic(g, relations_graph()), "run `python -m kg.graph.vocab` after editing relations.yaml"
    sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
    assert all((prop, sub, KG.restsOn) in g for _, prop in RELATIONS.values())
    assert (KG.suspends, sub, ELI.changes) in g
    for notation, (concept, prop) in RELATIONS.items():
        assert (concept, SKOS.inScheme, KGV.relations) in g, notation
        assert str(g.value(concept, SKOS.notation)) == notation
        assert (concept, SKOS.exactMatch, prop) in g, f"{notation}: the edge property is the concept's exactMatch"
        langs = {lit.language for lit in g.objects(concept, SKOS.prefLabel)}
        assert langs == {"vi", "en"}, notation
    vi = {str(g.value(c, SKOS.prefLabel)) for c, _ in RELATIONS.values()}
    labels = {str(o) for c, _ in RELATIONS.values() for o in g.objects(c, SKOS.prefLabel) if o.language == "vi"}
    assert {"căn cứ", "hướng dẫn", "sửa đổi, bổ sung", "thay thế", "bãi bỏ", "hợp nhất", "đính chính"} <= labels, vi
    assert (KG.replaces, URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), ELI.repeals) in g


def test_every_kg_term_used_by_the_mapping_is_declared_with_labels():
    declared = Graph().parse(ONTOLOGY_DIR / "kg.ttl").parse(ONTOLOGY_DIR / "relations.ttl")
    _, g = document_graph(extract(SEED))
    used = {t for tr in g for t in tr if isinstance(t, URIRef) and str(t).startswith(str(KG))}
    missing = [t for t in used if (t, None, None) not in declared]
    assert not missing
    for t in used:
        assert {lit.language for lit in declared.objects(t, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} & {"en"}


# -- identity -------------------------------------------------------------------------------------

def test_one_node_however_a_document_is_cited():
    tn = dict(issuer="Ủy ban nhân dân tỉnh Tây Ninh", doc_type="Quyết định", date="2023-01-07")
    assert document_iri("01/QĐ-UBND", **tn) == document_iri("01/qđ-ubnd", **tn) == document_iri("01/QÐ-UBND", **tn)
    assert document_iri("01/QĐ-UBND", **tn) == document_iri("01/QĐ.UBND", **tn)
    assert document_iri("55/2011/NĐ-CP", doc_type="Nghị định", year=2011) == document_iri(
        "55/2011/NĐ-CP", doc_type="Nghị định", date="2011-07-04", issuer="Chính phủ")
    # the type comes from the symbol, not from the word around the citation
    assert document_iri("30-TB/TGV", doc_type="Kết luận", date="2025-03-01") == document_iri(
        "30-TB/TGV", doc_type="Thông báo", date="2025-03-01")
    assert document_iri("55/2011/NĐ-CP", year=2011) == f"{BASE}/eli/vn/nghi-dinh/2011/55-2011-nd-cp"
    # a type code glued to the issuer's, as printed in a real table (qd-169-bldtbxh-2025)
    assert document_iri("27/2016/TTBLĐTBXH", year=2016) == document_iri("27/2016/TT-BLĐTBXH", year=2016)
    assert document_iri("574/UBND-NC", date="2023-01-01", jurisdiction="Tây Ninh").endswith("/574-ubnd-nc")


def test_local_numbers_are_scoped_by_province():
    tn = dict(issuer="Ủy ban nhân dân tỉnh Tây Ninh", doc_type="Quyết định", date="2023-01-07")
    na = dict(tn, issuer="Ủy ban nhân dân tỉnh Nghệ An")
    assert document_iri("01/QĐ-UBND", **tn) != document_iri("01/QĐ-UBND", **na)
    assert document_iri("01/QĐ-UBND", **tn) == f"{BASE}/eli/vn/tay-ninh/quyet-dinh/2023/01-qd-ubnd"
    # no issuer named: the citing document's province
    assert "/nghe-an/" in document_iri("01/QĐ-UBND", date="2023-01-07", jurisdiction="Nghệ An")
    # a central body whose name holds "xã" is not local; its symbol is national
    assert parts(document_iri("838/QĐ-BHXH", issuer="Bảo hiểm xã hội Việt Nam", date="2024-06-05"))[0] is None
    # a provincial department's symbol is local
    assert parts(document_iri("155/QĐ-KHCN", issuer="Sở Khoa học và Công nghệ tỉnh Tây Ninh", date="2021-12-15"))[0] \
        == "tay-ninh"
    # a central symbol stays national beside a provincial issuer phrase (an extraction slip in the
    # real corpus split the Central Committee's 21-NQ/TW into a node per citing province)
    for ident, issuer in (("21-NQ/TW", "Ban Thường vụ Tỉnh ủy Hậu Giang"), ("55/2011/NĐ-CP", "Ủy ban nhân dân tỉnh Sóc Trăng")):
        assert parts(document_iri(ident, issuer=issuer, date="2018-01-01"))[0] is None, ident


def test_laws_cited_by_name_get_a_node_by_their_folded_title():
    a = document_iri(None, title="Luật Tổ chức Chính phủ", doc_type="Luật")
    assert a == document_iri(None, title="Luật tổ chức Chính phủ", doc_type="Luật")
    assert a == f"{BASE}/eli/vn/luat/title/luat-to-chuc-chinh-phu"


def test_a_cited_document_in_the_corpus_is_the_same_node():
    need_shared(CORPUS)
    citing = extract(CORPUS / "tvpl-tnt305" / "kh-165-ubnd-cantho-2025.txt")
    c = next(c for c in citing.citations if c.identifier == "27/CT-TTg")
    own = extract("THỦ TƯỚNG CHÍNH PHỦ\nSố: 27/CT-TTg\nHà Nội, ngày 15 tháng 8 năm 2024\n\nCHỈ THỊ\n"
                  "Về việc tăng cường thực hiện công tác dân số\n")
    assert source_document_iri("x", "y", own.header) == cited_iri(c, citing)


def test_an_undated_citation_is_linked_to_the_one_dated_node():
    dated = f"{BASE}/eli/vn/nghi-quyet/2024/57-nq-tw"
    undated = f"{BASE}/eli/vn/nghi-quyet/nd/57-nq-tw"
    two_years = [f"{BASE}/eli/vn/nghi-quyet/2017/21-nq-tw", f"{BASE}/eli/vn/nghi-quyet/2018/21-nq-tw",
                 f"{BASE}/eli/vn/nghi-quyet/nd/21-nq-tw"]
    pairs = same_as({dated: False, undated: False, **{n: False for n in two_years}})
    assert pairs == [(undated, dated)]  # 21-NQ/TW has two years: two documents, left apart


# -- mapping and provenance -----------------------------------------------------------------------

def test_mapping_needs_no_store_and_is_deterministic():
    doc = extract(SEED)
    graph, g = document_graph(doc)
    assert graph.startswith(f"{BASE}/source/") and len(g) > 500
    assert document_ntriples(doc) == document_ntriples(extract(SEED))
    assert isomorphic(Graph().parse(data=document_ntriples(doc)[1], format="nt"), g)


def test_every_citation_keeps_offsets_exact_words_and_sentence():
    doc = extract(SEED)
    _, g = document_graph(doc)
    mentions = list(g.subjects(RDF.type, KG.Mention))
    assert len(mentions) == len(doc.citations)
    for m in mentions:
        target = g.value(m, OA.hasTarget)
        sels = list(g.objects(target, OA.hasSelector))
        pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in g)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        exact = str(g.value(quote, OA.exact))
        assert doc.text[start:end] == exact
        assert doc.text[:start].endswith(str(g.value(quote, OA.prefix)))
        assert " ".join(exact.split())[:20] in str(g.value(m, KG.quote))
        assert str(g.value(m, KG.source)) == doc.source
        assert g.value(m, OA.hasBody) == g.value(m, KG.cited)


def test_nested_citations_link_the_outer_document_to_the_inner_one():
    doc = extract(SEED)
    _, g = document_graph(doc)
    iri = {c.identifier: URIRef(cited_iri(c, doc)) for c in doc.citations if c.identifier}
    assert (iri["1341/KH-UBND"], ELI.cites, iri["50-NQ/CP"]) in g
    assert (iri["50-NQ/CP"], ELI.cites, iri["52-NQ/TW"]) in g
    nested = [m for m in g.subjects(KG.cited, iri["52-NQ/TW"])]
    assert nested and g.value(nested[0], KG.nestedIn) == iri["50-NQ/CP"]  # the link's provenance
    if doc.tasks:  # the task reaches 52-NQ/TW only through the chain
        task = next(t for t in g.subjects(KG.taskId, None) if str(g.value(t, KG.taskId)) == "II.2.5.1")
        assert (task, ELI.cites, iri["1341/KH-UBND"]) in g and (task, ELI.cites, iri["52-NQ/TW"]) not in g


def test_a_document_never_rests_on_one_issued_after_it():
    """A list read as nesting ("Nghị định 159/2006/NĐ-CP về ..., Nghị định 11/2011/NĐ-CP") must not
    make the 2006 decree cite the 2011 one: the citing document cites both."""
    text = ("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: 5/KH-UBND\nLai Châu, ngày 01 tháng 02 năm 2024\n\nKẾ HOẠCH\nThử\n\n"
            "1. Thực hiện Nghị định số 159/2006/NĐ-CP ngày 28/12/2006 của Chính phủ về thực hiện Nghị định số "
            "11/2011/NĐ-CP ngày 30/01/2011 của Chính phủ.\n")
    doc = extract(text)
    inner = next(c for c in doc.citations if c.identifier == "11/2011/NĐ-CP")
    assert inner.cited_by == "159/2006/NĐ-CP"  # the extractor reads it as nested...
    _, g = document_graph(doc)
    outer_iri = URIRef(cited_iri(next(c for c in doc.citations if c.identifier == "159/2006/NĐ-CP"), doc))
    inner_iri = URIRef(cited_iri(inner, doc))
    assert (outer_iri, ELI.cites, inner_iri) not in g  # ...the graph does not believe it
    assert any(o == inner_iri for o in g.objects(None, ELI.cites))


def test_typed_effects_become_eli_and_own_properties():
    text = ("BỘ TÀI CHÍNH\nSố: 5/2024/TT-BTC\nHà Nội, ngày 01 tháng 02 năm 2024\n\nTHÔNG TƯ\nQuy định thử\n\n"
            "Căn cứ Nghị định số 14/2023/NĐ-CP ngày 20/4/2023 của Chính phủ sửa đổi, bổ sung Nghị định số "
            "87/2017/NĐ-CP ngày 26/7/2017 của Chính phủ;\n\n"
            "Điều 1. Thông tư này thay thế Thông tư số 184/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính.\n"
            "Điều 2. Bãi bỏ Quyết định số 12/2010/QĐ-BTC ngày 01/01/2010 của Bộ Tài chính.\n")
    doc = extract(text)
    _, g = document_graph(doc)
    iri = {c.identifier: URIRef(cited_iri(c, doc)) for c in doc.citations if c.identifier}
    me = URIRef(source_document_iri(doc.source, doc.sha256, doc.header))
    assert (me, KG.replaces, iri["184/2015/TT-BTC"]) in g
    assert (me, ELI.repeals, iri["12/2010/QĐ-BTC"]) in g
    assert (me, ELI.based_on, iri["14/2023/NĐ-CP"]) in g
    # the change named in a subject types the outer -> inner link
    assert (iri["14/2023/NĐ-CP"], ELI.amends, iri["87/2017/NĐ-CP"]) in g


def test_mapping_works_without_tasks(monkeypatch):
    """The structure stage is optional: without tasks every link starts at the document."""
    doc = extract(SEED)
    doc.tasks = []
    for c in doc.citations:
        c.task = None
    _, g = document_graph(doc)
    me = URIRef(source_document_iri(doc.source, doc.sha256, doc.header))
    assert not list(g.subjects(RDF.type, KG.Task))
    assert {g.value(m, KG.citing) for m in g.subjects(RDF.type, KG.Mention)} == {me}


# -- store and builds ----------------------------------------------------------------------------

def test_store_interface_replace_drop_graphs_manifest(tmp_path):
    s = Store.begin_build(tmp_path / "s")
    a, b = "https://w3id.org/vn-legal-kg/source/a", "https://w3id.org/vn-legal-kg/source/b"
    s.replace_graph(a, b"<http://x/1> <http://x/p> \"one\" .\n", "a.txt", "h1")
    s.replace_graph(b, [(URIRef("http://x/2"), URIRef("http://x/p"), URIRef("http://x/1"))], "b.txt", "h2")
    s.replace_graph(a, b"<http://x/1> <http://x/p> \"uno\" .\n", "a.txt", "h3")
    assert s.graphs() == [a, b]
    assert s.manifest() == {"a.txt": ("h3", a), "b.txt": ("h2", b)}
    assert [r["o"] for r in s.query("SELECT ?o WHERE { <http://x/1> <http://x/p> ?o }")] == ["uno"]
    s.drop_source("b.txt")
    s.commit()
    r = Store.open_read(tmp_path / "s")
    assert r.graphs() == [a] and list(r.manifest()) == ["a.txt"] and len(r) == 4  # 1 triple + 3 manifest


def test_the_store_directory_defaults_to_dot_kg_and_env(tmp_path, monkeypatch):
    from kg.graph.store import default_store_dir

    monkeypatch.delenv("KG_STORE", raising=False)
    assert default_store_dir() == Path(".kg/store")
    monkeypatch.setenv("KG_STORE", str(tmp_path / "x"))
    assert default_store_dir() == tmp_path / "x"


def test_named_graph_per_source_and_rebuild_replaces_exactly_it(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    text = SEED.read_text(encoding="utf-8")
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("42/2022/NQ-HĐND", "43/2022/NQ-HĐND"), encoding="utf-8")
    d = tmp_path / "store"
    build([str(a), str(b)], d)
    s = Store.open_read(d)
    assert f"{BASE}/graph/vocabulary" in s.graphs() and {"<links>", "<ontology>"} <= set(s.manifest())
    assert len([g for g in s.graphs() if "/source/" in g]) == 2
    graph_a = s.manifest()[str(a)][1]
    before_a = s.dump(graph=graph_a)
    s.close()
    b.write_text(text.replace("42/2022/NQ-HĐND", "44/2022/NQ-HĐND"), encoding="utf-8")
    rep = build([str(a), str(b)], d)
    assert rep.updated == [str(b)] and rep.unchanged == [str(a)]
    s = Store.open_read(d)
    assert s.dump(graph=graph_a) == before_a
    keys = {r["k"] for r in s.query("PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> "
                                     "SELECT ?k WHERE { ?n kg:idKey ?k }")}
    assert "44/2022/NQ-HDND" in keys and "43/2022/NQ-HDND" not in keys


def test_corpus_builds_noop_is_fast_and_isomorphic_touch_rebuilds_one_prune_removes(tmp_path):
    need_shared(CORPUS)
    src = tmp_path / "real"
    shutil.copytree(CORPUS, src)
    d = tmp_path / "store"
    first = build([str(src)], d)
    assert not first.failed and len(first.added) == 66, first.summary()
    dump1 = Store.open_read(d).serialize("nq")
    again = build([str(src)], d)
    assert again.added == again.updated == [] and len(again.unchanged) == 66
    assert again.seconds < 1.0, again.summary()
    dump2 = Store.open_read(d).serialize("nq")
    assert dump1 == dump2 or isomorphic(_dataset(dump1), _dataset(dump2))
    touched = src / "tvpl-tnt305" / "qd-89-2025-ubnd-laichau.txt"
    touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build([str(src)], d)
    assert third.updated == [str(touched)] and third.added == [] and len(third.unchanged) == 65
    touched.unlink()
    kept = build([str(src)], d)
    assert kept.removed == [] and str(touched) in Store.open_read(d).manifest()
    fourth = build([str(src)], d, prune=True)
    assert fourth.removed == [str(touched)]
    s = Store.open_read(d)
    assert str(touched) not in s.manifest()
    assert not [g for g in s.graphs() if "qd-89-2025-ubnd-laichau" in g]


def test_parallel_build_gives_the_same_graph(tmp_path):
    files = [str(SEED)]
    if CORPUS.exists():
        files += [str(p) for p in sorted((CORPUS / "tvpl-tnt305").glob("*.txt"))[:3]]
    build(files, tmp_path / "serial")
    build(files, tmp_path / "parallel", workers=2)
    assert _graph_nq(tmp_path / "serial") == _graph_nq(tmp_path / "parallel")


def _graph_nq(d) -> list[bytes]:
    """The store's quads but the build log's (which records each build's own id and time)."""
    from kg.graph.changes import LOG_GRAPH

    return [q for q in Store.open_read(d).serialize("nq").splitlines() if not q.endswith(f"<{LOG_GRAPH}> .".encode())]


_KILL = textwrap.dedent("""
    import os, signal, sys
    from kg.graph import store
    from kg.graph.build import build
    where = sys.argv[3]
    if where == "before-swap":
        store.Store.commit = lambda self: os.kill(os.getpid(), signal.SIGKILL)
    else:
        real = store.Store._bulk
        def bulk(self, chunk):
            real(self, chunk)
            os.kill(os.getpid(), signal.SIGKILL)
        store.Store._bulk = bulk
    build([sys.argv[1]], sys.argv[2])
""")


@pytest.mark.parametrize("where", ["mid-write", "before-swap"])
def test_a_killed_build_leaves_the_previous_graph_readable(tmp_path, where):
    d = tmp_path / "store"
    build([str(SEED)], d)
    before = Store.open_read(d).serialize("nq")
    other = tmp_path / "in"
    other.mkdir()
    shutil.copy(SEED, other / "seed.txt")
    (other / "other.txt").write_text(SEED.read_text(encoding="utf-8").replace("42/2022", "45/2022"), encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", _KILL, str(other), str(d), where], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == -9, p.stderr  # really killed, no cleanup ran
    assert len(list(d.glob("snap-*"))) == 2  # the half-built snapshot is left behind...
    assert Store.open_read(d).serialize("nq") == before  # ...and the previous graph is what readers see
    rep = build([str(other)], d)  # the lock died with the process; the next build goes on and tidies up
    assert sorted(rep.added) == sorted([str(other / "seed.txt"), str(other / "other.txt")])
    assert len(list(d.glob("snap-*"))) == 2  # the new current, and the previous one for late readers


def test_two_builds_do_not_race(tmp_path):
    d = tmp_path / "store"
    s = Store.begin_build(d)
    with pytest.raises(StoreError, match="another `kg build`"):
        Store.begin_build(d)
    s.abort()
    Store.begin_build(d).abort()
    assert not list(d.glob("snap-*"))


def test_a_build_holds_the_lock_before_it_reads_the_manifest(tmp_path):
    """Else a second build decides from the old graph and its commit drops the first one's work."""
    d = tmp_path / "store"
    lock = Store.lock(d)
    try:
        with pytest.raises(StoreError, match="another `kg build`"):
            build([str(SEED)], d)
    finally:
        Store.unlock(lock)
    assert not build([str(SEED)], d).failed


def test_a_build_of_nothing_readable_leaves_no_store(tmp_path):
    rep = build([str(tmp_path / "missing")], tmp_path / "store")
    assert [f.reason for f in rep.failed] == ["no such file or folder"] and not (tmp_path / "store").exists()


def test_an_interrupt_after_the_swap_never_deletes_the_live_graph(tmp_path):
    d = tmp_path / "store"
    build([str(SEED)], d)
    s = Store.begin_build(d)
    s.commit()
    s.abort()  # what `except BaseException: store.abort()` does when Ctrl-C lands after the swap
    assert len(Store.open_read(d)) > 1000


def test_two_files_of_one_document_keep_their_own_mentions_and_tasks(tmp_path):
    """A decision as a file and as a second copy two lines lower (a draft, a re-save): one document
    node, since both carry its number; each file keeps its own mentions, lines and tasks."""
    need_shared(CORPUS)
    real = CORPUS / "tvpl-tnt305" / "qd-89-2025-ubnd-laichau.txt"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(real, a)
    b.write_text("\n\n" + real.read_text(encoding="utf-8"), encoding="utf-8")
    d = tmp_path / "store"
    build([str(a), str(b)], d)
    from kg.graph import query as Q
    s = Store.open_read(d)
    rows = Q.cites(s, "78/2025/NĐ-CP")
    assert sorted(r["source"] for r in rows) == [str(a), str(b)]  # one row per file, not a cross product
    line = {r["source"]: int(r["line"]) for r in rows}
    assert line[str(b)] == line[str(a)] + 2
    kg = "https://w3id.org/vn-legal-kg/ontology#"
    for p in ("line", "source", "cited"):
        assert s.query(f"ASK {{ ?m a <{kg}Mention> ; <{kg}{p}> ?x1, ?x2 FILTER(?x1 != ?x2) }}") == [{"result": False}], p
    tasks = s.query(f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t a <{kg}Task> }}")[0]["n"]
    assert tasks == 2 * len(extract(real).tasks)


def test_one_file_named_two_ways_is_one_source_and_prune_keeps_what_exists(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "other.txt").write_text(SEED.read_text(encoding="utf-8").replace("42/2022", "45/2022"), encoding="utf-8")
    d = tmp_path / "store"
    monkeypatch.chdir(tmp_path)
    build(["in"], d)
    triples = len(_graph_nq(d))
    rep = build([str(folder)], d)  # the same files, by absolute path
    assert sorted(rep.removed) == ["in/other.txt", "in/seed.txt"]
    # + vocabulary, links, timeline, build log
    assert len(_graph_nq(d)) == triples and len(Store.open_read(d).manifest()) == 2 + 4
    rep = build([str(folder / "seed.txt")], d, prune=True)  # other.txt is not named, but it is still there
    assert rep.removed == [] and str(folder / "other.txt") in Store.open_read(d).manifest()


def test_kg_build_cli_in_a_subprocess_uses_dot_kg_in_the_current_directory(tmp_path):
    kg = shutil.which("kg")
    cmd = [kg] if kg else [sys.executable, "-m", "kg.cli"]
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    p = subprocess.run([*cmd, "build", str(SEED), "--no-progress"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "added 1" in p.stderr and (tmp_path / ".kg" / "store" / "current").exists()
    p = subprocess.run([*cmd, "build", str(SEED)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "unchanged 1" in p.stderr
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    p = subprocess.run([*cmd, "build", str(SEED), str(bad)], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 1 and f"failed: {bad}" in p.stderr and "Traceback" not in p.stderr


def test_undated_and_dated_citations_of_one_document_are_linked_in_the_store(tmp_path):
    head = "BỘ TÀI CHÍNH\nSố: {n}/2025/TT-BTC\nHà Nội, ngày 01 tháng 02 năm 2025\n\nTHÔNG TƯ\nQuy định thử\n\n"
    (tmp_path / "a.txt").write_text(head.format(n=1) + "Điều 1. Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
                                    "của Bộ Chính trị.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(head.format(n=2) + "Điều 1. Thực hiện Nghị quyết 57-NQ/TW của Bộ Chính trị.\n",
                                    encoding="utf-8")
    d = tmp_path / "store"
    build([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], d)
    s = Store.open_read(d)
    assert LINKS_GRAPH in s.graphs()
    rows = s.query("SELECT ?a ?b WHERE { ?a <http://www.w3.org/2002/07/owl#sameAs> ?b }")
    assert rows == [{"a": f"{BASE}/eli/vn/nghi-quyet/nd/57-nq-tw", "b": f"{BASE}/eli/vn/nghi-quyet/2024/57-nq-tw"}]
    # and the questions follow the link: both documents rest on the one resolution
    from kg.graph import query as Q
    walked = Q.impact(s, "57-NQ/TW")
    assert {r["id"] for r in walked if r["kind"] == "document"} == {"1/2025/TT-BTC", "2/2025/TT-BTC"}
    assert {r["depth"] for r in walked} == {1}
