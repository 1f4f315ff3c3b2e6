"""The tree of units as records: sections, tasks with their action, agencies and roles,
conditions and periods, and each citation on the innermost task that holds it."""

from __future__ import annotations

import bisect
import re

from kg.extract.agencies import Mention, gazetteer
from kg.extract.roles import cues as agency_cues  # the role words of actions.yaml
from kg.extract.roles import is_assigning, roles
from kg.extract.structure_grammar import LEAD_CLAUSE, actor_openers, attribute_heading_re
from kg.extract.structure_outline import SECTION_KINDS, Node
from kg.ingest.normalize import Folded, fold_key, folded_key
from kg.models import AgencyRole, Document, Section, Task


def line_agency(F: str, mentions: list[Mention], m_starts: list[int]):
    """Does the line F[a:b] open with an agency? (a flattened table's lead cell)"""
    heads = gazetteer().cand_re  # the first words of agency names: "Ban Quản lý ..." not in the gazetteer

    def test(a: int, b: int) -> bool:
        a += len(F[a:b]) - len(F[a:b].lstrip())
        k = bisect.bisect_left(m_starts, a)
        return (k < len(mentions) and mentions[k].start == a) or bool(heads.match(F, a, b))
    return test


def _own(F: str, node: Node) -> str:
    return " ".join(F[node.text_start:node.lead_end].split())


def subject_spans(doc: Document, folded: Folded) -> list[tuple[int, int]]:
    """Original spans of each citation with its subject, where agencies are the cited ones' own."""
    out = []
    T = doc.text
    for c in doc.citations:
        e = c.end
        if c.subject:
            last = c.subject.rsplit(None, 1)[-1]
            at = T.find(last, c.end + len(c.subject) - len(last))  # the text has at least its spaces
            e = at + len(last) if at >= 0 else c.end
        out.append((c.start, e))
    return sorted(out)


def inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    k = bisect.bisect_right(spans, (a, float("inf")))
    return any(s <= a and b <= e for s, e in spans[max(0, k - 4):k])


class Spotter:
    """Matches of one pattern over the whole lower-cased text, handed out per task span."""

    def __init__(self, rx: re.Pattern[str], low: str, F: str, lo: int, hi: int, spans, orig):
        self.hits = [(m.start(), m.end(), " ".join(F[m.start():m.end()].strip(" ()").split()))
                     for m in rx.finditer(low, lo, hi) if not low[m.start() - 1].isalnum()
                     and not inside(spans, orig(m.start()), orig(m.end()))]
        self.starts = [h[0] for h in self.hits]

    def within(self, a: int, b: int) -> list[str]:
        out: list[str] = []
        for s, e, v in self.hits[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]:
            if e <= b and v not in out:
                out.append(v)
        return out


def classify(root: Node, F: str, in_span) -> None:
    """Which numbered units are headings (sections) and which are tasks."""
    def walk(n: Node, under_task: bool) -> None:
        for k in n.children:
            if under_task or k.kind in ("article", "bullet", "para"):
                k.is_section = False
            elif attribute_heading_re().match(folded_key(_own(F, k))):
                k.is_section = k.attribute = True  # "2. Cơ quan chủ trì, phối hợp": a label, its items no tasks
            elif k.kind in SECTION_KINDS:
                k.is_section = True
            else:
                own = _own(F, k)
                subj = in_span(k.text_start, k.lead_end)
                k.is_section = bool(k.children) and len(own) <= 150 and not own.endswith(";") and not (
                    subj and folded_key(F[k.text_start:subj[0].start]) in ("", *actor_openers()))
            walk(k, under_task or not k.is_section)
    walk(root, False)


def _action(low: str, k: Node, subj: list[Mention], action_re, canon, parent_action: str | None) -> str | None:
    """The verb that opens the task, after its actor if it names one; a bare item of a list
    ("+ Kế hoạch số ...") under "Tiếp tục triển khai:" does what the list's lead-in says."""
    at = k.text_start
    if subj and not low[at:subj[0].start].strip(" \t\n-"):
        at = subj[0].end
    m = action_re.match(" ".join(low[at:min(k.lead_end, at + 160)].split()).lstrip(" ,:("))
    if m:
        return canon.get(" ".join(m.group().split()))
    return parent_action


def _title(own: str) -> str | None:
    t = re.split(r"(?<=[^\d\s])[.:](?=\s|$)", own, maxsplit=1)[0].strip()
    return t if t and len(t) <= 150 else None


def emit(n: Node, doc: Document, F: str, orig, section: Node | None, parent_task: str | None,
          article: Node | None, assigning: bool, inherited: list[AgencyRole], in_span, action_re, canon,
          conds: Spotter, periods: Spotter, low: str, parent_action: str | None = None) -> None:
    for k in n.children:
        own = _own(F, k)
        if k.is_section:
            heading = own.rstrip(" .:")
            doc.sections.append(Section(k.id, heading, orig(k.start), orig(k.end),
                                        section.id if section else None))
            emit(k, doc, F, orig, k, None, None, is_assigning(heading) or assigning, [], in_span, action_re,
                  canon, conds, periods, low)
            continue
        if n.attribute:  # "- Ban Chỉ đạo quốc gia." under "a) Cơ quan chủ trì": a body of the unit, no task
            continue
        art = k if k.kind == "article" else article
        depth = 0
        p = k
        while p is not None and p is not art:
            depth, p = depth + 1, p.parent
        kind = ("article" if k is art else "clause" if art and depth == 1 else "point" if art
                else "paragraph" if k.kind == "para" else "task")
        title = _title(own) if k.kind == "article" else None
        heading = (art and _title(_own(F, art))) or (section and _own(F, section).rstrip(" .:")) or None
        assigning_here = assigning or (k.kind == "article" and is_assigning(title))
        subj = in_span(k.text_start, k.lead_end)
        act = _action(low, k, subj, action_re, canon, parent_action)
        ar = roles(F, k.text_start, k.lead_end, subj, assigning_here)
        names = {(a.name, a.role) for a in ar}
        leads = (bool(act) and any(r == "lead" and fold_key(act).startswith(c) for c, r in agency_cues().before)
                 or bool(LEAD_CLAUSE.search(low, k.text_start, k.lead_end)))
        opens = act and next((r for c, r in agency_cues().before if fold_key(act).startswith(c)), None)
        for a in inherited:  # "1. Sở KH&CN:" then "a) Chủ trì, phối hợp ...": the agency leads that point
            if a.role in ("lead", "assigned"):  # the heading's actor: an item under an agency's heading
                # "- Phối hợp với ... tổ chức ...": the heading's actor is a partner of that item
                a = AgencyRole(a.name, "lead" if leads else "partner" if opens == "partner" else "assigned")
            if (a.name, a.role) not in names:
                ar.append(a)
                names.add((a.name, a.role))
        t = Task(k.id, section.id if section else None, heading, parent_task,
                 act, own, orig(k.start), orig(k.end), kind=kind,
                 conditions=conds.within(k.text_start, k.lead_end),
                 periods=periods.within(k.text_start, k.lead_end), agencies=ar)
        doc.tasks.append(t)
        only_actor = len(subj) == 1 and not (F[k.text_start:subj[0].start] + F[subj[0].end:k.lead_end]).strip(" \n:.")
        passed = [a for a in ar if a.role != "mentioned"] if own.endswith(":") or only_actor else []
        emit(k, doc, F, orig, section, k.id, art, assigning_here, passed, in_span, action_re, canon, conds,
              periods, low, act if own.endswith(":") else None)


def attach_citations(doc: Document, notes: list[tuple[int, int, int]] = ()) -> None:
    """Each citation to the innermost task holding it (a footnote's, to the task of its marker);
    tasks are in document order, outer first."""
    tasks = doc.tasks
    starts = [t.start for t in tasks]
    by_id = {t.id: t for t in tasks}
    note_starts = [a for a, _, _ in notes]
    for i, c in enumerate(doc.citations):
        at = c.start
        j = bisect.bisect_right(note_starts, at) - 1
        if j >= 0 and notes[j][0] <= at < notes[j][1]:
            at = notes[j][2]
        k = bisect.bisect_right(starts, at) - 1
        t = tasks[k] if k >= 0 else None
        while t is not None and not (t.start <= at < t.end):
            t = by_id.get(t.parent) if t.parent else None
        c.task = t.id if t else None
        if t:
            t.citations.append(i)
