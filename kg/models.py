"""The records every stage of the pipeline passes on.

They are plain dataclasses so that each stage (ingest -> extract -> resolve -> graph) can be read,
tested and serialised on its own; ``to_dict`` gives the JSON shape that ``kg extract`` prints.
Offsets (``start``/``end``) always point into ``Document.text``: the text as read from the source
(after decoding, before any folding), so ``text[start:end]`` is the exact surface.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Form(str, Enum):
    """The shape of a số hiệu (kg/grammar/data/symbols.yaml names the forms)."""

    NORMATIVE = "normative"  # 42/2022/NQ-HĐND: number / year / codes
    PARTY = "party"  # 06-NQ/TU: number - type / body
    ADMINISTRATIVE = "administrative"  # 01/QĐ-UBND, 574/UBND-NC: number / codes
    OLD = "old"  # 206-CP: the old Government style, a type word before it says what it is


@dataclass(frozen=True)
class Symbol:
    """A số hiệu taken apart, once, by ``kg.grammar.symbols``. Codes keep the case they were written in."""

    number: str
    form: Form
    year: int | None = None
    type_code: str | None = None  # the first code when it is a type code (NQ, QĐ, KH ...)
    issuer_codes: tuple[str, ...] = ()  # the codes after it: HĐND, UBND-NC, QH12
    symbol: str = ""  # everything after the number (and year): "NQ-HĐND", "NQ/TU", "CP"
    term: str | None = None  # "12" of QH12: the term of the body that numbered it

    @property
    def codes(self) -> tuple[str, ...]:
        return ((self.type_code,) if self.type_code else ()) + self.issuer_codes

    @property
    def issuer(self) -> str | None:
        return self.issuer_codes[0] if self.issuer_codes else None


@dataclass
class Header:
    """The citing document's own identity, read from its header block."""

    doc_type: str | None = None
    identifier: str | None = None  # as printed, e.g. "165/KH-UBND"; None when the number is blank ("Số: /KH-KHCN")
    number: str | None = None
    symbol: str | None = None  # "KH-UBND", also when the number is blank
    year: int | None = None
    date: str | None = None  # ISO; None when the day is left blank
    date_partial: str | None = None  # "2023-02" when only month/year are printed
    place: str | None = None
    issuer: str | None = None  # canonical full name, e.g. "Sở Khoa học và Công nghệ tỉnh Tây Ninh"
    parent_issuer: str | None = None
    jurisdiction: str | None = None  # province / city name, e.g. "Tây Ninh"; None for central bodies
    title: str | None = None  # type and trích yếu, in sentence case: "Kế hoạch triển khai ..."
    subject: str | None = None  # the trích yếu as printed, on one line: "TRIỂN KHAI ...", "V/v ..."


@dataclass
class Citation:
    """One mention of another document, with everything the text says about it at that place."""

    identifier: str | None  # number/symbol as written, cleaned of spacing; None for named references
    title: str | None  # set for documents cited by name ("Luật Tổ chức chính quyền địa phương")
    doc_type: str | None
    number: str | None
    year: int | None
    symbol: str | None
    date: str | None  # ISO date of the cited document
    issuer: str | None  # canonical full name
    subject: str | None  # trích yếu as written, whitespace collapsed
    pinpoints: list[str]
    relation: str  # "based_on" (căn cứ preamble) or "cites"
    cited_by: str | None  # identifier/title of the citation in whose subject this one stands
    start: int
    end: int
    text: str
    kind: str = "numbered"  # numbered | named | short
    task: str | None = None  # id of the innermost task/article holding it (structure stage)
    effect: str | None = None  # replaces | repeals | amends | guides | consolidates | corrects (typed relation)
    line: int = 0  # 1-based line of `start`, for messages

    @property
    def key(self) -> str:
        """What makes two mentions the same cited document inside one text."""
        return self.identifier or self.title or ""


def _acts() -> list[tuple[str, str]]:
    from kg.grammar import load  # the grammar package imports no model: no cycle

    return [(r["id"].upper(), r["id"]) for r in load("relations.yaml")["relations"] if r.get("act")]


# What one document does to another: the relations of grammar/data/relations.yaml marked `act`
# (amends, replaces, repeals, suspends, corrects, consolidates, guides), so a new act is one row there.
Act = Enum("Act", _acts(), type=str)


@dataclass
class Effect:
    """An act the document performs by its own operative text, with the words that perform it."""

    act: Act
    target: str | None  # the target's identifier as cited ("72/2015/NĐ-CP"); None for one cited by name
    target_title: str | None = None
    scope: list[str] | str = "whole"  # "whole", or the provisions acted on ("khoản 2 Điều 1")
    effective: str | None = None  # ISO date the act takes effect
    evidence: str = ""  # the operative sentence
    start: int = 0  # offsets of the evidence in Document.text
    end: int = 0
    line: int = 0
    citation: int | None = None  # index into Document.citations of the target's mention, when there is one

    @property
    def partial(self) -> bool:
        return self.scope != "whole"


@dataclass
class ReportedEffect:
    """An act the text reports between two other documents ("X được sửa đổi, bổ sung bởi Y", or a
    cited document whose own title says it amends another): not an act of the citing document."""

    act: Act
    source: str  # identifier or title of the acting document
    target: str  # identifier or title of the document acted on
    scope: list[str] | str = "whole"
    evidence: str = ""
    line: int = 0


@dataclass
class AgencyRole:
    name: str  # canonical
    role: str  # lead | partner | advised | reports_to | guidance | assigned | recipient | signer | mentioned


@dataclass
class Task:
    """A unit of work in a plan (a bullet) or of a normative text (an article, clause or point)."""

    id: str
    section: str | None
    heading: str | None
    parent: str | None
    action: str | None
    text: str
    start: int
    end: int
    kind: str = "task"  # task | article | clause | point | paragraph | row (of a task table)
    conditions: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    agencies: list[AgencyRole] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)  # indexes into Document.citations
    # A row of a task table (kind "row"), or a task whose labelled lines say it ("Cơ quan chủ trì: ...")
    lead: list[str] = field(default_factory=list)  # canonical agency names of the lead cell
    partners: list[str] = field(default_factory=list)
    deadline: str | None = None  # the cell's words as written ("Quý III/2026", "Thường xuyên")
    product: str | None = None


@dataclass
class Section:
    id: str
    heading: str
    start: int
    end: int
    parent: str | None = None


@dataclass
class Agency:
    name: str
    aliases: list[str]
    level: str  # central | province | district | commune | party | unit


@dataclass
class Document:
    source: str  # path as given, or "<text>"
    text: str  # the text offsets point into
    text_kind: str = "text"  # which text that is: "text" (the file itself) or "pdf-text", "docx-text", ...
    sha256: str | None = None
    header: Header = field(default_factory=Header)
    citations: list[Citation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    effective: str | None = None  # ISO date the document enters into force, when its text says
    effective_rule: str | None = None  # the words that say so ("kể từ ngày ký")
    effects: list[Effect] = field(default_factory=list)
    reported_effects: list[ReportedEffect] = field(default_factory=list)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source,
            "text_kind": self.text_kind,
            "sha256": self.sha256,
            "document": asdict(self.header),
            "citations": [asdict(c) for c in self.citations],
            "sections": [asdict(s) for s in self.sections],
            "tasks": [asdict(t) for t in self.tasks],
            "agencies": [asdict(a) for a in self.agencies],
            "effective": {"date": self.effective, "rule": self.effective_rule},
            "effects": [asdict(e) for e in self.effects],
            "reported_effects": [asdict(e) for e in self.reported_effects],
        }
        if with_text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> Document:
        """The JSON of ``kg extract`` read back (the text itself is not in it unless given)."""
        known = {f for f in Citation.__dataclass_fields__}
        tasks = []
        for t in d.get("tasks", []):
            t = dict(t)
            t["agencies"] = [AgencyRole(**a) for a in t.get("agencies", [])]
            tasks.append(Task(**{k: v for k, v in t.items() if k in Task.__dataclass_fields__}))
        return cls(source=d.get("source", "<json>"), text=d.get("text", text), text_kind=d.get("text_kind", "text"),
                   sha256=d.get("sha256"),
                   header=Header(**{k: v for k, v in d.get("document", {}).items() if k in Header.__dataclass_fields__}),
                   citations=[Citation(**{k: v for k, v in c.items() if k in known}) for c in d.get("citations", [])],
                   sections=[Section(**s) for s in d.get("sections", [])], tasks=tasks,
                   agencies=[Agency(**a) for a in d.get("agencies", [])],
                   effective=(d.get("effective") or {}).get("date"),
                   effective_rule=(d.get("effective") or {}).get("rule"),
                   effects=[Effect(**{**e, "act": Act(e["act"])}) for e in d.get("effects", [])],
                   reported_effects=[ReportedEffect(**{**e, "act": Act(e["act"])}) for e in d.get("reported_effects", [])])
