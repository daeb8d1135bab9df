"""Text answers on the seeds: named trials (NCT ID, sponsor), lookups, and no answer."""

from index import TrialIndex


def test_a_lookup_answers_from_the_trial_its_sponsor_names(seed_index: TrialIndex) -> None:
    a = seed_index.ask("what dose does the Xijing trial give?")
    assert (a.kind, a.no_answer) == ("lookup", False)
    assert [t.nct_id for t in a.trials] == ["NCT03209986"]
    assert a.trials[0].citations[0].snippet == (
        "mesenchymal stem cell transplantation via peripheral vein: 1x10E6 MSCs/kg body weight administered via "
        "peripheral vein at week 0, 4, 8."
    )


def test_a_trial_named_by_nct_id(seed_index: TrialIndex) -> None:
    a = seed_index.ask("tell me about NCT01724697")
    assert [t.nct_id for t in a.trials] == ["NCT01724697"]
    assert [c.snippet for c in a.trials[0].citations] == [
        "conventional treatment",
        "Other: conventional treatment & antivrial treatment",
        "Interventional",
    ]
    missing = seed_index.ask("what is NCT99999999?")
    assert missing.no_answer and missing.message == "NCT99999999 is not in this index (5 trials)."


def test_no_words_to_search(seed_index: TrialIndex) -> None:
    a = seed_index.ask("the of and")
    assert a.no_answer and a.message == (
        'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"'
    )
