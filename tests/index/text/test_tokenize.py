from index.text.tokenize import joined_pairs, term_groups, tokenize


def test_compounds_match_whole_and_by_parts() -> None:
    assert tokenize("CD133+ cells") == ["cd133+", "cd133", "cell"]
    assert tokenize("1x10E6 cells/kg") == ["1x10e6", "cells/kg", "cell", "kg"]
    assert tokenize("Child-Pugh score") == ["child-pugh", "child", "pugh", "score"]
    assert tokenize("UC-MSC infusion") == ["uc-msc", "uc", "msc", "infus"]
    assert tokenize("received i.v. transfusion") == ["receiv", "i.v", "v", "transfus"]


def test_question_words_are_stopwords_but_negations_stay() -> None:
    assert tokenize("Which trials use the hepatic artery?") == ["hepat", "arteri"]
    assert tokenize("which studies are there") == []
    assert tokenize("No Intervention group") == ["no", "intervent", "group"]


def test_stemming_matches_word_forms() -> None:
    assert tokenize("transplantation")[0] == tokenize("transplant")[0] == "transplant"
    assert tokenize("excluded") == tokenize("exclude")


def test_escaped_markdown_characters_do_not_split_numbers() -> None:
    assert tokenize(r"1\*10\^8 cells/dose") == ["1*10^8", "1", "10", "8", "cells/dose", "cell", "dose"]


def test_term_groups_keep_compounds_together() -> None:
    assert term_groups("Where is the UC-MSC cirrhosis trial located?") == [
        ("uc-msc", "uc", "msc"),
        ("cirrhosi",),
        ("locat",),
    ]


def test_joined_pairs_find_split_words() -> None:
    assert "mononuclear" in joined_pairs("bone marrow mono nuclear cells")


def test_acronym_plurals_match_their_singular() -> None:
    assert tokenize("MSCs HSCs ADSCs") == ["msc", "hsc", "adsc"]
    assert tokenize("UC-MSCs") == ["uc-mscs", "uc", "msc"]
    assert tokenize("cells rhythms") == ["cell", "rhythm"]
