"""The spaCy component: same citations as ``kg.extract``, exact spans whatever the tokenizer.

Two tokenizers bracket what users will plug in: Vietnamese without pyvi splits on whitespace only
(so "1364/QĐ-UBND." is one token, the hard case for alignment), the multi-language one splits
punctuation off (the easy case). Everything is checked on both.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from dataclasses import asdict
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import DocBin, Span, SpanGroup

import kg
from conftest import CORPUS, SEED, need_shared
from kg.extract import extract_text
from kg.ingest import read_source
from kg.spacy_component import LABELS, label_of, render_citations

KEY = "legal_citations"


def blank(lang: str) -> spacy.Language:
    if lang == "vi":  # plain spacy.blank("vi") needs pyvi, which the project does not depend on
        return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    return spacy.blank(lang)


@pytest.fixture(scope="module", params=["vi", "xx"])
def nlp(request):
    nlp = blank(request.param)
    nlp.add_pipe("legal_citations")
    return nlp


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_source(SEED).text  # the very text kg.extract reads, so offsets agree


def _records(doc):
    return [s._.citation for s in doc.spans[KEY]]


def test_factory_comes_from_the_entry_point():
    """`pip install` alone must make `add_pipe("legal_citations")` work, with no import by the user."""
    eps = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert eps.get("legal_citations") == "kg.spacy_component:make_legal_citations"
    assert "legal_citations" in blank("xx").factory_names


def test_seed_19_numbered_spans_equal_kg_extract(nlp, seed_text):
    ref = kg.extract(SEED)
    doc = nlp(seed_text)
    spans = list(doc.spans[KEY])
    numbered = [s for s in spans if s._.citation["kind"] == "numbered"]
    named = [s for s in spans if s._.citation["kind"] == "named"]
    assert len(numbered) == 19
    assert len(named) == len([c for c in ref.citations if c.kind == "named"]) == 7
    assert _records(doc) == [asdict(c) for c in ref.citations]  # identifier, date, issuer, relation ...
    for s, c in zip(spans, ref.citations):
        assert (s.start_char, s.end_char, s.text) == (c.start, c.end, c.text)
        assert s.label_ == label_of(asdict(c)) and s.kb_id_ == (c.identifier or "")
    by_id = {s._.citation["identifier"]: s for s in numbered}
    c = by_id["68/NQ-HĐND"]._.citation
    assert (c["date"], c["issuer"], c["relation"]) == ("2022-12-09", "Hội đồng nhân dân tỉnh Tây Ninh", "based_on")
    c = by_id["55/2011/NĐ-CP"]._.citation
    assert (c["pinpoints"], c["relation"]) == (["Điều 6"], "cites")
    assert by_id["52-NQ/TW"]._.citation["cited_by"] == "50-NQ/CP"


def test_labels_on_the_seed(nlp, seed_text):
    doc = nlp(seed_text)
    spans = doc.spans[KEY]
    label = {s._.citation["identifier"] or s._.citation["title"]: s.label_ for s in spans}
    assert label["06-NQ/TU"] == label["52-NQ/TW"] == "PARTY_DOC"
    assert label["50-NQ/CP"] == "LEGAL_DOC"  # Party-style print, but "/CP" is the Government
    assert label["55/2011/NĐ-CP"] == label["1364/QĐ-UBND"] == "LEGAL_DOC"
    assert label["Nghị quyết Hội nghị trung ương 6 khóa IX"] == "PARTY_DOC"
    assert label["Chương trình phát triển tài sản trí tuệ đến năm 2030 trên địa bàn tỉnh Tây Ninh"] == "NAMED_DOC"
    assert Counter(s.label_ for s in spans) == {"LEGAL_DOC": 17, "PARTY_DOC": 4, "NAMED_DOC": 5}


def test_law_and_short_labels(nlp):
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "Căn cứ Luật Bảo hiểm xã hội số 41/2024/QH15;\n"
            "Căn cứ Chỉ thị số 27/CT-TTg ngày 01/9/2023 của Thủ tướng Chính phủ (sau đây gọi tắt là Chỉ thị 27);\n"
            "Người lao động theo quy định của Luật Bảo hiểm xã hội và Bộ luật Dân sự. Các sở triển khai Chỉ thị 27.")
    doc = nlp(text)
    got = [(s.text, s._.citation["kind"], s.label_, s.kb_id_) for s in doc.spans[KEY]]
    assert got == [
        ("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "named", "LAW", ""),
        ("Luật Bảo hiểm xã hội số 41/2024/QH15", "numbered", "LAW", "41/2024/QH15"),
        ("Chỉ thị số 27/CT-TTg ngày 01/9/2023 của Thủ tướng Chính phủ", "numbered", "LEGAL_DOC", "27/CT-TTg"),
        ("Chỉ thị 27", "short", "SHORT_REF", "27/CT-TTg"),
        ("Luật Bảo hiểm xã hội", "short", "SHORT_REF", "41/2024/QH15"),
        ("Bộ luật Dân sự", "named", "LAW", ""),
        ("Chỉ thị 27", "short", "SHORT_REF", "27/CT-TTg"),
    ]
    assert doc[doc.spans[KEY][-1].end].text == "."  # "27." cut: the short form keeps its number


# A citation ending in its number, then punctuation; and one glued to an opening quote.
PUNCT_CASES = [
    (".", "Thực hiện Quyết định số 1364/QĐ-UBND. Các sở", "1364/QĐ-UBND"),
    (",", "Căn cứ Nghị định số 55/2011/NĐ-CP, các sở", "55/2011/NĐ-CP"),
    (";", "Căn cứ Nghị định số 55/2011/NĐ-CP;\nCăn cứ khác", "55/2011/NĐ-CP"),
    (")", "các nội dung (theo Nghị định số 55/2011/NĐ-CP) và", "55/2011/NĐ-CP"),
    ("”", "tại Quyết định số 1364/QĐ-UBND”, nay", "1364/QĐ-UBND"),
    ("”", "theo “Luật Đất đai”; và", "Đất đai"),
]


@pytest.mark.parametrize("punct,text,tail", PUNCT_CASES, ids=[f"{i}{p}" for i, (p, _, _) in enumerate(PUNCT_CASES)])
def test_alignment_keeps_the_number_and_leaves_the_punctuation(nlp, punct, text, tail):
    (c,) = extract_text(text).citations
    doc = nlp(text)
    (span,) = doc.spans[KEY]
    assert (span.start_char, span.end_char) == (c.start, c.end)
    assert span.text == c.text and span.text.endswith(tail)
    assert doc[span.end].text.startswith(punct)  # the punctuation is the next token, outside
    assert doc.text == text  # splitting tokens never changes the text


def test_spacy_alone_loses_the_number_on_whitespace_tokens():
    """Why the component cuts tokens: the measured failure of spaCy's own alignment modes."""
    text, c = "Thực hiện Quyết định số 1364/QĐ-UBND. Các sở", "Quyết định số 1364/QĐ-UBND"
    doc = blank("vi").make_doc(text)
    s, e = text.index(c), text.index(c) + len(c)
    assert doc.char_span(s, e) is None
    assert not doc.char_span(s, e, alignment_mode="contract").text.endswith("1364/QĐ-UBND")
    assert doc.char_span(s, e, alignment_mode="expand").text.endswith("UBND.")


def test_expand_mode_keeps_tokens_and_the_number():
    nlp = blank("vi")
    nlp.add_pipe("legal_citations", config={"alignment": "expand"})
    text = "Thực hiện Quyết định số 1364/QĐ-UBND. Các sở"
    doc = nlp(text)
    (span,) = doc.spans[KEY]
    assert [t.text for t in doc] == text.split()  # untouched
    assert span.text == "Quyết định số 1364/QĐ-UBND."
    assert (span._.citation["start"], span._.citation["end"]) == (10, 36)


def test_bad_alignment_is_refused():
    with pytest.raises(ValueError, match="alignment"):
        blank("xx").add_pipe("legal_citations", config={"alignment": "contract"})


def test_split_keeps_earlier_span_groups_right():
    """A SpanGroup stores token indices; cutting tokens before them must not shift them."""
    nlp = blank("vi")

    @spacy.Language.component("test_mark_words")
    def mark(doc):
        doc.spans["words"] = SpanGroup(doc, name="words", spans=[doc[-2:], doc[1:2]])
        return doc

    nlp.add_pipe("test_mark_words")
    nlp.add_pipe("legal_citations")
    doc = nlp("Thực hiện Quyết định số 1364/QĐ-UBND. Các sở")
    assert [s.text for s in doc.spans["words"]] == ["Các sở", "hiện"]


def test_annotated_doc_is_not_retokenized():
    """Splitting would leave wrong tags on the new pieces: expand instead, and say so."""
    nlp = blank("vi")

    @spacy.Language.component("test_tagger")
    def tag(doc):
        for t in doc:
            t.tag_ = "X"
        return doc

    nlp.add_pipe("test_tagger")
    nlp.add_pipe("legal_citations")
    text = "Thực hiện Quyết định số 1364/QĐ-UBND. Các sở"
    with pytest.warns(UserWarning, match="expanded"):
        doc = nlp(text)
    assert len(doc) == len(text.split())
    assert doc.spans[KEY][0].text == "Quyết định số 1364/QĐ-UBND."


def test_sentence_boundaries_are_not_disturbed():
    nlp = blank("vi")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("legal_citations")
    text = "Thực hiện Quyết định số 1364/QĐ-UBND. Các sở triển khai ."
    with pytest.warns(UserWarning, match="SENT_START"):
        doc = nlp(text)
    nlp.remove_pipe("legal_citations")
    assert [s.text for s in doc.sents] == [s.text for s in nlp(text).sents]
    assert doc.spans[KEY][0].text.endswith("1364/QĐ-UBND.")

    nlp = blank("xx")  # this tokenizer cuts the "." itself: nothing to split, nothing to warn about
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("legal_citations")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = nlp(text)
    assert doc.spans[KEY][0].text.endswith("1364/QĐ-UBND")


def test_set_ents_keeps_the_longest_of_nested_citations():
    nlp = blank("xx")
    nlp.add_pipe("legal_citations", config={"set_ents": True})
    text = ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen thưởng ngày 16 tháng 11 năm 2013;\n"
            "Căn cứ Nghị định số 55/2011/NĐ-CP.")
    doc = nlp(text)
    spans = doc.spans[KEY]
    assert len(spans) == 3  # the amending law, the amended law inside its title, the decree
    assert [(e.text, e.label_) for e in doc.ents] == [
        (spans[0].text, "LAW"), ("Nghị định số 55/2011/NĐ-CP", "LEGAL_DOC")]


def test_no_citation_and_empty_docs(nlp):
    for text in ("", "Không có văn bản nào được trích dẫn ở đây."):
        doc = nlp(text)
        assert len(doc.spans[KEY]) == 0 and doc.text == text


def test_records_survive_docbin_and_the_pipeline_survives_disk(tmp_path, seed_text):
    nlp = blank("vi")
    nlp.add_pipe("legal_citations", config={"spans_key": "cites"})
    doc = nlp(seed_text)
    back = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    assert [s._.citation for s in back.spans["cites"]] == [s._.citation for s in doc.spans["cites"]]
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    again = loaded(seed_text)
    assert [s._.citation for s in again.spans["cites"]] == [s._.citation for s in doc.spans["cites"]]


def test_render_citations_is_html_with_labels_and_numbers(seed_text):
    nlp = blank("xx")
    nlp.add_pipe("legal_citations")
    html = render_citations(nlp(seed_text))
    assert isinstance(html, str) and "LEGAL_DOC" in html and "PARTY_DOC" in html
    assert "06-NQ/TU" in html and "1364/QĐ-UBND" in html


def test_pipe_over_the_real_corpus_equals_kg_extract(nlp):
    files = sorted(need_shared(CORPUS).rglob("*.txt"))
    texts = [read_source(f).text for f in files]
    refs = [kg.extract(f) for f in files]
    t = time.perf_counter()
    docs = list(nlp.pipe(texts))
    elapsed = time.perf_counter() - t
    n, after = 0, Counter()
    for f, doc, ref in zip(files, docs, refs):
        assert _records(doc) == [asdict(c) for c in ref.citations], f.name
        for s, c in zip(doc.spans[KEY], ref.citations):
            assert (s.start_char, s.end_char) == (c.start, c.end), (f.name, c.text)
            if s.end < len(doc):
                after[doc[s.end].text[:1]] += 1
        n += len(ref.citations)
    assert n > 2000
    assert all(after[p] > 0 for p in ".,;)”")  # real cases of each punctuation were aligned exactly
    print(f"\n{nlp.lang}: {n} spans over {len(files)} files in {elapsed:.2f} s")


def test_pipe_with_two_processes():
    """Records are plain dicts in user_data, so they cross process boundaries with the docs."""
    nlp = blank("xx")
    nlp.add_pipe("legal_citations")
    texts = ["Căn cứ Nghị định số 55/2011/NĐ-CP;", "Thực hiện Quyết định số 1364/QĐ-UBND."]
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [[s._.citation["identifier"] for s in d.spans[KEY]] for d in docs] == [["55/2011/NĐ-CP"], ["1364/QĐ-UBND"]]


def test_span_extension_is_registered_once():
    blank("xx").add_pipe("legal_citations")
    blank("xx").add_pipe("legal_citations")
    assert Span.has_extension("citation")
