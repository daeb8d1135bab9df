"""`trialqa chat`: ask question after question at a prompt.

On a terminal: a prompt_toolkit prompt with history kept across sessions (Ctrl-R searches
it), answers rendered with rich. With stdin or stdout not a terminal: one plain-text answer
per input line (as `trialqa ask -` prints them), the banner on stderr, no escape codes.
Commands (`:help`, `:show`, `:sources`, `:more`, `:json`, `:k`, `:new`, `:quit`) work in both.

Questions form one conversation (`index.qa.conversation`): a follow-up ("which of them are
recruiting?", "what dose does it give?") is read against the previous answer; `:new` (or
`:reset`) starts a new one. With ``json_lines`` (`trialqa chat --json`) every answer is one
`ask --json` object on one line of stdout, on a terminal too, and everything else goes to
stderr, so `printf 'q1\nq2\n' | trialqa chat --json` scripts a conversation.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from rich.console import Console, RenderableType
from rich.text import Text

from bot import repl_render as view
from bot.render import answer_text, trial_text, use_colour
from bot.textio import stdin_lines
from index import MAX_K
from index.config import Settings
from index.errors import TrialQAError
from index.model import NCT_RE
from index.results import Answer
from index.trial_index import TrialIndex

log = logging.getLogger("trialqa")

PROMPT = "trialqa> "

MAX_HISTORY_ENTRY = 2_000  # longer lines (pastes) are answered but not kept in the history file


def history_path(settings: Settings) -> Path:
    """`$TRIALQA_HISTORY`, else `history` in the user's data directory."""
    if settings.history_file is not None:
        return settings.history_file
    from platformdirs import user_data_dir

    return Path(user_data_dir("trialqa")) / "history"


class Chat:
    """One REPL session: the index, the settings the commands change and the last answer."""

    def __init__(self, ix: TrialIndex, console: Console, rich_output: bool, json_lines: bool = False) -> None:
        self.ix = ix
        self.console = console
        self.rich = rich_output and not json_lines
        self.json_lines = json_lines  # answers as JSON Lines on stdout, the rest on stderr
        self.k = 10
        self.json = json_lines
        self.conversation = ix.conversation()
        self.last: Answer | None = None
        self.more_shown = False

    def say(self, text: Text | str, rich: RenderableType | None = None) -> None:
        """Print `text` (or the `rich` view of the same thing) on a terminal; its plain text otherwise."""
        if self.rich:
            self.console.print(rich if rich is not None else Text(text) if isinstance(text, str) else text)
            return
        plain = text.plain if isinstance(text, Text) else text
        out = sys.stderr if self.json_lines else sys.stdout
        out.write(view.clean(plain, lines=True) + "\n")
        out.flush()

    def handle(self, line: str) -> bool:
        """Answer a question or run a command; False when the session should end."""
        if line.strip().startswith(":"):
            word, _, rest = line.strip().partition(" ")
            return self.command(word.lower(), rest.split())
        self.answer(line)
        return True

    def answer(self, question: str) -> None:
        try:
            a = self.conversation.ask(view.clean(question), k=self.k)
        except TrialQAError as exc:
            if self.json_lines:  # one object per question, so a script stays in step
                self.print_json({"question": question, "no_answer": True, "trials": [], "message": str(exc)})
            self.say(Text(f"Could not answer that: {exc}", style=view.WARN))
            return
        self.last, self.more_shown = a, False
        if self.json:
            self.print_json(a.to_dict())
        else:
            plain = answer_text(replace(a, question=view.short(a.question)), colour=False) + "\n"
            self.say(plain, view.answer_view(a))

    def print_json(self, obj: dict) -> None:
        if self.json_lines:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif self.rich:
            self.console.print_json(data=obj)
        else:
            self.say(json.dumps(obj, ensure_ascii=False))

    def command(self, word: str, args: list[str]) -> bool:
        """Run `:word args`; False for `:quit`."""
        if word in (":quit", ":q", ":exit"):
            return False
        handlers: dict[str, Callable[[list[str]], None]] = {
            ":help": self.help,
            ":show": self.show,
            ":sources": self.sources,
            ":more": self.more,
            ":json": self.toggle_json,
            ":k": self.set_k,
            ":new": self.new,
            ":reset": self.new,
        }
        if word in handlers:
            handlers[word](args)
        else:
            self.say(view.unknown_command(word))
        return True

    def help(self, args: list[str]) -> None:
        self.say(view.help_text())

    def sources(self, args: list[str]) -> None:
        trials = self.ix.trials.values()
        self.say(view.sources_text(trials), view.sources_table(trials))

    def show(self, args: list[str]) -> None:
        words = [a.strip(",") for a in args if a.strip(",")]
        if not words:
            self.say(Text("Name a trial, e.g. :show NCT01724697 (:sources lists them).", style=view.WARN))
            return
        trials = self.ix.trials
        for word in words:
            nct = word.upper()
            if not NCT_RE.fullmatch(nct):
                self.say(Text(f"{view.short(word, 40)} is not an NCT ID (e.g. NCT01724697).", style=view.WARN))
            elif nct not in trials:
                msg = f"{nct} is not in this index ({view.plural(len(trials), 'trial')}); :sources lists them."
                self.say(Text(msg, style=view.WARN))
            else:
                self.say(trial_text(trials[nct]), view.trial_card(trials[nct]))

    def more(self, args: list[str]) -> None:
        a = self.last
        if a is None:
            self.say(Text("Ask a question first; :more then shows further trials for it.", style=view.WARN))
        elif self.more_shown or not a.more:
            self.say(Text(f"No more trials for “{view.short(a.question, 60)}”.", style=view.WARN))
        else:
            self.more_shown = True
            if self.json:
                self.print_json({"question": a.question, "more": [t.to_dict() for t in a.more]})
            else:
                self.say(view.more_text(a), view.more_view(a))

    def new(self, args: list[str]) -> None:
        self.conversation.reset()
        self.last, self.more_shown = None, False
        self.say("New conversation: the next question does not follow on from earlier answers.")

    def toggle_json(self, args: list[str]) -> None:
        if self.json_lines:
            self.say("JSON output stays on: trialqa chat --json prints one JSON object per answer.")
            return
        self.json = not self.json
        self.say(f"JSON output {'on' if self.json else 'off'}.")

    def set_k(self, args: list[str]) -> None:
        if not args:
            self.say(f"k is {self.k}: answers list at most {view.plural(self.k, 'trial')}. :k N changes it.")
        elif len(args) == 1 and args[0].isdigit() and 1 <= int(args[0]) <= MAX_K:
            self.k = int(args[0])
            self.say(f"k is now {self.k}: answers list at most {view.plural(self.k, 'trial')}.")
        else:
            self.say(Text(f":k takes a whole number from 1 to {MAX_K}, e.g. :k 5.", style=view.WARN))


def _load(load_index: Callable[[], TrialIndex], console: Console, status: bool) -> TrialIndex:
    """Load the index and warm the query encoder, saying so while it happens.

    The index line is plain (a first use builds the index under its own progress bars,
    which a spinner would fight with); the encoder, the slow part, gets a spinner.
    """
    if not status:
        print("Loading index…", file=sys.stderr, flush=True)
        ix = load_index()
        ix.embed_query("warm up")
        return ix
    console.print("Loading index…", end="\r")
    ix = load_index()
    with console.status("Loading the model…"):
        ix.embed_query("warm up")
    return ix


def _banner(ix: TrialIndex) -> str:
    return f"trialqa chat — {view.plural(len(ix.trials), 'trial')} indexed. Ask a question, or :help. Ctrl-D to quit."


def _terminal_lines(settings: Settings) -> Iterator[str]:
    """Lines typed at a prompt_toolkit prompt; Ctrl-C drops the line, Ctrl-D ends."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class History(FileHistory):
        def store_string(self, string: str) -> None:
            if len(string) <= MAX_HISTORY_ENTRY:
                super().store_string(string)

    path = history_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        history: InMemoryHistory | FileHistory = History(str(path))
    except OSError as exc:
        print(f"trialqa: history not kept ({exc})", file=sys.stderr)
        history = InMemoryHistory()
    session: PromptSession[str] = PromptSession(history=history, enable_history_search=True)
    while True:
        try:
            yield session.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return


def run(load_index: Callable[[], TrialIndex], settings: Settings | None = None, json_lines: bool = False) -> int:
    """The REPL; returns the exit code (0 on Ctrl-D, `:quit` or end of input). ``json_lines``:
    each answer as one `ask --json` line on stdout (`trialqa chat --json`)."""
    settings = settings or Settings.from_env()
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    if terminal and threading.current_thread() is threading.main_thread():
        # Ctrl-C cancels an answer even when the REPL was started by a process that ignores
        # SIGINT (an ignored signal is inherited across exec; a pytest run or a launcher can leave it so)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    rich_output = terminal and settings.term != "dumb" and not json_lines
    console = Console(highlight=False, no_color=not use_colour(sys.stdout, settings), soft_wrap=False)
    ix = _load(load_index, console, status=rich_output)
    chat = Chat(ix, console, rich_output, json_lines=json_lines)
    if terminal and not json_lines:
        chat.say(_banner(ix))
    else:
        print(_banner(ix), file=sys.stderr, flush=True)
    lines = _terminal_lines(settings) if terminal else stdin_lines()
    for line in lines:
        try:
            if not chat.handle(line):
                break
        except KeyboardInterrupt:
            chat.say(Text("Cancelled.", style=view.WARN))
        except Exception:
            log.exception("could not answer %r", view.short(line, 80))
            chat.say(Text("Something went wrong with that line (the error is logged); ask another.", style=view.WARN))
    return 0
