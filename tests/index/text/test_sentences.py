"""Sentence and bullet spans over the seed text: exact offsets, abbreviations and list markers."""

from __future__ import annotations

from pathlib import Path

from index.text.sentences import spans, strip_bullet
from tests.conftest import CORPUS


def seed(name: str) -> str:
    return Path(CORPUS / name).read_text(encoding="utf-8")


def test_sentences_of_a_seed_paragraph() -> None:
    text = seed("000_178c2bec843b439b.txt")
    start = text.index("HBV related Liver disease")
    end = text.index("However, lack of donors")
    got = spans(text, start, end)
    assert got == [(511, 574), (575, 732), (734, 842)]
    assert [text[s:e] for s, e in got] == [
        "HBV related Liver disease is a common medical problem in China.",
        "An estimated 7.18% of the Chinese (about 93 million) is infected with hepatitis B, and most of "
        "the HBV- related hepatitis can developed into liver cirrhosis.",
        "Liver transplantation is the only available life saving treatment for patients with end stage liver disease.",
    ]


def test_bullets_are_one_span_each_and_e_g_does_not_end_one() -> None:
    text = seed("002_6f1ee988a8bff1ef.txt")
    start = text.index("Exclusion criteria")
    end = text.index("INR>2") + len("INR>2")
    got = spans(text, start, end)
    assert got[:4] == [(2177, 2195), (2199, 2242), (2245, 2265), (2268, 2446)]
    assert len(got) == 11
    assert text[got[3][0] : got[3][1]].startswith("• Evidences of active autoimmune liver disease (e.g. gamma")
    assert text[got[6][0] : got[6][1]] == (
        "• Presence of significant extrahepatic biliary disease (e.g. CBD stone, PSC, etc.)"
    )
    assert got[-1] == (2721, 2728)
    # the bullet's marker is stripped: the item text starts two characters in
    assert [text[strip_bullet(text, s, e) : e] for s, e in got[1:3]] == [
        "Presence of active hepatic encephalopathy",
        "Refractory ascites",
    ]
    assert strip_bullet(text, *got[0]) == got[0][0]  # a heading has no marker


def test_abbreviations_and_list_numbers_do_not_end_a_sentence() -> None:
    assert spans("Dose is 5 mg i.v. Twice daily. See Fig. 2 for details.") == [(0, 30), (31, 54)]
    assert spans("1. First item. Second one\n  \n") == [(0, 14), (15, 25)]
    assert strip_bullet("1. First item", 0, 13) == 3
    assert spans("   \n\n") == []
