"""State changes of the directory, users and roles: each one transaction with its audit row."""

from jospar.core.services.access import role_grant, role_revoke, user_password_set, user_save
from jospar.core.services.merging import organisation_merge, organisations_pair_languages
from jospar.core.services.organisations import (
    glossary_register,
    organisation_create,
    organisation_for_executor,
    organisation_head_set,
    organisation_update,
)
from jospar.core.services.regions import RegionLoadResult, region_update, regions_load
from jospar.core.services.succession import succession_record, succession_remove

__all__ = [
    "RegionLoadResult",
    "glossary_register",
    "organisation_create",
    "organisation_for_executor",
    "organisation_head_set",
    "organisation_merge",
    "organisation_update",
    "organisations_pair_languages",
    "region_update",
    "regions_load",
    "role_grant",
    "role_revoke",
    "succession_record",
    "succession_remove",
    "user_password_set",
    "user_save",
]
