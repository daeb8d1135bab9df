"""Plain-text rendering of answers and trials for the terminal (ANSI colour optional)."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bot.textio import printable
from index.config import Settings
from index.model import Trial
from index.results import Answer, Citation

MATCH = "bold yellow"  # the words of a snippet that matched the question
ID = "bold"


def use_colour(stream: TextIO, settings: Settings | None = None) -> bool:
    s = settings or Settings.from_env()
    return stream.isatty() and not s.no_color and s.term != "dumb"


def highlight(c: Citation, colour: bool) -> str:
    if not colour or not c.highlights:
        return c.snippet
    text = Text(c.snippet)
    for start, end in c.highlights:
        text.stylize(MATCH, start, end)
    return _ansi(text)


def _ansi(text: Text) -> str:
    """The text with its styles as terminal escape codes (rich renders them)."""
    console = Console(force_terminal=True, color_system="standard", highlight=False, soft_wrap=True, width=1 << 16)
    with console.capture() as out:
        console.print(text, end="")
    return out.get()


def answer_text(a: Answer, colour: bool = False) -> str:
    a = printable(a)  # no escape sequence from a record or a question reaches the terminal

    def b(s: str) -> str:
        return _ansi(Text(s, style=ID)) if colour else s

    lines = [f"Q: {a.question}"]
    if a.context is not None and a.context.summary:  # how a conversation read a follow-up
        lines.append(a.context.summary + ".")
    if a.no_answer:
        lines.append(a.message or "No trial in the corpus supports this.")
        return "\n".join(lines)
    n = len(a.trials)
    if a.kind == "compare" and a.table:
        lines.append(a.message or "")
        for row in a.table:
            c = row.citation
            lines.append("")
            lines.append(f"{b(row.nct_id)}  {row.value}")
            if c:
                lines.append(f"   [{c.section}] \u201c{c.snippet}\u201d")
            lines.append(f"   https://clinicaltrials.gov/study/{row.nct_id}")
        return "\n".join(lines)
    if a.kind == "lookup":
        if a.message:  # a fact a follow-up asked for ("Dose: ...")
            lines.append(a.message)
        lines.append("Answer from the best-supported trial:" if n == 1 else f"{n} trials answer this:")
    elif a.kind == "count" and a.message:
        lines.append(a.message)
    else:
        if a.message:
            lines.append(a.message)
        lines.append("1 trial matches:" if n == 1 else f"{n} trials match:")
    for i, t in enumerate(a.trials, 1):
        lines.append("")
        lines.append(f"{i}. {b(t.nct_id)}  {t.title}")
        for c in t.citations:
            lines.append(f"   [{c.section}] \u201c{highlight(c, colour)}\u201d")
        lines.append(f"   {t.url}")
        if t.last_update:
            lines.append(f"   Last updated: {t.last_update}")
    return "\n".join(lines)


def trial_fields(t: Trial) -> list[tuple[str, str]]:
    """A trial's key fields as (label, value) rows, "-" for what the record does not state."""

    def v(x: object) -> str:
        if x is None or x == ():
            return "-"
        return ", ".join(x) if isinstance(x, tuple) else str(x)

    ages = "-"
    if t.min_age_years is not None or t.max_age_years is not None:
        lo = f"{t.min_age_years:g}" if t.min_age_years is not None else "any"
        hi = f"{t.max_age_years:g}" if t.max_age_years is not None else "no limit"
        ages = f"{lo} to {hi} years"
    return [
        ("NCT ID", t.nct_id),
        ("Title", t.title),
        ("Sponsor", v(t.sponsor)),
        ("Status", v(t.status)),
        ("Phases", v(t.phases)),
        ("Study type", v(t.study_type)),
        ("Conditions", v(t.conditions)),
        ("Interventions", v(t.interventions)),
        ("Enrollment", v(t.enrollment)),
        ("Sex", v(t.sex)),
        ("Ages", ages),
        ("Allocation", v(t.allocation)),
        ("Masking", v(t.masking)),
        ("Model", v(t.intervention_model)),
        ("Locations", v(t.locations)),
        ("URL", t.url),
        ("Source", f"{t.source} ({t.format})" + (f"; also {', '.join(t.also_sources)}" if t.also_sources else "")),
    ]


def trial_text(t: Trial, sections: bool = True) -> str:
    rows = trial_fields(t)
    out = [f"{k + ':':<15}{val}" for k, val in rows]
    for w in t.warnings:
        out.append(f"{'Warning:':<15}{w}")
    if sections:
        out.append("")
        out.append(f"Sections ({len(t.sections)}):")
        for s in t.sections:
            loc = f"{s.field} " if s.field else ""
            text = s.text if len(s.text) <= 300 else s.text[:300] + "…"
            out.append(f"  [{s.name}] {s.heading}  ({loc}{s.start}-{s.end})")
            out.extend("      " + line for line in text.splitlines())
    return "\n".join(out)


def print_json(obj: object, stream: TextIO | None = None, lines: bool = False) -> None:
    """Print ``obj`` as JSON (one line with ``lines``) to ``stream``, by default the current stdout."""
    stream = stream or sys.stdout
    stream.write(json.dumps(obj, ensure_ascii=False, indent=None if lines else 2) + "\n")
    stream.flush()
