"""The words around facts: what a fact question's leftover text holds only because of its facts."""

from index.facts.constraints import parse
from index.facts.words import frame_words
from index.text.tokenize import tokenize


def test_frame_words_name_the_facts_of_the_constraints_and_the_asker() -> None:
    cs, _ = parse("my aunt is 61 - double-blind trials whose age range covers her please")
    assert [c.key for c in cs] == ["age", "masking"]
    words = frame_words(cs)
    assert {"age", "rang", "cover", "aunt", "pleas", "blind"} <= words
    assert not set(tokenize("randomised cirrhosis marrow")) & words


def test_no_constraint_no_frame_words() -> None:
    assert frame_words([]) == frozenset()


def test_where_the_asker_read_a_fact_and_how_they_feel_frame_it() -> None:
    for question, framing in (
        ("which studies are unblinded per the design table", "per design table"),
        ("any studies based in china? family lives there", "based family lives there"),
        ("scared of a fake treatment - which trials have a placebo group?", "scared"),
        ("Which programmes sit at the combined early clinical development stage (Phase 1/Phase 2)?", "combined stage"),
        (
            "which study masks both participants and investigators to treatment allocation (double masking)?",
            "masks both participants investigators treatment allocation",
        ),
        ("single group assignment, no control", "assignment"),
        ("small studies fewer than 50 pts", "small"),
        ("long term f/u 52+ wks", "long term"),
    ):
        cs, _ = parse(question)
        assert set(tokenize(framing)) <= frame_words(cs), question


def test_a_pilot_names_only_the_size_a_count_states() -> None:
    cs, rest = parse("small pilots, under 50 pts?")
    assert [c.label for c in cs] == ["enrollment < 50"]
    assert set(tokenize(rest)) <= frame_words(cs)
