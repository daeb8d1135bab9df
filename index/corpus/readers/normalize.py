"""Shared value normalisation so every format yields the same vocabulary."""

from __future__ import annotations

import re

from index.model import Age

_STATUS = {
    "recruiting": "Recruiting",
    "not yet recruiting": "Not yet recruiting",
    "not_yet_recruiting": "Not yet recruiting",
    "active, not recruiting": "Active, not recruiting",
    "active_not_recruiting": "Active, not recruiting",
    "enrolling by invitation": "Enrolling by invitation",
    "enrolling_by_invitation": "Enrolling by invitation",
    "completed": "Completed",
    "terminated": "Terminated",
    "withdrawn": "Withdrawn",
    "suspended": "Suspended",
    "unknown": "Unknown",
    "unknown status": "Unknown",
    "available": "Available",
    "no longer available": "No longer available",
    "no_longer_available": "No longer available",
    "temporarily not available": "Temporarily not available",
    "temporarily_not_available": "Temporarily not available",
    "approved for marketing": "Approved for marketing",
    "approved_for_marketing": "Approved for marketing",
    "withheld": "Withheld",
}
STATUSES: tuple[str, ...] = tuple(dict.fromkeys(_STATUS.values()))


def _clean(value: str | None) -> str | None:
    """The value stripped, or None when it is missing or blank."""
    return (value.strip() or None) if value else None


def norm_status(value: str | None) -> str | None:
    """'RECRUITING', 'not_yet_recruiting', 'Unknown status' -> 'Recruiting', ...; others as given."""
    if (v := _clean(value)) is None:
        return None
    return _STATUS.get(v.lower(), v)


def norm_phase(value: str) -> str | None:
    """'Phase 2', 'PHASE2', 'Phase 1/Phase 2', 'EARLY_PHASE1', 'N/A', 'NA' -> 'Phase 2', ..."""
    v = value.strip().lower().replace("_", " ")
    if not v:
        return None
    if v in {"na", "n/a", "not applicable"}:
        return "Not Applicable"
    if "early" in v:
        return "Early Phase 1"
    m = re.fullmatch(r"phase\s*([1-4])", v)
    if m:
        return f"Phase {m.group(1)}"
    return None


def norm_phases(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        parts = re.split(r"/", value) if "/" in value and "n/a" not in value.lower() else [value]
        for part in parts:
            p = norm_phase(part)
            if p and p not in out:
                out.append(p)
    return tuple(sorted(out, key=_phase_key))


def _phase_key(p: str) -> tuple[int, str]:
    order = {"Early Phase 1": 0, "Phase 1": 1, "Phase 2": 2, "Phase 3": 3, "Phase 4": 4}
    return (order.get(p, 9), p)


def norm_masking(value: str | None) -> str | None:
    """Map every format's masking text onto: None (Open Label), Single, Double, Triple, Quadruple."""
    if (text := _clean(value)) is None:
        return None
    v = text.lower()
    if v.startswith("none") or "open label" in v or "open-label" in v:
        return "None (Open Label)"
    for word in ("quadruple", "triple", "double", "single"):
        if v.startswith(word):
            return word.capitalize()
    return text


def norm_allocation(value: str | None) -> str | None:
    if (text := _clean(value)) is None:
        return None
    v = text.lower().replace("_", "-")
    if v.startswith("non"):
        return "Non-Randomized"
    if v.startswith("random"):
        return "Randomized"
    if v in {"n/a", "na"}:
        return "N/A"
    return text


def norm_sex(value: str | None) -> str | None:
    if (text := _clean(value)) is None:
        return None
    return {"all": "All", "both": "All", "female": "Female", "male": "Male"}.get(text.lower(), text)


def norm_enum(value: str | None) -> str | None:
    """'PARALLEL' / 'Parallel Assignment' -> 'Parallel'; 'INTERVENTIONAL' -> 'Interventional'."""
    if (text := _clean(value)) is None:
        return None
    v = re.sub(r"\s+assignment$", "", text.replace("_", " "), flags=re.I)
    if v.lower() in {"n/a", "na"}:
        return "N/A"
    return v.capitalize()


_UNITS = {
    "year": "years",
    "month": "months",
    "week": "weeks",
    "day": "days",
    "hour": "hours",
    "minute": "minutes",
}


def parse_age(value: str | None) -> Age | None:
    """'18 Years', '6 Months', '18', 'N/A' -> Age or None."""
    if not value:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)", value)
    if not m:
        return None
    unit_word = m.group(2).lower().rstrip("s") or "year"
    unit = _UNITS.get(unit_word)
    if unit is None:
        return None
    return Age(float(m.group(1)), unit)


def parse_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        m = re.search(r"\d[\d,]*", value)
        if m:
            return int(m.group(0).replace(",", ""))
    return None


def file_id_warning(source: str, nct_id: str, aliases: list[str] | tuple[str, ...] = ()) -> str | None:
    """A warning when the file name carries an NCT ID other than the record's own one."""
    name = re.split(r"[\\/]", source)[-1]
    m = re.search(r"(?<![A-Za-z0-9])NCT\d{8}(?!\d)", name, re.I)
    if m is None or m.group(0).upper() == nct_id.upper():
        return None
    fid = m.group(0).upper()
    alias = f" ({fid} is listed as an alias of it)" if fid in {a.upper() for a in aliases} else ""
    return f"file name {fid} does not match record {nct_id}{alias}"
