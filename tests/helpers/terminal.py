"""`trialqa chat` in a real pseudo-terminal: keys in, the screen lines out."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pexpect

from tests.conftest import REPO

TIMEOUT = 180  # the model loads in a few seconds, but the machine may be busy

# prompt_toolkit switches bracketed paste on as each prompt starts and off when a line is
# accepted: what lies between the two is the REPL's own output.
PROMPT_ON = "\x1b[?2004h"
PROMPT_OFF = "\x1b[?2004l"
ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")

HEPATIC_ANSWER = [
    "1. NCT01724697  Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver Cirrhosis",
    "   [240 participants in 2 patient groups] “conventional treatment \\& antiviral treatment \\& autologous bone "
    "marrow stem cell transplantation via hepatic artery”",
    "   [About] “In this study, the patients with HBV-related liver cirrhosis will undergo administration of human "
    "autologous BMSCs via hepatic artery to evaluate the safty and efficacy of human autologous",
    "   BMSCs treatment for these patients.”",
    "",
]


def screen(raw: str) -> list[str]:
    """Terminal output as the lines a user reads: escape codes gone, trailing blanks trimmed."""
    text = ESCAPES.sub("", raw).replace("\r", "")
    return [line.rstrip() for line in text.split("\n")]


class Terminal:
    """`trialqa chat` in a 50x200 pseudo-terminal."""

    def __init__(self, argv: list[str], history: Path, **env: str) -> None:
        e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
        # PROMPT_TOOLKIT_NO_CPR: pexpect is not a terminal that answers cursor-position requests.
        e.update(TERM="xterm", TRIALQA_HISTORY=str(history), PROMPT_TOOLKIT_NO_CPR="1", **env)
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            cwd=str(REPO),
            env=e,
            dimensions=(50, 200),
            encoding="utf-8",
            timeout=TIMEOUT,
        )
        self.raw = ""
        self.child.expect_exact(PROMPT_ON)
        self.start = screen(self.child.before)

    def enter(self, line: str) -> list[str]:
        """Type `line` and Enter; the screen lines the REPL printed before its next prompt."""
        return self.keys(line + "\r")

    def keys(self, keys: str) -> list[str]:
        """Send `keys`; the screen lines the REPL printed before its next prompt."""
        self.child.send(keys)
        self.child.expect_exact(PROMPT_ON)
        self.raw = self.child.before.split(PROMPT_OFF, 1)[-1]
        return screen(self.raw)[:-1]  # the last line is where the next prompt starts

    def exit_code(self, keys: str) -> int:
        """Send `keys` (which should end the REPL) and wait for the process to exit."""
        self.child.send(keys)
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


def closing(lines: list[str]) -> str:
    """The closing line, with its time replaced by N."""
    return re.sub(r"in (\d[\d,]*|under 1) ms", "in N ms", lines[-1])
