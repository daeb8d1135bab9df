"""The domain vocabulary: loading the packaged file, matching, expansion, rewriting."""

from __future__ import annotations

import pytest

from index.text.tokenize import tokenize
from index.text.vocabulary import Vocabulary, vocabulary


def test_the_packaged_file_loads_with_its_groups_and_frames() -> None:
    v = vocabulary()
    assert v is vocabulary()  # read once
    assert {"receive", "undergo", "involve", "require", "get", "administer", "use", "run", "conducted"} <= v.frames
    assert v.abbr["IV"] == "intravenous"
    assert v.abbr["MSC"] == "mesenchymal stem cell"
    # one group holds the route however a record or a user writes it
    group = {m.term.group for m in v.find("intravenous i.v. IV intravenus into a vein peripheral vein")}
    assert len(group) == 1


@pytest.mark.parametrize(
    ("sentence", "question_word"),
    [
        ("Severe problems in other vital organs(e.g.theheart,renal or lungs)", "kidney"),
        ("Severe problems in other vital organs(e.g.theheart,renal or lungs)", "heart"),
        ("UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose", "intravenous"),
        ("50 LF patients with LF received i.v. transfusion of 0.5-1.0×106 cells/kg", "intravenous"),
        ("Drug: Conventional plus pacebo treatment", "placebo"),
        ("Masking: None (Open label)", "unblinded"),
        ("Pregnant or lactating women", "breastfeeding"),
        ("Drug abuse or alcohol abuse", "heavy drinkers"),
        ("Patients with hypersplenism who need splenectomy", "overactive spleen"),
        ("autologous bone marrow stem cell transplantation via hepatic artery", "own cells"),
        ("Acute myocardial infarction within 6 months", "heart attack"),
        ("mesenchymal stem cell transplantation via peripheral vein", "stem cells"),
    ],
)
def test_a_sentence_covers_the_other_words_of_its_terms(sentence: str, question_word: str) -> None:
    v = vocabulary()
    q = tokenize(v.rewrite(question_word))
    covered = set(tokenize(sentence)) | v.sentence_tokens(sentence)
    assert q and set(q) <= covered


def test_is_a_links_go_one_way() -> None:
    v = vocabulary()
    assert "msc" in v.sentence_tokens("mesenchymal stem cells") and "stem" in v.sentence_tokens("MSC")
    assert "msc" not in v.sentence_tokens("hematopoietic stem cell")  # a stem cell is not an MSC


def test_short_capital_abbreviations_match_only_as_written() -> None:
    v = vocabulary()
    assert [m.term.text for m in v.find("given IV")] == ["IV"]
    assert v.find("given iv") == [] and v.find("iv") == []
    assert [m.term.text for m in v.find("Phase iv")] == ["phase IV"]  # the phase, not the route
    assert "intraven" not in v.sentence_tokens("Phase IV trial")
    assert "intraven" in v.sentence_tokens("2 doses IV")
    assert "intraven" not in v.sentence_tokens("stage iv disease")


def test_dotted_abbreviations_match_only_with_their_dots() -> None:
    v = vocabulary()
    assert v.rewrite("I'm 70, which trials take me?") == "I'm 70, which trials take me?"
    assert v.rewrite("im not sure") == "im not sure"
    assert v.rewrite("dosed i.m. twice") == "dosed intramuscular twice"
    assert v.rewrite("dosed i. m. twice") == "dosed intramuscular twice"
    assert v.rewrite("given s.c.") == "given subcutaneous"
    assert [m.term.text for m in v.find("P.O. or I'm")] == ["p.o."]


def test_the_longest_term_wins_and_matches_do_not_overlap() -> None:
    v = vocabulary()
    found = [(m.start, m.end, m.term.text) for m in v.find("UC-MSC and hepatic artery")]
    assert found == [(0, 6, "UC-MSC"), (11, 25, "hepatic artery")]


def test_rewrite_keeps_the_meaning_of_words_the_tokenizer_drops() -> None:
    v = vocabulary()
    assert v.rewrite("Which trials use the patient's own cells?") == "Which trials use the autologous cells?"
    assert v.rewrite("Which trials give cells under the skin?") == "Which trials give cells subcutaneous?"
    assert v.rewrite("Which trials study scarring of the liver?") == "Which trials study cirrhosis?"
    assert v.rewrite("Which trials use the hepatic artery?") == "Which trials use the hepatic artery?"


def test_frames_and_query_tokens() -> None:
    v = vocabulary()
    assert v.drop_frames("Which trials receive cells via the hepatic artery?") == (
        "Which trials   cells   the hepatic artery?"
    )
    assert v.drop_frames("a cut-off on INR, the cut off") == "a   on INR, the cut off"  # a frame with a hyphen
    # verbs of giving say no more than "give" (the route words say how); their nouns stay
    assert v.drop_frames("trials that infuse marrow cells") == "trials that   marrow cells"
    assert v.drop_frames("cells injected into the portal vein") == "cells   into the portal vein"
    assert v.drop_frames("intraportal cell injection") == "intraportal cell injection"
    # blood slow to clot is the clotting tests' concern, whichever a record names (INR or PT)
    assert v.rewrite("my blood takes too long to clot") == "my blood coagulation function"
    assert v.rewrite("a hospital as lead sponsor") == "a hospital as sponsor"  # a record's sponsor is its lead one
    # a relative who had a disease is a family history of it
    assert v.rewrite("exclude you if a relative had liver cancer") == "exclude you if a family history liver cancer"
    assert v.query_tokens("which trials exclude kidney problems") == ["nephric", "renal"]


def test_a_vocabulary_from_text_and_its_errors() -> None:
    v = Vocabulary.parse("# comment\nsame\tkidney\trenal\nabbr\tCKD\tchronic kidney disease\nframe\tget\tgets\n")
    assert v.frames == {"get", "gets"} and v.abbr == {"CKD": "chronic kidney disease"}
    assert v.sentence_tokens("renal") == {"kidney", "renal"}
    with pytest.raises(ValueError, match="unknown vocabulary kind"):
        Vocabulary.parse("synonym\ta\tb\n")
    with pytest.raises(ValueError, match="two terms or more"):
        Vocabulary.parse("same\tkidney\n")
    v = Vocabulary.parse("same\tliver transplant\thepatic transplantation\nwhole\tliver transplant\n")
    assert [v.whole(t) for t in v.terms] == [True, True]  # the whole group
    with pytest.raises(ValueError, match="no other line has"):
        Vocabulary.parse("same\tkidney\trenal\nwhole\tkidney failure\n")


def test_lay_phrases_rewrite_questions_but_are_never_read_into_records() -> None:
    v = vocabulary()
    assert v.rewrite("Which trials have no control group?") == "Which trials have uncontrolled?"
    assert v.rewrite("Which trials enrol patients who cannot get a liver transplant?") == (
        "Which trials enrol patients who not suitable for liver transplantation?"
    )
    assert v.sentence_tokens("Study Design: SINGLE_GROUP") == {"arm", "group", "grp", "one", "singl"}
    assert "singl" not in v.sentence_tokens("There is no control group")


@pytest.mark.parametrize(
    ("sentence", "question_words"),
    [
        ("Umbilical Cord Mesenchymal Stem Cell Transplantation", "mesenchymal stromal cells"),
        ("Umbilical Cord Mesenchymal Stem Cell Transplantation", "allogenic"),
        ("UC-MSC infusion by intravenus", "cells from a donor"),
        ("BMSC transplantation", "marrow-derived stem cells"),
        ("Masking: None (Open label)", "non-masked"),
        ("Secondary outcomes are symptoms, life quality, and survival.", "QoL"),
        ("Secondary outcomes are symptoms, life quality, and survival.", "overall survival"),
        ("Overall survival (OS)", "mortality"),
        ("Patients were randomly divided into two groups", "randomisation"),
        ("cells delivered intra-arterially", "transarterial"),
        ("Umbilical Cord Mesenchymal Stem Cell Transplantation", "allo cells"),
        ("UC-MSC infusion by intravenus", "off-the-shelf cells"),
        ("enriched CD133+ hematopoietic stem cell transplantation", "blood-forming stem cells"),
        ("Secondary outcomes are symptoms, life quality, and survival.", "how long they live"),
        ("Number of Participants with abnormal Total bilirubin", "the yellow stuff in the blood"),
        ("Changes from baseline to 72 weeks", "after the start"),
    ],
)
def test_the_grown_vocabulary_covers_other_wordings(sentence: str, question_words: str) -> None:
    v = vocabulary()
    q = tokenize(v.rewrite(question_words))
    assert q and set(q) <= set(tokenize(sentence)) | v.sentence_tokens(sentence)


def test_kinds_of_cells_say_their_broader_kinds_only() -> None:
    v = vocabulary()
    uc = v.sentence_tokens("umbilical cord MSC")
    assert {"msc", "mesenchym", "stem", "allogen"} <= uc
    assert "umbil" not in v.sentence_tokens("mesenchymal stem cells")  # an MSC need not come from a cord
    assert "allogen" not in v.sentence_tokens("bone marrow mesenchymal stem cell")  # BM-MSC may be autologous
    # a placebo is no control group, an IV route is no injection into an artery
    assert "control" not in v.sentence_tokens("conventional plus placebo treatment")
    assert "arteri" not in v.sentence_tokens("infusion by intravenus")


def test_lay_wordings_of_design_and_status_are_rewritten() -> None:
    v = vocabulary()
    assert v.rewrite("Is any study open to new patients?") == "Is any study currently recruiting?"
    assert v.rewrite("studies where nobody is masked") == "studies where open-label"
    assert v.rewrite("trials where patients and doctors are blinded") == "trials where double-blind"
    assert v.rewrite("trials in which all patients receive the same treatment") == "trials in which single group"


@pytest.mark.parametrize(
    ("sentence", "question_words"),
    [
        ("Hepatocellular carcinoma or other malignancies", "liver cancer"),
        ("liver malignant tumor", "HCC"),
        ("liver malignant tumor", "hepatic malignancy"),
        ("Acute-on-chronic liver failure", "ACLF"),
        ("patients with end-stage liver disease", "ESLD"),
        ("Incomplete response to UDCA after 6 months", "ursodiol"),
        ("Primary biliary cirrhosis", "PBC"),
        ("ALT more than 5 times the upper limit", "alanine transaminase"),
        ("ALT more than 5 times the upper limit", "liver enzymes"),
        ("INR>2", "international normalised ratio"),
        ("Child-Pugh score 9-15", "Child Turcotte Pugh"),
        ("Total bilirubin above 3 mg/dl", "TBIL"),
        ("Serum AFP above 400", "alpha fetoprotein"),
        ("History of jaundice", "yellow skin"),
        ("Refractory ascites", "fluid in the belly"),
        ("Bone marrow aspiration from the iliac crest", "bone marrow harvest from the hip bone"),
        ("performed under general anesthesia", "general anaesthetic"),
        ("chronic hepatitis B virus infection", "hepatitis B"),
        ("Pregnant or lactating women", "pregnant woman"),
    ],
)
def test_hepatology_terms_cover_their_other_wordings(sentence: str, question_words: str) -> None:
    v = vocabulary()
    q = tokenize(v.rewrite(question_words))
    assert q and set(q) <= set(tokenize(sentence)) | v.sentence_tokens(sentence)


def test_hepatology_terms_do_not_spread_wider() -> None:
    v = vocabulary()
    assert v.rewrite("patients who will be put to sleep") == "patients who will be general anaesthesia"
    assert "hbv" not in v.sentence_tokens("hepatitis C")
    assert v.find("the ALT level") and not v.find("alt text")  # short capitals only as written
    assert "cancer" not in v.sentence_tokens("ALT above 40")  # liver enzymes say liver, not cancer
    assert "chb" not in v.sentence_tokens("hepatitis B")  # chronic hepatitis B is a kind of hepatitis B


def test_severity_proof_and_status_wordings() -> None:
    v = vocabulary()
    # an organ's failure is a severe disease of it; "severe problems" says severe disease
    assert {"sever", "diseas"} <= v.sentence_tokens("Cardiac, renal or respiratory failure")
    assert {"sever", "diseas"} <= v.sentence_tokens("Respiratory failure")
    assert "failur" not in v.sentence_tokens("Severe problems in other vital organs")  # not the other way
    assert {"histolog", "proof"} <= v.sentence_tokens("Liver biopsy showing histological cirrhosis")
    assert v.rewrite("Could I still sign up for a study?") == "Could I currently recruiting for a study?"
    assert {"set", "delivered", "administration", "mentions"} <= v.frames
    # marrow cells say bone marrow however they are abbreviated
    assert {"bm", "bone", "marrow"} <= v.sentence_tokens("BMSC transplantation")


def test_treatment_that_did_not_work() -> None:
    v = vocabulary()
    assert v.rewrite("patients whose therapy did not work") == "patients whose therapy refractory"
    assert v.rewrite("people who failed antiviral drugs") == "people refractory antiviral drugs"
    for line in ("Incomplete response to UDCA after 6 months", "there was no relief of symptoms", "Refractory ascites"):
        assert "refractori" in v.sentence_tokens(line)
    assert "failur" not in v.sentence_tokens("Refractory ascites")  # not refractory = liver failure
    assert "refractori" not in v.sentence_tokens("patients who did not work night shifts")  # lay: questions only


def test_schedules_and_care_wordings() -> None:
    v = vocabulary()
    # "once in 4 weeks" says every 4 weeks and 4 weeks apart; a bare "every" says no interval between doses
    assert {"apart", "everi"} <= v.sentence_tokens("Three times of MSC infusion (once in 4 weeks)")
    assert "apart" not in v.sentence_tokens("patients are followed up every week")
    assert {"convent", "standard", "care"} <= v.sentence_tokens("After strict medical conservative treatment")
    assert v.rewrite("how often do they see patients") == "how often do they follow-up"


def test_narrower_kinds_and_clots() -> None:
    v = vocabulary()
    assert v.narrower_tokens("malignancies") == {"carcinoma"}
    assert v.narrower_tokens("stem cells") >= {"msc", "mesenchym", "hsc", "mononuclear"}
    assert "umbil" not in v.narrower_tokens("stem cells")  # one step only: not the kinds of MSCs
    assert v.narrower_tokens("carcinoma") == set()
    assert {"blood", "clot"} <= v.sentence_tokens("Active thrombosis of the portal or hepatic veins")


def test_a_longer_term_keeps_what_its_shorter_part_says() -> None:
    v = vocabulary()
    # "Acute on Chronic Hepatic Failure" is matched whole, and still says liver failure
    assert {"insuffici", "liver"} <= v.sentence_tokens("Acute on Chronic Hepatic Failure")
    assert "bm" in v.sentence_tokens("Bone marrow aspiration under local anaesthesia")
    assert "bleed" in v.sentence_tokens("history of variceal haemorrhage")
    assert "hbv" in v.sentence_tokens("HBsAg positive")
    # "into the liver's artery" is the hepatic artery, not a route into the liver
    assert v.rewrite("cells put into the liver's artery") == "cells put into the hepatic artery"


@pytest.mark.parametrize(
    ("sentence", "question_words"),
    [
        ("Sepsis", "blood infection"),
        ("No serious bleeding tendency or active bleeding", "coagulopathy"),
        ("Clinically significant upper gastrointestinal bleeding events", "GI bleeding"),
        ("history of variceal haemorrhage", "upper GI bleed"),
        ("Spontaneous peritonitis", "SBP"),
        ("Cardiac, renal or respiratory failure", "lung failure"),
        ("Coinfection with HIV or other viral hepatitis.", "virus hepatitis"),
        ("HIV, HBV or HCV infection", "viral hepatitis"),
        ("HBV-DNA", "hepatitis B viral load"),
        ("Ishak Fibrosis Score", "liver fibrosis"),
        ("portal vein width", "portal vein diameter"),
        ("Number of Participants with abnormal coagulation function", "clotting function"),
        ("Use of human serum albumin within 3 weeks", "albumin infusion"),
        ("Presence of significant extrahepatic biliary disease (e.g. CBD stone, PSC, etc.)", "bile duct stones"),
        ("Negative pregnancy test (female patients in fertile age)", "childbearing potential"),
        ("Negative pregnancy test (female patients in fertile age)", "pregnant"),
        ("Alkaline phosphatase between 2 X to 3X normal value", "ALP"),
        ("received i.v. transfusion of 0.5-1.0×106 cells/kg", "infusion"),
        ("Active Comparator group", "active control"),
        ("Drug: Conventional plus pacebo treatment", "fake treatment"),
        ("BMC transplantation has been performed", "bone marrow cells"),
        ("massive necrosis of liver cells", "hepatocytes"),
        ("Incomplete response to UDCA", "ursodiol"),
        ("Phase 2", "phase II"),
        ("Anticipated with difficulty of follow-up observation", "LTFU"),
        ("Anticipated with difficulty of follow-up observation", "loss to follow up"),
        ("Overall survival (OS)", "live longer"),
        ("Drug abuse or alcohol abuse", "alcohol problems"),
        ("Cirrhosis caused by other causes such as alcoholic hepatitis", "problems with alcohol"),
        ("Number of Participants with abnormal coagulation function", "bad clotting numbers"),
        ("Incomplete response to UDCA after 6 months of treatment.", "medical treatment has failed"),
        ("enriched CD133+ hematopoietic stem cell transplantation", "cell therapy"),  # a transplant of cells
        ("Severe problems in other vital organs(e.g.the heart,renal or lungs)", "extrahepatic organ dysfunction"),
        ("Cardiac, renal or respiratory failure", "extrahepatic organ failure"),  # respiratory failure is one
        ("i.v. transfusion of 0.5-1.0×106 cells/kg of MSCs", "kilogram of body weight"),  # kg weighs the body
        ("After strict medical conservative treatment for 6 months, there was no relief", "failed medical tx"),
    ],
)
def test_the_seed_pages_concepts_cover_other_wordings(sentence: str, question_words: str) -> None:
    v = vocabulary()
    q = tokenize(v.rewrite(question_words))
    assert q and set(q) <= set(tokenize(sentence)) | v.sentence_tokens(sentence)


def test_the_seed_page_sweep_does_not_spread_wider() -> None:
    v = vocabulary()
    # a bleeding tendency is no bleeding, clotting is no clot (thrombosis)
    assert "haemorrhag" not in v.sentence_tokens("No serious bleeding tendency")
    assert "thrombosi" not in v.sentence_tokens("abnormal coagulation function") | v.sentence_tokens("clotting tests")
    # an exclusion of ascites does not exclude its infection, nor an exclusion of infections SBP
    assert "periton" not in v.narrower_tokens("Refractory ascites")
    assert "periton" not in v.narrower_tokens("Severe bacteria infection")
    # a liver failure is no organ failure of the exclusion "Cardiac, renal or respiratory failure"
    assert "liver" not in v.narrower_tokens("Cardiac, renal or respiratory failure")
    # lay wordings rewrite questions only, and "over 65" is an age, not a finished trial
    assert v.rewrite("Which trials are finished?") == "Which trials are completed?"
    assert v.rewrite("patients who are over 65") == "patients who are over 65"
    assert "intraven" not in v.sentence_tokens("given through a drip")
    assert "efficaci" not in v.sentence_tokens("the treatment did not work")


def test_a_longer_term_says_what_its_head_says() -> None:
    v = vocabulary()
    assert "cirrhot" in v.sentence_tokens("HBV-related liver cirrhosis")  # liver cirrhosis is cirrhosis
    assert "haemorrhag" not in v.sentence_tokens("bleeding tendency")  # the head is the tendency


def test_verbs_of_keeping_track_and_checking_frame() -> None:
    v = vocabulary()
    assert " ".join(v.drop_frames(v.rewrite("which trials keep track of survival afterwards")).split()) == (
        "which trials survival"
    )
    assert " ".join(v.drop_frames("which study checks HBV DNA to see whether it falls").split()) == (
        "which study HBV DNA to it falls"
    )


def test_small_abbreviations_do_not_match_in_capitals() -> None:
    v = vocabulary()
    # chart shorthand in small letters: "pt" is a patient, "PT" prothrombin time
    assert v.rewrite("pt is encephalopathic") == "patients is encephalopathic"
    assert v.rewrite("Pt had a bleed") == "patients had a bleed"
    assert v.rewrite("INR or PT cutoffs") == "INR or PT cutoffs"
    assert "patient" not in v.sentence_tokens("PT prolongation is greater than 3 seconds")
    assert "prothrombin" in v.sentence_tokens("PT prolongation is greater than 3 seconds")
    assert {m.term.text for m in v.find("liver bx")} == {"liver", "bx"} and v.find("BX") == []
    assert "bx" in v.sentence_tokens("Liver biopsy showing histological Cirrhosis")
    assert "infxn" in v.sentence_tokens("Severe bacteria infection")
    assert "lt" in v.sentence_tokens("Not suitable for liver transplantation")


def test_a_small_abbreviation_keeps_its_group_apart_from_the_capitals() -> None:
    v = Vocabulary.parse("abbr\tPT\tprothrombin time\nlay\tpatients\tpt\nabbr\tpts\tpatients\n")
    groups = {m.term.text: m.term.group for m in v.find("PT pt pts prothrombin time patients")}
    assert groups["PT"] == groups["prothrombin time"] != groups["pt"] == groups["pts"] == groups["patients"]


def test_treatment_that_did_not_help_in_lay_words() -> None:
    v = vocabulary()
    assert v.rewrite("tried it for six months without it helping") == "tried it for six months refractory"
    assert v.rewrite("people who did not respond well enough to UDCA") == "people who refractory to UDCA"
    assert {"ordinari", "standard"} <= v.sentence_tokens("After strict medical conservative treatment")
    assert {"bile", "acid"} <= v.sentence_tokens("Incomplete response to UDCA after 6 months of treatment.")
    assert v.rewrite("the liver can no longer cope") == "the decompensated"
    assert {"rn", "anything", "refer", "tried", "already", "want"} <= v.frames
    assert v.rewrite("anything enrolling rn") == "anything currently recruiting"


def test_what_dictation_writes_for_words_of_the_field() -> None:
    v = vocabulary()
    assert v.rewrite("stem sells from the umbilical chord") == "stem cells from the umbilical cord"
    assert v.rewrite("cirrhosis from hepatitis bee") == "cirrhosis from hepatitis B virus"
    assert v.rewrite("the child pew score") == "the Child-Turcotte-Pugh"
    assert v.rewrite("sclerosis of the liver") == "cirrhosis"
    assert v.rewrite("a million cells per kilo") == "a million cells kilogram"
    assert {"plan", "decide", "slash"} <= v.frames


def test_a_story_of_confusion_is_encephalopathy_and_a_leaning_population_a_frame() -> None:
    v = vocabulary()
    assert v.rewrite("he gets confused and foggy") == "he gets encephalopathy"
    assert "confus" not in v.term_tokens  # "confused" alone says nothing the records say
    assert {"skew", "skews", "mostly"} <= v.frames


def test_donor_sourced_cells_and_an_ordinary_vein() -> None:
    v = vocabulary()
    assert "allogen" in v.query_tokens("donor-sourced")  # a term of the allogeneic line
    assert v.rewrite("an infusion into an ordinary vein") == "an infusion into an intravenous"


def test_a_pill_is_a_placebo_only_in_a_question() -> None:
    v = vocabulary()
    assert v.rewrite("a sugar pill for the controls") == "a placebo for the controls"
    assert "pill" not in v.sentence_tokens("Conventional plus placebo treatment")  # a record's placebo is no pill


def test_a_patients_words_for_a_vessel_or_contraception_are_not_read_into_records() -> None:
    v = vocabulary()
    assert v.rewrite("the artery that feeds the liver") == "the hepatic artery"
    assert v.rewrite("a vein in the arm") == "intravenous"  # the longest lay term: "a vein in the arm"
    assert v.rewrite("no birth control") == "no contraception"
    assert not {"blood", "arm", "control"} & v.sentence_tokens(
        "transplantation via hepatic artery; via peripheral vein; effective contraception"
    )


def test_udca_is_standard_treatment_but_not_the_other_way_round() -> None:
    v = vocabulary()
    assert "standard" in v.sentence_tokens("Incomplete response to UDCA after 6 months of treatment.")
    assert "udca" not in v.sentence_tokens("After strict medical conservative treatment for more than 6 months")
