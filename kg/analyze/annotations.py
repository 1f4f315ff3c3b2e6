"""Every citation mention as a W3C Web Annotation (JSON-LD), for annotation tools and readers.

The graph already holds each mention as an `oa:Annotation` (kg.graph.mapping); this writes them in
the shape annotation tools read: an AnnotationCollection whose one page lists the annotations, in
the model's own context (http://www.w3.org/ns/anno.jsonld, a copy shipped as ontology/anno.jsonld
so tests check the terms without network). Each annotation links (`motivation: linking`) the
words in the source's text to what they cite:

- target: the source file's text (`…/text/{hash}`, one per file, as in the graph) with a
  TextQuoteSelector (exact words, 32 characters of prefix and suffix) and a TextPositionSelector
  (code-point offsets into the text kg read, as `kg extract` reports them);
- body: the cited document's IRI (purpose `identifying`) and the relation from kg's SKOS scheme
  (purpose `classifying`: căn cứ, dẫn chiếu, thay thế ...).

kg's own facts (file path, line, quoted sentence) ride along under the `kg:` prefix, which the
second context entry defines; every other key is a term of the annotation context.
"""

from __future__ import annotations

import json
from typing import Any

from kg.graph import named_query
from kg.resolve.identity import BASE

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
KG_TERMS = {"kg": f"{BASE}/ontology#", "kg:sourceFile": {"@id": "kg:source"}}


def _text_of(mention: str) -> str:
    """The source file's text node: mentions hang under it (`…/text/{hash}/mention/{i}`)."""
    return mention.rsplit("/mention/", 1)[0]


def annotation(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["m"],
        "type": "Annotation",
        "motivation": "linking",
        "body": [{"type": "SpecificResource", "source": r["cited"], "purpose": "identifying"},
                 {"type": "SpecificResource", "source": r["rel"], "purpose": "classifying",
                  "label": r["relation"]}],
        "target": {"type": "SpecificResource", "source": _text_of(r["m"]),
                   "selector": [{"type": "TextQuoteSelector", "exact": r["exact"], "prefix": r["prefix"],
                                 "suffix": r["suffix"]},
                                {"type": "TextPositionSelector", "start": int(r["start"]), "end": int(r["end"])}]},
        "kg:sourceFile": r["source"],
        "kg:line": int(r["line"]),
        "kg:quote": r["quote"],
    }


def annotations(store) -> bytes:
    rows = store.query(named_query("annotations"))
    items = [annotation(r) for r in rows]
    doc = {"@context": [ANNO_CONTEXT, KG_TERMS], "id": f"{BASE}/annotations", "type": "AnnotationCollection",
           "label": "kg: citation mentions", "total": len(items),
           "first": {"id": f"{BASE}/annotations/page1", "type": "AnnotationPage", "startIndex": 0, "items": items}}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
