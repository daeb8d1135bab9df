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

The folder's files (studies and state, written atomically) are kept by `index.corpus.folder`;
hidden files are not read by ``trialqa index``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus.ctgov_api import MAX_PAGE_SIZE, CtgovClient
from index.corpus.folder import (
    STATE_FILE,
    last_update,
    load_state,
    nct_id,
    overall_status,
    save_state,
    save_study,
    saved_studies,
)
from index.errors import FetchError

log = logging.getLogger(__name__)

IDS_PER_REQUEST = 100  # NCT IDs in one filter.ids request (about 1,200 characters of URL)
CHECK_FIELDS = "NCTId,LastUpdatePostDate,OverallStatus"

# progress(stage, done, total): stages "fetch" (studies) and "check" (saved studies compared)
Progress = Callable[[str, int, int], None]
Version = tuple["str | None", "str | None"]  # (last update date, overall status) of one study


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
        """The query saved by `to_dict`; ValueError naming the field that is not as saved."""
        texts = [d.get(name) for name in ("term", "condition", "intervention")]
        statuses = d.get("statuses") or []
        for name, value in zip(("term", "condition", "intervention"), texts, strict=True):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"query {name} is {type(value).__name__}, not a string")
        if not isinstance(statuses, list) or not all(isinstance(v, str) for v in statuses):
            raise ValueError("query statuses is not a list of strings")
        return cls(texts[0], texts[1], texts[2], tuple(statuses))


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


@dataclass
class _FetchRun:
    """What one `fetch_studies` run has seen and saved so far."""

    out: Path
    max_studies: int | None
    progress: Progress | None
    seen: int = 0
    total: int | None = None  # studies matching the query, as the API counted them
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.max_studies is not None and self.seen >= self.max_studies

    def save_page(self, page: dict[str, Any]) -> None:
        """Save the page's studies not saved before (up to ``max_studies`` in all)."""
        for study in page.get("studies", []):
            if self.full:
                break
            self.seen += 1
            nct = nct_id(study)
            if nct is None:
                self.invalid.append(f"record {self.seen}")
                log.warning("record %d of the results has no valid NCT ID: not saved", self.seen)
            elif (self.out / f"{nct}.json").exists():
                self.skipped.append(nct)
            else:
                save_study(self.out, nct, study)
                self.added.append(nct)
            if self.progress:
                goal = min((x for x in (self.total, self.max_studies) if x is not None), default=self.seen)
                self.progress("fetch", self.seen, max(goal, self.seen))

    def resume(self, state: dict[str, Any], query: StudyQuery) -> str | None:
        """The page token an interrupted run of the same query stopped at (its counts
        restored), or None to start from the first page."""
        token, seen, total = state.get("next_page_token"), state.get("seen") or 0, state.get("total")
        if state.get("query") != query.to_dict() or not token or state.get("complete"):
            return None
        if not (isinstance(token, str) and _is_count(seen) and (total is None or _is_count(total))):
            log.warning("%s is damaged: starting from the first page", self.out / STATE_FILE)
            return None
        self.seen, self.total = seen, total
        log.info("resuming %s after %d studies", self.out, seen)
        return token

    def report(self, requests: int) -> FetchReport:
        return FetchReport(
            directory=str(self.out),
            total=self.total,
            added=tuple(self.added),
            skipped=tuple(self.skipped),
            invalid=tuple(self.invalid),
            requests=requests,
        )


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


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
    run = _FetchRun(out, max_studies, progress)
    token = run.resume(load_state(out), query)
    resumed, start = token is not None, client.requests
    while True:
        params = {**base, "pageToken": token} if token else {**base, "countTotal": "true"}
        try:
            page = client.studies_page(params)
        except FetchError as exc:
            if not (resumed and exc.status == 400):
                raise
            # the saved page token is no longer accepted: start again (saved studies are skipped)
            log.warning("the saved page token was refused (%s); starting from the first page", exc)
            resumed, token, run.seen = False, None, 0
            continue
        resumed = False
        if not token and isinstance(page.get("totalCount"), int):
            run.total = page["totalCount"]
        run.save_page(page)
        token = page.get("nextPageToken") or None
        done = token is None or run.full
        save_state(out, query.to_dict(), None if done else token, run.seen, run.total, done)
        if done:
            return run.report(client.requests - start)


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
    remote = remote_versions(client, ids, progress)
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
    warnings = [f"{n}: no longer returned by the API (the saved file is kept)" for n in ids if n not in remote]
    warnings += [f"{n}: a newer version was listed but not returned" for n in newer if n not in refreshed]
    query = query if query is not None else _saved_query(out)
    added: list[str] = []
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


def remote_versions(client: CtgovClient, ids: list[str], progress: Progress | None = None) -> dict[str, Version]:
    """(last update, status) of the given studies as the API has them now, by NCT ID."""
    remote: dict[str, Version] = {}
    for done, chunk in enumerate(_chunks(ids, IDS_PER_REQUEST), 1):
        params = {"filter.ids": ",".join(chunk), "fields": CHECK_FIELDS, "pageSize": str(MAX_PAGE_SIZE)}
        for page in client.pages({**params, "format": "json"}):
            for study in page.get("studies", []):
                if (nct := nct_id(study)) is not None:
                    remote[nct] = (last_update(study), overall_status(study))
        if progress:
            progress("check", min(done * IDS_PER_REQUEST, len(ids)), len(ids))
    return remote


def _saved_query(out: Path) -> StudyQuery | None:
    """The query the folder was fetched for, from its state file (None when there is none)."""
    saved = load_state(out).get("query")
    if not isinstance(saved, dict):
        return None
    try:
        return StudyQuery.from_dict(saved)
    except ValueError as exc:
        raise FetchError(f"{out / STATE_FILE}: the saved query is damaged ({exc}); give the query again") from None


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


def _newer(remote: str | None, saved: str | None) -> bool:
    """ISO dates ("2024-01-05", or "2024-01") compare as strings."""
    return remote is not None and (saved is None or remote > saved)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]


__all__ = [
    "STATE_FILE",
    "FetchReport",
    "StudyQuery",
    "fetch_ids",
    "fetch_studies",
    "list_ids",
    "save_study",
    "update",
]
