"""Validity facts and the providers that answer with them: the one shape the validity rule reads.

The check asks a *provider*; it never reads a table itself. A provider answers one question: given
a cited document (its identifier key, plus the date and province the citation gives, which tell
two "01/QĐ-UBND" apart), which validity facts are known about it. The providers:

* ``Registry``: facts by identifier key, matched with the citation's year and province; filled from
  a CSV table (``kg.check.registry``), the An Giang sheet (``kg.check.angiang``) or the graph
  (``kg.check.graph_facts``);
* ``from_function``: wraps any ``key -> Status`` function (another source, a test double);
* ``Providers``: several of them asked in turn.

Statuses are the words of the portals reduced to five: replaced, repealed, expired, partly (hết
hiệu lực một phần), in_force; anything else is "unknown" and never reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Protocol

from kg.grammar.symbols import identifier_key
from kg.ingest.normalize import fold_key

OUT_OF_FORCE = ("replaced", "repealed", "expired", "partly")


@dataclass(frozen=True)
class Status:
    """One fact about one document: its status, what changed it and since when."""

    identifier: str
    status: str  # replaced | repealed | expired | partly | in_force | unknown
    replaced_by: tuple[str, ...] = ()
    since: str | None = None  # ISO date from which the status holds (None: not known)
    date: str | None = None  # issue date of the document itself, when the table gives it
    jurisdiction: str | None = None  # province of a local document; None for central ones
    source: str = ""  # where the fact comes from, for the message ("FILE.csv:12": table and row)
    note: str | None = None

    @property
    def out_of_force(self) -> bool:
        return self.status in OUT_OF_FORCE


@dataclass(frozen=True)
class CitedRef:
    """What a citation tells about the cited document, enough to pick the right table row."""

    key: str  # identifier_key of the số hiệu
    identifier: str
    date: str | None = None  # ISO issue date as cited
    jurisdiction: str | None = None  # province of the issuer as cited
    local: bool = False  # issued by a local body: rows of another province do not match
    yearless: bool = False  # number carries no year (administrative, party): numbers repeat yearly


class ValidityProvider(Protocol):
    def lookup(self, ref: CitedRef) -> list[Status]:
        """Every fact known about the cited document (an empty list when none)."""
        ...


@dataclass
class FunctionProvider:
    """A provider over a plain function ``key -> Status | [Status] | None`` (the graph's shape)."""

    fn: Callable[[str], Status | Iterable[Status] | None]

    def lookup(self, ref: CitedRef) -> list[Status]:
        got = self.fn(ref.key)
        if got is None:
            return []
        return [got] if isinstance(got, Status) else list(got)


def from_function(fn: Callable[[str], Status | Iterable[Status] | None]) -> FunctionProvider:
    return FunctionProvider(fn)


@dataclass
class Providers:
    """Several providers asked in turn (a registry table and the graph): all facts are kept."""

    items: list[ValidityProvider] = field(default_factory=list)

    def lookup(self, ref: CitedRef) -> list[Status]:
        return [s for p in self.items for s in p.lookup(ref)]


@dataclass
class Registry:
    """Facts from tables, by identifier key; rows are matched with the citation's year and province."""

    entries: dict[str, list[Status]] = field(default_factory=dict)
    knows_places: bool = False  # some row names a province: central rows then match central citations only
    as_of: str | None = None  # status with no change date: counted from this date

    def add(self, s: Status) -> None:
        self.entries.setdefault(identifier_key(s.identifier), []).append(s)
        if s.jurisdiction:
            self.knows_places = True

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def statuses(self) -> Iterable[Status]:
        for v in self.entries.values():
            yield from v

    def lookup(self, ref: CitedRef) -> list[Status]:
        out = []
        for s in self.entries.get(ref.key, ()):
            if self.knows_places:
                if s.jurisdiction:
                    if not ref.local or not ref.jurisdiction or fold_key(ref.jurisdiction) != fold_key(s.jurisdiction):
                        continue
                elif ref.local:
                    continue  # a central row cannot be a province's document
            if ref.yearless:  # "1707/QĐ-UBND" exists every year: the year must agree
                if not (s.date and ref.date and s.date[:4] == ref.date[:4]):
                    continue
            if s.since is None and self.as_of and s.out_of_force:
                s = _with_since(s, self.as_of)
            out.append(s)
        return out


def _with_since(s: Status, since: str) -> Status:
    """A status with no change date, counted from the table's date (and saying so in its note)."""
    return replace(s, since=since, note=s.note or "unknown-change-date")
