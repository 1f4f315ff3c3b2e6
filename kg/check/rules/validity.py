"""`validity.*`: a cited document that a registry table or the built graph marks as replaced,
repealed or expired as of the citing document's date.

The rule asks the document's provider (``kg.check.facts``); it never reads a table itself.
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from kg.check.bodies import place_in
from kg.check.doc import Cite, Doc, cited_date, fmt, iso_date, quote
from kg.check.facts import CitedRef, Status
from kg.check.rule import Hit, rule
from kg.check.tables import issuer_class, tables
from kg.grammar import code_key
from kg.grammar.symbols import code_type, identifier_key, parse_symbol
from kg.models import Form


_STATUS_WORDS = {
    "replaced": ("đã bị thay thế", "has been replaced"),
    "repealed": ("đã bị bãi bỏ", "has been repealed"),
    "expired": ("đã hết hiệu lực", "is no longer in force"),
    "partly": ("đã hết hiệu lực một phần", "is partly no longer in force"),
}


@rule("validity.out-of-force", "error",
      ("Dẫn văn bản đã hết hiệu lực", "Cites a document no longer in force"),
      {"": ("“{quote}” {status_vi}{by_vi}{since_vi} (theo {source})",
            "“{quote}” {status_en}{by_en}{since_en} (per {source})")},
      ("Nghị định 34/2016/NĐ-CP Điều 61 khoản 1 (căn cứ phải đang có hiệu lực)",
       "Decree 34/2016/NĐ-CP art. 61(1) (a basis must be in force)"))
def validity_out_of_force(d: Doc) -> Iterator[Hit]:
    """A plan or decision signed today should not rest on a document that a newer one replaced;
    the registry (or the graph) says which and since when. The text's own "thay thế"/"bãi bỏ"
    mentions, and mentions of the old document next to its replacement, are the writer knowing."""
    if d.provider is None:
        return
    when = d.day or d.latest or d.today
    cited = {identifier_key(x.c.identifier) for x in d.cites}
    own = identifier_key(d.doc.header.identifier) if d.doc.header.identifier else None
    done: set[str] = set()
    for x in d.cites:
        key = identifier_key(x.c.identifier)
        if key in done or x.c.effect in ("replaces", "repeals") or x.sym is None:
            continue
        ref = _ref(x)
        for st in d.provider.lookup(ref):
            if not st.out_of_force:
                continue
            by_keys = {identifier_key(b) for b in st.replaced_by}
            if own and own in by_keys:
                continue
            if x.c.relation != "based_on" and by_keys & cited:
                continue
            since = iso_date(st.since)
            if since is None and (d.day or d.latest):
                continue  # no date of change, a dated citing document: cannot tell
            if since is not None and since > when:
                continue
            done.add(key)
            yield Hit(x.c.start, x.c.end, _validity_params(x, st, since), "",
                      x.c, "warning" if st.status == "partly" else None)
            break


def _ref(x: Cite) -> CitedRef:
    """What the registry needs to pick the cited document's row: its key, date and province."""
    s = x.sym
    cls = issuer_class(s.issuer) if s and s.issuer else None
    t = tables()
    local = cls in t.local_classes or (cls == "party" and code_key(s.issuer or "") in t.local_party)
    place = place_in(x.c.issuer) if x.c.issuer else None
    when = cited_date(x)
    return CitedRef(key=identifier_key(x.c.identifier), identifier=x.c.identifier,
                    date=when.isoformat() if when else None, jurisdiction=place, local=local,
                    yearless=s is not None and s.form is not Form.NORMATIVE)


def _named(ident: str, lang: str) -> str:
    """ "08/2026/QĐ-UBND" -> "Quyết định số 08/2026/QĐ-UBND": the reader sees what replaced it."""
    s = parse_symbol(ident)
    dt = code_type(s) if s else None
    if dt is None:
        return ident
    return f"{dt.name} số {ident}" if lang == "vi" else f"{dt.en} {ident}"


def _validity_params(x: Cite, st: Status, since: date | None) -> dict:
    by = ", ".join(_named(b, "vi") for b in st.replaced_by)
    by_en = ", ".join(_named(b, "en") for b in st.replaced_by)
    note = st.note if st.note and st.note != "unknown-change-date" else None
    return dict(
        quote=quote(x.c.text), source=st.source,
        status_vi=_STATUS_WORDS[st.status][0], status_en=_STATUS_WORDS[st.status][1],
        by_vi=(f" bởi {by}" if by else "") + (f" ({note})" if note else ""),
        by_en=(f" by {by_en}" if by_en else "") + (f" ({note})" if note else ""),
        since_vi=(f" từ {fmt(since)}" if since and st.note != "unknown-change-date"
                  else f" (trạng thái tại {fmt(since)})" if since else " (không rõ từ ngày nào)"),
        since_en=(f" since {fmt(since)}" if since and st.note != "unknown-change-date"
                  else f" (status as of {fmt(since)})" if since else " (date unknown)"))
