"""The explorer's words: one catalogue (messages.yaml), Vietnamese by default, English by ?lang=en.

Names of relations, roles and document types are not in the catalogue: they come from the
ontology's labels (rdfs:label, skos:prefLabel with @vi/@en) and the grammar's type table, so a
new relation or type needs no change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

LANGS = ("vi", "en")
CATALOGUE = Path(__file__).parent / "messages.yaml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    import yaml

    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def lang_of(params: dict[str, list[str]]) -> str:
    lang = (params.get("lang") or ["vi"])[0]
    return lang if lang in LANGS else "vi"


@dataclass(frozen=True)
class Messages:
    lang: str = "vi"

    def __call__(self, key: str, **fields) -> str:
        entry = catalogue()[key]  # a missing key is a bug the tests catch, not an empty label
        text = entry.get(self.lang) or entry["vi"]
        return text.format(**fields) if fields else text

    def href(self, path: str, **params) -> str:
        """A link to one of our pages that keeps the language."""
        q = {k: v for k, v in params.items() if v not in (None, "")}
        if self.lang != "vi":
            q["lang"] = self.lang
        return path + ("?" + urlencode(q) if q else "")

    def other(self) -> str:
        return "en" if self.lang == "vi" else "vi"

    def type_name(self, vi_name: str | None) -> str:
        """A document type in the page's language, from the grammar's type table."""
        if not vi_name or self.lang == "vi":
            return vi_name or ""
        from kg.grammar import grammar

        t = grammar().doc_type(vi_name)
        return t.en if t and t.en else vi_name
