"""Every file of the shared ClinicalTrials.gov folders parses, or is rejected with a reason,
and every section of every parsed trial sits verbatim at its address."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index.corpus.readers import read
from index.corpus.readers.locate import misplaced
from index.errors import CorpusError
from index.model import SECTION_NAMES, Trial

# folder -> (format, files parsed, rejected file -> reason)
EXPECTED: dict[str, tuple[str, int, dict[str, str]]] = {
    "ctgov-v2": (
        "ctgov-v2",
        14,
        {
            "NCT00465816.json": "record NCT00465816 is cut short: placeholder '...' values "
            "(briefTitle, officialTitle) and no overall status",
            "NCT03453554.json": "record NCT03453554 is cut short: placeholder '...' values "
            "(briefTitle, officialTitle) and no overall status",
        },
    ),
    "ctgov-xml-aact": ("ctgov-xml", 64, {}),
    "ctgov-xml-trec2023": ("ctgov-xml", 65, {}),
    "ctgov-msc-studyfields": ("studyfields", 1536, {}),
}

# file -> the warnings its trial carries
WARNINGS = {
    "ctgov-v2/NCT02278341.json": ("file name NCT02278341 does not match record NCT02552212",),
    "ctgov-xml-aact/NCT00980226.xml": (
        "file name NCT00980226 does not match record NCT00081588 (NCT00980226 is listed as an alias of it)",
    ),
    "ctgov-xml-aact/NCT00980226-id-mismatch.xml": (
        "file name NCT00980226 does not match record NCT00081588 (NCT00980226 is listed as an alias of it)",
    ),
    "ctgov-msc-studyfields/NCT04400032.json": ("file name NCT04400032 does not match record NCT02421484",),
}


def _read_folder(folder: Path) -> tuple[dict[str, list[Trial]], dict[str, str]]:
    parsed: dict[str, list[Trial]] = {}
    rejected: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        try:
            parsed[path.name] = read(path)
        except CorpusError as exc:
            rejected[path.name] = exc.reason
    return parsed, rejected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_parses_or_is_rejected_with_a_reason(shared_data: Path, name: str) -> None:
    fmt, n_parsed, reasons = EXPECTED[name]
    parsed, rejected = _read_folder(shared_data / name)
    assert rejected == reasons
    assert len(parsed) == n_parsed
    assert Counter(len(trials) for trials in parsed.values()) == Counter({1: n_parsed})
    trials = [t for ts in parsed.values() for t in ts]
    assert {t.format for t in trials} == {fmt}
    warned = {f"{name}/{file}": ts[0].warnings for file, ts in parsed.items() if ts[0].warnings}
    assert warned == {k: v for k, v in WARNINGS.items() if k.startswith(name + "/")}
    for file, ts in parsed.items():
        trial = ts[0]
        assert trial.source == str(shared_data / name / file)
        assert trial.title, file
        assert trial.sections[0].name == "title", file
        assert {s.name for s in trial.sections} <= set(SECTION_NAMES), file
        assert all(s.field and s.text and s.text == s.text.strip() for s in trial.sections), file


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_section_is_verbatim_at_its_address(shared_data: Path, name: str) -> None:
    checked = 0
    for path in sorted((shared_data / name).iterdir()):
        try:
            trials = read(path)
        except CorpusError:
            continue
        text = path.read_text(encoding="utf-8")
        for trial in trials:
            assert misplaced(text, str(path), trial.sections) == [], path.name
            checked += len(trial.sections)
    assert checked > 1000


def test_studyfields_folder_loads_whole(shared_data: Path) -> None:
    trials = [t for p in sorted((shared_data / "ctgov-msc-studyfields").iterdir()) for t in read(p)]
    assert len(trials) == 1536
    assert len({t.nct_id for t in trials}) == 1535  # NCT04400032.json repeats NCT02421484
    assert sum(1 for t in trials if t.nct_id == "NCT02421484") == 2
