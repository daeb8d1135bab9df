"""What `trialqa chat` shows: answers, trial cards and the list of sources as rich `Text`.

Document and question text is never parsed as rich markup (it is appended to `Text`
objects, which take it literally) and control characters are replaced before display, so
a record or a paste holding `[bold]`, an escape sequence or a bell cannot change the
terminal. Off a terminal the REPL prints plain twins instead: `bot.render.answer_text` and
`trial_text`, `more_text`, `sources_text`, and the `.plain` of the `Text` views.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.render import trial_fields
from index.model import Trial
from index.results import Answer, Citation, TrialAnswer

# C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NO_ANSWER = "No trial in the corpus supports this."
MAX_ECHO = 200  # characters of a question repeated back
EXCERPT = 300  # characters of each section on a trial card

COMMANDS: tuple[tuple[str, str], ...] = (
    (":help", "this list"),
    (":show NCT...", "a trial's card: key fields and sections"),
    (":sources", "the indexed trials: NCT ID, title, source file"),
    (":more", "further trials and snippets for the last question"),
    (":json", "switch raw JSON answers on or off"),
    (":k N", "list at most N trials per answer (1 to 100)"),
    (":new", "a new conversation: the next question does not follow on (also :reset)"),
    (":quit", "leave (or Ctrl-D)"),
)

HIGHLIGHT = Style(bold=True, color="yellow")
HEADING = Style(color="cyan")
DIM = Style(dim=True)
WARN = Style(color="yellow")


def clean(s: str, lines: bool = False) -> str:
    """`s` with each control character replaced by a space (offsets into it stay valid).
    With `lines`, newlines and tabs are kept."""
    return (_CONTROL_KEEP_LINES if lines else _CONTROL).sub(" ", s)


def short(s: str, n: int = MAX_ECHO) -> str:
    """`s` on one line, cut to `n` characters."""
    s = " ".join(clean(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def snippet(c: Citation) -> Text:
    """The snippet with its matched words highlighted."""
    text = Text(clean(c.snippet))
    for s, e in c.highlights:
        text.stylize(HIGHLIGHT, s, e)
    return text


def trial_block(i: int, t: TrialAnswer) -> RenderableType:
    """`i. NCT…  Title` (the title links to the trial), then `[Section] “snippet”` lines, wrapped
    lines kept to the right of the number."""
    head = Text.assemble((t.nct_id, "bold"), "  ", (clean(t.title), Style(bold=True, link=t.url)))
    cites = [Text.assemble((f"[{clean(c.section)}]", HEADING), " “", snippet(c), "”") for c in t.citations]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(f"{i}.", Group(head, *cites))
    return grid


def elapsed(ms: float) -> str:
    return "under 1 ms" if ms < 1 else f"{ms:,.0f} ms"


def answer_view(a: Answer) -> RenderableType:
    """An answer as the REPL shows it: the trials, then a closing line with the count and time."""
    understood = [Text(clean(a.context.summary) + ".", style=DIM)] if a.context and a.context.summary else []
    if a.no_answer:
        lines = [*understood, Text(clean(a.message or NO_ANSWER), style=WARN)]
        if a.more:
            lines.append(Text(f":more shows the {plural(len(a.more), 'nearest trial')} anyway.", style=DIM))
        return Group(*lines)
    n = len(a.trials)
    if a.kind == "lookup":
        closing = f"Answered from {plural(n, 'trial')} in {elapsed(a.elapsed_ms)}."
    else:
        closing = f"{plural(n, 'trial')} matched in {elapsed(a.elapsed_ms)}."
    if a.more:
        closing += f" :more shows {len(a.more)} further."
    blocks: list[RenderableType] = list(understood)
    if a.message:  # what a fact question was understood as
        blocks += [Text(clean(a.message), style=DIM), Text()]
    if a.table:
        blocks += [compare_table(a), Text()]
    for i, t in enumerate(a.trials, 1):
        blocks += [trial_block(i, t), Text()]
    return Group(*blocks, Text(closing, style=DIM))


def compare_table(a: Answer) -> Table:
    """A "compare" answer's rows: trial, value, and the cited text it comes from."""
    table = Table(show_edge=False, box=None, pad_edge=False)
    for col in ("NCT", (a.compared or "value").capitalize(), "Cited"):
        table.add_column(col, overflow="fold")
    for row in a.table or ():
        c = row.citation
        cited = f"[{c.section}] {c.snippet}" if c else "-"
        table.add_row(clean(row.nct_id), Text(clean(row.value)), Text(clean(cited)))
    return table


def more_view(a: Answer) -> RenderableType:
    """The further candidates of an answer, numbered after its listed trials."""
    start = len(a.trials) + 1
    head = Text(f"Further trials for “{short(a.question)}” (below the listing line):", style=DIM)
    blocks: list[RenderableType] = [head]
    for i, t in enumerate(a.more, start):
        blocks += [Text(), trial_block(i, t)]
    return Group(*blocks)


def more_text(a: Answer) -> str:
    """`more_view` as plain text, in the layout of `bot.render.answer_text`."""
    lines = [f"Further trials for “{short(a.question)}” (below the listing line):"]
    for i, t in enumerate(a.more, len(a.trials) + 1):
        lines += ["", f"{i}. {t.nct_id}  {t.title}"]
        lines += [f"   [{c.section}] “{c.snippet}”" for c in t.citations]
        lines.append(f"   {t.url}")
    return clean("\n".join(lines), lines=True)


def trial_card(t: Trial) -> RenderableType:
    """A trial's key fields (as `trialqa show` lists them) and an excerpt of each section."""
    fields = Table.grid(padding=(0, 1))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column()
    for label, value in trial_fields(t):
        fields.add_row(f"{label}:", Text(clean(value), style=Style(link=t.url) if label in ("Title", "URL") else ""))
    for w in t.warnings:
        fields.add_row("Warning:", Text(clean(w), style=WARN))
    parts: list[RenderableType] = [fields, Text(), Text(f"Sections ({len(t.sections)}):", style="bold")]
    for s in t.sections:
        loc = f"{s.field} " if s.field else ""
        text = s.text if len(s.text) <= EXCERPT else s.text[:EXCERPT] + "…"
        parts.append(
            Text.assemble(
                "  ", (f"[{s.name}]", HEADING), f" {clean(s.heading)}  ", (clean(f"({loc}{s.start}-{s.end})"), DIM)
            )
        )
        parts.append(Padding(Text(clean(text, lines=True)), (0, 0, 0, 6)))
    return Group(*parts)


def sources_table(trials: Iterable[Trial]) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False)
    for col in ("NCT ID", "Title", "Source"):
        table.add_column(col, overflow="fold")
    for t in trials:
        table.add_row(t.nct_id, Text(clean(t.title), style=Style(link=t.url)), Text(clean(t.source)))
    return table


def sources_text(trials: Iterable[Trial]) -> str:
    """One line per trial: NCT ID, title and source, separated by two spaces."""
    return clean("\n".join(f"{t.nct_id}  {t.title}  {t.source}" for t in trials), lines=True)


def help_text() -> Text:
    width = max(len(c) for c, _ in COMMANDS)
    text = Text("Ask a question in plain words, e.g. “which trials exclude HIV?”. Commands:\n")
    text.append("\n".join(f"  {c:<{width}}  {what}" for c, what in COMMANDS))
    text.append(
        "\nA question may follow on from the answer before (“which of them are recruiting?”, “what dose does it"
        " give?”); one that names its own subject (“which trials …”) starts afresh."
    )
    text.append("\nCtrl-R searches earlier questions; Ctrl-C cancels the line or the answer in progress.")
    return text


def unknown_command(word: str) -> Text:
    names = ", ".join(c for c, _ in COMMANDS)
    return Text(f"Unknown command {short(word, 40)}. Commands: {names}.", style=WARN)
