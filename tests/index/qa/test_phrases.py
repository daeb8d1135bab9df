"""The vocabulary's terms of several words in a question (how they count in a sentence:
tests/index/qa/test_evidence.py)."""

from index.qa.phrases import Phrase, question_phrases


def test_the_vocabulary_s_terms_of_several_words_in_a_question() -> None:
    groups = [("portal",), ("vein",), ("deliveri",)]
    assert question_phrases("portal vein delivery", groups) == [Phrase(frozenset({0, 1}))]
    groups = [("alcohol",), ("liver",), ("diseas",)]  # each word a term of its own: each keeps its credit
    assert question_phrases("alcoholic liver disease", groups) == [Phrase(frozenset({0, 1, 2}), frozenset({0, 1, 2}))]


def test_a_route_counts_only_whole() -> None:
    groups = [("hepat",), ("arteri",)]  # "hepatic" is a term of its own (liver), but a sentence about
    assert question_phrases("hepatic artery", groups) == [Phrase(frozenset({0, 1}))]  # the liver names no route


def test_a_term_the_vocabulary_marks_whole_counts_only_whole() -> None:
    groups = [("liver",), ("transplant",)]  # a sentence on stem cell transplantation in the liver
    assert question_phrases("liver transplantation", groups) == [Phrase(frozenset({0, 1}))]  # says no liver transplant
