"""Classic ClinicalTrials.gov XML (``<clinical_study>``, the public.xsd schema).

Sections are located by element path (``/clinical_study/arm_group[2]/description``, with a
1-based position only where same-named siblings repeat) and offsets into the element's
unstripped ``text`` as ElementTree gives it. Documents declaring entities are refused.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from index.corpus.readers.ctgov.record import Found
from index.corpus.readers.ctgov.trial import build_trial
from index.corpus.readers.locate import load_xml, xml_step
from index.errors import CorpusError
from index.model import Trial

FORMAT = "ctgov-xml"

El = tuple[ET.Element, str]  # an element and its path

# Paths relative to <clinical_study>; "a|b" reads a, or b when a is absent (for lists: both).
LAYOUT: dict[str, str] = {
    "nct_id": "id_info/nct_id",
    "aliases": "id_info/nct_alias",
    "acronym": "acronym",
    "org_study_id": "id_info/org_study_id",
    "brief_title": "brief_title",
    "official_title": "official_title",
    "summary": "brief_summary/textblock",
    "description": "detailed_description/textblock",
    "conditions": "condition",
    "keywords": "keyword",
    "interventions": "intervention",
    "iv_type": "intervention_type",
    "iv_name": "intervention_name",
    "iv_description": "description",
    "iv_other_names": "other_name",
    "arms": "arm_group",
    "arm_label": "arm_group_label",
    "arm_description": "description",
    "criteria": "eligibility/criteria/textblock",
    "study_population": "eligibility/study_pop/textblock",
    "sex": "eligibility/gender",
    "min_age": "eligibility/minimum_age",
    "max_age": "eligibility/maximum_age",
    "study_type": "study_type",
    "study_design": "study_design",
    "allocation": "study_design_info/allocation",
    "model": "study_design_info/intervention_model",
    "model_description": "study_design_info/intervention_model_description",
    "purpose": "study_design_info/primary_purpose",
    "masking": "study_design_info/masking",
    "masking_description": "study_design_info/masking_description",
    "observational_model": "study_design_info/observational_model",
    "time_perspective": "study_design_info/time_perspective",
    **{f"{kind}_outcomes": f"{kind}_outcome" for kind in ("primary", "secondary", "other")},
    **{
        f"{kind}_{field}": field
        for kind in ("primary", "secondary", "other")
        for field in ("measure", "description", "time_frame")
    },
    "enrollment": "enrollment",
    "status": "overall_status",
    "last_known_status": "last_known_status",
    "why_stopped": "why_stopped",
    "phases": "phase",
    "sponsor": "sponsors/lead_sponsor/agency",
    "collaborators": "sponsors/collaborator",
    "collaborator_name": "agency",
    "locations": "location",
    "facility": "facility/name",
    "city": "facility/address/city",
    "state": "facility/address/state",
    "country": "facility/address/country",
    "officials": "overall_official",
    "official_name": "last_name",
    "official_affiliation": "affiliation",
    "central_contacts": "overall_contact|overall_contact_backup",
    "central_contact_name": "last_name",
    "start_date": "start_date",
    "primary_completion_date": "primary_completion_date",
    "completion_date": "completion_date",
    "first_posted": "study_first_posted|firstreceived_date",
    "last_update": "last_update_posted|lastchanged_date",
    "references": "reference|results_reference",
    "citation": "citation",
    "condition_mesh": "condition_browse/mesh_term",  # classic XML gives no ancestors
    "intervention_mesh": "intervention_browse/mesh_term",
}


def sniff(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<") and "<clinical_study" in text


def parse(text: str, source: str) -> list[Trial]:
    root = load_xml(text, source)
    if root.tag != "clinical_study":
        raise CorpusError(source, f"root element is <{root.tag}>, not <clinical_study>")
    return [build_trial(_Xml(root), LAYOUT, source, FORMAT, single=True)]


def children(node: El, tag: str) -> list[El]:
    """The ``tag`` children of an element, each with its path."""
    elem, path = node
    same = [child for child in elem if child.tag == tag]
    return [(c, f"{path}/{xml_step(tag, i, len(same))}") for i, c in enumerate(same, 1)]


class _Xml:
    """Reads a <clinical_study> tree through slash-separated relative paths."""

    def __init__(self, root: ET.Element) -> None:
        self.root: El = (root, "/" + root.tag)

    def items(self, path: str, base: El | None = None) -> list[El]:
        out: list[El] = []
        for alternative in path.split("|"):
            nodes = [base or self.root]
            for tag in alternative.split("/"):
                nodes = [kid for node in nodes for kid in children(node, tag)]
            out.extend(nodes)
        return out

    def node(self, path: str, base: El | None = None) -> El | None:
        found = self.items(path, base)
        return found[0] if found else None

    def texts(self, path: str, base: El | None = None) -> list[Found]:
        return [(e.text, p) for e, p in self.items(path, base) if e.text is not None]

    def text(self, path: str, base: El | None = None) -> Found | None:
        for alternative in path.split("|"):
            found = self.node(alternative, base)
            if found is not None:
                return (found[0].text, found[1]) if found[0].text is not None else None
        return None
