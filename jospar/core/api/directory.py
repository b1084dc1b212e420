"""REST API of the directory: organisations and regions (read-only, for signed-in users).

The directory lists state bodies and regions, not private data: every signed-in user may read
it, as on the directory pages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from jospar.core.edge import id_or_404, text_or_empty
from jospar.core.edge_api import IdRouter
from jospar.core.models import Organisation, Region
from jospar.core.selectors import directory as selectors


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Every refusal of the API: ``{code, message, fields}``."""

    code = serializers.CharField()
    message = serializers.CharField()
    # Declared fields are taken off the class, so this does not hide Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


ERRORS: dict[int, Any] = {
    403: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    404: OpenApiResponse(ErrorSerializer, description="No such object"),
}


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    abbr = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "abbr",
            "name_kk",
            "name_ru",
            "name_en",
            "abbr_kk",
            "abbr_ru",
            "parent",
            "region",
            "valid_from",
            "valid_to",
        ]


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONField(serializers.JSONField):
    """A GeoJSON geometry (Polygon or MultiPolygon, WGS 84)."""


class RegionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    akimat = serializers.SerializerMethodField()
    bbox = serializers.ListField(child=serializers.FloatField(), read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "valid_from",
            "valid_to",
            "akimat",
            "bbox",
        ]

    def get_akimat(self, region: Region) -> int | None:
        akimat = getattr(region, "akimat", None)
        return akimat.pk if akimat is not None else None


class RegionGeometrySerializer(RegionSerializer):
    boundary = GeoJSONField(read_only=True, allow_null=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


class RegionDocSerializer(RegionSerializer):
    """What the schema declares for a region: ``boundary`` is there only with ``geometry``."""

    boundary = GeoJSONField(required=False, allow_null=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


def _organisation(organisation_id: int) -> Organisation:
    organisation = selectors.organisation_list().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


@extend_schema_view(
    list=extend_schema(
        summary="Organisations of the directory",
        parameters=[
            OpenApiParameter("q", str, description="search in names and abbreviations"),
            OpenApiParameter("kind", str, description="the organisation's kind"),
        ],
        responses={200: OrganisationSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One organisation", responses={200: OrganisationSerializer, **ERRORS}
    ),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.organisation_list(
            search=text_or_empty(params.get("q"), max_length=100), kind=params.get("kind", "")
        ).order_by("id")

    def get_object(self) -> Organisation:
        return _organisation(id_or_404(self.kwargs["pk"]))


_GEOMETRY = OpenApiParameter(
    "geometry", OpenApiTypes.BOOL, description="include each region's boundary (GeoJSON)"
)


@extend_schema_view(
    list=extend_schema(
        summary="Regions (oblasts and cities of republican significance), past and present",
        parameters=[_GEOMETRY],
        responses={200: RegionDocSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One region",
        parameters=[_GEOMETRY],
        responses={200: RegionDocSerializer, **ERRORS},
    ),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Region.objects.none()

    def _geometry(self) -> bool:
        return self.request.query_params.get("geometry") in ("1", "true")

    def get_serializer_class(self) -> Any:
        return RegionGeometrySerializer if self._geometry() else RegionSerializer

    def get_queryset(self) -> Any:
        regions = Region.objects.select_related("akimat").order_by("name_en", "id")
        # A boundary is tens of kilobytes: read only when asked for.
        return regions.with_boundary() if self._geometry() else regions

    def get_object(self) -> Region:
        region: Region | None = self.get_queryset().filter(pk=id_or_404(self.kwargs["pk"])).first()
        if region is None:
            raise Http404
        return region


router = IdRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("regions", RegionViewSet, basename="region")

urlpatterns = router.urls
