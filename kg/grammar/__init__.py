"""The grammar tables, loaded once from the YAML files in ``kg/grammar/data``.

A legal officer extends the grammar by editing those files (a new ministry code, a new document
type, a new cue word); this module only indexes them for fast lookup.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.ingest.normalize import fold_key, fold_string

# libyaml's parser when PyYAML was built with it: the same data, ten times faster to read, which a
# lookup at the prompt (that loads the tables once) feels.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The grammar tables: the bundled ones, or a copy the user extends (KG_GRAMMAR_DIR=folder), so a
# new document type or relation is one edit of a table, never of code.
DATA = Path(os.environ.get("KG_GRAMMAR_DIR") or Path(__file__).parent / "data")


def load(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=_LOADER)


@dataclass(frozen=True)
class DocType:
    name: str
    en: str
    codes: tuple[str, ...] = ()
    party: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    normative: bool = False
    rank: int | None = None
    skos: str = ""
    issuer: str | None = None  # the body that alone issues this type (Luật: Quốc hội), if one does


@dataclass(frozen=True)
class Issuer:
    name: str
    level: str
    codes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    template: str | None = None  # for local bodies: "Ủy ban nhân dân {unit} {place}"
    party_body: bool = False
    department: bool = False
    weak: bool = False  # a code that is also a type code (CT): used only when nothing else fits


@dataclass(frozen=True)
class Place:
    name: str
    city: bool
    aliases: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        return "thành phố" if self.city else "tỉnh"


@dataclass
class Grammar:
    doc_types: list[DocType]
    issuers: list[Issuer]
    places: list[Place]
    cues: dict[str, Any]
    type_by_word: dict[str, DocType] = field(default_factory=dict)
    type_by_code: dict[str, DocType] = field(default_factory=dict)
    type_by_party_code: dict[str, DocType] = field(default_factory=dict)
    issuer_by_code: dict[str, Issuer] = field(default_factory=dict)
    issuer_by_phrase: dict[str, Issuer] = field(default_factory=dict)
    place_by_key: dict[str, Place] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.doc_types:
            for w in (t.name, *t.words):
                self.type_by_word.setdefault(fold_key(w), t)
            for c in t.codes:
                self.type_by_code[code_key(c)] = t
            for c in t.party:
                self.type_by_party_code[code_key(c)] = t
        for i in self.issuers:
            for c in i.codes:
                self.issuer_by_code.setdefault(code_key(c), i)
            for p in (i.name, *i.phrases):
                self.issuer_by_phrase.setdefault(fold_key(p), i)
        for p in self.places:
            for n in (p.name, *p.aliases):
                self.place_by_key[fold_key(n)] = p

    def doc_type(self, name: str | None) -> DocType | None:
        return self.type_by_word.get(fold_key(name)) if name else None

    def place(self, name: str | None) -> Place | None:
        return self.place_by_key.get(fold_key(name)) if name else None


@lru_cache(maxsize=8192)
def code_key(code: str) -> str:
    """Codes compare upper-case and folded ("qđ" = "QĐ" = "QÐ")."""
    return fold_string(code).upper().replace(" ", "")


def _issuers(raw: dict[str, Any]) -> list[Issuer]:
    out: list[Issuer] = []
    for group in ("central", "party"):
        for r in raw.get(group, []):
            out.append(Issuer(r["name"], r.get("level", group), tuple(r.get("codes", [])),
                              tuple(r.get("phrases", [])), weak=bool(r.get("weak"))))
    for r in raw.get("local", []):
        out.append(Issuer(r["name"], "province", tuple(r.get("codes", [])), tuple(r.get("phrases", [])),
                          template=r["template"], party_body=bool(r.get("party_body"))))
    for r in raw.get("departments", []):
        out.append(Issuer(r["name"], "province", tuple(r.get("codes", [])), tuple(r.get("phrases", [])),
                          template=r["name"] + " {unit} {place}", department=True))
    return out


@dataclass(frozen=True)
class Units:
    """Unit words of the administrative divisions (tỉnh ... thị trấn, đặc khu) and their levels."""

    level_by_word: dict[str, str]  # folded word -> province | district | commune
    party_words: tuple[str, ...]

    def alternation(self) -> str:
        """A regex alternation of every unit word, longest first, spaces as \\s+ ("thành\\s+phố")."""
        import re

        words = sorted(self.level_by_word, key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(w) for w in x.split()) for x in words)

    def level(self, word: str) -> str | None:
        return self.level_by_word.get(fold_key(word))


@lru_cache(maxsize=1)
def units() -> Units:
    data = load("agencies.yaml")
    levels = {fold_key(w): "province" for w in data["province_units"]}
    levels.update({fold_key(w): lvl for lvl, ws in data["divisions"].items() for w in ws})
    return Units(levels, tuple(data["party_words"]))


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    types = [DocType(r["name"], r.get("en", ""), tuple(r.get("codes", [])), tuple(r.get("party", [])),
                     tuple(r.get("words", [])), bool(r.get("normative")), r.get("rank"), r.get("skos", ""),
                     r.get("issuer"))
             for r in load("doc_types.yaml")]
    places = [Place(r["name"], bool(r.get("city")), tuple(r.get("aliases", [])))
              for r in load("places.yaml")["provinces"]]
    return Grammar(types, _issuers(load("issuers.yaml")), places, load("cues.yaml"))
