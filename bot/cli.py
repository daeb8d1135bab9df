"""`trialqa`: command-line entry point (corpus, show, index, ask, eval, chat, slack, serve, mcp, fetch)."""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Sequence

from bot import cli_args
from bot.exits import EXIT_BUG, EXIT_ERROR, EXIT_INDEX, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from index.config import Settings
from index.errors import ConfigError, IndexCorrupt, IndexMissing, IndexStale, TrialQAError

log = logging.getLogger("trialqa")


def main(argv: Sequence[str] | None = None) -> int:
    parser = cli_args.parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "backend", None):  # every front end opens its index through these settings
            settings = dataclasses.replace(settings, backend=args.backend)
    except ConfigError as exc:
        print(f"trialqa: {exc}", file=sys.stderr)
        return EXIT_USAGE
    level = [settings.log_level, "INFO", "DEBUG"][min(args.verbose, 2)]
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING), stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    from bot import commands

    try:
        return int(getattr(commands, f"cmd_{args.command}")(args, settings))
    except (IndexMissing, IndexCorrupt, IndexStale) as exc:
        print(f"trialqa: {exc}", file=sys.stderr)
        return EXIT_INDEX
    except ConfigError as exc:
        print(f"trialqa: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TrialQAError as exc:
        print(f"trialqa: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("trialqa: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # a bug, not bad input: surfaced with its traceback and its own exit code
        log.exception("internal error (a bug in trialqa; please report it with this traceback)")
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
