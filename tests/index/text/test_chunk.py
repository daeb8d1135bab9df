from index.corpus.readers import read
from index.text.chunk import MAX_CHARS, chunk_trial
from index.text.sentences import spans
from tests.conftest import CORPUS


def test_chunks_never_span_sections_and_keep_exact_locations() -> None:
    for path in sorted(CORPUS.iterdir()):
        text = path.read_text(encoding="utf-8")
        (trial,) = read(path)
        chunks = chunk_trial(trial)
        for c in chunks:
            assert text[c.start : c.end] == c.text
            owner = [s for s in trial.sections if s.start <= c.start and c.end <= s.end]
            assert len(owner) == 1 and owner[0].name == c.section and owner[0].heading == c.heading
        covered = sum(len(c.text) for c in chunks)
        assert covered <= sum(len(s.text) for s in trial.sections)


def test_long_sections_split_at_sentence_boundaries() -> None:
    (trial,) = read(CORPUS / "004_37135f87ffe77103.txt")
    desc = [c for c in chunk_trial(trial) if c.section == "description"]
    assert [len(c.text) for c in desc] == [339, 286, 448, 428]
    assert all(len(c.text) <= MAX_CHARS for c in desc)
    assert desc[0].text.startswith("Liver failure (LF) is a severe life-threatening condition")
    assert all(c.text.rstrip().endswith((".", ")")) for c in desc)


def test_sentence_spans_respect_abbreviations_and_list_markers() -> None:
    text = "1. Aged 18-65 years\n2. HIV, e.g. HIV-1. Next one i.v. given. Last"
    got = [text[s:e] for s, e in spans(text)]
    assert got == ["1. Aged 18-65 years", "2. HIV, e.g. HIV-1.", "Next one i.v. given.", "Last"]
