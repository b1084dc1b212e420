"""The directory as the plan importer sees it: what a glossary entry names, and the record a
printed executor stands for.

The state-changing functions live in :mod:`jospar.core.services` (one transaction, one audit
row each); they are gathered here with the naming rules they rest on.
"""

from jospar.core.naming import classify_body_name, legal_form_kind, match_key
from jospar.core.services.merging import organisation_merge, organisations_pair_languages
from jospar.core.services.organisations import glossary_register, organisation_for_executor
from jospar.core.services.succession import succession_record

__all__ = [
    "classify_body_name",
    "glossary_register",
    "legal_form_kind",
    "match_key",
    "organisation_for_executor",
    "organisation_merge",
    "organisations_pair_languages",
    "succession_record",
]
