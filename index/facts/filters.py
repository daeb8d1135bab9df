"""Explicit filters on trial facts: `status:recruiting phase:2 age>65 follow_up>=12months`, as
callers give them (`--filter`, `filters=[...]`) or as a question writes them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.corpus.readers.normalize import STATUSES, norm_phase, norm_status
from index.facts.constraint import Constraint, ConstraintKey, make
from index.facts.words import FILTER_KEYS, MASK_LEVELS
from index.text.numbers import durations

# Explicit filters as callers give them: a list (`--filter` repeated), one string, or none.
Filters = Sequence[str] | str | None

FILTER = re.compile(
    r"\b(status|phase|max_age|min_age|age|enrollment|enrolment|sex|gender|masking|allocation|country|city|type|route|source"
    r"|placebo|condition|model|follow_up|followup|doses)\s*(>=|<=|:|>|<|=)\s*(\"[^\"]+\"|[\w.,/+'-]+)",
    re.I,
)


# The word before "age" that makes it a limit: "minimum age >= 20".
_LIMIT_WORDS: dict[str, ConstraintKey] = {"minimum": "min_age", "min": "min_age", "lower": "min_age"}
_LIMIT_WORDS |= {"maximum": "max_age", "max": "max_age", "upper": "max_age"}


def explicit(m: re.Match[str]) -> Constraint | None:
    """The constraint a `FILTER` match states, or None when its value cannot be read."""
    key, op, raw = FILTER_KEYS[m.group(1).lower()], m.group(2), m.group(3).strip('"').replace("_", " ").strip()
    op = "=" if op == ":" else op
    if key == "age":  # "minimum age >= 20", "upper age <= 65": the limit, not someone's age
        before = (m.string[: m.start()].lower().split() or [""])[-1]
        key = _LIMIT_WORDS.get(before, key)
    if key in {"age", "max_age", "min_age", "enrollment"}:
        if not re.fullmatch(r"\d+(?:\.\d+)?", raw.replace(",", "")):
            return None
        num = int(float(raw.replace(",", ""))) if key == "enrollment" else float(raw.replace(",", ""))
        return make(key, ">=" if op == "=" and key == "enrollment" else op, num)
    if key == "follow_up":  # days, or a duration ("12months", "2y")
        if re.fullmatch(r"\d+(?:\.\d+)?", raw):
            return make("follow_up", op, float(raw), shown=f"{raw} days")
        found = durations(raw)
        return make("follow_up", op, found[0].values[0], shown=raw) if found else None
    if key == "dose_count":
        return make("dose_count", op, int(raw)) if raw.isdigit() else None
    if key == "status":
        s = norm_status(raw.replace("-", " ").replace("_", " "))
        return make("status", "=", s) if s in STATUSES else None
    if key == "phase":
        phases = tuple(p for p in (norm_phase(f"phase {x}") for x in re.split(r"[/,]", raw)) if p)
        return make("phase", "has", phases) if phases else None
    if key == "masking":
        level = raw.lower().split("-")[0].split()[0]
        if level in {"none", "open"}:
            return make("masking", "in", frozenset({"None (Open Label)"}))
        return make("masking", "in", MASK_LEVELS[level]) if level in MASK_LEVELS else None
    if key == "allocation":
        return make("allocation", "=", "Non-Randomized" if raw.lower().startswith("non") else "Randomized")
    if key == "sex":
        v = raw.lower()
        return make("sex", "=", "Female" if v.startswith(("f", "w")) else "Male" if v.startswith("m") else "All")
    if key == "placebo":
        return make("placebo", "has", raw.lower() not in {"no", "false", "0"})
    if key == "model":
        models = {"single": "Single group", "parallel": "Parallel", "cross": "Crossover"}
        return make("model", "=", next((v for k, v in models.items() if raw.lower().startswith(k)), raw.capitalize()))
    if key == "study_type":
        return make("study_type", "=", raw.capitalize())
    return make(key, "=", raw)


def parse_filters(filters: Filters) -> list[Constraint]:
    """Explicit filters (`--filter status:recruiting`, `filters=["age>65"]`); raises ValueError
    naming a filter it cannot read."""
    if not filters:
        return []
    items = [filters] if isinstance(filters, str) else list(filters)
    out: list[Constraint] = []
    for item in items:
        for part in re.findall(r"\S+:\"[^\"]+\"|\S+", item):
            m = FILTER.fullmatch(part)
            c = explicit(m) if m else None
            if c is None:
                raise ValueError(
                    f"cannot read filter {part!r}; use e.g. status:recruiting phase:2 age>65 enrollment>=100 "
                    "sex:female masking:double allocation:randomized country:China placebo:yes"
                )
            out.append(c)
    return out
