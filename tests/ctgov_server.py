"""A stand-in for the ClinicalTrials.gov API v2 on 127.0.0.1, for fetch tests (no network).

`FakeCtgov` serves ``GET /api/v2/studies`` (``query.term``, ``query.cond``, ``query.intr``,
``filter.overallStatus``, ``filter.ids``, ``fields``, ``pageSize``, ``pageToken``,
``countTotal``) and ``GET /api/v2/studies/{nctId}`` from a dict of study objects, at most
``page_limit`` studies a page whatever was asked. It records every request; ``fault`` may
answer one instead (an error status, a broken body, a dropped connection, a delay).

Study sources: `synthetic_studies` (three tiny v2 records built here) and
`shared_studies` (the usable API v2 files of ../shared/data/ctgov-v2).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from index.corpus.ctgov_api import STATUSES

API = "/api/v2"


@dataclass
class Req:
    """One request as the server saw it."""

    path: str
    params: dict[str, str]
    at: float  # time.monotonic() on arrival
    user_agent: str
    status: int = 0  # what was answered (0: the connection was dropped)
    served: tuple[str, ...] = ()  # NCT IDs of the full records in a successful answer


@dataclass
class Fault:
    """An answer that replaces the normal one: ``status`` with ``body`` and ``headers``, or
    ``drop`` the connection without an answer; ``delay`` seconds first."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0


class FakeCtgov:
    def __init__(self, studies: list[dict], page_limit: int = 1000) -> None:
        self.studies: dict[str, dict] = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in studies}
        self.page_limit = page_limit
        self.requests: list[Req] = []
        self.fault: Callable[[Req], Fault | None] | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{API}"

    def __enter__(self) -> FakeCtgov:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def served(self) -> list[str]:
        """NCT IDs of every full record served, in order, repeats included."""
        return [n for r in self.requests for n in r.served]

    def token(self, offset: int) -> str:
        return f"tok{offset}"

    def bump(self, nct: str, date: str, **status: str) -> None:
        """Post a new version of a study: a later lastUpdatePostDate (and a status)."""
        s = copy.deepcopy(self.studies[nct])
        sm = s["protocolSection"]["statusModule"]
        sm["lastUpdatePostDateStruct"] = {"date": date, "type": "ACTUAL"}
        if "overall" in status:
            sm["overallStatus"] = status["overall"]
        self.studies[nct] = s

    # ---- answers ------------------------------------------------------------------------

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, object, tuple[str, ...]]:
        """(status, JSON body or error text, full records served)."""
        if path == f"{API}/studies":
            return self._list(params)
        if path.startswith(f"{API}/studies/"):
            nct = path.rsplit("/", 1)[1]
            if nct in self.studies:
                return 200, self.studies[nct], (nct,)
            return 404, f"Study {nct} not found", ()
        return 404, "Not found", ()

    def _list(self, params: dict[str, str]) -> tuple[int, object, tuple[str, ...]]:
        try:
            size = int(params.get("pageSize", "10"))
        except ValueError:
            size = -1
        if not 0 < size <= 1000:
            return 400, f"pageSize: must be between 1 and 1000, got {params.get('pageSize')}", ()
        statuses = [s for s in params.get("filter.overallStatus", "").replace("|", ",").split(",") if s]
        bad = [s for s in statuses if s not in STATUSES]
        if bad:
            return 400, f"filter.overallStatus: unknown value(s) {', '.join(bad)}", ()
        token = params.get("pageToken")
        if token is not None and not (token.startswith("tok") and token[3:].isdigit()):
            return 400, "pageToken: invalid or expired token", ()
        offset = int(token[3:]) if token else 0
        fields = [f for f in params.get("fields", "").replace("|", ",").split(",") if f]
        if unknown := [f for f in fields if f not in _FIELDS]:
            return 400, f"fields: unknown field(s) {', '.join(unknown)}", ()
        ids = {s for s in params.get("filter.ids", "").replace("|", ",").split(",") if s}
        found = [
            s
            for nct, s in sorted(self.studies.items())
            if (not ids or nct in ids)
            and (not statuses or _get(s, "statusModule", "overallStatus") in statuses)
            and _words(params.get("query.term"), json.dumps(s))
            and _words(params.get("query.cond"), " ".join(_get(s, "conditionsModule", "conditions") or []))
            and _words(
                params.get("query.intr"),
                " ".join(i.get("name", "") for i in _get(s, "armsInterventionsModule", "interventions") or []),
            )
        ]
        chunk = found[offset : offset + min(size, self.page_limit)]
        body: dict[str, object] = {}
        if params.get("countTotal") == "true":
            body["totalCount"] = len(found)
        body["studies"] = [_project(s, fields) for s in chunk] if fields else chunk
        if offset + len(chunk) < len(found):
            body["nextPageToken"] = self.token(offset + len(chunk))
        served = () if fields else tuple(s["protocolSection"]["identificationModule"]["nctId"] for s in chunk)
        return 200, body, served


_FIELDS = {
    "NCTId": ("identificationModule", "nctId"),
    "LastUpdatePostDate": ("statusModule", "lastUpdatePostDateStruct"),
    "OverallStatus": ("statusModule", "overallStatus"),
}


def _get(study: dict, module: str, name: str) -> object:
    return study["protocolSection"].get(module, {}).get(name)


def _words(query: str | None, text: str) -> bool:
    return not query or all(w in text.lower() for w in query.lower().split())


def _project(study: dict, fields: list[str]) -> dict:
    ps: dict[str, dict] = {}
    for f in fields:
        module, name = _FIELDS[f]
        value = _get(study, module, name)
        if value is not None:
            ps.setdefault(module, {})[name] = value
    return {"protocolSection": ps}


def _handler(api: FakeCtgov) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            req = Req(url.path, dict(parse_qsl(url.query)), time.monotonic(), self.headers.get("User-Agent", ""))
            with api._lock:
                api.requests.append(req)
            fault = api.fault(req) if api.fault else None
            if fault is not None:
                time.sleep(fault.delay)
                if fault.drop:
                    self.close_connection = True
                    return
                req.status = fault.status
                self._send(fault.status, fault.body, fault.headers)
                return
            with api._lock:
                status, body, served = api.answer(url.path, req.params)
            req.status = status
            if status == 200:
                req.served = served
                self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
            else:
                self._send(status, str(body).encode(), {"Content-Type": "text/plain"})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Handler


# ---- study sources ------------------------------------------------------------------------


def synthetic_study(
    nct: str, title: str, summary: str, status: str, updated: str, condition: str, intervention: str
) -> dict:
    """A tiny API v2 study record."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title},
            "statusModule": {
                "overallStatus": status,
                "lastUpdatePostDateStruct": {"date": updated, "type": "ACTUAL"},
            },
            "descriptionModule": {"briefSummary": summary},
            "conditionsModule": {"conditions": [condition]},
            "armsInterventionsModule": {"interventions": [{"type": "BIOLOGICAL", "name": intervention}]},
        },
        "hasResults": False,
    }


def synthetic_studies() -> list[dict]:
    return [
        synthetic_study(
            "NCT09000001",
            "Marrow Cells Through the Hepatic Artery in Liver Cirrhosis",
            "Autologous bone marrow cells are infused through the hepatic artery in patients with liver cirrhosis.",
            "RECRUITING",
            "2024-01-05",
            "Liver Cirrhosis",
            "Bone marrow cells",
        ),
        synthetic_study(
            "NCT09000002",
            "Umbilical Cord Stem Cells by Peripheral Vein for Liver Cirrhosis",
            "Umbilical cord mesenchymal stem cells are given by peripheral vein to adults with decompensated liver "
            "cirrhosis.",
            "NOT_YET_RECRUITING",
            "2023-11-20",
            "Liver Cirrhosis",
            "Umbilical cord mesenchymal stem cells",
        ),
        synthetic_study(
            "NCT09000003",
            "Portal Vein Infusion of Stromal Cells in Cirrhosis",
            "Stromal cells are infused into the portal vein; the primary outcome is the MELD score at 24 weeks.",
            "COMPLETED",
            "2022-06-30",
            "Liver Cirrhosis",
            "Stromal cells",
        ),
    ]


SHARED_IDS = [
    "NCT00763412",
    "NCT00973089",
    "NCT02210780",
    "NCT02552212",
    "NCT03418623",
    "NCT03475563",
    "NCT03630471",
    "NCT04207047",
    "NCT05594173",
    "NCT06171568",
]


def shared_studies(folder: Path) -> list[dict]:
    """The complete API v2 records of folder (ctgov-v2): not the v1 wrappers, not the records
    cut short (no status module), not the file holding another study's record."""
    out = []
    for path in sorted(folder.glob("NCT*.json")):
        doc = json.loads(path.read_text("utf-8"))
        ps = doc.get("protocolSection")
        if not isinstance(ps, dict) or "statusModule" not in ps or ps["identificationModule"]["nctId"] != path.stem:
            continue
        out.append(doc)
    return out
