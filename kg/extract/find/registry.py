"""The finder's passes, registered one per module like the `@rule` functions of `kg check`.

A pass is a function ``(reader, state) -> None``: it reads the folded text through the shared
`Reader` (kg/extract/find/readers.py) and adds to or amends the citations in `State`. The passes
run in the order of their number; a new pass is a new module with one decorated function, imported
in kg/extract/find/__init__.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kg.extract.find.readers import Found, Reader


@dataclass
class State:
    """The citations found so far, by the pass family that found them."""

    numbered: list[Found] = field(default_factory=list)
    named: list[Found] = field(default_factory=list)
    short: list[Found] = field(default_factory=list)
    # spans of the numbered citations as the numbered pass found them: the named passes skip them
    # (the law pass later extends some of them to the law's name)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def in_order(self) -> list[Found]:
        """Every citation found, in text order (ties keep numbered, named, short)."""
        return sorted(self.numbered + self.named + self.short, key=lambda x: (x.fstart, x.fend))


@dataclass(frozen=True)
class Pass:
    name: str
    order: int
    fn: Callable[[Reader, State], None]
    doc: str


PASSES: dict[str, Pass] = {}


def finder_pass(name: str, order: int):
    """Register a pass function under its name; the function stays callable on its own."""

    def wrap(fn: Callable[[Reader, State], None]):
        if name in PASSES:
            raise ValueError(f"finder pass {name!r} registered twice")
        PASSES[name] = Pass(name, order, fn, (fn.__doc__ or "").strip().split("\n")[0])
        fn.pass_name = name
        return fn

    return wrap


def passes() -> list[Pass]:
    """The registered passes in the order they run."""
    return sorted(PASSES.values(), key=lambda p: p.order)
