"""Which SPARQL keywords a request really uses, so the server can refuse what it must never do.

pyoxigraph evaluates `SERVICE <url>` by fetching the URL (measured: it tries the HTTP request) and
`LOAD <url>` in an update does too, and it has no switch to turn either off. A server reachable by a
team must not fetch URLs for a client, so these are refused before a query reaches the engine.

A plain search for the word would refuse a query that only mentions "service" in a string, a
comment, an IRI, a variable or a prefixed name (`?service`, `ex:SERVICE`), and a careless one would
let `service` in lower case through. So the text is split into SPARQL tokens first and only bare
keywords count. Where the lexer and the engine could disagree (an unterminated string), the rest
of the text is kept as bare words: the doubt falls on the side of refusing.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040\u00c0-\uffff]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:
                (?:[\w\-.:%\u00b7\u00c0-\uffff]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[A-Za-z_\u00c0-\uffff][\w\u00b7\u00c0-\uffff]*)
    | (?P<blank>_:[\w\-.\u00b7\u00c0-\uffff]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """SPARQL 1.1 allows \\u escapes anywhere in the query text; oxigraph does not, but a future
    engine might, so the check sees the text both ways."""
    def sub(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _ESCAPE.sub(sub, text)


def keywords(text: str) -> list[str]:
    """The bare words of a query or update, upper-cased, in order."""
    out: list[str] = []
    plain = _unescape(text)
    for source in [text] if plain == text else [text, plain]:
        for m in _TOKEN.finditer(source):
            if m.lastgroup == "word":
                out.append(m.group().upper())
            elif m.lastgroup == "other" and m.group() in "'\"":
                # an unterminated string: the engine will reject it, but never hide words from us
                out.extend(w.upper() for w in re.findall(r"[A-Za-z_]+", source[m.end():]))
                break
    return out


def _fetch_re(word: str) -> re.Pattern[str]:
    # The keyword and what must follow it to fetch: SILENT, an IRI, a variable or a prefixed name.
    return re.compile(rf"(?i)(?<![\w:?$]){word}(?:\s|\#[^\n\r]*)*(?:silent\b|<|[?$]|[\w\u00c0-\uffff.\-]*:)")


_FETCHING = {w: _fetch_re(w) for w in ("SERVICE", "LOAD")}


def fetches(text: str, word: str) -> bool:
    """Does the text use `word` (SERVICE or LOAD) to fetch a URL? Asked two ways, and either
    answer refuses: as a token (the lexer above), and as the keyword followed by what it fetches
    anywhere in the text, strings and comments included. The second cannot be fooled by a lexer
    that reads some corner of SPARQL differently from the engine (measured: an escape such as
    `ex:a\\#` in a prefixed name once hid a SERVICE behind a "comment"); its price is refusing a
    query that quotes "SERVICE <...>" inside a string."""
    rx = _FETCHING[word]
    return uses(text, word) is not None or any(rx.search(t) for t in {text, _unescape(text)})


def uses(text: str, *words: str) -> str | None:
    """The first of `words` used as a keyword, else None."""
    wanted = {w.upper() for w in words}
    for k in keywords(text):
        if k in wanted:
            return k
    return None


FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: what kind of result to negotiate for."""
    return uses(text, *FORMS)
