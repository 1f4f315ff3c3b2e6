"""Task and section ids from the marks ("I.2.a", "Điều 3.1", "PL1.2"), in document order: a
numbering that restarts gets "~2", "~3" ..., a Roman heading printed twice with one number is
renumbered when the next number is printed nowhere."""

from __future__ import annotations

from kg.extract.structure_outline import Node


def _label_id(parent_id: str, node: Node, ordinal: int, para: int) -> str:
    k, lab = node.kind, node.label
    if k == "para":
        part = f"p{para}"
    elif k == "bullet":
        part = str(ordinal)
    elif k == "part":
        part = f"Phần {lab}"
    elif k == "chapter":
        part = f"Chương {lab}"
    elif k == "mục":
        part = f"Mục {lab}"
    elif k == "article":
        return f"{parent_id.split('.')[0]}.Điều {lab}" if parent_id.startswith("PL") else f"Điều {lab}"
    elif k == "multi":
        head, _, last = lab.rpartition(".")
        part = last if parent_id.endswith(head) else lab
    else:
        part = lab
    return f"{parent_id}.{part}" if parent_id else part


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _renumber_repeats(kids: list[Node]) -> None:
    """A Roman heading printed with the number of the one before it (I, II, III, IV, IV) is the
    next one (V) when that number is printed nowhere after it; else it keeps "~2" (see below)."""
    romans = [k for k in kids if k.kind == "roman"]
    for i in range(1, len(romans)):
        a, b = romans[i - 1], romans[i]
        if a.label == b.label and a.label in _ROMAN[:-1]:
            nxt = _ROMAN[_ROMAN.index(a.label) + 1]
            if all(r.label != nxt for r in romans[i + 1:]) and all(r.label != nxt for r in romans[:i]):
                b.label = nxt


def assign_ids(root: Node, seen: set[str], last: dict[str, int]) -> None:
    """Ids from the marks, in document order; a numbering that restarts inside one part gets
    "~2", "~3" ... The counter per base id (``last``) keeps this linear however often a heading
    repeats, and the walk is iterative, so deep nesting costs no recursion."""
    def ordinals(node: Node) -> list[tuple[Node, int, int]]:
        _renumber_repeats(node.children)
        bullets = paras = 0
        out = []
        for k in node.children:
            bullets += k.kind == "bullet"
            paras += k.kind == "para"
            out.append((k, bullets, paras))
        return out[::-1]

    todo = ordinals(root)
    while todo:
        k, bullets, paras = todo.pop()
        base = nid = _label_id(k.parent.id if k.parent else "", k, bullets, paras)
        n = last.get(base, 1)
        while nid in seen:
            n += 1
            nid = f"{base}~{n}"
        last[base] = n
        seen.add(nid)
        k.id = nid
        todo.extend(ordinals(k))
