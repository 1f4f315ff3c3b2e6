"""File names as text that every UTF-8 writer (JSON, the graph store, a terminal) accepts."""

from __future__ import annotations

import os


def display_path(path: str) -> str:
    """A path as valid UTF-8 text, for JSON, the graph and the terminal.

    On Linux a file name is bytes; Python decodes the bytes that are not UTF-8 as lone surrogates
    ("surrogateescape"), which no UTF-8 writer accepts: `kg extract` wrote invalid JSON and
    `kg build` lost the file with "UnicodeEncodeError". Each such byte is written ``\\xNN`` (the
    Latin-1 name "café.txt" becomes ``caf\\xe9.txt``); a valid name is left as it is. The file is
    still opened by its real name: only what is written about it changes.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that no file system decoding made
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
