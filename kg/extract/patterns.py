"""Regular expressions built from the grammar tables.

The scan is anchored on the number/symbol (số hiệu), the one part every numbered citation has and
the cheapest to find: one regex that starts with a digit. Everything else (type word, pinpoint,
date, issuer, subject) is read in a small window around each anchor, so the cost of the grammar
grows with the number of citations, not with the size of the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.grammar import grammar, load
from kg.grammar.symbols import scan_re, table

# Whitespace inside one citation: spaces, and up to six line breaks (hard-wrapped web text,
# double-spaced Word text, a blanked page header between two lines of the same citation).
WS = r"[ \t]*(?:\n[ \t]*){0,6}"
SEP = rf"{WS}"

# Every số hiệu form (normative 42/2022/NQ-HĐND, administrative 01/QĐ-UBND, party 06-NQ/TU, the
# old Government style 206-CP) is a template in grammar/data/symbols.yaml, compiled here once.
SYMBOL = scan_re()
HY = table()["separators"]["hyphen"]


# A standard's number is "N:YEAR" and may carry its body after a slash ("QCVN 01:2021/BYT",
# "TCCS 661: 2018/BVTV"): the "2021/BYT" after the colon is a year, not a số hiệu.
STANDARD_BEFORE = re.compile(r"\d[ \t]*:[ \t]*\Z")


def symbols(F: str):
    """The matches of SYMBOL.finditer(F), found from the separators instead of the digits.

    Every số hiệu has "/" or "-" right after its number (spaces between), and both are rarer than
    digits and literal, so the engine jumps to them in C. For each separator the digit run before
    it is tried position by position, left to right, exactly the attempts finditer would make
    there; attempts at other digits cannot succeed, since a number must be followed by its
    separator. Measured: 12 ms against 38 ms for finditer on the real corpus.
    """
    seps = sorted([*_positions(F, "/"), *_positions(F, "-")])
    last = 0
    match = SYMBOL.match
    for a in seps:
        j = a
        while j > last and F[j - 1] in " \t\n":
            j -= 1
        k = j
        while k > last and (F[k - 1].isdigit() or (F[k - 1] == "." and k - 1 > last and F[k - 2].isdigit())):
            k -= 1
        for p in range(k, j):
            if p < last or not F[p].isdigit():
                continue
            m = match(F, p)
            if m:
                yield m
                last = m.end()
                break


def _positions(F: str, ch: str):
    i = F.find(ch)
    while i >= 0:
        yield i
        i = F.find(ch, i + 1)


def _alt(words: list[str]) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words)


@lru_cache(maxsize=1)
def type_words() -> str:
    g = grammar()
    return _alt([w for t in g.doc_types for w in (t.name, *t.words)])


def _pin() -> str:
    """A pinpoint ("điểm a khoản 1 Điều 3", "các khoản 1, 2 Điều 5"), from provisions.yaml's levels
    and label form: a label is a number, a numeral or a letter, never a word ("một số điều của")."""
    t = load("provisions.yaml")
    words = _alt([x["word"] for x in t["levels"]])
    label = t["label"]
    item = (rf"(?:các\s+)?(?:{words})\s+{label}"
            rf"(?:\s*(?:,|và|hoặc)\s*(?:(?:{words})\s+)?{label})*")
    return rf"{item}(?:\s+(?:của\s+)?{item})*"


@lru_cache(maxsize=1)
def pin_before_re() -> re.Pattern[str]:
    """A pinpoint right before a type word or a title: "điểm a khoản 1 Điều 3 (của) ..."."""
    return re.compile(rf"(?<![\w])(?P<pin>{_pin()})\s+(?:của\s+|tại\s+)?\Z", re.IGNORECASE)


@lru_cache(maxsize=1)
def stopper_re() -> re.Pattern[str]:
    words = grammar().cues["symbol_stoppers"]
    return re.compile(rf"\b(?:{_alt(words)})\s*(?:số)?\s*:?\s*\Z", re.IGNORECASE)


DATE_DMY = re.compile(
    rf"(?:(?:được\s+)?(?:ban\s+hành|ký)\s+)?ngày{WS}(?P<d>\d{{1,2}}){WS}[/.\-]{WS}(?P<m>\d{{1,2}}){WS}[/.\-]{WS}(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
DATE_LONG = re.compile(
    rf"(?:(?:được\s+)?(?:ban\s+hành|ký)\s+)?ngày{WS}(?P<d>\d{{1,2}}){WS}tháng{WS}(?P<m>\d{{1,2}}){WS}năm{WS}(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
YEAR_ONLY = re.compile(rf"năm{WS}(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
LEAD = re.compile(r"[\s,]*")
OF = re.compile(rf"[\s,]*(?:của|do){WS}", re.IGNORECASE)
SESSION = re.compile(rf"[\s,]*(?:(?:khóa|nhiệm\s+kỳ){WS}[IVXLC\d]+[\s,]*)?(?:kỳ{WS}họp{WS}(?:thứ{WS})?[\w]+)?",
                     re.IGNORECASE)


@lru_cache(maxsize=1)
def subject_start_re() -> re.Pattern[str]:
    words = grammar().cues["subject_starters"]
    return re.compile(rf"[\s,:]*(?P<s>(?:{_alt(words)})\b)", re.IGNORECASE)


# Where a subject (trích yếu) ends: end of clause, a new bullet or heading, a short-form parenthesis.
# Each branch starts with its own character so the engine can skip to the next candidate fast.
_NEXT_UNIT = (r"(?:[-+•*]\s|[IVX]+\.\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|Điều\s+\d|Căn\s+cứ|Theo\s+đề\s+nghị"
              r"|Xét\s+đề\s+nghị|QUYẾT\s+ĐỊNH|Nơi\s+nhận)")
SUBJECT_END = re.compile(
    r"[;”\"]"
    r"|\.(?:(?=[ \t]*(?:\n|$))|(?<!TP\.)[ \t]+(?=[A-ZĐÀ-Ỹ]))"
    r"|\((?=\s*(?:sau\s+đây|được\s+sửa\s+đổi|đã\s+được))"
    r"|,?[ \t]*(?=(?:đã\s+)?được\s+sửa\s+đổi,?\s+bổ\s+sung\s+(?:bởi|tại|theo))"
    rf"|\n(?:[ \t]*\n)?[ \t]*(?={_NEXT_UNIT})"
)

# Named references: laws and codes by title; party resolutions by conference.
@lru_cache(maxsize=1)
def law_re() -> re.Pattern[str]:
    cues = grammar().cues
    types = _alt(cues["law_types"])
    types = types.replace("Bộ\\s+luật", "Bộ\\s+[lL]uật")
    return re.compile(rf"(?P<type>{types})(?=\s|,)")  # "phù hợp với Hiến pháp, pháp luật"


@lru_cache(maxsize=1)
def law_titles_list() -> list[str]:
    return list(load("laws.yaml")["titles"])


@lru_cache(maxsize=1)
def law_titles() -> tuple[re.Pattern[str], list[str]]:
    data = load("laws.yaml")
    titles = data["titles"]
    return re.compile(rf"\s+(?P<title>{_alt(titles)})(?![\w])", re.IGNORECASE), data["title_stop_words"]


# Case spelled out per word (no IGNORECASE) so the scan can jump to the literal "N"/"n".
PARTY_CONF = re.compile(
    rf"[Nn]ghị{WS}[Qq]uyết{WS}(?:[Hh]ội{WS}[Nn]ghị{WS})?(?:lần{WS}thứ{WS}\w+{WS})?(?:[Bb]an{WS}[Cc]hấp{WS}[Hh]ành{WS})?"
    rf"[Tt]rung{WS}[Ưư]ơng{WS}(?:lần{WS}thứ{WS})?\w+{WS},?{WS}[Kk]hóa{WS}[IVXLC]+\b"
)
KHOA_N = re.compile(rf"[Kk]hóa{WS}[IVXLC]+\b")
PASSED = re.compile(r"(?:được\s+)?(?:Quốc\s+hội\s+)?(?:khóa\s+[IVXLC]+\s*,?\s*)?(?:kỳ\s+họp\s+thứ\s+\S+\s*)?(?:thông\s+qua\s+)?",
                    re.IGNORECASE)


@lru_cache(maxsize=1)
def drafting_before_re() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt(grammar().cues['drafting_verbs'])})\s*\Z", re.IGNORECASE)


@lru_cache(maxsize=1)
def named_re() -> re.Pattern[str]:
    """A capitalised type word with a title after it; `verb_before_re` decides if it names an existing
    document ("triển khai Chương trình ...") — anchored on the rare type word, not the common verb."""
    types = _alt(grammar().cues["named_types"])
    return re.compile(rf"(?P<type>{types})\s+(?P<first>[^\s\d])")


@lru_cache(maxsize=1)
def subject_link_re() -> re.Pattern[str]:
    """A word that opens a subject inside a named document's title (cues.yaml: subject_links)."""
    return re.compile(rf"\s(?:{_alt(grammar().cues['subject_links'])})\s", re.IGNORECASE)


@lru_cache(maxsize=1)
def verb_before_re() -> re.Pattern[str]:
    verbs = _alt(grammar().cues["named_verbs"])
    return re.compile(rf"\b(?:{verbs})[\s:]*[“\"]?\Z", re.IGNORECASE)


@lru_cache(maxsize=1)
def back_ref_re() -> re.Pattern[str]:
    """A back-reference word ("nêu trên"): the rare anchor for "Quyết định số 01 nêu trên"."""
    return re.compile(rf"(?:{_alt(grammar().cues['short_form_back'])})\b")


@lru_cache(maxsize=1)
def numbered_type_before_re() -> re.Pattern[str]:
    """TYPE [số] N right before a back-reference word."""
    return re.compile(rf"(?P<type>\b(?:{type_words()}))(?:{WS}số)?{WS}(?P<num>\d{{1,5}}){WS}\Z", re.IGNORECASE)


@lru_cache(maxsize=1)
def short_form_re() -> re.Pattern[str]:
    cues = grammar().cues
    return re.compile(
        rf"\(\s*(?:{_alt(cues['short_form_openers'])})\s+(?P<alias>(?P<type>{type_words()})"
        rf"(?:\s+số)?\s+(?P<num>\d+)(?P<rest>[^)\n]{{0,30}}))\)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def law_abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    table = load("laws.yaml").get("abbreviations", {})
    return re.compile(rf"(?<!\w)(?:{_alt(list(table))})(?!\w)"), table


def starts_clean(F: str, i: int, more: str = "") -> bool:
    """The character before i does not glue the match to a longer token."""
    if i == 0:
        return True
    ch = F[i - 1]
    return not (ch.isalnum() or ch == "_" or ch in more)


@lru_cache(maxsize=1)
def fixed_titles() -> list[str]:
    return [r["title"] for r in load("laws.yaml").get("fixed_names", [])]


@lru_cache(maxsize=1)
def fixed_names() -> tuple[re.Pattern[str], dict[str, dict]]:
    rows = load("laws.yaml").get("fixed_names", [])
    by_key = {r["title"].lower(): r for r in rows}
    return re.compile(rf"(?<!\w)(?:{_alt([r['title'] for r in rows])})(?!\w)"), by_key
