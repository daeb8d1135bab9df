"""The CLI's subcommands. Thin: everything they do lives in `index`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from bot.progress import Reporter
from bot.render import answer_text, print_json, trial_text, use_colour
from bot.serialize import corpus_json, trial_json
from bot.textio import safe, stdin_lines
from index import MAX_K, Conversation, TrialIndex
from index.config import Settings
from index.errors import TrialQAError
from index.model import NCT_RE

if TYPE_CHECKING:
    from index.corpus.loader import Corpus


def _load(paths: list[str]) -> Corpus:
    from index.corpus.loader import load_corpus

    with Reporter() as rep:
        return load_corpus(paths, progress=lambda d, n: rep("read", d, n))


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _load(args.paths)
    if args.json:
        print_json(corpus_json(corpus))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(corpus.trials)} trials from {len(corpus.files)} files")
        for col in ("NCT", "Title", "Format", "Sections", "Warnings"):
            table.add_column(col, overflow="fold")
        for t in corpus.trials:
            table.add_row(t.nct_id, t.title[:70], t.format, str(len(t.sections)), "; ".join(t.warnings))
        console = Console(no_color=not use_colour(sys.stdout), soft_wrap=False)
        console.print(table)
        for e in corpus.errors:
            console.print(f"error: {e.source}: {e.reason}", markup=False, highlight=False)
        console.print(
            f"Totals: {len(corpus.files)} files, {len(corpus.trials)} trials, "
            f"{sum(len(t.sections) for t in corpus.trials)} sections, {len(corpus.errors)} errors"
        )
    return EXIT_FAILED if corpus.errors else EXIT_OK


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    ids = [x.upper() for x in args.nct if NCT_RE.fullmatch(x.upper())]
    paths = [x for x in args.nct if not NCT_RE.fullmatch(x.upper())]
    if not ids:
        print("trialqa show: name at least one NCT ID (e.g. NCT01724697)", file=sys.stderr)
        return EXIT_USAGE
    trials = {t.nct_id: t for t in _load(paths).trials} if paths else _default_index(args, settings).trials
    missing = [i for i in ids if i not in trials]
    found = [trials[i] for i in ids if i in trials]
    if args.json:
        print_json({"trials": [trial_json(t) for t in found], "missing": missing})
    else:
        print(safe("\n\n".join(trial_text(t) for t in found)))
    for m in missing:
        print(f"trialqa show: {m} is not in the corpus ({len(trials)} trials)", file=sys.stderr)
    return EXIT_FAILED if missing else EXIT_OK


def _live_generation(index_dir: Path) -> str | None:
    from index.store.layout import current_generation

    try:
        return current_generation(index_dir).name
    except TrialQAError:
        return None


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from index.trial_index import TrialIndex

    if args.ray and Path(args.ray).exists():  # `--ray corpus/ ...`: a path, not a Ray address
        args.paths.insert(0, args.ray)
        args.ray = ""
    paths = args.paths or [str(settings.corpus)]
    index_dir = args.index or settings.index_dir
    if settings.backend == "milvus":
        index_dir = settings.milvus_index(args.index)
    before = _live_generation(Path(index_dir)) if settings.backend == "embedded" else None
    if args.ray is None and (args.ray_cpus or args.ray_actors):
        print("trialqa index: --ray-cpus and --ray-actors go with --ray", file=sys.stderr)
        return EXIT_USAGE
    with _engine(args, settings) as engine, Reporter() as rep:
        ix = TrialIndex.build(
            paths, index_dir, model=args.model or settings.model, progress=rep, backend=settings.backend, engine=engine
        )
    m = ix.manifest
    if args.json:
        print_json({k: v for k, v in m.items() if k != "files"})
    else:
        c = m["counts"]
        if ix.generation == before:
            print(
                f"The index at {index_dir} is up to date: {c['trials']} trials ({c['chunks']} chunks, "
                f"{c['terms']} terms) from {c['files']} files; nothing changed."
            )
        else:
            print(
                f"Indexed {c['trials']} trials ({c['chunks']} chunks, {c['terms']} terms) from {c['files']} files "
                f"into {index_dir}; embedded {c['embedded']}, reused {c['reused']}."
            )
        for e in m["errors"]:
            print(f"error: {e['source']}: {e['reason']}", file=sys.stderr)
    return EXIT_FAILED if m["errors"] else EXIT_OK


def _engine(args: argparse.Namespace, settings: Settings) -> AbstractContextManager[Any]:
    """`index`'s engine: Ray with --ray (started or reached here, stopped after the build), else
    the plain build's, on --device."""
    device = args.device or settings.device
    if args.ray is None:
        from index.build.engine import LocalEngine

        return nullcontext(LocalEngine(device))
    from index.build.ray_pipeline import RayEngine, RayOptions

    cpus, actors = args.ray_cpus or settings.ray_cpus, args.ray_actors or settings.ray_actors
    return RayEngine(RayOptions(args.ray or None, cpus, actors, device))


def _default_index(args: argparse.Namespace, settings: Settings) -> TrialIndex:
    """The index named by --index or $TRIALQA_INDEX as it is; else the default one, (re)built
    when needed (`index.opening`), with what happens told on stderr and a progress bar."""
    from index.opening import open_index

    def notify(message: str) -> None:
        print(f"trialqa: {message}", file=sys.stderr)

    with Reporter() as rep:
        return open_index(settings, getattr(args, "index", None), notify=notify, progress=rep)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from index.facts.constraints import parse_filters

    try:
        parse_filters(args.filter)
    except ValueError as exc:
        print(f"trialqa ask: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.top <= MAX_K:
        print(f"trialqa ask: -k/--top takes a whole number from 1 to {MAX_K}, not {args.top}", file=sys.stderr)
        return EXIT_USAGE
    if args.conversation:
        return _ask_in_conversation(args, settings)
    ix = _default_index(args, settings)
    colour = use_colour(sys.stdout)
    if args.question == ["-"]:
        for line in stdin_lines():
            _answer(ix, line, args, colour, lines=True)
        return EXIT_OK
    _answer(ix, " ".join(args.question), args, colour, lines=False)
    return EXIT_OK


def _ask_in_conversation(args: argparse.Namespace, settings: Settings) -> int:
    """`ask --conversation FILE`: the question(s) as turns of the conversation FILE keeps."""
    from bot.conversation_file import ConversationFileError, locked, read_state, write_state

    path: Path = args.conversation
    with locked(path):
        try:
            state = read_state(path)
        except ConversationFileError as exc:
            print(f"trialqa ask: --conversation {path}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        conv = _default_index(args, settings).conversation(state)
        colour = use_colour(sys.stdout)
        lines = args.question == ["-"]
        for question in stdin_lines() if lines else [" ".join(args.question)]:
            _answer(conv, question, args, colour, lines=lines)
            write_state(path, conv.to_dict())
    return EXIT_OK


def _answer(ix: TrialIndex | Conversation, question: str, args: argparse.Namespace, colour: bool, lines: bool) -> None:
    answer = ix.ask(question, k=args.top, filters=args.filter or None)
    if args.json:
        print_json(answer.to_dict(), lines=lines)
    else:
        sys.stdout.write(answer_text(answer, colour) + "\n" + ("\n" if lines else ""))
        sys.stdout.flush()


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from index.evaluation.evaluate import load_beir, load_questions, run_beir, run_dev
    from index.retrieval.fusion import FusionParams

    target: Path = args.target
    if target.is_dir():
        if not (target / "corpus.jsonl").is_file():
            print(f"trialqa eval: {target} is not a BEIR folder (no corpus.jsonl)", file=sys.stderr)
            return EXIT_USAGE
        data = load_beir(target)
        with Reporter() as rep:
            res = run_beir(
                data,
                settings.model,
                settings.data_dir / "cache",
                {"hybrid": FusionParams(), "hybrid_rrf": FusionParams("rrf", 0.5, 60)},
                progress=lambda d, n: rep("embed", d, n),
            )
        if args.json:
            print_json(res)
        else:
            print(f"{'method':<12}{'nDCG@10':>10}{'recall@100':>12}")
            for name, scores in res.items():
                print(f"{name:<12}{scores['ndcg@10']:>10.4f}{scores['recall@100']:>12.4f}")
        return EXIT_OK
    from index.evaluation.conversations import is_conversation_file

    if is_conversation_file(target):
        return _eval_conversations(args, settings)
    ix = _default_index(args, settings)
    report = run_dev(ix.ask, load_questions(target))
    lines = [
        f"{'PASS' if r.passed else 'FAIL'} {r.id:<6}{r.kind:<8}{r.question}" + (f"  ({r.detail})" if r.detail else "")
        for r in report.results
    ]
    kinds = ", ".join(f"{k} {p}/{n}" for k, (p, n) in report.by_kind().items())
    lines.append(f"{report.passed}/{len(report.results)} passed ({kinds})")
    summary = {"passed": report.passed, "total": len(report.results)}
    return _graded(args, summary, [r.to_dict() for r in report.results], lines)


def _graded(args: argparse.Namespace, summary: dict[str, Any], rows: list[dict[str, Any]], lines: list[str]) -> int:
    """`eval`'s report of graded questions or turns: with --json one object (``summary``, then the
    ``rows`` as ``results``), else the text ``lines``; `EXIT_FAILED` unless every one passed."""
    if args.json:
        print_json({**summary, "results": rows})
    else:
        print("\n".join(lines))
    return EXIT_OK if summary["passed"] == summary["total"] else EXIT_FAILED


def _eval_conversations(args: argparse.Namespace, settings: Settings) -> int:
    """`trialqa eval CONVERSATIONS.jsonl`: each conversation asked in turn, each turn graded."""
    from index.evaluation.conversations import load_conversations, run_conversations

    conversations = load_conversations(args.target)
    ix = _default_index(args, settings)

    def start() -> Callable[[str, int], dict]:
        conv = ix.conversation()
        return lambda q, k: conv.ask(q, k=k).to_dict()

    report = run_conversations(start, conversations, corpus=args.corpus)
    lines = [
        f"{'PASS' if r.passed else 'FAIL'} {r.conversation:<6}{r.turn:<3}{r.kind:<8}{(r.scope or '-'):<9}"
        f"{r.question}" + (f"  ({r.detail})" if r.detail else "")
        for r in report.results
    ]
    turns = ", ".join(f"turn {t} {p}/{n}" for t, (p, n) in report.by_turn().items())
    skipped = f"; {len(report.skipped)} for another corpus skipped (--corpus)" if report.skipped else ""
    lines.append(
        f"{report.passed}/{len(report.results)} turns passed ({turns}); "
        f"{report.conversations_passed}/{report.conversations} conversations passed in full{skipped}"
    )
    summary = {
        "passed": report.passed,
        "total": len(report.results),
        "conversations_passed": report.conversations_passed,
        "conversations": report.conversations,
        "skipped": list(report.skipped),
    }
    return _graded(args, summary, [r.to_dict() for r in report.results], lines)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.repl import run

    return run(lambda: _default_index(args, settings), settings, json_lines=args.json)


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.main import run

    return run(args, lambda: _default_index(args, settings))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.api.main import run

    return run(args, lambda: _default_index(args, settings))


def cmd_mcp(args: argparse.Namespace, settings: Settings) -> int:
    from bot.mcp.main import run

    return run(args, lambda: _default_index(args, settings))


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from index.corpus.ctgov_api import CtgovClient, normalize_statuses
    from index.corpus.fetch import StudyQuery, fetch_studies, update

    try:
        query = StudyQuery(args.query, args.condition, args.intervention, normalize_statuses(args.status))
    except ValueError as exc:
        print(f"trialqa fetch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problem = None
    if args.max is not None and args.max < 1:
        problem = f"--max must be at least 1, got {args.max}"
    elif args.out and query.empty:
        problem = "say what to fetch with --query, --condition, --intervention or --status (the registry is huge)"
    elif args.update and not args.update.is_dir():
        problem = f"--update {args.update}: no such directory (fetch into it first with --out)"
    if problem:
        print(f"trialqa fetch: {problem}", file=sys.stderr)
        return EXIT_USAGE
    client = CtgovClient(settings.ctgov_api_url, min_interval=settings.ctgov_min_interval)
    with Reporter() as rep:
        if args.update:
            report = update(client, args.update, None if query.empty else query, args.max, progress=rep)
        else:
            report = fetch_studies(client, query, args.out, max_studies=args.max, progress=rep)
    if args.json:
        print_json(report.to_dict())
        return EXIT_OK
    c = report.counts()
    if args.update:
        print(
            f"Updated {report.directory}: added {c['added']}, changed {c['changed']}, "
            f"unchanged {c['unchanged']}, withdrawn {c['withdrawn']}."
        )
        for name in ("added", "changed", "withdrawn"):
            if ids := getattr(report, name):
                print(f"  {name}: {' '.join(ids)}")
    else:
        matching = f"; {report.total} match the query" if report.total is not None else ""
        print(f"Saved {c['added']} new studies to {report.directory} ({c['skipped']} already there{matching}).")
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if report.added or report.changed:
        print(f"Next: trialqa index {report.directory}")
    return EXIT_OK


__all__ = ["corpus_json", "trial_json"]  # kept importable from here (moved to bot.serialize)
