"""JSON shapes shared by every front end that speaks JSON (`corpus --json`, `show --json`, the
HTTP API, the MCP server). An answer's shape is `Answer.to_dict()` (the `ask --json` object);
a trial's and a search hit's are here, written once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from index import Corpus, Hit, Trial


def corpus_json(corpus: Corpus) -> dict[str, Any]:
    """The `corpus --json` object: the trials read and the files that failed."""
    return {
        "trials": [trial_json(t) for t in corpus.trials],
        "errors": [{"source": e.source, "reason": e.reason} for e in corpus.errors],
    }


def trial_json(t: Trial, texts: bool = False) -> dict[str, Any]:
    """A trial's fields and its sections' locations, as `corpus --json` lists them; with
    `texts`, each section's verbatim text too (`source[start:end]`, see `Section`)."""
    return {
        "nct_id": t.nct_id,
        "title": t.title,
        "sponsor": t.sponsor,
        "status": t.status,
        "enrollment": t.enrollment,
        "min_age_years": t.min_age_years,
        "max_age_years": t.max_age_years,
        "masking": t.masking,
        "allocation": t.allocation,
        "source": t.source,
        "format": t.format,
        "sections": [
            {"name": s.name, "heading": s.heading, "field": s.field, "start": s.start, "end": s.end}
            | ({"text": s.text} if texts else {})
            for s in t.sections
        ],
        "url": t.url,
        "phases": list(t.phases),
        "study_type": t.study_type,
        "sex": t.sex,
        "intervention_model": t.intervention_model,
        "conditions": list(t.conditions),
        "interventions": list(t.interventions),
        "locations": list(t.locations),
        "also_sources": list(t.also_sources),
        "warnings": list(t.warnings),
    }


def hit_json(hit: Hit, trials: Mapping[str, Trial] | None = None) -> dict[str, Any]:
    """A retrieved chunk: its verbatim text and location (a citation) and every score that
    ranked it (the fused score and the BM25 and dense contributions to it)."""
    c = hit.chunk
    trial = trials.get(c.nct_id) if trials is not None else None
    return {
        "nct_id": c.nct_id,
        "title": trial.title if trial else None,
        "url": f"https://clinicaltrials.gov/study/{c.nct_id}",
        "section": c.heading,
        "name": c.section,
        "snippet": c.text,
        "source": c.source,
        "field": c.field,
        "start": c.start,
        "end": c.end,
        "score": round(hit.score, 4),
        "bm25": round(hit.bm25, 4),
        "dense": round(hit.dense, 4),
        "bm25_part": round(hit.bm25_part, 4),
        "dense_part": round(hit.dense_part, 4),
    }
