"""Property tests: any input makes the ClinicalTrials.gov readers either return located
trials or raise CorpusError, never anything else."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus.readers import ctgov_v2, ctgov_xml, read_bytes, studyfields
from index.corpus.readers.locate import misplaced
from index.errors import CorpusError
from index.model import Trial

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "data"
READERS: tuple[ModuleType, ...] = (ctgov_v2, ctgov_xml, studyfields)
SETTINGS = settings(max_examples=200, deadline=None)

INLINE = [
    json.dumps(
        {
            "protocolSection": {
                "identificationModule": {"nctId": "NCT01234567", "briefTitle": "Inline v2"},
                "statusModule": {"overallStatus": "COMPLETED"},
                "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* a\n"},
                "armsInterventionsModule": {"armGroups": [{"label": "A", "description": "d"}]},
            }
        },
        indent=2,
    ),
    json.dumps(
        {
            "FullStudiesResponse": {
                "FullStudies": [
                    {
                        "Study": {
                            "ProtocolSection": {
                                "IdentificationModule": {"NCTId": "NCT01234568", "BriefTitle": "Inline v1"},
                                "DesignModule": {"PhaseList": {"Phase": ["Phase 2"]}},
                            }
                        }
                    }
                ]
            }
        },
        indent=2,
    ),
    "<clinical_study>\n  <id_info><nct_id>NCT01234569</nct_id></id_info>\n"
    "  <brief_title>Inline XML</brief_title>\n  <condition>Flu</condition>\n"
    "  <condition>Cold</condition>\n</clinical_study>\n",
    json.dumps(
        {
            "NCTId": ["NCT01234560"],
            "BriefTitle": ["Inline fields"],
            "InterventionName": ["A", "B"],
            "InterventionDescription": ["only"],
        },
        indent=2,
    ),
]
PICKS = [
    "ctgov-v2/NCT00973089.json",
    "ctgov-v2/NCT03453554.json",
    "ctgov-v2/NCT04780763.json",
    "ctgov-xml-aact/NCT00513591.xml",
    "ctgov-xml-trec2023/NCT00055081.xml",
    "ctgov-msc-studyfields/NCT01218464.json",
]
SAMPLES = INLINE + [(SHARED / p).read_text("utf-8") for p in PICKS if (SHARED / p).is_file()]


def outcome(reader: ModuleType, text: str) -> list[Trial] | CorpusError:
    """The reader's trials, each checked to be located in ``text``, or its CorpusError."""
    try:
        trials = reader.parse(text, "fuzz.json")
    except CorpusError as exc:
        assert exc.reason and exc.source == "fuzz.json"
        return exc
    assert trials and all(isinstance(t, Trial) for t in trials)
    for trial in trials:
        assert misplaced(text, "fuzz.json", trial.sections) == []
    return trials


def read_outcome(data: bytes) -> list[Trial] | CorpusError:
    try:
        return read_bytes(data, "fuzz")
    except CorpusError as exc:
        assert exc.reason
        return exc


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    read_outcome(data)
    text = data.decode("utf-8", "replace")
    for reader in READERS:
        outcome(reader, text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from('{}[]":,<>/ \n\ufeffNCT0123456789abc!-'), max_size=400))
def test_random_structured_text(text: str) -> None:
    for reader in READERS:
        outcome(reader, text)
    read_outcome(text.encode())


@SETTINGS
@given(st.sampled_from(SAMPLES), st.floats(min_value=0.0, max_value=1.0))
def test_truncated_records(text: str, fraction: float) -> None:
    cut = text[: int(len(text) * fraction)]
    results = [outcome(reader, cut) for reader in READERS]
    read_outcome(cut.encode())
    if fraction < 1.0 and not cut.rstrip().endswith(("}", ">")):
        assert all(isinstance(r, CorpusError) for r in results)


@SETTINGS
@given(st.sampled_from(SAMPLES), st.data())
def test_mutated_records(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from('{}[]":,<>/\\ \n~0aA&;'), max_size=8))
    mutated = text[:start] + junk + text[end:]
    for reader in READERS:
        outcome(reader, mutated)
    read_outcome(mutated.encode())


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r "), max_size=80)
LINES = st.lists(
    st.sampled_from(["Inclusion Criteria:", "Exclusion Criteria:", "  - item", "", "Key inclusion criteria", "text  "]),
    max_size=8,
)


@SETTINGS
@given(XML_TEXT, XML_TEXT, LINES, st.lists(XML_TEXT, max_size=3))
def test_any_strings_are_located_in_every_format(title: str, summary: str, lines: list[str], labels: list[str]) -> None:
    criteria = "\n".join(lines)
    v2 = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT01234567", "briefTitle": title},
            "descriptionModule": {"briefSummary": summary},
            "eligibilityModule": {"eligibilityCriteria": criteria},
            "armsInterventionsModule": {"armGroups": [{"label": x, "description": summary} for x in labels]},
        }
    }
    fields = {
        "NCTId": ["NCT01234567"],
        "BriefTitle": [title],
        "BriefSummary": [summary],
        "EligibilityCriteria": [criteria],
        "ArmGroupLabel": labels,
        "ArmGroupDescription": [summary] * len(labels),
    }
    arms = "".join(
        f"<arm_group><arm_group_label>{escape(x)}</arm_group_label>"
        f"<description>{escape(summary)}</description></arm_group>"
        for x in labels
    )
    xml = (
        f"<clinical_study><id_info><nct_id>NCT01234567</nct_id></id_info>"
        f"<brief_title>{escape(title)}</brief_title><brief_summary><textblock>"
        f"{escape(summary)}</textblock></brief_summary>{arms}<eligibility><criteria>"
        f"<textblock>{escape(criteria)}</textblock></criteria></eligibility></clinical_study>"
    )

    def xml_lines(value: str) -> str:  # XML parsers turn \r\n and \r into \n
        return value.replace("\r\n", "\n").replace("\r", "\n")

    for reader, text, norm in (
        (ctgov_v2, json.dumps(v2), str),
        (ctgov_xml, xml, xml_lines),
        (studyfields, json.dumps(fields), str),
    ):
        result = outcome(reader, text)
        assert isinstance(result, list) and len(result) == 1
        trial = result[0]
        assert (trial.nct_id, trial.title) == ("NCT01234567", norm(title).strip())
        assert all(s.text == s.text.strip() and s.text for s in trial.sections)
        summaries = [s.text for s in trial.sections_named("summary")]
        assert summaries == ([norm(summary).strip()] if summary.strip() else [])
        arms = [s.heading for s in trial.sections_named("arms")]
        assert len(arms) == len([x for x in labels if x.strip() or summary.strip()])


# ---- wrong-typed values ---------------------------------------------------------------

WRONG_TYPES = [5, [1], {"a": 1}, None, True, "x"]
JSON_RECORDS = [
    (ctgov_v2, INLINE[0]),
    (ctgov_v2, INLINE[1]),
    (studyfields, INLINE[3]),
    *[
        (ctgov_v2 if p.startswith("ctgov-v2") else studyfields, (SHARED / p).read_text("utf-8"))
        for p in ("ctgov-v2/NCT00973089.json", "ctgov-v2/NCT04780763.json", "ctgov-msc-studyfields/NCT00114452.json")
        if (SHARED / p).is_file()
    ],
]


def value_paths(doc: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every value below the top of a parsed JSON document."""
    found = [path] if path else []
    if isinstance(doc, dict):
        found += [p for k, v in doc.items() for p in value_paths(v, (*path, k))]
    elif isinstance(doc, list):
        found += [p for i, v in enumerate(doc) for p in value_paths(v, (*path, i))]
    return found


def replaced(doc: object, path: tuple[str | int, ...], value: object) -> object:
    copy = json.loads(json.dumps(doc))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


@pytest.mark.parametrize("wrong", WRONG_TYPES, ids=repr)
def test_a_wrong_typed_value_anywhere_gives_trials_or_corpus_error(wrong: object) -> None:
    """Every value of real records replaced in turn by a number, a list, an object, null, a
    boolean and a string: the reader returns located trials or raises CorpusError, never
    TypeError, AttributeError, KeyError or anything else."""
    tried = 0
    for reader, text in JSON_RECORDS:
        doc = json.loads(text)
        for path in value_paths(doc):
            outcome(reader, json.dumps(replaced(doc, path, wrong), indent=2))
            tried += 1
    assert tried > 100


def test_wrong_typed_values_that_matter_are_named() -> None:
    study = json.loads(INLINE[0])
    for bad in ([1], 5, None):
        study["protocolSection"]["identificationModule"]["nctId"] = bad
        with pytest.raises(CorpusError, match=r"^fuzz\.json: no NCT ID in record$"):
            ctgov_v2.parse(json.dumps(study), "fuzz.json")
    with pytest.raises(CorpusError, match=r"^fuzz\.json: no protocolSection object in study record$"):
        ctgov_v2.parse(json.dumps({"protocolSection": [1]}), "fuzz.json")
    with pytest.raises(CorpusError, match=r"^fuzz\.json: 'studies' is a number, not a list of studies$"):
        ctgov_v2.parse(json.dumps({"studies": 5}), "fuzz.json")
    with pytest.raises(CorpusError, match=r"^fuzz\.json: study record is a list, not an object$"):
        studyfields.parse(json.dumps({"StudyFieldsResponse": {"StudyFields": [[1]]}}), "fuzz.json")
