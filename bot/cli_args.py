"""The CLI's arguments: one small function per subcommand, each with its help and example."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

EXAMPLES = {
    "corpus": "trialqa corpus corpus/ ../shared/data/ctgov-v2 --json",
    "show": "trialqa show NCT01724697",
    "index": "trialqa index corpus/ --index data/index\n  trialqa index corpus/ --index data/index --ray --ray-cpus 2",
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
        '-d \'{"question": "which trials use the hepatic artery?"}\''
    ),
    "mcp": "trialqa mcp --index data/index    # stdio: an MCP client starts this\n  trialqa mcp --http --port 8001",
    "fetch": (
        'trialqa fetch --condition "liver cirrhosis" --status recruiting "not yet recruiting" --max 200 '
        "--out data/studies\n  trialqa fetch --update data/studies --json"
    ),
}


BUILT_ON_FIRST_USE = "index directory (default: built from the corpus on first use)"


def _index_option(p: argparse.ArgumentParser, help: str = "index directory") -> None:
    p.add_argument("--index", type=Path, help=help)


def _json_option(p: argparse.ArgumentParser, help: str = "machine-readable output") -> None:
    p.add_argument("--json", action="store_true", help=help)


def _corpus(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    _json_option(p)


def _backend(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend",
        choices=("embedded", "milvus"),
        help="where the index lives (default $TRIALQA_BACKEND or embedded); with milvus, --index NAME names it",
    )


def _show(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "nct", nargs="+", metavar="NCT_OR_PATH", help="NCT IDs, then optional files or directories to read them from"
    )
    _index_option(p, "index to read trials from (default: the default index)")
    _json_option(p)


def _index(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: $TRIALQA_CORPUS or corpus/)"
    )
    _index_option(p, "index directory (default: $TRIALQA_INDEX or data/index)")
    p.add_argument("--model", help="sentence-transformers model name or path (default: $TRIALQA_MODEL)")
    _json_option(p, "print the manifest as JSON")
    _backend(p)
    p.add_argument(
        "--ray",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="read, chunk and embed as Ray Data pipelines (pip install 'trialqa[ray]'): on the Ray cluster at "
        "ADDRESS, else on a local Ray started for the build",
    )
    p.add_argument("--ray-cpus", type=int, help="CPUs of the local Ray (default $TRIALQA_RAY_CPUS or all)")
    p.add_argument("--ray-actors", type=int, help="embedding actors (default $TRIALQA_RAY_ACTORS or one per CPU/GPU)")
    p.add_argument("--device", choices=("cpu", "cuda"), help="where to embed (default $TRIALQA_DEVICE or cpu)")


def _ask(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "question", nargs="+", metavar="QUESTION", help="the question; '-' reads one question per line from stdin"
    )
    _index_option(p, BUILT_ON_FIRST_USE)
    _json_option(p, "one JSON object per question (JSON Lines with '-')")
    _backend(p)
    p.add_argument("-k", "--top", type=int, default=10, help="at most this many trials (default 10)")
    p.add_argument(
        "--conversation",
        type=Path,
        metavar="FILE",
        help="keep a conversation's state in FILE (JSON) between calls, so a question may follow on from the "
        "previous one; a missing FILE starts a new conversation",
    )
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FILTER",
        help="a constraint on trial facts, repeatable: status:recruiting phase:2 age>65 enrollment>=100 "
        'sex:female masking:double allocation:randomized country:China placebo:yes route:"portal vein"',
    )


def _eval(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, metavar="FILE_OR_BEIR_DIR")
    _index_option(p, "index for question files (default: the default index)")
    _json_option(p)
    p.add_argument(
        "--corpus",
        choices=("seeds", "scale"),
        default="seeds",
        help='conversation files: run the conversations of this corpus ("scale": those marked so, at k 100, '
        "over an --index of the seeds plus ../shared/data/ctgov-msc-studyfields; default seeds)",
    )


def _chat(p: argparse.ArgumentParser) -> None:
    _index_option(p)
    _backend(p)
    _json_option(p, "each answer as one `ask --json` object per line (commands' output to stderr)")


def _slack(p: argparse.ArgumentParser) -> None:
    _index_option(p)
    _backend(p)
    p.add_argument("--http", action="store_true", help="serve Slack's HTTP endpoints instead of Socket Mode")
    p.add_argument("--port", type=int, default=None, help="HTTP port (default $PORT or 3000)")
    p.add_argument("--host", default=None, help="HTTP bind address (default 0.0.0.0)")


def _serve(p: argparse.ArgumentParser) -> None:
    _index_option(p, BUILT_ON_FIRST_USE)
    _backend(p)
    p.add_argument("--host", default=None, help="bind address (default $TRIALQA_API_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default $TRIALQA_API_PORT or 8000; 0: any free)")
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browser calls from this origin, repeatable (default $TRIALQA_API_CORS_ORIGINS; none: CORS off)",
    )
    p.add_argument("--slack", action="store_true", help="also serve Slack's Request URLs (/slack/...) in this process")


def _mcp(p: argparse.ArgumentParser) -> None:
    _index_option(p, BUILT_ON_FIRST_USE)
    p.add_argument("--http", action="store_true", help="streamable HTTP at /mcp instead of stdio")
    p.add_argument("--host", default=None, help="with --http: bind address (default $TRIALQA_API_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="with --http: port (default $TRIALQA_API_PORT or 8000)")


def _fetch(p: argparse.ArgumentParser) -> None:
    p.add_argument("--query", metavar="TEXT", help="search terms (query.term)")
    p.add_argument("--condition", metavar="C", help="condition or disease (query.cond)")
    p.add_argument("--intervention", metavar="I", help="intervention or treatment (query.intr)")
    p.add_argument(
        "--status",
        action="extend",
        nargs="+",
        default=[],
        metavar="S",
        help='overall status, repeatable: recruiting, "not yet recruiting", completed, ... (filter.overallStatus)',
    )
    p.add_argument("--max", type=int, metavar="N", help="at most N studies (with --update: N new ones)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="DIR", help="save studies to DIR/NCT01234567.json")
    where.add_argument(
        "--update", type=Path, metavar="DIR", help="refetch the studies in DIR that changed; add new matches"
    )
    _json_option(p, "print the report as JSON")


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "corpus": (
        "Parse trial files and list what was found (NCT, title, format, sections, warnings).",
        _corpus,
    ),
    "show": (
        "Print one trial's fields and sections.",
        _show,
    ),
    "index": (
        "Build an index (BM25 + embeddings) from trial files, atomically.",
        _index,
    ),
    "ask": (
        "Answer a question with cited snippets.",
        _ask,
    ),
    "eval": (
        "Run a question file (dev_questions.jsonl format), a conversation file (dev_conversations.jsonl format: "
        "lines with turns) or a BEIR folder.",
        _eval,
    ),
    "chat": (
        "Interactive prompt: ask question after question.",
        _chat,
    ),
    "slack": (
        "Run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP).",
        _slack,
    ),
    "serve": (
        "Serve the HTTP JSON API (POST /ask, POST /search, GET /trials/NCT..., OpenAPI at /docs).",
        _serve,
    ),
    "mcp": (
        "Serve the MCP server (tools ask_trials, search_trials, show_trial; trial:// resources).",
        _mcp,
    ),
    "fetch": (
        "Download studies from ClinicalTrials.gov (API v2), one JSON file per study, or update them.",
        _fetch,
    ),
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="trialqa",
        description="Answers questions about clinical-trial records with cited, verbatim snippets.",
        epilog='Example: trialqa ask "which trials use the hepatic artery?"',
    )
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_, add_arguments) in COMMANDS.items():
        add_arguments(
            sub.add_parser(
                name,
                help=help_,
                description=help_,
                epilog=f"Example:\n  {EXAMPLES[name]}",
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    return p
