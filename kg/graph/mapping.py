"""A Document -> the triples of its named graph.

Every citation becomes (1) a direct edge, task or document -> cited document (eli:based_on,
eli:cites, or the typed relation the text states), which is what queries walk, and (2) a
kg:Mention with the source file, offsets, the exact surface and the quoted sentence, which is
the evidence a legal officer reads. A citation nested in another's subject ("Kế hoạch 1341 ... về
thực hiện Nghị quyết 50-NQ/CP ...") also links the outer cited document to the inner one: the
plan 1341 rests on 50-NQ/CP, as the citing text itself says.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.graph.vocab import ELI, KG, PROV, RELATIONS, bind, type_concept
from kg.models import Citation, Document
from kg.resolve.identity import agency_iri, document_iri, graph_iri, id_key, jurisdiction_of, source_document_iri

_SENTENCE_END = re.compile(r"[.;:]\s|\n\s*[-+•*]\s|\n(?=\s*(?:Căn cứ|Theo đề nghị|Xét|Thực hiện)\b)")


def cited_iri(c: Citation, doc: Document) -> str:
    return document_iri(c.identifier, title=c.title, doc_type=c.doc_type, year=c.year, date=c.date,
                        issuer=c.issuer, symbol=c.symbol, jurisdiction=doc.header.jurisdiction)


def quote_of(doc: Document, c: Citation, limit: int = 320) -> str:
    """The sentence around a citation: its task's own text, else from the last clause end before
    it to the next one after (line breaks are not sentence ends: web text wraps mid-sentence)."""
    task = next((t for t in doc.tasks if t.id == c.task), None) if c.task else None
    if task is not None and task.start <= c.start and c.end <= task.end:
        text = " ".join(task.text.split())
        if len(text) <= 2 * limit and " ".join(c.text.split()) in text:
            return text
    T = doc.text
    a = max(0, c.start - limit)
    starts = [m.end() for m in _SENTENCE_END.finditer(T, a, c.start)]
    s = starts[-1] if starts else a
    m = _SENTENCE_END.search(T, c.end, min(len(T), c.end + limit))
    e = m.start() + 1 if m else min(len(T), c.end + limit)
    return " ".join(T[s:e].split())


def _level(issuer: str | None) -> str | None:
    if not issuer:
        return None
    if jurisdiction_of(issuer):
        return "province"
    if any(w in issuer for w in ("Đảng", "Bộ Chính trị", "Ban Bí thư", "Tỉnh ủy", "Thành ủy")):
        return "party"
    return "central"


def _describe(g: Graph, node: URIRef, *, label: str | None, identifier: str | None, title: str | None,
              doc_type: str | None, number: str | None, date: str | None, issuer: str | None,
              subject: str | None = None) -> None:
    g.add((node, RDF.type, ELI.LegalResource))
    g.add((node, KG.kind, Literal("document")))
    if label:
        g.add((node, RDFS.label, Literal(label)))
    if identifier:
        g.add((node, ELI.id_local, Literal(identifier)))
        g.add((node, KG.idKey, Literal(id_key(identifier))))
    if title:
        g.add((node, ELI.title, Literal(title)))
    if number:
        g.add((node, ELI.number, Literal(number)))
    t = type_concept(doc_type)
    if t is not None:
        g.add((node, ELI.type_document, t))
    if date:
        g.add((node, ELI.date_document, Literal(date, datatype=XSD.date)))
    if issuer:
        g.add((node, ELI.passed_by, URIRef(agency_iri(issuer))))
        g.add((URIRef(agency_iri(issuer)), RDF.type, KG.Agency))
        g.add((URIRef(agency_iri(issuer)), SKOS.prefLabel, Literal(issuer)))
        level = _level(issuer)
        if level:
            g.add((node, KG.issuerLevel, Literal(level)))
        j = jurisdiction_of(issuer)
        if j:
            g.add((node, ELI.jurisdiction, Literal(j)))
    if subject:
        g.add((node, KG.subject, Literal(subject)))


def document_graph(doc: Document) -> tuple[str, Graph]:
    """(named graph IRI, its triples) for one source document."""
    g = bind(Graph())
    h = doc.header
    me = URIRef(source_document_iri(doc.source, doc.sha256, h))
    label = h.identifier if h.number else (h.title or doc.source)
    _describe(g, me, label=label, identifier=h.identifier if h.number else None, title=h.title,
              doc_type=h.doc_type, number=h.number, date=h.date, issuer=h.issuer)
    g.add((me, KG.source, Literal(doc.source)))
    g.add((me, KG.inCorpus, Literal(True)))
    if doc.sha256:
        g.add((me, KG.sha256, Literal(doc.sha256)))
    if h.jurisdiction:
        g.add((me, ELI.jurisdiction, Literal(h.jurisdiction)))

    tasks: dict[str, URIRef] = {}
    for t in doc.tasks:
        node = URIRef(f"{me}/task/{quote(t.id, safe='.~-_')}")
        tasks[t.id] = node
        g.add((node, RDF.type, KG.Task))
        g.add((node, KG.kind, Literal("task")))
        g.add((node, KG.taskId, Literal(t.id)))
        g.add((node, RDFS.label, Literal(" ".join(t.text.split())[:300] or t.id)))
        g.add((node, ELI.is_part_of, me))
        g.add((node, KG.source, Literal(doc.source)))
        g.add((node, KG.start, Literal(t.start, datatype=XSD.integer)))
        g.add((node, KG.end, Literal(t.end, datatype=XSD.integer)))
        if t.section:
            g.add((node, KG.section, Literal(t.section)))
        if t.heading:
            g.add((node, KG.heading, Literal(t.heading)))
        if t.action:
            g.add((node, KG.action, Literal(t.action)))
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

    cited_nodes: dict[str, URIRef] = {}
    for i, c in enumerate(doc.citations):
        node = URIRef(cited_iri(c, doc))
        if node == me:
            continue  # the document citing itself by number ("ban hành kèm theo Quyết định số ...")
        cited_nodes.setdefault(c.identifier or c.title or "", node)
        _describe(g, node, label=c.identifier or c.title, identifier=c.identifier, title=c.title,
                  doc_type=c.doc_type, number=c.number, date=c.date, issuer=c.issuer, subject=c.subject)
        citer = tasks.get(c.task or "", me)
        relation = c.effect or c.relation
        concept, prop = RELATIONS.get(relation, RELATIONS["cites"])
        outer = cited_nodes.get(c.cited_by) if c.cited_by else None
        if outer is None or outer == node:  # a nested citation is reached through its outer document
            g.add((citer, prop, node))
            if citer != me:
                g.add((me, prop, node))
        m = URIRef(f"{me}/mention/{i}")
        g.add((m, RDF.type, KG.Mention))
        g.add((m, KG.cited, node))
        g.add((m, KG.citing, citer))
        g.add((m, KG.inDocument, me))
        g.add((m, KG.relation, concept))
        g.add((m, KG.source, Literal(doc.source)))
        g.add((m, KG.start, Literal(c.start, datatype=XSD.integer)))
        g.add((m, KG.end, Literal(c.end, datatype=XSD.integer)))
        g.add((m, KG.line, Literal(c.line, datatype=XSD.integer)))
        g.add((m, KG.surface, Literal(c.text)))
        g.add((m, KG.quote, Literal(quote_of(doc, c))))
        g.add((m, PROV.wasDerivedFrom, me))
        for p in c.pinpoints:
            g.add((m, KG.pinpoint, Literal(p)))
        if outer is not None and outer != node:
            g.add((m, KG.nestedIn, outer))
            g.add((outer, ELI.cites, node))  # the outer document rests on the inner one
    return graph_iri(doc.source), g


_ROLES = {"lead", "advised", "partner", "guidance", "assigned", "recipient", "signer", "mentioned"}
