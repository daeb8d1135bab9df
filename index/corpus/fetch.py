"""Growing a corpus from ClinicalTrials.gov: one API v2 JSON file per study, kept up to date.

`fetch_studies` pages through ``/studies`` for a query and saves each study, exactly as the
API returned it (pretty-printed), to ``DIR/NCT01234567.json``. A study whose file exists is
not written again, and after each page the next page token is kept in
``DIR/.fetch-state.json``, so a run that was interrupted continues where it stopped.

`update` refreshes a folder: it asks the API for the last-update date and status of every
saved study (``filter.ids`` in chunks, ``fields=NCTId,LastUpdatePostDate,OverallStatus``),
refetches the full records of those with a newer ``lastUpdatePostDate`` and, when the folder
was fetched for a query (or one is given), saves the studies that match it now and were not
saved before.

Files are written atomically (a hidden temporary file, then ``os.replace``), so a folder
never holds half a study; hidden files are not read by ``trialqa index``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus.ctgov_api import MAX_PAGE_SIZE, CtgovClient
from index.errors import FetchError
from index.model import NCT_RE

log = logging.getLogger(__name__)

STATE_FILE = ".fetch-state.json"
IDS_PER_REQUEST = 100  # NCT IDs in one filter.ids request (about 1,200 characters of URL)
CHECK_FIELDS = "NCTId,LastUpdatePostDate,OverallStatus"

# progress(stage, done, total): stages "fetch" (studies) and "check" (saved studies compared)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class StudyQuery:
    """What to fetch: ``query.term``, ``query.cond``, ``query.intr`` and ``filter.overallStatus``
    (API values such as RECRUITING; see `index.corpus.ctgov_api.normalize_statuses`)."""

    term: str | None = None
    condition: str | None = None
    intervention: str | None = None
    statuses: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.term or self.condition or self.intervention or self.statuses)

    def params(self) -> dict[str, str]:
        p = {"query.term": self.term, "query.cond": self.condition, "query.intr": self.intervention}
        out = {k: v for k, v in p.items() if v}
        if self.statuses:
            out["filter.overallStatus"] = ",".join(self.statuses)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "condition": self.condition,
            "intervention": self.intervention,
            "statuses": list(self.statuses),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StudyQuery:
        return cls(d.get("term"), d.get("condition"), d.get("intervention"), tuple(d.get("statuses") or ()))


@dataclass(frozen=True)
class FetchReport:
    """What a fetch or an update did, by NCT ID."""

    directory: str
    total: int | None = None  # studies matching the query, as the API counted them
    added: tuple[str, ...] = ()  # saved for the first time
    changed: tuple[str, ...] = ()  # saved again: the API's lastUpdatePostDate is newer
    unchanged: tuple[str, ...] = ()  # update: the saved copy is current
    withdrawn: tuple[str, ...] = ()  # update: WITHDRAWN since it was saved, or no longer returned
    skipped: tuple[str, ...] = ()  # fetch: already saved, not written again
    invalid: tuple[str, ...] = ()  # records without a usable NCT ID (not saved)
    requests: int = 0
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "withdrawn": len(self.withdrawn),
            "skipped": len(self.skipped),
            "invalid": len(self.invalid),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "total": self.total,
            **self.counts(),
            "requests": self.requests,
            "ids": {
                "added": list(self.added),
                "changed": list(self.changed),
                "withdrawn": list(self.withdrawn),
            },
            "warnings": list(self.warnings),
        }


def fetch_studies(
    client: CtgovClient,
    query: StudyQuery,
    out_dir: str | Path,
    max_studies: int | None = None,
    page_size: int = MAX_PAGE_SIZE,
    progress: Progress | None = None,
) -> FetchReport:
    """Save the studies matching ``query`` (the first ``max_studies`` of them) into out_dir."""
    out = Path(out_dir)
    if max_studies is not None and max_studies < 1:
        raise ValueError(f"max_studies must be at least 1, got {max_studies}")
    out.mkdir(parents=True, exist_ok=True)
    base = {**query.params(), "format": "json", "pageSize": str(min(page_size, max_studies or page_size))}
    state = _load_state(out)
    token, seen, total = None, 0, None
    if state.get("query") == query.to_dict() and state.get("next_page_token") and not state.get("complete"):
        token, seen, total = state["next_page_token"], int(state.get("seen") or 0), state.get("total")
        log.info("resuming %s after %d studies", out, seen)
    resumed = token is not None
    added: list[str] = []
    skipped: list[str] = []
    invalid: list[str] = []
    start = client.requests
    while True:
        params = dict(base)
        if token:
            params["pageToken"] = token
        else:
            params["countTotal"] = "true"
        try:
            page = client.studies_page(params)
        except FetchError as exc:
            if not (resumed and exc.status == 400):
                raise
            # the saved page token is no longer accepted: start again (saved studies are skipped)
            log.warning("the saved page token was refused (%s); starting from the first page", exc)
            resumed, token, seen = False, None, 0
            continue
        resumed = False
        if not token and isinstance(page.get("totalCount"), int):
            total = page["totalCount"]
        for study in page.get("studies", []):
            if max_studies is not None and seen >= max_studies:
                break
            seen += 1
            nct = nct_id(study)
            if nct is None:
                invalid.append(f"record {seen}")
                log.warning("record %d of the results has no valid NCT ID: not saved", seen)
            elif (out / f"{nct}.json").exists():
                skipped.append(nct)
            else:
                save_study(out, nct, study)
                added.append(nct)
            if progress:
                goal = min((x for x in (total, max_studies) if x is not None), default=seen)
                progress("fetch", seen, max(goal, seen))
        token = page.get("nextPageToken") or None
        done = token is None or (max_studies is not None and seen >= max_studies)
        _save_state(out, query, None if done else token, seen, total, done)
        if done:
            break
    return FetchReport(
        directory=str(out),
        total=total,
        added=tuple(added),
        skipped=tuple(skipped),
        invalid=tuple(invalid),
        requests=client.requests - start,
    )


def update(
    client: CtgovClient,
    out_dir: str | Path,
    query: StudyQuery | None = None,
    max_new: int | None = None,
    progress: Progress | None = None,
) -> FetchReport:
    """Refresh the studies saved in out_dir; add new matches of ``query`` (or of the query the
    folder was fetched for, from its state file), at most ``max_new`` of them."""
    out = Path(out_dir)
    if not out.is_dir():
        raise FetchError(f"{out}: no such directory (fetch studies into it first with --out)")
    start = client.requests
    saved = saved_studies(out)
    ids = sorted(saved)
    remote: dict[str, tuple[str | None, str | None]] = {}
    for n, chunk in enumerate(_chunks(ids, IDS_PER_REQUEST)):
        params = {"filter.ids": ",".join(chunk), "fields": CHECK_FIELDS, "pageSize": str(MAX_PAGE_SIZE)}
        for page in client.pages({**params, "format": "json"}):
            for study in page.get("studies", []):
                if (nct := nct_id(study)) is not None:
                    remote[nct] = (last_update(study), overall_status(study))
        if progress:
            progress("check", min((n + 1) * IDS_PER_REQUEST, len(ids)), len(ids))
    gone = [n for n in ids if n not in remote]
    newer = [n for n in ids if n in remote and _newer(remote[n][0], saved[n][0])]
    refreshed = set(fetch_ids(client, out, newer, overwrite=True, progress=progress))
    withdrawn, changed, unchanged = [], [], []
    for n in ids:
        if n not in remote or (remote[n][1] == "WITHDRAWN" and saved[n][1] != "WITHDRAWN"):
            withdrawn.append(n)
        elif n in refreshed:
            changed.append(n)
        else:
            unchanged.append(n)
    warnings = [f"{n}: no longer returned by the API (the saved file is kept)" for n in gone]
    warnings += [f"{n}: a newer version was listed but not returned" for n in newer if n not in refreshed]
    added: list[str] = []
    state = _load_state(out)
    if query is None and isinstance(state.get("query"), dict):
        query = StudyQuery.from_dict(state["query"])
    if query is not None and not query.empty:
        new = [n for n in list_ids(client, query) if n not in saved]
        added = fetch_ids(client, out, new[:max_new] if max_new is not None else new, progress=progress)
    return FetchReport(
        directory=str(out),
        added=tuple(added),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
        withdrawn=tuple(withdrawn),
        requests=client.requests - start,
        warnings=tuple(warnings),
    )


def list_ids(client: CtgovClient, query: StudyQuery) -> list[str]:
    """The NCT IDs of every study matching the query (only the IDs are transferred)."""
    params = {**query.params(), "fields": "NCTId", "pageSize": str(MAX_PAGE_SIZE), "format": "json"}
    return [n for page in client.pages(params) for s in page.get("studies", []) if (n := nct_id(s)) is not None]


def fetch_ids(
    client: CtgovClient, out: Path, ids: list[str], overwrite: bool = False, progress: Progress | None = None
) -> list[str]:
    """Save the full records of the given studies (``filter.ids`` in chunks); the IDs saved."""
    wanted = set(ids)
    done: list[str] = []
    seen: set[str] = set()
    for chunk in _chunks(ids, IDS_PER_REQUEST):
        params = {"filter.ids": ",".join(chunk), "pageSize": str(MAX_PAGE_SIZE), "format": "json"}
        for page in client.pages(params):
            for study in page.get("studies", []):
                nct = nct_id(study)
                if nct is None or nct not in wanted or nct in seen:
                    continue
                seen.add(nct)
                if overwrite or not (out / f"{nct}.json").exists():
                    save_study(out, nct, study)
                done.append(nct)
                if progress:
                    progress("fetch", len(done), len(ids))
    return done


# ---- records and files ----------------------------------------------------------------


def _get(study: object, *path: str) -> object:
    node = study
    for name in path:
        node = node.get(name) if isinstance(node, dict) else None
    return node


def nct_id(study: object) -> str | None:
    """The study's NCT ID when it is well formed (it names the file), else None."""
    value = _get(study, "protocolSection", "identificationModule", "nctId")
    return value if isinstance(value, str) and NCT_RE.fullmatch(value) else None


def last_update(study: object) -> str | None:
    value = _get(study, "protocolSection", "statusModule", "lastUpdatePostDateStruct", "date")
    return value if isinstance(value, str) else None


def overall_status(study: object) -> str | None:
    value = _get(study, "protocolSection", "statusModule", "overallStatus")
    return value if isinstance(value, str) else None


def _newer(remote: str | None, saved: str | None) -> bool:
    """ISO dates ("2024-01-05", or "2024-01") compare as strings."""
    return remote is not None and (saved is None or remote > saved)


def saved_studies(out: Path) -> dict[str, tuple[str | None, str | None]]:
    """(last update, status) of each study saved in out, by NCT ID (None for unreadable files:
    those are refetched)."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for path in sorted(out.glob("NCT*.json")):
        if not NCT_RE.fullmatch(path.stem):
            continue
        try:
            study = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            log.warning("%s is unreadable: it will be fetched again", path)
            study = None
        found[path.stem] = (last_update(study), overall_status(study))
    return found


def save_study(out: Path, nct: str, study: object) -> Path:
    """Write one study, pretty-printed, to out/NCT....json atomically."""
    path = out / f"{nct}.json"
    write_atomic(path, json.dumps(study, ensure_ascii=False, indent=2) + "\n")
    return path


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _load_state(out: Path) -> dict[str, Any]:
    try:
        state = json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(out: Path, query: StudyQuery, token: str | None, seen: int, total: int | None, done: bool) -> None:
    state = {"query": query.to_dict(), "next_page_token": token, "seen": seen, "total": total, "complete": done}
    write_atomic(out / STATE_FILE, json.dumps(state, indent=2) + "\n")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]


__all__ = [
    "FetchReport",
    "StudyQuery",
    "fetch_ids",
    "fetch_studies",
    "list_ids",
    "save_study",
    "update",
]
