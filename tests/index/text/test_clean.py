"""Cleaning typed and pasted text."""

from index.text.clean import (
    MAX_QUESTION_CHARS,
    as_typed,
    clean_question,
    with_apostrophes,
    with_spelt_abbreviations,
    with_spoken_ids,
    with_than,
    with_words_spelt_out,
    without_fillers,
    without_surrogates,
)


def test_clean_question() -> None:
    assert clean_question("  hepatic\u00adartery\x07 trials\u200b  ") == ("hepaticartery  trials", None)
    assert clean_question("tab\tand\nnewline") == ("tab\tand\nnewline", None)
    assert clean_question(" \x00 ") == (
        "",
        'Ask a question about the trials, e.g. "which trials use the hepatic artery?"',
    )
    assert clean_question(3) == ("", "A question must be text.")  # type: ignore[arg-type]
    assert clean_question("x" * MAX_QUESTION_CHARS) == ("x" * 2000, None)
    assert clean_question("x" * 2001)[1] == (
        'That question is 2,001 characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"'
    )


def test_without_surrogates() -> None:
    assert without_surrogates("caf\udce9 ok") == "caf\ufffd ok"
    assert without_surrogates("plain") == "plain"


def test_with_apostrophes() -> None:
    assert with_apostrophes("whats the comparator arm in the hepatic artery trial") == (
        "what's the comparator arm in the hepatic artery trial"
    )
    assert with_apostrophes("Wheres it run, and which trials doesnt take HIV? cant join, wont take") == (
        "Where's it run, and which trials doesn't take HIV? can't join, won't take"
    )
    assert with_apostrophes("what donts, whatsoever, hats") == "what donts, whatsoever, hats"
    assert with_apostrophes("if youve got cancer, theyre out, youd know") == (
        "if you've got cancer, they're out, you'd know"
    )
    assert with_apostrophes("ive got HBV, im 68, id say, ill") == "i've got HBV, i'm 68, id say, ill"


def test_without_fillers() -> None:
    assert without_fillers("whose liver is actually failing, has Basically stopped") == (
        "whose liver is failing, has stopped"
    )
    assert without_fillers("is it really?") == "is it really?"  # before no word: kept
    assert without_fillers("okay so which trials um use the, uh, hepatic artery") == (
        "which trials use the, hepatic artery"
    )
    assert without_fillers("So like is there one, hmm, for HBV") == "is there one, for HBV"
    assert without_fillers("which ER trials, like the Xijing one") == "which ER trials, like the Xijing one"
    assert without_fillers("which are tiny, like under 50 people in total") == "which are tiny, under 50 people"


def test_with_spoken_ids() -> None:
    assert with_spoken_ids("for NCT zero one seven two four six nine seven how many") == "for NCT01724697 how many"
    assert with_spoken_ids("N C T oh one two one eight four six four dose") == "NCT01218464 dose"
    assert with_spoken_ids("nct 0172 4697, N.C.T. 0 1 7 2 4 6 9 7") == "NCT01724697, NCT01724697"
    assert with_spoken_ids("NCT01724697 one two, NCT 01724697") == "NCT01724697 one two, NCT 01724697"
    assert with_spoken_ids("NCT one two three") == "NCT one two three"  # not eight digits: as written


def test_with_than() -> None:
    assert with_than("trials with more then 100 patients, Older then 65") == (
        "trials with more than 100 patients, Older than 65"
    )
    assert with_than("randomised first, then treated; other then UDCA") == (
        "randomised first, then treated; other than UDCA"
    )


def test_with_spelt_abbreviations() -> None:
    assert with_spelt_abbreviations("the I N R cutoff, H C C") == "the INR cutoff, HCC"
    assert with_spelt_abbreviations("Child-Pugh B or C, A B") == "Child-Pugh B or C, A B"  # fewer than three


def test_with_words_spelt_out() -> None:
    assert with_words_spelt_out("wat trials r still taking ppl b4 u join") == (
        "what trials are still taking people before you join"
    )
    assert (
        with_words_spelt_out("HBV w/ cirrhosis, the R arm, U of Tehran") == "HBV with cirrhosis, the R arm, U of Tehran"
    )


def test_as_typed_reads_a_question_as_its_writer_meant_it() -> None:
    assert as_typed("okay so whats the I N R cutoff for NCT zero one seven two four six nine seven") == (
        "what's the INR cutoff for NCT01724697"
    )
    assert as_typed("trials with more then 100 patients") == "trials with more than 100 patients"
