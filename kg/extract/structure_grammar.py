"""The grammar words the structure stage reads, compiled once from actions.yaml: the verbs that
open a task, attribute labels, conditions and periods, and the lines that end a body (Nơi nhận,
the signature) or open what is sent along with it (Phụ lục ... kèm theo)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.grammar import load
from kg.ingest.normalize import fold_key


@lru_cache(maxsize=1)
def words():
    """The grammar words of actions.yaml, compiled once."""
    a = load("actions.yaml")
    actions = sorted(a["actions"], key=len, reverse=True)
    action_re = re.compile(r"(?:" + "|".join(r"\s+".join(map(re.escape, fold_key(x).split())) for x in actions) + r")(?!\w)")
    canon = {fold_key(x): x for x in actions}
    attr_re = re.compile(r"(?:" + "|".join(re.escape(fold_key(x)) for x in sorted(a["attribute_labels"], key=len, reverse=True)) + r")\s*:")
    cond_re = re.compile("|".join(a["conditions"]))
    period_re = re.compile("|".join(a["periods"]))
    rec_re = re.compile(r"(?m)^[ \t]*(?:" + "|".join(a["recipients_openers"]) + ")")
    sig_re = re.compile(r"(?m)^[ \t]*(?:(?:" + "|".join(a["signature_openers"]) + r")|(?:" +
                        "|".join(re.escape(t) for t in sorted(a["signer_titles"], key=len, reverse=True)) + r")[ \t]*$)")
    att_re = re.compile(r"(?m)^[ \t]*(?:(?:" + "|".join(re.escape(t) for t in a["attachment_titles"]) + r")\b[^\n]{0,120}|"
                        + "|".join(a["attachment_lines"]) + r")$")
    stop_re = re.compile(r"(?m)^[ \t]*[-+•*]?[ \t]*(?:" + "|".join(a["recipients_stop"]) + ")")
    return action_re, canon, attr_re, cond_re, period_re, rec_re, sig_re, att_re, stop_re, a


LEAD_CLAUSE = re.compile(r"[.;]\s+chủ trì\b")  # "...; Chủ trì thực hiện ...": the item's agency leads it


@lru_cache(maxsize=1)
def label_re() -> re.Pattern[str]:
    """A line without a mark that labels the task above ("Thời gian thực hiện: ...")."""
    return re.compile(r"[ \t]*[-+•*]?[ \t]*(?:" + "|".join(load("actions.yaml")["attribute_lines"]) + ")")


@lru_cache(maxsize=1)
def attribute_heading_re() -> re.Pattern[str]:
    """A numbered heading that only labels the unit above (actions.yaml attribute_headings, or an
    attribute line's label and colon): matched on its folded, lower-cased own text."""
    a = load("actions.yaml")
    return re.compile(r"(?:" + "|".join(a["attribute_headings"]) + r")$|(?:" + "|".join(a["attribute_lines"]) + ")")


@lru_cache(maxsize=1)
def actor_openers() -> frozenset[str]:
    """Words before the actor of a heading that keep it the actor's task (actions.yaml actor_openers)."""
    return frozenset(fold_key(w) for w in load("actions.yaml")["actor_openers"])
