"""A Document -> the triples of its named graph.

Every citation becomes (1) a direct edge, task or document -> cited document (eli:based_on,
eli:cites, or the typed relation the text states: eli:amends, kg:replaces ...), which is what the
questions walk, and (2) a kg:Mention, a W3C Web Annotation whose target is the citing document
with a TextPositionSelector (offsets) and a TextQuoteSelector (the exact words, with a little
context), plus the quoted sentence: the evidence a legal officer reads.

A citation nested in another's subject ("Kế hoạch 1341 ... về thực hiện Nghị quyết 50-NQ/CP ...")
also links the outer cited document to the inner one: the plan 1341 rests on 50-NQ/CP, as the
citing text itself says. When the subject names the change ("Nghị định 12 sửa đổi, bổ sung Nghị
định 55"), that link is typed (eli:amends), since the cue sits in the subject, not before the outer
citation. Tasks and agencies come from the structure stage when it produced them; without them every
link starts at the document.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.extract.quote import quote_of
from kg.grammar.symbols import identifier_key
from kg.graph.vocab import ELI, KG, OA, PROV, RELATIONS, bind, type_concept
from kg.models import Act, Citation, Document
from kg.resolve.issuers import level_of
from kg.resolve.identity import (UNKNOWN_PLACE, agency_iri, document_iri, graph_iri, id_key, jurisdiction_of, scope,
                                 slug, source_document_iri, type_of)

_XSD_STRING = str(XSD.string)
_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector
_ROLES = {"lead", "advised", "reports_to", "partner", "guidance", "assigned", "recipient", "signer", "mentioned"}


def cited_iri(c: Citation, doc: Document) -> str:
    return document_iri(c.identifier, title=c.title, doc_type=c.doc_type, year=c.year, date=c.date,
                        issuer=c.issuer, symbol=c.symbol, jurisdiction=doc.header.jurisdiction)


def _describe(g: Graph, node: URIRef, *, label: str | None, identifier: str | None, title: str | None,
              doc_type: str | None, number: str | None, date: str | None, issuer: str | None,
              place: str | None, subject: str | None = None) -> None:
    g.add((node, RDF.type, ELI.LegalResource))
    g.add((node, KG.kind, Literal("document")))
    if label:
        g.add((node, RDFS.label, Literal(label)))
    key = identifier_key(identifier) if identifier else None
    if identifier:
        g.add((node, ELI.id_local, Literal(identifier)))
        g.add((node, KG.idKey, Literal(id_key(identifier))))
    if title:
        g.add((node, ELI.title, Literal(title)))
    if number:
        g.add((node, ELI.number, Literal(number)))
    t = type_of(key, doc_type)
    concept = type_concept(t.name) if t else None
    if concept is not None:
        g.add((node, ELI.type_document, concept))
    if date:
        g.add((node, ELI.date_document, Literal(date, datatype=XSD.date)))
    if issuer:
        ag = URIRef(agency_iri(issuer))
        g.add((node, ELI.passed_by, ag))
        g.add((ag, RDF.type, KG.Agency))
        g.add((ag, SKOS.prefLabel, Literal(issuer)))
        level = level_of(issuer)
        if level:
            g.add((node, KG.issuerLevel, Literal(level)))
    if place and place != UNKNOWN_PLACE:
        g.add((node, ELI.jurisdiction, Literal(place)))
    if subject:
        g.add((node, KG.subject, Literal(subject)))


def _reading(me: URIRef, source: str) -> str:
    """Where a document's tasks and mentions live: under the document, per source file. Two files
    of one document (a .docx and its .pdf, a draft and the signed text) each keep their own."""
    return f"{me}/text/{hashlib.sha1(source.encode('utf-8')).hexdigest()[:10]}"


def _task_nodes(g: Graph, doc: Document, me: URIRef) -> dict[str, URIRef]:
    tasks: dict[str, URIRef] = {}
    base = _reading(me, doc.source)
    for t in doc.tasks:
        node = URIRef(f"{base}/task/{quote(t.id, safe='.~-_')}")
        tasks[t.id] = node
        g.add((node, RDF.type, KG.Task))
        g.add((node, KG.kind, Literal("task")))
        g.add((node, KG.taskId, Literal(t.id)))
        g.add((node, RDFS.label, Literal(" ".join(t.text.split())[:300] or t.id)))
        g.add((node, ELI.is_part_of, me))
        g.add((node, KG.source, Literal(doc.source)))
        g.add((node, KG.start, Literal(t.start, datatype=XSD.integer)))
        g.add((node, KG.end, Literal(t.end, datatype=XSD.integer)))
        if t.kind and t.kind != "task":
            g.add((node, KG.taskKind, Literal(t.kind)))
        for prop, value in ((KG.section, t.section), (KG.heading, t.heading), (KG.action, t.action)):
            if value:
                g.add((node, prop, Literal(value)))
        for p in t.periods:
            g.add((node, KG.period, Literal(p)))
        for c in t.conditions:
            g.add((node, KG.condition, Literal(c)))
        for a in t.agencies:
            ag = URIRef(agency_iri(a.name))
            g.add((ag, RDF.type, KG.Agency))
            g.add((ag, SKOS.prefLabel, Literal(a.name)))
            g.add((node, KG[a.role] if a.role in _ROLES else KG.involves, ag))
    for t in doc.tasks:
        if t.parent and t.parent in tasks:
            g.add((tasks[t.id], KG.parentTask, tasks[t.parent]))
    return tasks


def _mention(g: Graph, doc: Document, me: URIRef, i: int, c: Citation, node: URIRef, citer: URIRef,
             concept: URIRef, outer: URIRef | None) -> None:
    m = URIRef(f"{_reading(me, doc.source)}/mention/{i}")
    target, pos, quote_sel = URIRef(f"{m}/target"), URIRef(f"{m}/position"), URIRef(f"{m}/quote")
    g.add((m, RDF.type, KG.Mention))
    g.add((m, OA.motivatedBy, OA.linking))
    g.add((m, OA.hasBody, node))
    g.add((m, OA.hasTarget, target))
    g.add((m, KG.cited, node))
    g.add((m, KG.citing, citer))
    g.add((m, KG.inDocument, me))
    g.add((m, KG.relation, concept))
    g.add((m, KG.source, Literal(doc.source)))
    g.add((m, KG.line, Literal(c.line, datatype=XSD.integer)))
    g.add((m, KG.quote, Literal(quote_of(doc, c))))
    g.add((m, PROV.wasDerivedFrom, me))
    for p in c.pinpoints:
        g.add((m, KG.pinpoint, Literal(p)))
    if outer is not None:
        g.add((m, KG.nestedIn, outer))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, me))
    g.add((target, OA.hasSelector, pos))
    g.add((target, OA.hasSelector, quote_sel))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(c.start, datatype=XSD.integer)))
    g.add((pos, OA.end, Literal(c.end, datatype=XSD.integer)))
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(c.text)))
    g.add((quote_sel, OA.prefix, Literal(doc.text[max(0, c.start - _CONTEXT):c.start])))
    g.add((quote_sel, OA.suffix, Literal(doc.text[c.end:c.end + _CONTEXT])))


class _Triples:
    """A set of triples with rdflib's `add`: building a 3,000-triple document graph in an rdflib
    Graph costs more than extracting the document, and the build only needs N-Triples."""

    def __init__(self) -> None:
        self.triples: dict[tuple, None] = {}

    def add(self, t: tuple) -> None:
        self.triples[t] = None

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


def _nt_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        v = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if t.language:
            return f'"{v}"@{t.language}'
        if t.datatype is not None and str(t.datatype) != _XSD_STRING:
            return f'"{v}"^^<{t.datatype}>'
        return f'"{v}"'
    return t.n3()


def ntriples(triples) -> bytes:
    """N-Triples, sorted so that one document always gives the same bytes."""
    return "".join(sorted(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in triples)).encode("utf-8")


def document_ntriples(doc: Document) -> tuple[str, bytes]:
    """(named graph IRI, N-Triples) for one source document: what `kg build` stores."""
    graph, t = _document_triples(doc)
    return graph, ntriples(t)


def _later(inner: Citation, outer: Citation) -> bool:
    if inner.date and outer.date:
        return inner.date > outer.date
    return bool(inner.year and outer.year and inner.year > outer.year)


def document_graph(doc: Document) -> tuple[str, Graph]:
    """(named graph IRI, an rdflib Graph of its triples) for one source document."""
    graph, t = _document_triples(doc)
    g = bind(Graph())
    for triple in t:
        g.add(triple)
    return graph, g


def _document_triples(doc: Document) -> tuple[str, _Triples]:
    g = _Triples()
    h = doc.header
    me = URIRef(source_document_iri(doc.source, doc.sha256, h))
    numbered = bool(h.identifier and h.number)
    label = h.identifier if numbered else (h.title or doc.source)
    _describe(g, me, label=label, identifier=h.identifier if numbered else None, title=h.title,
              doc_type=h.doc_type, number=h.number, date=h.date, issuer=h.issuer,
              place=h.jurisdiction or jurisdiction_of(h.issuer))
    g.add((me, KG.source, Literal(doc.source)))
    g.add((me, KG.inCorpus, Literal(True)))
    if doc.sha256:
        g.add((me, KG.sha256, Literal(doc.sha256)))
    tasks = _task_nodes(g, doc, me)

    if doc.effective:
        g.add((me, KG.effective, Literal(doc.effective, datatype=XSD.date)))
        g.add((me, ELI.first_date_entry_in_force, Literal(doc.effective, datatype=XSD.date)))
    by_key = _citations(g, doc, me, tasks)
    for k, e in enumerate(doc.effects):
        _effect(g, doc, me, k, e, by_key)
    return graph_iri(doc.source), g


def _edge(g, s: URIRef, prop: URIRef, o: URIRef) -> None:
    """Every relation edge is stated with its own property and with kg:restsOn, the super-property
    the shipped queries follow (ontology/relations.ttl)."""
    g.add((s, prop, o))
    g.add((s, KG.restsOn, o))


def _citations(g, doc: Document, me: URIRef, tasks: dict[str, URIRef]) -> dict[str, tuple[URIRef, Citation]]:
    """Each citation: the cited node, the edge from its task (and the document) with the citation's
    relation (căn cứ / dẫn chiếu), and its mention. A citation in another's subject links the outer
    document to the inner one, with the act the outer one's title reports, if any."""
    h = doc.header
    by_key: dict[str, tuple[URIRef, Citation]] = {}
    reported = {(r.source, r.target): r for r in doc.reported_effects}
    for i, c in enumerate(doc.citations):
        node = URIRef(cited_iri(c, doc))
        if node == me:
            continue  # the document citing itself by number ("ban hành kèm theo Quyết định số ...")
        by_key.setdefault(c.key, (node, c))
        key = identifier_key(c.identifier) if c.identifier else None
        _describe(g, node, label=c.identifier or c.title, identifier=c.identifier, title=c.title,
                  doc_type=c.doc_type, number=c.number, date=c.date, issuer=c.issuer,
                  place=scope(key, c.issuer, h.jurisdiction) if key else jurisdiction_of(c.issuer),
                  subject=c.subject)
        citer = tasks.get(c.task or "", me)
        outer_node, outer_c = by_key.get(c.cited_by, (None, None)) if c.cited_by else (None, None)
        if outer_node == node or (outer_c is not None and _later(c, outer_c)):
            outer_node = None  # a document cannot rest on one issued after it: a list read as nesting
        if outer_node is None:
            concept, prop = RELATIONS.get(c.relation, RELATIONS["cites"])
            _edge(g, citer, prop, node)
            if citer != me:
                _edge(g, me, prop, node)
        else:  # the outer document rests on the inner one; the citer reaches it through the outer
            r = reported.get((outer_c.key, c.key))
            concept, prop = RELATIONS[r.act.value if r else "cites"]
            for target in _targets(g, node, c.identifier or c.title, r.scope if r else "whole"):
                _edge(g, outer_node, prop, target)
        _mention(g, doc, me, i, c, node, citer, concept, outer_node)
    return by_key


def _targets(g, node: URIRef, label: str | None, scope) -> list[URIRef]:
    """What an act falls on: the document, or for a partial act each provision (an
    eli:LegalResourceSubdivision that is part of it: ELI's way to say the act is partial)."""
    if scope == "whole" or not scope:
        return [node]
    out = []
    for p in scope:
        sub = URIRef(f"{node}/{slug(p)}")
        g.add((sub, RDF.type, ELI.LegalResourceSubdivision))
        g.add((sub, ELI.is_part_of, node))
        g.add((sub, RDFS.label, Literal(f"{p} {label or ''}".strip())))
        g.add((sub, KG.kind, Literal("provision")))
        out.append(sub)
    return out


def _effect(g, doc: Document, me: URIRef, k: int, e, by_key: dict[str, tuple[URIRef, Citation]]) -> None:
    """An act of this document on another (kg/extract/effects.py), with its operative sentence."""
    hit = by_key.get(e.target or e.target_title or "")
    if hit is None:
        return
    node, c = hit
    concept, prop = RELATIONS[Act(e.act).value]
    for target in _targets(g, node, c.identifier or c.title, e.scope):
        _edge(g, me, prop, target)
    m = URIRef(f"{_reading(me, doc.source)}/effect/{k}")
    g.add((m, RDF.type, KG.Mention))
    g.add((m, KG.cited, node))
    g.add((m, KG.citing, me))
    g.add((m, KG.inDocument, me))
    g.add((m, KG.relation, concept))
    g.add((m, KG.source, Literal(doc.source)))
    g.add((m, KG.line, Literal(e.line, datatype=XSD.integer)))
    g.add((m, KG.quote, Literal(e.evidence)))
    g.add((m, KG.partial, Literal(e.partial, datatype=XSD.boolean)))
    g.add((m, PROV.wasDerivedFrom, me))
    for p in (e.scope if e.partial else []):
        g.add((m, KG.scope, Literal(p)))
    if e.effective:
        g.add((m, KG.effective, Literal(e.effective, datatype=XSD.date)))


