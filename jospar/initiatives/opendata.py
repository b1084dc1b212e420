"""The open-data export of all regional social projects (the initiatives selected, being
implemented and implemented) as CSV, JSON and GeoJSON, under CC BY 4.0.

No personal data of private people: a citizen author is "a citizen", never a name; private
patrons and volunteers are counted, never named; NGOs, companies and state bodies are named;
the text of the problem is the masked public copy (e-mails, IINs and phones removed)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from jospar.civic.privacy import mask_personal_data
from jospar.initiatives.models import (
    AuthorKind,
    Initiative,
    InitiativeState,
    NeedKind,
    Pledge,
    PledgeState,
)

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
EXPORT_STATES = (
    InitiativeState.SELECTED,
    InitiativeState.IMPLEMENTING,
    InitiativeState.IMPLEMENTED,
)
FIELDS = (
    "id",
    "url",
    "title",
    "problem",
    "type",
    "direction",
    "state",
    "region_code",
    "region",
    "latitude",
    "longitude",
    "proposed_by",
    "ngo",
    "beneficiaries",
    "beneficiaries_count",
    "budget_kzt",
    "decided_by",
    "decision_date",
    "money_needed_kzt",
    "money_pledged_kzt",
    "volunteer_hours_needed",
    "volunteer_hours_pledged",
    "contributing_organisations",
    "private_contributors",
    "beneficiaries_reached",
    "money_given_kzt",
    "volunteer_hours_given",
    "rating",
    "ratings",
)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def rows(base_url: str = "") -> list[dict[str, Any]]:
    initiatives = list(
        Initiative.objects.filter(state__in=EXPORT_STATES)
        .select_related("region", "organisation")
        .order_by("pk")
    )
    ids = [i.pk for i in initiatives]
    needed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    pledged: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    from jospar.initiatives.models import Need

    for row in (
        Need.objects.filter(initiative_id__in=ids)
        .values("initiative_id", "kind")
        .annotate(total=Sum("quantity"))
    ):
        needed[(row["initiative_id"], row["kind"])] = Decimal(row["total"] or 0)
    organisations: dict[int, set[str]] = defaultdict(set)
    private: dict[int, set[int]] = defaultdict(set)
    for pledge in Pledge.objects.filter(
        initiative_id__in=ids, state=PledgeState.PLEDGED
    ).select_related("need", "organisation"):
        pledged[(pledge.initiative_id, pledge.need.kind)] += pledge.quantity
        if pledge.organisation is not None:
            organisations[pledge.initiative_id].add(
                pledge.organisation.name_ru or str(pledge.organisation)
            )
        else:
            private[pledge.initiative_id].add(pledge.user_id)
    out = []
    for item in initiatives:
        out.append(
            {
                "id": item.pk,
                "url": f"{base_url}/initiatives/{item.pk}/",
                "title": mask_personal_data(item.title),
                "problem": mask_personal_data(item.problem),
                "type": item.kind,
                "direction": item.direction,
                "state": item.state,
                "region_code": item.region.code,
                "region": item.region.name_ru,
                "latitude": item.latitude,
                "longitude": item.longitude,
                "proposed_by": item.author_kind,
                "ngo": (
                    str(item.organisation)
                    if item.author_kind == AuthorKind.NGO and item.organisation
                    else ""
                ),
                "beneficiaries": mask_personal_data(item.beneficiaries),
                "beneficiaries_count": item.beneficiaries_count,
                "budget_kzt": _number(item.budget),
                "decided_by": item.decision_body,
                "decision_date": item.decision_date.isoformat() if item.decision_date else "",
                "money_needed_kzt": _number(needed[(item.pk, NeedKind.MONEY)]),
                "money_pledged_kzt": _number(pledged[(item.pk, NeedKind.MONEY)]),
                "volunteer_hours_needed": _number(needed[(item.pk, NeedKind.VOLUNTEERS)]),
                "volunteer_hours_pledged": _number(pledged[(item.pk, NeedKind.VOLUNTEERS)]),
                "contributing_organisations": "; ".join(sorted(organisations[item.pk])),
                "private_contributors": len(private[item.pk]),
                "beneficiaries_reached": item.beneficiaries_reached
                if item.beneficiaries_reached is not None
                else "",
                "money_given_kzt": _number(item.money_given),
                "volunteer_hours_given": _number(item.hours_given)
                if item.state == InitiativeState.IMPLEMENTED
                else "",
                "rating": round(item.rating, 2) if item.rating is not None else "",
                "ratings": item.rating_count,
            }
        )
    return out


def as_csv(data: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in data:
        writer.writerow(row)
    return out.getvalue()


def _meta() -> dict[str, Any]:
    return {
        "title": "Civic initiatives of Kazakhstan's regions (jospar)",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "personal_data": "none: private people are neither named nor identifiable",
    }


def as_json(data: list[dict[str, Any]]) -> str:
    return json.dumps({**_meta(), "initiatives": data}, ensure_ascii=False, indent=1)


def as_geojson(data: list[dict[str, Any]]) -> str:
    features = [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in data
    ]
    return json.dumps(
        {"type": "FeatureCollection", **_meta(), "features": features}, ensure_ascii=False
    )
