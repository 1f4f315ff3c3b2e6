"""File names as text that every UTF-8 writer (JSON, the graph store, a terminal) accepts, on one line."""

from __future__ import annotations

import os
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_path(path: str) -> str:
    """A path as valid UTF-8 text on one line, for JSON, the graph, the summary and the terminal.

    On Linux a file name is bytes; Python decodes the bytes that are not UTF-8 as lone surrogates
    ("surrogateescape"), which no UTF-8 writer accepts: `kg extract` wrote invalid JSON and
    `kg build` lost the file with "UnicodeEncodeError". Each such byte is written ``\\xNN`` (the
    Latin-1 name "café.txt" becomes ``caf\\xe9.txt``), and so is each control character, since a
    newline in a name would split the one line that names a failure. Other names are left as they
    are. The file is still opened by its real name: only what is written about it changes.
    """
    try:
        path.encode("utf-8")
        text = path
    except UnicodeEncodeError:
        try:
            text = os.fsencode(path).decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that no file system decoding made
            text = path.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
