"""The ClinicalTrials.gov record shared by the three ClinicalTrials.gov readers.

API v2/v1 JSON (`ctgov_v2`), classic XML (`ctgov_xml`) and study-fields JSON
(`studyfields`) each give an `Accessor` over their own document and a layout of their own
paths; `trial.build_trial` reads any of them through `record.RecordView` into the same
sections (`sections`), headings and facts, so the three formats give the same trial.
"""
