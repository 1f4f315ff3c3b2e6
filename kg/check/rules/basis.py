"""`basis.*`: in a normative document, a "Căn cứ" that is not normative, an individual decision,
or a document of lower legal force.

What counts as normative and how strong a document is comes from ``kg.check.force`` (the tables of
``kg/check/data/legal_basis.yaml``), shared with the graph's validity facts.
"""

from __future__ import annotations

from typing import Iterator

from kg.check.bodies import body_of, issuer_family
from kg.check.doc import Cite, Doc, cited_date, quote
from kg.check.force import is_normative, rank_of
from kg.check.rule import Hit, rule
from kg.check.tables import issuer_class
from kg.models import Form


def _citing(d: Doc) -> tuple[bool, int | None]:
    """Whether the citing document is normative (the basis rules apply only then), and its rank."""
    h = d.doc.header
    norm = is_normative(h.doc_type, d.header_sym)
    if not norm:
        return False, None
    return True, rank_of(h.doc_type, d.header_sym, h.issuer)


REF_BASIS = ("Nghị định 34/2016/NĐ-CP Điều 61 khoản 1", "Decree 34/2016/NĐ-CP art. 61(1)")


@rule("basis.not-normative", "error",
      ("Căn cứ là văn bản hành chính", "Legal basis is not a normative document"),
      {"": ("“{quote}”: {what} không phải văn bản quy phạm pháp luật nên không làm căn cứ ban hành được "
            "(Nghị định 34/2016/NĐ-CP Điều 61 khoản 1); nếu cần, dẫn ở “Thực hiện ...”",
            "“{quote}”: {what_en} is not a normative document and cannot be a legal basis "
            "(Decree 34/2016/NĐ-CP art. 61(1)); cite it under “Thực hiện ...” instead")},
      REF_BASIS)
def basis_not_normative(d: Doc) -> Iterator[Hit]:
    """Only normative documents can be the "Căn cứ" of a normative document; a Kế hoạch, a Công văn,
    a party resolution belong in "Thực hiện ..." (the common local drafting error)."""
    norm, _ = _citing(d)
    if not norm:
        return
    for x in _basis_cites(d, named=True):
        what = _non_normative(d, x)
        if what is None:
            continue
        yield Hit(x.c.start, x.c.end, dict(quote=quote(x.c.text), what=what[0], what_en=what[1]), citation=x.c)


def _basis_cites(d: Doc, named: bool = False) -> Iterator[Cite]:
    """The "Căn cứ" citations of the document's own preamble (with ``named``: those cited by name too)."""
    for x in d.cites:
        if x.c.relation == "based_on" and x.c.cited_by is None:
            yield x
    if named:
        yield from d.named_basis


def _non_normative(d: Doc, x: Cite) -> tuple[str, str] | None:
    """Why a basis is no normative document, as (vi, en) words for the message; None when it may be."""
    s = x.sym
    if s is not None and (s.form is Form.PARTY or issuer_class(s.issuer) == "party"):
        return ("văn bản của Đảng", "a party document")
    if s is None and x.c.issuer:  # cited by name: the body the extractor resolved tells
        if issuer_family(body_of(x.c.issuer)) == "party":
            return ("văn bản của Đảng", "a party document")
    dt = d.g.doc_type(x.c.doc_type) if x.c.doc_type else None
    if dt is None or dt.name in d.t.basis_exempt:
        return None
    if not dt.normative and dt.name not in d.t.normative_with_year:
        return (f"{dt.name.lower()} là văn bản hành chính", f"a {dt.en.lower()} is an administrative document")
    return None


@rule("basis.individual", "warning",
      ("Căn cứ là văn bản cá biệt", "Legal basis is an individual decision"),
      {"": ("“{quote}”: số hiệu không có năm nên đây là {type} cá biệt, không phải văn bản quy phạm pháp luật "
            "(Nghị định 34/2016/NĐ-CP Điều 61 khoản 1)",
            "“{quote}”: a number without a year makes this an individual {type_en}, not a normative document "
            "(Decree 34/2016/NĐ-CP art. 61(1))")},
      REF_BASIS)
def basis_individual(d: Doc) -> Iterator[Hit]:
    """A Quyết định or Nghị quyết numbered "1746/QĐ-TTg" is an individual (administrative) act;
    normative ones carry the year ("18/2011/QĐ-TTg"). Older than 1997 the rule was different."""
    norm, _ = _citing(d)
    if not norm:
        return
    for x in _basis_cites(d):
        s = x.sym
        if s is None or s.form is not Form.ADMINISTRATIVE or x.c.doc_type not in d.t.normative_with_year:
            continue
        if _non_normative(d, x) is not None:
            continue
        when = cited_date(x)
        if when is not None and when.year < 1997:
            continue
        dt = d.g.doc_type(x.c.doc_type)
        yield Hit(x.c.start, x.c.end, dict(quote=quote(x.c.text), type=x.c.doc_type.lower(),
                                            type_en=dt.en.lower() if dt else x.c.doc_type), citation=x.c)


@rule("basis.lower-rank", "error",
      ("Căn cứ có hiệu lực thấp hơn", "Legal basis of lower force"),
      {"": ("“{quote}” ({cited}) có hiệu lực pháp lý thấp hơn văn bản đang soạn ({citing}) nên không làm căn cứ được "
            "(Luật Ban hành VBQPPL 2015 Điều 4; Nghị định 34/2016/NĐ-CP Điều 61 khoản 1)",
            "“{quote}” ({cited_en}) has lower legal force than this document ({citing_en}) and cannot be its basis "
            "(Law on Legal Documents 2015 art. 4; Decree 34/2016/NĐ-CP art. 61(1))")},
      ("Luật Ban hành VBQPPL 2015 Điều 4; Nghị định 34/2016/NĐ-CP Điều 61 khoản 1",
       "Law on Legal Documents 2015 art. 4; Decree 34/2016/NĐ-CP art. 61(1)"))
def basis_lower_rank(d: Doc) -> Iterator[Hit]:
    """A basis must have higher legal force than the document built on it: a provincial decision
    cannot rest on a district one, nor a decree on a circular."""
    norm, rank = _citing(d)
    if not norm or rank is None:
        return
    for x in _basis_cites(d):
        if _non_normative(d, x) is not None or not is_normative(x.c.doc_type, x.sym):
            continue
        r = rank_of(x.c.doc_type, x.sym, x.c.issuer)
        if r is None or r <= rank:
            continue
        lab = d.t.labels
        yield Hit(x.c.start, x.c.end, dict(quote=quote(x.c.text), cited=lab[r]["vi"], citing=lab[rank]["vi"],
                                            cited_en=lab[r]["en"], citing_en=lab[rank]["en"]), citation=x.c)
