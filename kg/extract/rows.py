"""The rows of a task table as tasks: text, lead, partners, deadline and product, with ids that
follow the table's STT under the appendix (or section) that holds it (kg/extract/tables.py reads
the table; this module turns it into the records of kg/models.py)."""

from __future__ import annotations

from kg.extract.tables import Table
from kg.models import AgencyRole, Document, Section, Task


def _prefix(doc: Document, zone_prefix: str, start: int) -> str:
    if zone_prefix:
        return zone_prefix
    inside = [s for s in doc.sections if s.start <= start < s.end]
    return max(inside, key=lambda s: s.start).id if inside else ""


def emit_rows(doc: Document, table: Table, zone_prefix: str, F: str, orig, in_span, seen: set[str],
              action_re, canon, periods) -> None:
    """Append one Task per row of ``table`` (a group row "I | NHÓM ..." is a Section)."""
    base = _prefix(doc, zone_prefix, orig(table.start))
    section = next((s for s in doc.sections if s.id == base), None)
    groups: dict[str, Section] = {}
    for r in table.rows:
        rid = f"{base}.{r.stt}" if base else r.stt
        n = 1
        while rid in seen:
            n += 1
            rid = f"{base}.{r.stt}~{n}" if base else f"{r.stt}~{n}"
        seen.add(rid)
        text_cell = r.cells.get("text")
        text = " ".join(text_cell.text.split()) if text_cell else ""
        if r.group:
            sec = Section(rid, text.rstrip(" .:"), orig(r.start), orig(r.end), section.id if section else None)
            doc.sections.append(sec)
            groups[r.stt] = sec
            continue
        group = groups.get(r.stt.split(".")[0]) if "." in r.stt else None

        def names(kind: str) -> list[str]:
            c = r.cells.get(kind)
            out: list[str] = []
            for m in in_span(c.start, c.end) if c else []:
                if m.name not in out:
                    out.append(m.name)
            return out

        lead, partners = names("lead"), names("partners")
        agencies = [AgencyRole(a, "lead") for a in lead] + [AgencyRole(a, "partner") for a in partners]
        m = action_re.match(text.lower())
        deadline = r.cells.get("deadline")
        product = r.cells.get("product")
        owner = group or section
        doc.tasks.append(Task(
            rid, owner.id if owner else None, owner.heading if owner else None, None,
            canon.get(" ".join(m.group().split())) if m else None, text, orig(r.start), orig(r.end), kind="row",
            periods=periods.within(deadline.start, deadline.end) if deadline else [],
            agencies=agencies, lead=lead, partners=partners,
            deadline=" ".join(deadline.text.split()) if deadline else None,
            product=" ".join(product.text.split()) if product else None))
