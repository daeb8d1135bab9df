"""The CLI's exit codes, defined once (README "Commands" documents them)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # `corpus` / `index`: some files could not be read; `show`: an ID not found; `eval`: a question failed
EXIT_USAGE = 2  # usage or configuration error
EXIT_INDEX = 3  # no usable index (the message says how to build one)
EXIT_ERROR = 4  # another trialqa error (a message, no traceback)
EXIT_BUG = 5  # an unexpected exception: a bug in trialqa (traceback on stderr)
EXIT_INTERRUPTED = 130
