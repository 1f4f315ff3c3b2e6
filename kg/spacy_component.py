"""The citation engine as a spaCy pipeline component: ``nlp.add_pipe("legal_citations")``.

NLP teams already hold their text in spaCy ``Doc`` objects; this component lets them get the
engine's citations there, as spans they can filter, count, render and serialise with the tools they
know, without learning ``kg``'s own records.

The engine always reads ``doc.text`` itself: its grammar works on characters (symbols such as
``42/2022/NQ-HĐND`` that spaCy tokenizers cut up differently per language, citations wrapped over
hard line breaks) and its results must not depend on which tokenizer the pipeline happens to use.
spaCy's tokens are only the coordinates the results are reported in, so the one hard part here is
alignment (see ``LegalCitations._align``).

This module is imported by spaCy every time any ``Language`` is created (the ``spacy_factories``
entry point), in every project of the environment, so it defers its own imports of the engine
until a component runs. (Importing it still runs ``kg/__init__``, which loads the engine: about
50 ms once per process.)
"""

from __future__ import annotations

import re
import warnings
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import numpy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

DEFAULT_SPANS_KEY = "legal_citations"
ALIGNMENTS = ("split", "expand")

LEGAL_DOC = "LEGAL_DOC"  # numbered documents of the state (Nghị định 55/2011/NĐ-CP, Quyết định ...)
LAW = "LAW"  # laws and codes, by name or number (Luật, Bộ luật, Hiến pháp, Pháp lệnh)
PARTY_DOC = "PARTY_DOC"  # documents of Party bodies (06-NQ/TU, Nghị quyết Hội nghị Trung ương 6 khóa IX)
SHORT_REF = "SHORT_REF"  # a short form pointing back at a document cited in full earlier
NAMED_DOC = "NAMED_DOC"  # other documents cited by name only (programmes, plans, strategies)
LABELS = (LEGAL_DOC, LAW, PARTY_DOC, SHORT_REF, NAMED_DOC)

COLORS = {
    LEGAL_DOC: "#7aecec",
    LAW: "#feca74",
    PARTY_DOC: "#ff9561",
    SHORT_REF: "#dddddd",
    NAMED_DOC: "#bfe1d9",
}

_LAW_TYPES = frozenset({"luật", "bộ luật", "hiến pháp", "pháp lệnh"})
# Canonical names of local Party bodies carry the place ("Tỉnh ủy Tây Ninh", "Ban Chấp hành Đảng bộ
# tỉnh Sóc Trăng"), so they cannot be looked up in the issuer table as they are.
_LOCAL_PARTY = re.compile(r"\b(?:Tỉnh|Thành|Huyện|Quận|Thị|Đảng)\s+[uủ][yỷ]\b|\bĐảng\b", re.IGNORECASE)

# Token-level annotation that a split would leave wrong on the new sub-tokens (spaCy copies
# neighbouring token structs into the new slots): with any of these (or sentence boundaries),
# spans are expanded instead.
_TOKEN_ANNOTATION = ("TAG", "POS", "MORPH", "LEMMA", "DEP")


@lru_cache(maxsize=1)
def _party_issuers() -> tuple[frozenset[str], frozenset[str]]:
    """(codes, names) of Party bodies, from the grammar tables the engine itself uses."""
    from kg.grammar import code_key, grammar

    codes: set[str] = set()
    names: set[str] = set()
    for i in grammar().issuers:
        if i.level == "party" or i.party_body:
            codes.update(code_key(c) for c in i.codes)
            names.add(i.name)
    return frozenset(codes), frozenset(names)


@lru_cache(maxsize=1)
def _state_codes() -> frozenset[str]:
    from kg.grammar import code_key, grammar

    party_codes, _ = _party_issuers()
    return frozenset(code_key(c) for i in grammar().issuers for c in i.codes) - party_codes


def _party_symbol(identifier: str | None) -> bool:
    """A Party-style symbol ("06-NQ/TU": type before the slash, body after it) of a Party body.

    The shape alone is not enough: "50-NQ/CP" is a Government resolution printed in that style, and
    the body code after the slash says so. Unknown body codes (TGV, ĐCT) are Party committees far
    more often than state bodies, which always use the "số/TYPE-BODY" order.
    """
    if not identifier:
        return False
    from kg.grammar import code_key
    from kg.grammar.symbols import parse_symbol
    from kg.models import Form

    sym = parse_symbol(identifier)
    if sym is None or sym.form is not Form.PARTY:
        return False
    codes = [code_key(c) for c in sym.issuer_codes]
    party_codes, _ = _party_issuers()
    state = _state_codes()
    return not codes or any(c in party_codes or c not in state for c in codes)


def _party_issuer(issuer: str | None) -> bool:
    if not issuer:
        return False
    return issuer in _party_issuers()[1] or bool(_LOCAL_PARTY.search(issuer))


def label_of(citation: dict[str, Any]) -> str:
    """The span label: the family of the cited document, which is what readers filter by.

    The order matters: a short form stays SHORT_REF whatever it points at (it is a mention, not a
    full citation); a law stays LAW however it is cited; Party documents are told by their symbol,
    or for those cited by name, by their issuer.
    """
    kind = citation.get("kind")
    if kind == "short":
        return SHORT_REF
    if (citation.get("doc_type") or "").casefold() in _LAW_TYPES:
        return LAW
    if kind == "numbered":
        return PARTY_DOC if _party_symbol(citation.get("identifier")) else LEGAL_DOC
    return PARTY_DOC if _party_issuer(citation.get("issuer")) else NAMED_DOC


class LegalCitations:
    """Runs the citation engine on ``doc.text`` and reports its citations as spans.

    Each span in ``doc.spans[spans_key]`` covers exactly ``text[start:end]`` of one engine citation,
    in the engine's order, overlapping ones included (an amending law's title holds the amended
    law's); ``span._.citation`` is the engine's full record (``dataclasses.asdict``), so nothing
    the engine knows is lost on the way into spaCy.

    No ``pipe`` method: the engine has nothing to share between texts (its caches are
    module-level already), so spaCy's default one-doc-at-a-time ``pipe`` is as fast, and it keeps
    spaCy's error handler and ``n_process`` working unchanged.
    """

    def __init__(self, nlp: Language, name: str = "legal_citations", *,
                 spans_key: str = DEFAULT_SPANS_KEY, set_ents: bool = False, alignment: str = "split"):
        if alignment not in ALIGNMENTS:
            raise ValueError(f"alignment must be one of {ALIGNMENTS}, not {alignment!r}")
        self.name = name
        self.spans_key = spans_key
        self.set_ents = set_ents
        self.alignment = alignment
        self._warned = False
        if not Span.has_extension("citation"):
            Span.set_extension("citation", getter=_get_citation, setter=_set_citation)

    def __call__(self, doc: Doc) -> Doc:
        from kg.extract import extract_text

        citations = [asdict(c) for c in extract_text(doc.text).citations]
        spans = self._align(doc, citations)
        for span, record in zip(spans, citations):
            span._.citation = record
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        if self.set_ents:
            _set_ents(doc, spans)
        return doc

    def _align(self, doc: Doc, citations: list[dict[str, Any]]) -> list[Span]:
        """One span per citation, covering its characters exactly whenever that can be done.

        spaCy's own modes fail at the edges legal text is full of: a citation ends at the end of
        its number, and the next character is very often ".", ",", ";", ")" or "”". The Vietnamese
        tokenizer without pyvi splits on whitespace only, so "1364/QĐ-UBND." is one token;
        ``alignment_mode="contract"`` then drops the token and with it the number, and "expand"
        keeps the "." in the span. In "split" mode the glued token is cut at the citation's edge
        (``Doc.retokenize().split``), so the span is exact and the number is its last token.

        A split changes the tokens, which is only safe before anything annotates them: if the doc
        already carries tags, lemmas or a parse, or when ``alignment="expand"``, spans are expanded
        to whole tokens instead (the number kept, a glued character included); the exact offsets
        stay in ``span._.citation``.
        """
        if self.alignment == "split" and citations:
            cuts = _cuts(doc, {b for c in citations for b in (c["start"], c["end"])})
            annotated = _annotated(doc) if cuts else []
            if not annotated:
                _split(doc, cuts)
            elif not self._warned:
                self._warned = True
                warnings.warn(f"{self.name}: the doc already has {', '.join(annotated)} annotation, so "
                              "citation spans are expanded to whole tokens instead of splitting "
                              "tokens; put the component first in the pipeline for exact spans",
                              stacklevel=2)
        spans = []
        for c in citations:
            label = label_of(c)
            kb_id = c["identifier"] or ""
            span = doc.char_span(c["start"], c["end"], label=label, kb_id=kb_id)
            if span is None:
                span = doc.char_span(c["start"], c["end"], label=label, kb_id=kb_id, alignment_mode="expand")
            spans.append(span)
        return spans


def _annotated(doc: Doc) -> list[str]:
    """Which token annotation the doc already has (arrays: a loop over Token objects is slow)."""
    if not len(doc):
        return []
    arr = doc.to_array([*_TOKEN_ANNOTATION, "SENT_START"])
    found = [a for a, p in zip(_TOKEN_ANNOTATION, arr[:, :-1].any(axis=0)) if p]
    if arr[1:, -1].any():  # the first token is always a sentence start
        found.append("SENT_START")
    return found


def _user_key(span: Span) -> tuple[str, int, int]:
    return ("kg.citation", span.start_char, span.end_char)


def _set_citation(span: Span, record: dict[str, Any] | None) -> None:
    span.doc.user_data[_user_key(span)] = record


def _get_citation(span: Span) -> dict[str, Any] | None:
    """The record, stored in ``doc.user_data`` so ``DocBin`` and ``n_process`` carry it along.

    msgpack hands lists back as tuples, which would make a record read back from a DocBin (or
    from another process) differ from ``asdict`` of the same citation; they are lists again on
    first read.
    """
    record = span.doc.user_data.get(_user_key(span))
    if record is not None and any(isinstance(v, tuple) for v in record.values()):
        record = {k: list(v) if isinstance(v, tuple) else v for k, v in record.items()}
        span.doc.user_data[_user_key(span)] = record
    return record


def _cuts(doc: Doc, offsets: set[int]) -> dict[int, list[int]]:
    """{token index: offsets inside the token} for the tokens that have a citation edge inside."""
    if not len(doc) or not offsets:
        return {}
    # Arrays, not a loop over tokens: creating a Token object per token costs more than the engine.
    idx, length = doc.to_array(["IDX", "LENGTH"]).T
    bounds = numpy.fromiter(offsets, dtype=idx.dtype, count=len(offsets))
    i = numpy.searchsorted(idx, bounds, side="right") - 1
    inside = (i >= 0) & (bounds > idx[i]) & (bounds < idx[i] + length[i])
    cuts: dict[int, list[int]] = {}
    for ti, b in zip(i[inside].tolist(), bounds[inside].tolist()):
        cuts.setdefault(ti, []).append(b - int(idx[ti]))
    return cuts


def _split(doc: Doc, cuts: dict[int, list[int]]) -> None:
    """Cut the tokens at the given offsets (relative to each token).

    Cutting only adds token boundaries, so every span that existed before still has tokens at its
    character offsets: span groups set by earlier components are rebuilt from those offsets,
    because a ``SpanGroup`` stores token indices that a split would silently shift.
    """
    if not cuts:
        return
    groups = {key: [(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group]
              for key, group in doc.spans.items() if len(group)}
    attrs = {key: dict(doc.spans[key].attrs) for key in groups}
    with doc.retokenize() as retok:
        for i, rel in cuts.items():
            t = doc[i]
            edges = [0, *sorted(rel), len(t.text)]
            orths = [t.text[a:b] for a, b in zip(edges, edges[1:])]
            # The first piece keeps the token's head; the others hang on it (a no-op without a parse).
            retok.split(t, orths, heads=[t.head, *[(t, 0)] * (len(orths) - 1)])
    for key, spans in groups.items():
        doc.spans[key] = SpanGroup(doc, name=key, attrs=attrs[key], spans=[
            doc.char_span(s, e, label=label, kb_id=kb_id, span_id=span_id)
            for s, e, label, kb_id, span_id in spans])


def _set_ents(doc: Doc, spans: list[Span]) -> None:
    """Citations win over overlapping entities set earlier; among themselves, the longest wins.

    ``doc.ents`` cannot overlap, and nested citations (an amending law's title holding the
    amended law's) are common, so the entity view is a lossy summary: the span group keeps all.
    """
    kept = filter_spans(spans)
    taken = {i for s in kept for i in range(s.start, s.end)}
    others = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
    doc.ents = sorted(kept + others, key=lambda s: s.start)


@Language.factory(
    "legal_citations",
    default_config={"spans_key": DEFAULT_SPANS_KEY, "set_ents": False, "alignment": "split"},
    assigns=["doc.spans", "doc.ents", "span._.citation"],
    retokenizes=True,
)
def make_legal_citations(nlp: Language, name: str, spans_key: str, set_ents: bool,
                         alignment: str) -> LegalCitations:
    """Decorated at module level because importing this module through the ``spacy_factories``
    entry point is what registers the factory: users never import ``kg`` themselves."""
    return LegalCitations(nlp, name, spans_key=spans_key, set_ents=set_ents, alignment=alignment)


def render_citations(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY, *, page: bool = False,
                     options: dict[str, Any] | None = None) -> str:
    """displaCy's span view of the citations, as an HTML string (for ``kg annotate`` or a notebook).

    Always a string, never a notebook display: ``displacy.render`` would display and return
    None inside Jupyter, which would make the helper behave differently in the notebook. Each
    label shows the cited number (the span's ``kb_id``) beside it.
    """
    opts = {"spans_key": spans_key, "colors": COLORS, **(options or {})}
    return displacy.render(doc, style="span", options=opts, page=page, jupyter=False)
