"""A small, polite client for the ClinicalTrials.gov API v2 (``GET {base}/studies``).

Polite: at most one request every ``min_interval`` seconds (the API allows about 50 a
minute per IP; the default 1.3 s keeps under it). Robust: a 429 or 5xx answer, a timeout,
a dropped connection or a body that is not JSON is retried up to ``max_retries`` times,
waiting as the server's ``Retry-After`` says or else ``backoff``, 2 x ``backoff``,
4 x ``backoff``, ... seconds; any other 4xx, a refused connection and an unknown host are
not retried. Every failure is a `FetchError` naming the URL and the reason, with the API's
own message when it sent one (as text or JSON).

Only the standard library is used (urllib.request).
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from index.errors import FetchError

log = logging.getLogger(__name__)

USER_AGENT = "trialqa/0.1"
MAX_PAGE_SIZE = 1000  # the API's largest pageSize
MAX_RETRY_AFTER = 600.0  # a server asking for a longer wait gets a clear error instead
MAX_BACKOFF = 60.0

# filter.overallStatus values the API accepts
STATUSES = (
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "ENROLLING_BY_INVITATION",
    "NOT_YET_RECRUITING",
    "RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
    "AVAILABLE",
    "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE",
    "APPROVED_FOR_MARKETING",
    "WITHHELD",
    "UNKNOWN",
)


def normalize_statuses(values: Iterable[str]) -> tuple[str, ...]:
    """User spellings ("recruiting", "Not yet recruiting", "active, not recruiting",
    "RECRUITING,COMPLETED") as the API's values, in order, without repeats; ValueError
    naming the accepted values for anything else."""

    def norm(text: str) -> str:
        return re.sub(r"[^A-Za-z]+", "_", text).strip("_").upper()

    out: list[str] = []
    for value in values:
        parts = [p for p in re.split(r"[,|]", value) if p.strip()]
        i = 0
        while i < len(parts):
            # "active, not recruiting" is one status though it has a comma
            if i + 1 < len(parts) and norm(parts[i] + " " + parts[i + 1]) in STATUSES:
                name, i = norm(parts[i] + " " + parts[i + 1]), i + 2
            else:
                name, i = norm(parts[i]), i + 1
                if name not in STATUSES:
                    accepted = ", ".join(s.lower().replace("_", " ") for s in STATUSES)
                    raise ValueError(f"unknown status {parts[i - 1].strip()!r}; use one of: {accepted}")
            if name not in out:
                out.append(name)
    return tuple(out)


class CtgovClient:
    """GET requests to one API base (``https://clinicaltrials.gov/api/v2``), paced and retried.

    ``sleep`` and ``clock`` are injectable for tests; ``requests`` counts requests sent.
    """

    def __init__(
        self,
        base_url: str,
        min_interval: float = 1.3,
        max_retries: int = 4,
        backoff: float = 2.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.min_interval = min_interval
        self.max_retries = max_retries
        self.backoff = backoff
        self.timeout = timeout
        self.requests = 0
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        query = urlencode(params or {}, quote_via=quote, safe=",|")
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """The parsed JSON body of ``GET {base}/{path}?{params}``; FetchError on failure."""
        url = self.url(path, params)
        attempts = self.max_retries + 1
        problem = ""
        for attempt in range(1, attempts + 1):
            self._pace()
            wait = min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)
            try:
                body = self._get(url)
            except HTTPError as exc:
                message = api_message(_read(exc), exc.headers.get("Content-Type", ""))
                problem = f"HTTP {exc.code} {exc.reason}" + (f": {message}" if message else "")
                if exc.code != 429 and exc.code < 500:
                    raise FetchError(f"GET {url}: {problem}", url=url, status=exc.code) from None
                after = retry_after(exc.headers.get("Retry-After"))
                if after is not None:
                    if after > MAX_RETRY_AFTER:
                        raise FetchError(
                            f"GET {url}: {problem}; the server asks to wait {after:.0f} s (Retry-After): "
                            "try again later",
                            url=url,
                            status=exc.code,
                        ) from None
                    wait = after
            except (URLError, OSError, http.client.HTTPException) as exc:
                problem = network_reason(exc, self.timeout)
                reason = exc.reason if isinstance(exc, URLError) else exc
                if isinstance(reason, ConnectionRefusedError | socket.gaierror):
                    raise FetchError(f"GET {url}: {problem}", url=url) from None  # not worth waiting for
            else:
                try:
                    return json.loads(body.decode("utf-8"))
                except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
                    problem = f"the response is not valid JSON ({exc})"
            if attempt < attempts:
                log.warning("GET %s: %s; retrying in %.1f s (attempt %d of %d)", url, problem, wait, attempt, attempts)
                self._sleep(wait)
        raise FetchError(f"GET {url}: {problem} (gave up after {attempts} attempts)", url=url)

    def pages(self, params: Mapping[str, str]) -> Iterator[dict[str, Any]]:
        """Every page of ``/studies`` for the params, following ``nextPageToken``."""
        p = dict(params)
        while True:
            page = self.studies_page(p)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            p["pageToken"] = token

    def studies_page(self, params: Mapping[str, str]) -> dict[str, Any]:
        """One page of ``/studies``, checked to hold a list of studies."""
        page = self.get_json("studies", params)
        if not isinstance(page, dict) or not isinstance(page.get("studies", []), list):
            raise FetchError(f"GET {self.url('studies', params)}: the response is not a page of studies")
        token = page.get("nextPageToken")
        if token is not None and not isinstance(token, str):
            raise FetchError(f"GET {self.url('studies', params)}: nextPageToken is not a string")
        return page

    def _get(self, url: str) -> bytes:
        self.requests += 1
        self._last = self._clock()
        req = Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        with urlopen(req, timeout=self.timeout) as resp:
            return resp.read()

    def _pace(self) -> None:
        if self._last is not None:
            left = self._last + self.min_interval - self._clock()
            if left > 0:
                self._sleep(left)


def _read(exc: HTTPError) -> bytes:
    try:
        return exc.read()
    except (OSError, http.client.HTTPException):
        return b""


def api_message(body: bytes, content_type: str = "") -> str:
    """The API's error message from an error body: JSON (``message``, ``error``, ``errors``,
    ``detail``) or text, on one line, at most 500 characters."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return ""
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]*>", " ", text)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict):
        parts = [doc[k] for k in ("message", "error", "errors", "detail", "title") if doc.get(k)]
        if parts:
            text = "; ".join(p if isinstance(p, str) else json.dumps(p, ensure_ascii=False) for p in parts)
    text = " ".join(text.split())
    return text if len(text) <= 500 else text[:499] + "…"


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except ValueError:
        return None
    return max(0.0, when.timestamp() - time.time())


def network_reason(exc: BaseException, timeout: float) -> str:
    """A network failure in words: refused, timed out, dropped, unknown host."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(reason, ConnectionRefusedError):
        return "could not connect (connection refused)"
    if isinstance(reason, socket.gaierror):
        return f"could not find the host ({reason.strerror or reason})"
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError | http.client.IncompleteRead):
        return f"the connection was dropped before the response was complete ({reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return f"network error: {reason.strerror}"
    return f"network error: {reason}"
