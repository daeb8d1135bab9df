"""An outcome lookup that also asks when it is measured ("primary endpoint & timepoint", "assessed
when?"): the outcome measure cited together with the time frame its record writes right after it
("Ishak Fibrosis ScoreChanges from baseline to 72 weeks" on a page that runs the two together).
Only where the two are one stretch of the source text (a text page), so the citation stays
verbatim; a registry record keeps them in two fields, and its measure is cited alone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from index.model import Trial
from index.results import TrialAnswer

ASKS_WHEN = re.compile(
    r"\bwhen\b|\btime[\s-]?points?\b|\btime[\s-]?frames?\b|\bat what (?:time|point|week|month|stage)\b", re.I
)


def with_time_frame(trials: Mapping[str, Trial], answer: TrialAnswer) -> TrialAnswer:
    """``answer`` with its first citation, an outcome measure, joined to the measure's time frame
    when the record writes it right after the measure in the same text; else ``answer``."""
    if not answer.citations:
        return answer
    first = answer.citations[0]
    if not first.name.startswith("outcomes_") or first.field is not None:
        return answer
    t = trials.get(answer.nct_id)
    if t is None:
        return answer
    frame = next(
        (
            s
            for s in t.sections
            if s.name == first.name and s.field is None and s.start == first.end and "time" in s.heading.lower()
        ),
        None,
    )
    if frame is None or not frame.text.strip():
        return answer
    joined = replace(first, snippet=first.snippet + frame.text, end=frame.end)
    return replace(answer, citations=(joined, *answer.citations[1:]))
