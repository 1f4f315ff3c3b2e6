"""Legacy Vietnamese encodings: Windows-1258 and the pre-Unicode fonts TCVN3 (ABC) and VNI.

Files typed before Unicode still arrive; each is decoded by its converter table (kg/ingest/data)
and the encoding picked by how many accented words read as Vietnamese syllables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kg.ingest.source import IngestError, nfc as _nfc

_DATA = Path(__file__).with_name("data")

# Windows-1252 where it defines a byte, Latin-1 elsewhere: legacy Vietnamese fonts were typed on
# Windows, so quotes and dashes in their files are Windows-1252 bytes.
_CP1252_LENIENT = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


_HIGH_1252 = {i: _CP1252_LENIENT[i] for i in range(128, 256)}


def _lenient_1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_HIGH_1252)


def _load_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=None)
def _legacy_table(name: str) -> tuple[dict[str, str], re.Pattern[str]]:
    """Byte sequences (as lenient-1252 text) -> Unicode letter, and a longest-first matcher."""
    table = {}
    for uni, hexes in _load_tsv(f"{name}.tsv"):
        seq = _lenient_1252(bytes(int(h, 16) for h in hexes.split()))
        table[seq] = uni
    pattern = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))
    return table, pattern


LEGACY_ENCODINGS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows"}


def decode_legacy(data: bytes, encoding: str) -> str:
    """Decode bytes typed in a legacy Vietnamese font ("tcvn3" or "vni") by its table alone."""
    table, pattern = _legacy_table(encoding)
    return _nfc(pattern.sub(lambda m: table[m.group(0)], _lenient_1252(data)))


WORD = re.compile(r"[^\W\d_]+")


def _recase_tcvn3(text: str) -> str:
    """Restore capitals that TCVN3 cannot encode.

    TCVN3 has no codes for capitals with a tone mark: typists used the lower-case code in a
    capitals-only font (.VnTimeH), so "TỈNH" arrives as "TỉNH" and "SỞ KHOA HỌC" as "Sở KHOA HọC".
    Header parsing reads those capitals, so they are put back where the context shows the
    capitals font: a line whose plain letters are all capitals; a word with two or more capitals
    and no plain lower-case letter; and a word with one capital next to capitals on both sides,
    or leading or ending two words in capitals ("Sở KHOA HỌC", but not "Bộ KH&CN").
    """
    out = []
    for line in text.split("\n"):
        if line.isascii():
            out.append(line)
            continue
        ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            out.append(line.upper())
            continue
        parts = re.split(r"(\s+)", line)
        words = [WORD.sub(_recase_word, w) for w in parts[0::2]]
        caps = [_all_caps(w) for w in words]
        for i, w in enumerate(words):
            if not _one_capital(w):
                continue
            left = i >= 1 and caps[i - 1]
            right = i + 1 < len(words) and caps[i + 1]
            left2 = left and i >= 2 and caps[i - 2]
            right2 = right and i + 2 < len(words) and caps[i + 2]
            if (left and right) or left2 or right2:
                words[i] = w.upper()
                caps[i] = True
        parts[0::2] = words
        out.append("".join(parts))
    return "\n".join(out)


def _recase_word(m: re.Match[str]) -> str:
    w = m.group(0)
    if sum(c.isupper() for c in w) >= 2 and not any(c.islower() and c.isascii() for c in w):
        return w.upper()
    return w


def _all_caps(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2 and not any(c.islower() for c in token)


def _one_capital(token: str) -> bool:
    return (sum(c.isupper() for c in token) == 1 and not any(c.islower() and c.isascii() for c in token)
            and any(c.islower() for c in token))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(row[0] for row in _load_tsv("vi_syllables.tsv"))


def _recognised(text: str, limit: int = 200_000) -> tuple[int, int]:
    """(accented words that are Vietnamese syllables, accented words): how right a decoding looks."""
    from kg.ingest.normalize import fold_key

    lexicon = _syllables()
    good = total = 0
    for w in WORD.findall(text[:limit]):
        if w.isascii():
            continue
        total += 1
        good += fold_key(w) in lexicon
    return good, total


def _decode_as(data: bytes, name: str) -> str:
    if name == "windows-1258":
        return _nfc(data.decode("cp1258"))
    return decode_legacy(data, name)


def decode_8bit(data: bytes, path: str, sample_size: int = 256 * 1024) -> tuple[str, str]:
    """Pick the legacy encoding under which the accented words read as Vietnamese, or refuse."""
    sample = data[:sample_size]
    scores: dict[str, tuple[int, int]] = {}
    for name in ("windows-1258", "tcvn3", "vni"):
        try:
            scores[name] = _recognised(_decode_as(sample, name))
        except UnicodeDecodeError:  # bytes Windows-1258 leaves undefined
            continue
    best = max(scores, key=lambda n: (scores[n][0], -scores[n][1]))
    good, total = scores[best]
    if total == 0:
        # High bytes only in punctuation: every candidate reads the letters the same.
        best = "windows-1258" if "windows-1258" in scores else "tcvn3"
    elif good < 0.6 * total:
        label = {"windows-1258": "Windows-1258", **LEGACY_ENCODINGS}[best]
        raise IngestError(
            path,
            f"unknown text encoding: not UTF-8 or UTF-16; closest guess {label}, but only "
            f"{100 * good // total}% of its accented words are Vietnamese; re-save the file as UTF-8",
        )
    text = _decode_as(data, best)
    return (_recase_tcvn3(text) if best == "tcvn3" else text), best


