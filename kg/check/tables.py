"""The tables of `kg check`, read once: ``kg/check/data/*.yaml`` -> a ``Tables`` record.

The rules never open a file: which code fits which body, ranks of legal force, which types can be a
legal basis and the words the rules read in a citation all come from here, so a legal officer
extends the check by editing a table. The registry's own settings (``registry.yaml``) are read
here too, by ``registry_config``, for the table readers and the graph facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.grammar import code_key, grammar
from kg.grammar.symbols import table as symbol_grammar
from kg.ingest.normalize import fold_key

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """One YAML table of ``kg/check/data``, parsed once."""
    with open(DATA / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def registry_config() -> dict:
    """``registry.yaml``: status words, column mappings, presets, the graph's non-changes."""
    return load("registry.yaml")


@dataclass(frozen=True)
class Words:
    """The regexes compiled from ``symbols.yaml``'s ``words``: what the rules read again in a text."""

    date_numeric: re.Pattern[str]  # "ngày 12/09/2022"
    date_long: re.Pattern[str]  # "ngày 12 tháng 9 năm 2022"
    date_bare: re.Pattern[str]  # "12/09/2022": what stands before is checked in code
    number_word: re.Pattern[str]  # "số:" at the end of the words before a number
    plural: re.Pattern[str]  # "các" at the start of a type word
    of_issuer: re.Pattern[str]  # "của" / "do" before the issuing body
    number_line: re.Pattern[str]  # a header's "Số: .../2023/QĐ-UBND", the number perhaps blank


@dataclass
class Tables:
    classes: dict[str, str]  # code key -> issuer class
    class_names: dict[str, tuple[str, str]]  # issuer class -> (vi, en) for messages
    state: frozenset[str]
    local_classes: frozenset[str]  # classes of local bodies (their numbers repeat by province)
    local_party: frozenset[str]  # local party codes (TU, HU ...)
    normative_issuers: dict[str, tuple[str, ...]]  # type code key -> allowed classes, in table order
    exclusive: dict[str, tuple[str, ...]]
    canonical: dict[str, frozenset[str]]  # code key -> accepted spellings
    known: frozenset[str]  # every code key the grammar knows (types, party types, issuers)
    type_accepts: dict[str, frozenset[str]]
    generic_words: frozenset[str]
    compounds: dict[str, str]  # "thông báo kết luận" -> "Thông báo"
    families: dict[str, str]  # issuer canonical name -> family
    near_miss_since: int
    always_normative: frozenset[str]
    normative_with_year: frozenset[str]
    basis_exempt: frozenset[str]
    ranks: list[dict]
    term_ranks: dict[str, int]  # issuer class of a term code ("58/2014/QH13") -> rank
    labels: dict[int, dict[str, str]]
    words: Words


def _classes(sym: dict) -> dict[str, str]:
    """Code key -> issuer class: the table's classes, then the grammar's departments and ministries
    (central bodies named with the grammar's ministry word, "Bộ ...")."""
    classes: dict[str, str] = {}
    ministry = symbol_grammar()["ministry_word"] + " "
    for cls, codes in sym["issuer_classes"].items():
        for c in codes:
            classes[code_key(c)] = cls
    for i in grammar().issuers:
        for c in i.codes:
            k = code_key(c)
            if k in classes:
                continue
            if i.department:
                classes[k] = "department"
            elif i.level == "central" and i.name.startswith(ministry) and not i.weak:
                classes[k] = "ministry"
    return classes


def _canonical(sym: dict) -> dict[str, frozenset[str]]:
    """Code key -> its accepted spellings; mixed case wins ("TTG" is a reading aid, "TTg" the spelling)."""
    g = grammar()
    spellings: dict[str, set[str]] = {}
    codes = [c for t in g.doc_types for c in (*t.codes, *t.party)]
    codes += [c for i in g.issuers for c in i.codes]
    codes += list(sym["mixed_case"])
    codes += [c for cls_codes in sym["issuer_classes"].values() for c in cls_codes]
    for c in codes:
        spellings.setdefault(code_key(c), set()).add(c)
    out = {}
    for k, ss in spellings.items():
        mixed = {s for s in ss if s != s.upper()}
        out[k] = frozenset(mixed if mixed else ss)
    return out


def _words(w: dict) -> Words:
    day = w["day"]
    return Words(
        date_numeric=re.compile(w["date_numeric"].replace("{day}", day)),
        date_long=re.compile(w["date_long"].replace("{day}", day)),
        date_bare=re.compile(w["date_bare"]),
        number_word=re.compile(w["number_word"], re.IGNORECASE),
        plural=re.compile(w["plural"], re.IGNORECASE),
        of_issuer=re.compile(w["of_issuer"], re.IGNORECASE),
        number_line=re.compile(w["number_line"]),
    )


@lru_cache(maxsize=1)
def tables() -> Tables:
    sym, basis = load("symbols.yaml"), load("legal_basis.yaml")
    canonical, classes = _canonical(sym), _classes(sym)
    return Tables(
        classes=classes,
        class_names={k: (v["vi"], v["en"]) for k, v in sym["class_names"].items()},
        state=frozenset(sym["state_classes"]),
        local_classes=frozenset(sym["local_classes"]),
        local_party=frozenset(code_key(c) for c in sym["local_party"]),
        normative_issuers={code_key(k): tuple(v) for k, v in sym["normative_issuers"].items()},
        exclusive={code_key(k): tuple(v) for k, v in sym["exclusive_types"].items()},
        canonical=canonical,
        known=frozenset(canonical) | frozenset(classes),
        type_accepts={k: frozenset(code_key(c) for c in v) for k, v in sym["type_word_accepts"].items()},
        generic_words=frozenset(sym["generic_type_words"]),
        compounds={fold_key(k): v for k, v in sym["compound_type_words"].items()},
        families=dict(sym["issuer_families"]),
        near_miss_since=int(sym["near_miss_since"]),
        always_normative=frozenset(basis["always_normative"]),
        normative_with_year=frozenset(basis["normative_with_year"]),
        basis_exempt=frozenset(basis["basis_exempt"]),
        ranks=basis["ranks"],
        term_ranks=dict(basis["term_ranks"]),
        labels={int(k): v for k, v in basis["labels"].items()},
        words=_words(sym["words"]),
    )


def strip_term(key: str) -> str:
    """ "QH15" -> "QH", "UBTVQH14" -> "UBTVQH": the Quốc hội term is not part of the body's code
    (the term codes are the grammar's, ``kg/grammar/data/symbols.yaml``)."""
    base = re.sub(r"\d+$", "", key)
    return base if base in symbol_grammar()["terms"] else key


def issuer_class(code: str | None) -> str | None:
    """The class (government, committee, party ...) of an issuer code; None for an unknown code."""
    if not code:
        return None
    return tables().classes.get(strip_term(code_key(code)))
