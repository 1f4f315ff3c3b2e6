"""The rule registry: a rule is a plain function over one document, registered with ``@rule``.

The decorator gives the function an id, a severity and its one-line messages in Vietnamese and
English, so that the runner (``kg.check.check_document``), ``kg check --list-rules`` and the tests
all see one catalogue (``RULES``) and a rule is added by writing one function in its family's module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from kg.models import Citation

if TYPE_CHECKING:
    from kg.check.doc import Doc

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title_vi: str
    title_en: str
    messages: dict[str, tuple[str, str]]  # variant -> (vi, en) templates
    fn: Callable[["Doc"], Iterator["Hit"]]
    reference: tuple[str, str] | None = None  # the legal source, (vi, en)

    def message(self, variant: str, lang: str, params: dict[str, Any]) -> str:
        vi, en = self.messages.get(variant) or self.messages[""]
        return (en if lang == "en" else vi).format(**params)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, title: tuple[str, str], messages: dict[str, tuple[str, str]] | tuple[str, str],
         reference: tuple[str, str] | None = None):
    """Register a rule function under its id; the function stays callable on its own."""
    if severity not in SEVERITIES:
        raise ValueError(severity)
    msgs = messages if isinstance(messages, dict) else {"": messages}

    def deco(fn):
        RULES[id] = Rule(id, severity, title[0], title[1], msgs, fn, reference)
        fn.rule_id = id
        return fn

    return deco


@dataclass
class Hit:
    """Where a rule fired (offsets into Document.text) and the values its message needs."""

    start: int
    end: int
    params: dict[str, Any] = field(default_factory=dict)
    variant: str = ""
    citation: Citation | None = None
    severity: str | None = None  # overrides the rule's severity for this hit
