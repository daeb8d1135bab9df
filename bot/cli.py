"""`trialqa`: command-line entry point (corpus, show, index, ask, eval, chat, slack, serve, mcp, fetch)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.exits import EXIT_BUG, EXIT_ERROR, EXIT_INDEX, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from index.config import Settings
from index.errors import ConfigError, IndexCorrupt, IndexMissing, IndexStale, TrialQAError

log = logging.getLogger("trialqa")

EXAMPLES = {
    "corpus": "trialqa corpus corpus/ ../shared/data/ctgov-v2 --json",
    "show": "trialqa show NCT01724697",
    "index": "trialqa index corpus/ --index data/index",
    "ask": (
        'trialqa ask "which trials use the hepatic artery?"\n'
        '  echo "which trials exclude HIV?" | trialqa ask --json -\n'
        '  trialqa ask --conversation conv.json "which trials exclude HIV?"; '
        'trialqa ask --conversation conv.json "which of them are randomized?"'
    ),
    "eval": (
        "trialqa eval ../shared/eval/dev_questions.jsonl\n  trialqa eval ../shared/eval/dev_conversations.jsonl\n"
        "  trialqa eval ../shared/data/beir-scifact"
    ),
    "chat": "trialqa chat\n  printf 'which trials exclude HIV?\\nare any of them randomized?\\n' | trialqa chat --json",
    "slack": "SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... trialqa slack",
    "serve": (
        "trialqa serve --index data/index --port 8000\n"
        '  curl -s localhost:8000/ask -H "Content-Type: application/json" '
        "-d '{\"question\": \"which trials use the hepatic artery?\"}'"
    ),
    "mcp": "trialqa mcp --index data/index    # stdio: an MCP client starts this\n  trialqa mcp --http --port 8001",
    "fetch": (
        'trialqa fetch --condition "liver cirrhosis" --status recruiting "not yet recruiting" --max 200 '
        "--out data/studies\n  trialqa fetch --update data/studies --json"
    ),
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="trialqa",
        description="Answers questions about clinical-trial records with cited, verbatim snippets.",
        epilog='Example: trialqa ask "which trials use the hepatic artery?"',
    )
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"Example:\n  {EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    c = cmd("corpus", "Parse trial files and list what was found (NCT, title, format, sections, warnings).")
    c.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    c.add_argument("--json", action="store_true", help="machine-readable output")

    s = cmd("show", "Print one trial's fields and sections.")
    s.add_argument(
        "nct", nargs="+", metavar="NCT_OR_PATH", help="NCT IDs, then optional files or directories to read them from"
    )
    s.add_argument("--index", type=Path, help="index to read trials from (default: the default index)")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    i = cmd("index", "Build an index (BM25 + embeddings) from trial files, atomically.")
    i.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: $TRIALQA_CORPUS or corpus/)"
    )
    i.add_argument("--index", type=Path, help="index directory (default: $TRIALQA_INDEX or data/index)")
    i.add_argument("--model", help="sentence-transformers model name or path (default: $TRIALQA_MODEL)")
    i.add_argument("--json", action="store_true", help="print the manifest as JSON")

    a = cmd("ask", "Answer a question with cited snippets.")
    a.add_argument(
        "question", nargs="+", metavar="QUESTION", help="the question; '-' reads one question per line from stdin"
    )
    a.add_argument("--index", type=Path, help="index directory (default: built from the corpus on first use)")
    a.add_argument("--json", action="store_true", help="one JSON object per question (JSON Lines with '-')")
    a.add_argument("-k", "--top", type=int, default=10, help="at most this many trials (default 10)")
    a.add_argument(
        "--conversation",
        type=Path,
        metavar="FILE",
        help="keep a conversation's state in FILE (JSON) between calls, so a question may follow on from the "
        "previous one; a missing FILE starts a new conversation",
    )
    a.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FILTER",
        help="a constraint on trial facts, repeatable: status:recruiting phase:2 age>65 enrollment>=100 "
        'sex:female masking:double allocation:randomized country:China placebo:yes route:"portal vein"',
    )

    e = cmd(
        "eval",
        "Run a question file (dev_questions.jsonl format), a conversation file (dev_conversations.jsonl format: "
        "lines with turns) or a BEIR folder.",
    )
    e.add_argument("target", type=Path, metavar="FILE_OR_BEIR_DIR")
    e.add_argument("--index", type=Path, help="index for question files (default: the default index)")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.add_argument(
        "--corpus",
        choices=("seeds", "scale"),
        default="seeds",
        help='conversation files: run the conversations of this corpus ("scale": those marked so, at k 100, '
        "over an --index of the seeds plus ../shared/data/ctgov-msc-studyfields; default seeds)",
    )

    ch = cmd("chat", "Interactive prompt: ask question after question.")
    ch.add_argument("--index", type=Path, help="index directory")
    ch.add_argument(
        "--json",
        action="store_true",
        help="each answer as one `ask --json` object per line (commands' output to stderr)",
    )

    sl = cmd("slack", "Run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP).")
    sl.add_argument("--index", type=Path, help="index directory")
    sl.add_argument("--http", action="store_true", help="serve Slack's HTTP endpoints instead of Socket Mode")
    sl.add_argument("--port", type=int, default=None, help="HTTP port (default $PORT or 3000)")
    sl.add_argument("--host", default=None, help="HTTP bind address (default 0.0.0.0)")

    sv = cmd("serve", "Serve the HTTP JSON API (POST /ask, POST /search, GET /trials/NCT..., OpenAPI at /docs).")
    sv.add_argument("--index", type=Path, help="index directory (default: built from the corpus on first use)")
    sv.add_argument("--host", default=None, help="bind address (default $TRIALQA_API_HOST or 127.0.0.1)")
    sv.add_argument("--port", type=int, default=None, help="port (default $TRIALQA_API_PORT or 8000; 0: any free)")
    sv.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browser calls from this origin, repeatable (default $TRIALQA_API_CORS_ORIGINS; none: CORS off)",
    )
    sv.add_argument(
        "--slack", action="store_true", help="also serve Slack's Request URLs (/slack/...) in this process"
    )

    mc = cmd("mcp", "Serve the MCP server (tools ask_trials, search_trials, show_trial; trial:// resources).")
    mc.add_argument("--index", type=Path, help="index directory (default: built from the corpus on first use)")
    mc.add_argument("--http", action="store_true", help="streamable HTTP at /mcp instead of stdio")
    mc.add_argument("--host", default=None, help="with --http: bind address (default $TRIALQA_API_HOST or 127.0.0.1)")
    mc.add_argument("--port", type=int, default=None, help="with --http: port (default $TRIALQA_API_PORT or 8000)")

    f = cmd("fetch", "Download studies from ClinicalTrials.gov (API v2), one JSON file per study, or update them.")
    f.add_argument("--query", metavar="TEXT", help="search terms (query.term)")
    f.add_argument("--condition", metavar="C", help="condition or disease (query.cond)")
    f.add_argument("--intervention", metavar="I", help="intervention or treatment (query.intr)")
    f.add_argument(
        "--status",
        action="extend",
        nargs="+",
        default=[],
        metavar="S",
        help='overall status, repeatable: recruiting, "not yet recruiting", completed, ... (filter.overallStatus)',
    )
    f.add_argument("--max", type=int, metavar="N", help="at most N studies (with --update: N new ones)")
    where = f.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="DIR", help="save studies to DIR/NCT01234567.json")
    where.add_argument(
        "--update", type=Path, metavar="DIR", help="refetch the studies in DIR that changed; add new matches"
    )
    f.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
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
