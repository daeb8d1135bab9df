"""The vocabulary's terms of several words in a question (how they count in a sentence:
tests/index/qa/test_evidence.py)."""

from index.qa.phrases import Phrase, question_phrases


def test_the_vocabulary_s_terms_of_several_words_in_a_question() -> None:
    groups = [("portal",), ("vein",), ("deliveri",)]
    assert question_phrases("portal vein delivery", groups) == [Phrase(frozenset({0, 1}))]
    groups = [("hepat",), ("arteri",)]  # "hepatic" is a term of its own (liver), "artery" is not
    assert question_phrases("hepatic artery", groups) == [Phrase(frozenset({0, 1}), frozenset({0}))]
