"""The bodies a document holds: its own (from the first mark after the header and the "Căn cứ"
preamble up to Nơi nhận / the signature) and each document sent along after it (an appendix, the
plan a decision issues), with the recipients' and the signature block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.citations import Context
from kg.extract.structure_grammar import words
from kg.extract.structure_outline import mark
from kg.ingest.normalize import folded_key


@dataclass
class Zone:
    start: int
    end: int
    prefix: str  # "" for the document's own body, "PL1" ... for what is sent along


def find_zones(F: str, ctx: Context) -> tuple[list[Zone], tuple[int, int] | None, tuple[int, int] | None]:
    """The bodies to read, the recipients' block and the signature block (folded spans)."""
    *_, rec_re, sig_re, att_re, stop_re, _a = words()
    def first_mark(lo: int) -> int | None:
        hi = min([m.start() for rx in (rec_re, sig_re) for m in [rx.search(F, lo)] if m] + [len(F)])
        for m in re.finditer(r"(?m)^[^\n]*\S[^\n]*$", F[lo:hi]):
            mk = mark(m.group())
            if mk and mk[0] != "bullet":
                return lo + m.start()
        return None

    # The "Căn cứ" preamble counts only before the first mark: a "Căn cứ" paragraph inside the body
    # ("c) Căn cứ nhiệm vụ ...") does not move the body's start.
    pre = ctx.header_end
    m0 = first_mark(pre)
    pre = max([pre, *(b for a, b in ctx.basis_zones if m0 is None or a < m0)])
    first = first_mark(pre)
    start = first if first is not None else pre
    ends = [m.start() for rx in (rec_re, sig_re) for m in [rx.search(F, start)] if m]
    body_end = min(ends) if ends else len(F)
    rec = rec_re.search(F, start)
    recipients = None
    if rec:
        s = stop_re.search(F, rec.end())
        sig = sig_re.search(F, rec.end())
        e = min([x for x in (s and s.start(), sig and sig.start(), rec.end() + 1500) if x] + [len(F)])
        recipients = (rec.start(), e)
    sig = sig_re.search(F, body_end)
    signature = (sig.start(), min(len(F), F.find("\n\n\n", sig.start()) % (len(F) + 1), sig.start() + 200)) if sig else None
    zones = [Zone(start, body_end, "")]
    atts: list[re.Match[str]] = []
    for m in att_re.finditer(F, body_end):
        alone = not m.group().strip().isupper()  # "Phụ lục" alone on its line, in title case
        if (alone and "kèm theo" not in folded_key(F[m.end():m.end() + 400])) or not ("kèm theo" in folded_key(F[m.end():m.end() + 600])
                                                   or len(m.group().strip()) < 14):
            continue
        between = F[atts[-1].end():m.start()] if atts else "x"
        if between.isupper() or not between.strip():
            continue  # the title goes on over several upper-case lines
        atts.append(m)
    for i, m in enumerate(atts):
        z_end = atts[i + 1].start() if i + 1 < len(atts) else len(F)
        paren = re.search(r"kèm\s+theo[^)]*\)", F[m.end():min(z_end, m.end() + 800)], re.IGNORECASE)
        z_start = m.end() + paren.end() if paren else m.end()
        cut = [x.start() for rx in (rec_re, sig_re) for x in [rx.search(F, z_start, z_end)] if x]
        if min(cut + [z_end]) > z_start:
            zones.append(Zone(z_start, min(cut + [z_end]), f"PL{i + 1}"))
    return zones, recipients, signature
