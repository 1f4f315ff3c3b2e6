"""Every failure a user can act on, in one hierarchy.

Library code raises these with a plain message (no CLI advice); ``kg.cli`` turns any of them into
one line on stderr and the exit status the class names. Anything else that escapes is a bug, shown
as "internal error" (the traceback with ``kg --debug``).
"""

from __future__ import annotations


class KgError(Exception):
    """A failure the user can act on. ``exit_code``: 1 for failed work, 2 for a wrong request."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(KgError):
    """The request itself is wrong (an unknown query name, a parameter a query lacks)."""

    exit_code = 2


class InputError(KgError):
    """A file that cannot be read: ``path`` and a one-line ``reason``."""

    def __init__(self, path: str, reason: str):
        reason = " ".join(str(reason).split())  # one line, whatever a library put in its message
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(KgError):
    """The graph store is missing, locked or damaged."""


class StoreMissing(StoreError, FileNotFoundError):
    """No graph has been built at that place yet."""


class EndpointError(KgError, OSError):
    """A SPARQL server refused or could not be reached; the message carries its status and words."""


class NotFound(KgError, LookupError):
    """What the user named is not in the graph."""


class MissingDependency(KgError):
    """An optional package or program that this request needs is not installed."""

    def __init__(self, what: str, install: str):
        super().__init__(f"{what} needs {install}, which is not installed")
        self.install = install
