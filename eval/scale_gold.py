"""Write eval/scale_questions.jsonl and the scale conversations of eval/conversations.jsonl.

Gold sets come from the study-fields records (../shared/data/ctgov-msc-studyfields) by rules over
their fields (MeSH condition terms and ancestors, locations, status, design, ages, and for
routes a pattern over the intervention/arm/summary text), plus the five seed pages
(corpus/) added by reading them. Every rule's result was read (titles, conditions and the
matching sentence of each trial) and the corrections found by reading are written out below
as explicit additions and removals, each with its reason. Trials a careful reader could not
call either way are in `unsure`: they are neither gold nor forbidden and do not count in
precision.

    python3 eval/scale_gold.py [STUDYFIELDS_DIR]

Re-running it gives the same files (sorted, no randomness). It only writes data; it decides
nothing for trialqa.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent.parent / "shared/data/ctgov-msc-studyfields")
if not DATA.is_dir():
    DATA = Path("/work/shared/data/ctgov-msc-studyfields")

# The seed pages (corpus/), read by hand: A Air Force (hepatic artery, cirrhosis, no location),
# B Xijing (peripheral vein, cirrhosis, no location), C Royan (portal vein, cirrhosis, completed,
# no location), D Haikou (intravenous UC-MSC, cirrhosis, recruiting, Haikou China),
# E Beijing 302. B, D and E are also study-fields records (an index keeps one record per NCT ID),
# so their status and locations are also those fields; A and C are only seed pages.
SEED_A, SEED_B, SEED_C, SEED_D, SEED_E = (
    "NCT01724697",
    "NCT03209986",
    "NCT00713934",
    "NCT05106972",
    "NCT01218464",
)

R: dict[str, dict] = {}
for f in sorted(DATA.glob("*.json")):
    d = json.loads(f.read_text(encoding="utf-8"))
    R.setdefault(d["NCTId"][0], d)

TEXT_FIELDS = [
    "InterventionName",
    "InterventionDescription",
    "ArmGroupDescription",
    "ArmGroupInterventionName",
    "InterventionOtherName",
    "BriefTitle",
    "OfficialTitle",
    "BriefSummary",
    "DetailedDescription",
]


def text(d: dict, fields: list[str]) -> str:
    return "\n".join(x for f in fields for x in d.get(f, []))


def mesh(*terms: str) -> set[str]:
    """Trials whose condition MeSH terms or their ancestors include a term (the registry's search)."""
    return {n for n, d in R.items() if set(terms) & (set(d["ConditionMeshTerm"]) | set(d["ConditionAncestorTerm"]))}


def cond(pattern: str) -> set[str]:
    return {n for n, d in R.items() if re.search(pattern, " | ".join(d["Condition"]), re.I)}


def route(pattern: str) -> set[str]:
    return {n for n, d in R.items() if re.search(pattern, text(d, TEXT_FIELDS), re.I)}


def country(name: str) -> set[str]:
    return {n for n, d in R.items() if name in d["LocationCountry"]}


def no_location() -> set[str]:
    return {n for n, d in R.items() if not d["LocationCountry"]}


def status(*names: str) -> set[str]:
    return {n for n, d in R.items() if d["OverallStatus"] and d["OverallStatus"][0] in names}


def masking(*names: str) -> set[str]:
    return {n for n, d in R.items() if d["DesignMasking"] and d["DesignMasking"][0] in names}


def model(name: str) -> set[str]:
    return {n for n, d in R.items() if d["DesignInterventionModel"] == [name]}


def max_age_years(d: dict) -> float | None:
    if not d["MaximumAge"]:
        return None
    m = re.match(r"(\d+(?:\.\d+)?)\s*(Year|Month|Week|Day|Hour|Minute)s?", d["MaximumAge"][0])
    if not m:
        return None
    per_year = {"Year": 1, "Month": 12, "Week": 52.1775, "Day": 365.25, "Hour": 8766, "Minute": 525960}
    return float(m.group(1)) / per_year[m.group(2)]


def only_excluded(pattern: str, unrelated_to: set[str]) -> set[str]:
    """Trials that name the pattern only after 'Exclusion' in their criteria (and nowhere in
    conditions, titles, summaries or interventions), outside a related set: clear negatives."""
    out = set()
    for n, d in R.items():
        if n in unrelated_to:
            continue
        crit = text(d, ["EligibilityCriteria"])
        cut = re.search(r"exclusion", crit, re.I)
        if not cut or not re.search(pattern, crit[cut.start() :], re.I):
            continue
        if re.search(pattern, crit[: cut.start()], re.I):
            continue
        if re.search(pattern, text(d, [*TEXT_FIELDS, "Condition", "Keyword"]), re.I):
            continue
        out.add(n)
    return out


def first(s: set[str], k: int = 8) -> list[str]:
    return sorted(s)[:k]


# --- the sets, each checked by reading ------------------------------------------------------

# Hepatic artery: the pattern finds 19 study-fields records; all 19 were read and each gives
# cells through the (proper / right / intrahepatic) hepatic artery, NCT01221454 and NCT01223664
# "via portal vein or hepatic artery", NCT01378182 and NCT02705742 half into the hepatic artery.
HEPATIC_ARTERY = route(r"hepatic arter") | {SEED_A}
# Liver trials that use another route: clear negatives.
PORTAL_ONLY = {"NCT00993941", "NCT02943889", "NCT00420134", "NCT01454336", SEED_C}

# Portal vein: read all 13 pattern hits. NCT01378182's title names the portal vein but its
# intervention gives cells by peripheral vein and hepatic artery; NCT01962233 (neonatal
# encephalopathy) says "via portal vein infusion method" in one sentence only: both unsure.
PORTAL_VEIN = (route(r"portal vein|intraportal|portal venous") | {SEED_C}) - {"NCT01378182", "NCT01962233"}
PORTAL_UNSURE = {"NCT01378182", "NCT01962233"}

# Intracoronary: 20 hits, all read; each gives cells into a coronary artery in at least one arm
# (NCT00790764 compares intracoronary with transendocardial, NCT01270139 has an intracoronary
# stem-cell arm).
INTRACORONARY = route(r"intra-?coronary")

# Inhalation: the 6 that give MSC exosomes by aerosol inhalation / nebuliser; the other pattern
# hits mention inhaled dust, inhaled steroids or "nebulized interferon" as background.
INHALED = {"NCT04276987", "NCT04313647", "NCT04491240", "NCT04544215", "NCT04602104", "NCT04602442"}
INHALED_NEGATIVE = {"NCT02668068", "NCT04444271", "NCT04492501", "NCT03686449", "NCT05035862"}

# Menstrual blood: three trials give menstrual-blood-derived cells; NCT05019287 gives their
# secretome (not the cells): unsure.
MENSTRUAL = {"NCT01483248", "NCT01496339", "NCT01558908"}
MENSTRUAL_UNSURE = {"NCT05019287"}

# Conditions as concepts (MeSH term or ancestor), corrected by reading the condition strings.
CIRRHOSIS = (mesh("Liver Cirrhosis") | cond(r"cirrho")) - {"NCT03460223"}  # 'Renal Cirrhosis'
# Titles that say cirrhosis where the condition strings do not (read): Wilson cirrhosis, cirrhosis
# with refractory ascites, cirrhotic patients (BMSC therapy; ACLF), decompensated HBV cirrhosis.
CIRRHOSIS |= {"NCT01378182", "NCT01854125", "NCT02327832", "NCT02857010", "NCT03826433"}
CIRRHOSIS |= {"NCT05442437"}  # condition 'HBV'; summary: decompensated liver cirrhosis with HBV
CIRRHOSIS |= {SEED_A, SEED_B, SEED_C, SEED_D}
# A pneumoconiosis record whose inclusion criteria ask for "evidence of liver cirrhosis": unsure.
CIRRHOSIS_UNSURE = {"NCT02790762"}
LIVER_FAILURE = mesh("Liver Failure", "Hepatic Insufficiency") | cond(r"liver failure|hepatic failure") | {SEED_A}
# (seed A lists End Stage Liver Disease, which MeSH files under Liver Failure, as for NCT01728727;
# NCT01741090's official title: "... for Hepatic Failure Caused by Alcoholic Liver Cirrhosis".)
LIVER_FAILURE |= {"NCT01741090"}
# Kidney: renal fibrosis ('Renal Cirrhosis', no MeSH) is in; Fanconi anaemia (filed under MeSH
# Fanconi Syndrome) is a blood disease, and kidney-transplant records with no kidney MeSH: unsure.
# NCT04835883 treats lupus nephritis (official title) under the condition 'SLE'; four more
# kidney-transplant records name the kidney only in their titles (unsure).
KIDNEY = (mesh("Kidney Diseases") | {"NCT03460223", "NCT04835883"}) - {"NCT03351868"}
KIDNEY_UNSURE = {"NCT03351868", "NCT02387151", "NCT03585855", "NCT04388761", "NCT00734396"}
KIDNEY_UNSURE |= cond(r"kidney|renal") - mesh("Kidney Diseases") - {"NCT03460223"}
MYOCARDIAL_INFARCTION = mesh("Myocardial Infarction") - {"NCT01463475"}
MI_UNSURE = {"NCT01463475"}  # a marrow-donor cell-bank protocol that lists AMI among its uses
CEREBRAL_INFARCTION = cond(r"cerebral|stroke") - mesh("Myocardial Infarction")
ALS = mesh("Amyotrophic Lateral Sclerosis")
LUPUS = mesh("Lupus Erythematosus, Systemic") | {"NCT05018858"}  # condition 'Lupus', no MeSH
STROKE = mesh("Stroke") | cond(r"stroke|cerebral infarction")
# MeSH T1D on a record whose condition is 'Evidence of Liver Transplantation': unsure.
# (NCT03259217, condition 'Stem Cell Transplant', treats diabetic foot ulcers: gold by its MeSH.)
DIABETES_UNSURE = {"NCT01157403"}
DIABETES = (mesh("Diabetes Mellitus") | cond(r"diabet|\bT[12]D\b")) - DIABETES_UNSURE
# Titles of diabetic patients under other conditions (limb ischaemia, erectile dysfunction); a
# knee-osteoarthritis record with a diabetes group (keywords) is unsure; "Nondiabetic" is forbidden.
DIABETES |= {"NCT02287974", "NCT02945462"}
DIABETES_UNSURE |= {"NCT05081921"}
NOT_DIABETES = {"NCT01745744"}
T2D = mesh("Diabetes Mellitus, Type 2") | cond(r"type 2 diabet|type ii diabet|diabetes type ?2|\bT2D|T2DM")
# Read: these require or name type 2 in their title, keywords or inclusion criteria; the unsure
# ones take "type 1 or 2", leave the type open, or list T1D as condition but enrol type 2.
T2D |= {"NCT05507697", "NCT02943486", "NCT04776239", "NCT03267784", "NCT02287974"}
T2D_UNSURE = {"NCT03912480", "NCT05081921", "NCT01257776", "NCT04464213", "NCT02585622"}
# Perianal-fistula records whose official titles say Crohn's; NCT04750499 is "in Patients
# Without Crohn's Disease": forbidden.
CROHN = mesh("Crohn Disease") | cond(r"crohn") | {"NCT05407766", "NCT03014219", "NCT05210309"}
NOT_CROHN = {"NCT04750499"}
COVID = mesh("COVID-19") | cond(r"covid|sars-cov-2")

IRAN = country("Iran, Islamic Republic of")
CHINA = country("China") | {SEED_D}
RUSSIA = country("Russian Federation")
UK = country("United Kingdom")
USA = country("United States")
# Seeds A, B, C and E's page give no location (E's study-fields record says Beijing): a trial
# without locations is unsure for a country, never gold.
NO_LOCATION = no_location() | {SEED_A, SEED_B, SEED_C}

SUSPENDED = status("Suspended")
WITHDRAWN = status("Withdrawn")
TERMINATED = status("Terminated")
COMPLETED = status("Completed") | {SEED_C}
RECRUITING = status("Recruiting") | {SEED_D}
OPEN_LABEL = masking("None (Open Label)") | {SEED_A}
DOUBLE_OR_MORE = masking("Double", "Triple", "Quadruple")
CROSSOVER = model("Crossover Assignment")
# Designs filed as single-group or parallel whose text describes a cross-over (of the control
# arm, or "18 month cross over"): unsure.
CROSSOVER_UNSURE = {"NCT00395200", "NCT03487731", "NCT04444271", "NCT04543994", "NCT04548583", "NCT04744051"}
CHILDREN_ONLY = {n for n, d in R.items() if (a := max_age_years(d)) is not None and a < 18}
NEWBORN_ONLY = {n for n, d in R.items() if (a := max_age_years(d)) is not None and a <= 31 / 365.25}
# Maximum ages of 25-37 "Weeks" are gestational ages of preterm infants: neonatal, unsure.
NEWBORN_UNSURE = {n for n, d in R.items() if d["MaximumAge"] and re.match(r"(2[5-9]|3\d) Weeks", d["MaximumAge"][0])}

EVERYONE = set(R) | {SEED_A, SEED_B, SEED_C, SEED_D}

# --- questions -----------------------------------------------------------------------------


def spec(gold, forbidden=(), unsure=(), min_recall=0.8, min_precision=0.8):
    gold = set(gold)
    return {
        "gold": sorted(gold),
        "forbidden": sorted(set(forbidden) - gold),
        "unsure": sorted(set(unsure) - gold),
        "min_recall": min_recall,
        "min_precision": min_precision,
    }


NEEDS = [
    (
        "scale_hepatic_artery",
        spec(HEPATIC_ARTERY, PORTAL_ONLY),
        [
            ("which trials use the hepatic artery?", "phrasing"),
            ("In which trials do patients receive stem cells through the hepatic artery?", "phrasing"),
            ("Which trials infuse cells into the liver's artery?", "synonym"),
        ],
    ),
    (
        "scale_portal_vein",
        spec(PORTAL_VEIN, HEPATIC_ARTERY - PORTAL_VEIN - PORTAL_UNSURE, PORTAL_UNSURE),
        [
            ("Which trials inject cells into the portal vein?", "phrasing"),
            ("Which trials give cells by intraportal infusion?", "synonym"),
        ],
    ),
    (
        "scale_intracoronary",
        spec(INTRACORONARY),
        [
            ("Which trials deliver cells into the coronary arteries?", "synonym"),
            ("Which trials give stem cells by intracoronary infusion?", "phrasing"),
        ],
    ),
    (
        "scale_inhaled",
        spec(INHALED, INHALED_NEGATIVE),
        [
            ("Which trials give the treatment by inhalation?", "phrasing"),
            ("Which trials use a nebuliser to deliver exosomes?", "synonym"),
        ],
    ),
    (
        "scale_menstrual_blood",
        spec(MENSTRUAL, (), MENSTRUAL_UNSURE, 1.0, 0.75),
        [
            ("Which trials use stem cells from menstrual blood?", "phrasing"),
            ("Which trials use endometrial regenerative cells collected from menses?", "synonym"),
        ],
    ),
    (
        "scale_cirrhosis",
        spec(
            CIRRHOSIS,
            first(only_excluded(r"cirrho", mesh("Liver Diseases") | cond(r"liver|hepat"))),
            CIRRHOSIS_UNSURE,
        ),
        [
            ("Which trials study liver cirrhosis?", "condition_concept"),
            ("Which trials are for people with scarring of the liver?", "condition_concept"),
        ],
    ),
    (
        "scale_liver_failure",
        spec(
            LIVER_FAILURE,
            first(only_excluded(r"liver failure|hepatic failure", mesh("Liver Diseases") | cond(r"liver|hepat"))),
        ),
        [
            ("Which trials treat hepatic insufficiency?", "condition_concept"),
            ("Which trials are for patients whose liver is failing?", "condition_concept"),
        ],
    ),
    (
        "scale_kidney_disease",
        spec(
            KIDNEY,
            first(
                only_excluded(
                    r"kidney disease|renal failure|renal insufficiency",
                    mesh("Kidney Diseases") | cond(r"kidney|renal|nephr"),
                )
            ),
            KIDNEY_UNSURE,
        ),
        [
            ("Which trials study kidney disease?", "condition_concept"),
            ("Which trials treat renal disease?", "condition_concept"),
        ],
    ),
    (
        "scale_heart_attack",
        spec(MYOCARDIAL_INFARCTION, CEREBRAL_INFARCTION, MI_UNSURE),
        [
            ("Which trials treat heart attacks?", "condition_concept"),
            ("Which trials enrol patients after a myocardial infarction?", "condition_concept"),
        ],
    ),
    (
        "scale_als",
        spec(ALS, first(only_excluded(r"amyotrophic|\bALS\b", ALS))),
        [
            ("Which trials study Lou Gehrig's disease?", "condition_concept"),
            ("Which trials treat ALS?", "condition_concept"),
        ],
    ),
    (
        "scale_lupus",
        spec(LUPUS, first(only_excluded(r"\blupus\b|\bSLE\b", LUPUS))),
        [("Which trials treat lupus?", "condition_concept")],
    ),
    (
        "scale_stroke",
        spec(STROKE, MYOCARDIAL_INFARCTION),
        [
            ("Which trials treat stroke?", "condition_concept"),
            ("Which trials are for people who had a brain infarction?", "condition_concept"),
        ],
    ),
    (
        "scale_diabetes",
        spec(
            DIABETES,
            NOT_DIABETES | set(first(only_excluded(r"diabet", DIABETES | mesh("Diabetes Mellitus")))),
            DIABETES_UNSURE,
            0.7,
            0.8,
        ),
        [
            ("Which trials study diabetes?", "condition_concept"),
            ("Which trials are for diabetic patients?", "condition_concept"),
        ],
    ),
    (
        "scale_type2_diabetes",
        spec(T2D, (mesh("Diabetes Mellitus, Type 1") | cond(r"type 1|T1D")) - T2D - T2D_UNSURE, T2D_UNSURE),
        [("Which trials study type 2 diabetes?", "condition_concept"), ("Which trials treat T2DM?", "synonym")],
    ),
    ("scale_crohn", spec(CROHN, NOT_CROHN), [("Which trials treat Crohn's disease?", "condition_concept")]),
    (
        "scale_iran",
        spec(IRAN, first((EVERYONE - IRAN - NO_LOCATION) & CIRRHOSIS), NO_LOCATION, 0.9, 0.9),
        [("Which trials are conducted in Iran?", "phrasing"), ("Which trials have a site in Iran?", "phrasing")],
    ),
    ("scale_russia", spec(RUSSIA, (), NO_LOCATION, 0.9, 0.9), [("Which trials take place in Russia?", "synonym")]),
    (
        "scale_uk",
        spec(UK, (), NO_LOCATION, 0.9, 0.9),
        [("Which trials run in the UK?", "synonym"), ("Which trials have sites in Britain?", "synonym")],
    ),
    (
        "scale_suspended",
        spec(SUSPENDED, (), (), 0.9, 0.9),
        [("Which trials are suspended?", "phrasing"), ("Which trials are on hold?", "synonym")],
    ),
    ("scale_withdrawn", spec(WITHDRAWN, (), (), 0.9, 0.9), [("Which trials were withdrawn?", "phrasing")]),
    (
        "scale_terminated",
        spec(TERMINATED, (), WITHDRAWN | SUSPENDED, 0.9, 0.9),
        [("Which trials were terminated?", "phrasing"), ("Which trials were stopped early?", "synonym")],
    ),
    (
        "scale_crossover",
        spec(CROSSOVER, (), CROSSOVER_UNSURE, 0.9, 0.9),
        [
            ("Which trials use a cross-over design?", "synonym"),
            ("In which trials does each patient get both treatments one after the other?", "synonym"),
        ],
    ),
    (
        "scale_children_only",
        spec(CHILDREN_ONLY, (), (), 0.8, 0.9),
        [
            ("Which trials enrol only children?", "age_logic"),
            ("In which trials are all participants younger than 18?", "age_logic"),
        ],
    ),
    (
        "scale_newborns",
        spec(NEWBORN_ONLY, (), NEWBORN_UNSURE, 0.8, 0.8),
        [
            ("Which trials only take babies younger than one month?", "age_logic"),
            ("Which trials are for newborns in their first weeks of life?", "age_logic"),
        ],
    ),
    (
        "scale_cirrhosis_recruiting",
        spec(CIRRHOSIS & RECRUITING, CIRRHOSIS & (COMPLETED | status("Unknown status")), CIRRHOSIS_UNSURE),
        [
            ("Which liver cirrhosis trials are recruiting?", "condition_concept"),
            ("Which trials for cirrhosis are still enrolling patients?", "condition_concept"),
        ],
    ),
    (
        "scale_hepatic_artery_china",
        spec(HEPATIC_ARTERY & CHINA, HEPATIC_ARTERY - CHINA - NO_LOCATION, NO_LOCATION),
        [("Which trials in China give cells through the hepatic artery?", "phrasing")],
    ),
]

# --- conversations (dev_conversations.jsonl format, "corpus": "scale") ------------------------


def turn(kind_spec: dict, q: str) -> dict:
    return {"kind": "list", "q": q, **kind_spec}


def narrowed(
    after: set[str], before: set[str], outside_hits: set[str], unsure: set[str] = frozenset(), r=0.8, p=0.8
) -> dict:
    """A narrowing turn: gold is the previous gold that matches; forbidden are the previous
    trials that do not and trials outside the previous answer that match the new words only."""
    gold = after & before
    return spec(gold, (before - after - unsure) | set(first(outside_hits - before - unsure, 8)), unsure, r, p)


CONVERSATIONS = [
    (
        "sc01",
        "narrow",
        [
            turn(spec(HEPATIC_ARTERY, PORTAL_ONLY), "which trials use the hepatic artery?"),
            turn(narrowed(CHINA, HEPATIC_ARTERY, CHINA, NO_LOCATION), "which of them are in China?"),
            turn(narrowed(COMPLETED, HEPATIC_ARTERY & CHINA, COMPLETED & CHINA), "only the completed ones"),
        ],
    ),
    (
        "sc02",
        "narrow",
        [
            turn(spec(CIRRHOSIS, (), CIRRHOSIS_UNSURE), "Which trials study liver cirrhosis?"),
            turn(narrowed(RECRUITING, CIRRHOSIS, RECRUITING), "only the recruiting ones"),
        ],
    ),
    (
        "sc03",
        "narrow_then_fresh",
        [
            turn(spec(IRAN, (), NO_LOCATION, 0.9, 0.9), "Which trials are conducted in Iran?"),
            turn(narrowed(OPEN_LABEL, IRAN, OPEN_LABEL, NO_LOCATION), "any of them open-label?"),
            turn(spec(SUSPENDED, (), (), 0.9, 0.9), "Which trials are suspended?"),
        ],
    ),
    (
        "sc04",
        "narrow",
        [
            turn(spec(LUPUS), "Which trials treat lupus?"),
            turn(narrowed(CHINA, LUPUS, CHINA, NO_LOCATION), "and in China?"),
        ],
    ),
    (
        "sc05",
        "narrow",
        [
            turn(spec(INTRACORONARY), "Which trials deliver cells into the coronary arteries?"),
            turn(
                narrowed(MYOCARDIAL_INFARCTION, INTRACORONARY, MYOCARDIAL_INFARCTION, MI_UNSURE),
                "which of those are for heart attack patients?",
            ),
            turn(
                narrowed(DOUBLE_OR_MORE, INTRACORONARY & MYOCARDIAL_INFARCTION, DOUBLE_OR_MORE),
                "which of them are double-blind?",
            ),
        ],
    ),
    (
        "sc06",
        "narrow",
        [
            turn(spec(ALS), "Which trials treat Lou Gehrig's disease?"),
            turn(narrowed(COMPLETED, ALS, COMPLETED), "only the completed ones"),
            turn(narrowed(USA, ALS & COMPLETED, USA, NO_LOCATION), "and in the United States?"),
        ],
    ),
    (
        "sc07",
        "narrow_then_fresh",
        [
            turn(spec(INHALED, INHALED_NEGATIVE), "Which trials give the treatment by inhalation?"),
            turn(narrowed(COVID, INHALED, COVID), "which of those are for COVID-19?"),
            turn(spec(MENSTRUAL, (), MENSTRUAL_UNSURE, 1.0, 0.75), "Which trials use stem cells from menstrual blood?"),
        ],
    ),
]


def main() -> None:
    out = []
    n = 0
    for need, s, wordings in NEEDS:
        for q, typ in wordings:
            n += 1
            out.append({"id": f"x{n:03d}", "corpus": "scale", "kind": "list", "q": q, **s, "need": need, "type": typ})
    (HERE / "scale_questions.jsonl").write_text("".join(json.dumps(d) + "\n" for d in out), encoding="utf-8")

    conv_path = HERE / "conversations.jsonl"
    keep = []
    if conv_path.exists():
        keep = [
            ln
            for ln in conv_path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and json.loads(ln).get("corpus") != "scale"
        ]
    scale = [
        json.dumps({"id": cid, "corpus": "scale", "need": cid, "type": typ, "turns": turns})
        for cid, typ, turns in CONVERSATIONS
    ]
    conv_path.write_text("".join(ln + "\n" for ln in keep + scale), encoding="utf-8")
    for d in out:
        print(d["id"], d["need"], len(d["gold"]), "gold", len(d["forbidden"]), "forbidden", len(d["unsure"]), "unsure")
    for cid, _, turns in CONVERSATIONS:
        print(cid, [len(t["gold"]) for t in turns])


if __name__ == "__main__":
    main()
