"""The open API's views: selector -> serializer -> response. Read-only (GET, HEAD, OPTIONS)."""

from __future__ import annotations

import hashlib
import logging

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ivp.areas.models import AreaLevel
from ivp.indicators.definitions import INDICATORS

from . import selectors
from .problems import problem
from .serializers import (
    ActivitySerializer,
    AdoptionSerializer,
    AreaSerializer,
    FundYearSerializer,
    GoalSerializer,
    IndicatorSerializer,
    LensSerializer,
    MunicipalitySerializer,
    PlanSerializer,
    ReportSerializer,
    SeriesSerializer,
    ThemeSerializer,
    series_representation,
)

logger = logging.getLogger("ivp.api")

READ_ONLY = ["get", "head", "options"]


class ReadView(APIView):
    http_method_names = READ_ONLY


class ReadList(generics.ListAPIView):
    http_method_names = READ_ONLY


class ReadDetail(generics.RetrieveAPIView):
    http_method_names = READ_ONLY

    def get_object(self):
        return self.lookup(self.request.user, **self.kwargs)

    def lookup(self, user, **kwargs):
        raise NotImplementedError


# --- root ---------------------------------------------------------------------------------------------------------


class RootSerializer(serializers.Serializer):
    version = serializers.CharField()
    _links = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))


@extend_schema(responses=RootSerializer, summary="The API's resources")
class Root(ReadView):
    def get(self, request):
        from django.conf import settings
        from django.urls import reverse

        names = {"openapi": "openapi", "plan": "plan", "themes": "themes", "goals": "goals",
                 "focus_lenses": "focus_lenses", "municipalities": "municipalities", "areas": "areas",
                 "indicators": "indicators", "fund": "fund_years", "reports": "reports",
                 "activities": "activities"}
        return Response({"version": settings.IVP_API_VERSION, "_links": {
            key: {"href": request.build_absolute_uri(reverse(f"api:{name}"))} for key, name in names.items()}})


# --- plan ---------------------------------------------------------------------------------------------------------


@extend_schema(summary="The current plan version and its adoption per council")
class PlanView(ReadView):
    @extend_schema(responses=PlanSerializer)
    def get(self, request):
        plan = selectors.plan_for(request.user)
        data = PlanSerializer(plan).data
        data["adoptions"] = AdoptionSerializer(selectors.adoptions_of(request.user, plan), many=True).data
        return Response(data)


@extend_schema(summary="Strategic themes of the current plan (sub-themes included)")
class ThemeList(ReadList):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return selectors.themes_of(self.request.user)


@extend_schema(summary="One strategic theme, by its code")
class ThemeDetail(ReadDetail):
    serializer_class = ThemeSerializer
    lookup = staticmethod(selectors.theme)


@extend_schema(summary="General goals of the current plan, with the indicators that measure them")
class GoalList(ReadList):
    serializer_class = GoalSerializer

    def get_queryset(self):
        return selectors.goals_of(self.request.user)


@extend_schema(summary="One general goal, by its code")
class GoalDetail(ReadDetail):
    serializer_class = GoalSerializer
    lookup = staticmethod(selectors.goal)


@extend_schema(summary="Focus lenses of the current plan")
class LensList(ReadList):
    serializer_class = LensSerializer

    def get_queryset(self):
        return selectors.lenses_of(self.request.user)


@extend_schema(summary="One focus lens, by its code")
class LensDetail(ReadDetail):
    serializer_class = LensSerializer
    lookup = staticmethod(selectors.lens)


# --- municipalities and areas -------------------------------------------------------------------------------------


@extend_schema(summary="The municipalities of the plan (a municipal token: its own)")
class MunicipalityList(ReadList):
    serializer_class = MunicipalitySerializer

    def get_queryset(self):
        return selectors.municipalities_of(self.request.user)


@extend_schema(summary="One municipality, by its CBS code")
class MunicipalityDetail(ReadDetail):
    serializer_class = MunicipalitySerializer
    lookup = staticmethod(selectors.municipality)


class AreaFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=AreaLevel.values, required=False)
    parent = serializers.RegexField(r"^[A-Za-z]{2}\d{4,8}$", required=False, max_length=12)


@extend_schema(summary="Areas (CBS register: country, municipalities, wijken, buurten)",
               parameters=[OpenApiParameter("level", enum=AreaLevel.values),
                           OpenApiParameter("parent", description="CBS code of the parent area, e.g. GM0865")])
class AreaList(ReadList):
    serializer_class = AreaSerializer

    def get_queryset(self):
        query = AreaFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.areas(**query.validated_data)


@extend_schema(summary="One area, by its CBS code")
class AreaDetail(ReadDetail):
    serializer_class = AreaSerializer

    def lookup(self, user, code):
        return selectors.area(code)


# --- indicators and series ----------------------------------------------------------------------------------------


@extend_schema(summary="The indicators: which published figures measure which goal and theme")
class IndicatorList(ReadList):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return list(INDICATORS.values())


@extend_schema(summary="One indicator, by its code")
class IndicatorDetail(ReadDetail):
    serializer_class = IndicatorSerializer

    def lookup(self, user, code):
        return selectors.indicator(code)


@extend_schema(
    summary="An indicator's yearly series for an area, as far as it is published",
    description="Per year: count, inhabitants on 1 January (denominator), rate per 1,000 with its 95% interval, the "
                "change verdict and its test, the trend, the source and the interpretation (duiding). Without a "
                "token only what the public pages show: nothing before a published duiding, and counts of 1-4 (and "
                "the counts that would give them back) hidden with everything computed from them. `area` is a CBS "
                "code or `basisteam`.",
    responses={200: SeriesSerializer})
class SeriesView(ReadView):
    def get(self, request, code: str, indicator: str):
        return Response(series_representation(selectors.series_for(request.user, code, indicator)))


# --- fund ---------------------------------------------------------------------------------------------------------


class FundYearsSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())


@extend_schema(summary="The years of the safety fund")
class FundYears(ReadView):
    @extend_schema(responses=FundYearsSerializer, operation_id="fund_years")
    def get(self, request):
        return Response({"years": selectors.fund_years_of(request.user)})


@extend_schema(summary="The safety fund of a year: contributions per municipality, totals, balance (euro cents)")
class FundYearView(ReadView):
    @extend_schema(responses=FundYearSerializer, operation_id="fund_year")
    def get(self, request, year: int):
        return Response(FundYearSerializer(selectors.fund_summary(request.user, year)).data)


# --- council reports ----------------------------------------------------------------------------------------------


@extend_schema(summary="Council reports presented to the council (a token: also what its owner may read)")
class ReportList(ReadList):
    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.council_reports(self.request.user)


@extend_schema(summary="One council report")
class ReportDetail(ReadDetail):
    serializer_class = ReportSerializer
    lookup = staticmethod(selectors.council_report)


@extend_schema(summary="A kept file of a council report, byte for byte as adopted by the college",
               responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
class ReportFile(ReadView):
    def get(self, request, pk: int, variant: str, fmt: str):
        kept = selectors.council_report_file(request.user, pk, variant, fmt)
        content = bytes(kept.content)
        if hashlib.sha256(content).hexdigest() != kept.sha256:
            logger.error("kept report file %s (report %s) does not match its SHA-256", kept.pk, pk)
            return problem(request, 500, _("This file is damaged; it has been logged."))
        response = HttpResponse(content, content_type=kept.content_type)
        response["Content-Disposition"] = content_disposition_header(True, kept.filename)
        response["Digest"] = f"sha-256={kept.sha256}"
        return response


# --- published activities ----------------------------------------------------------------------------------------


class ActivityFilter(serializers.Serializer):
    municipality = serializers.RegexField(r"^(?i:GM\d{4}|basisteam)$", required=False)
    as_of = serializers.DateField(required=False)


@extend_schema(summary="Activities the municipalities marked public, with their status as of a date (default today)",
               parameters=[OpenApiParameter("municipality", description="CBS code, or basisteam"),
                           OpenApiParameter("as_of", OpenApiTypes.DATE, description="status as of this date")])
class ActivityList(ReadList):
    serializer_class = ActivitySerializer

    def get_queryset(self):
        query = ActivityFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.activities(**query.validated_data)


@extend_schema(summary="One public activity",
               parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="status as of this date")])
class ActivityDetail(ReadDetail):
    serializer_class = ActivitySerializer

    def lookup(self, user, pk):
        query = ActivityFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.activity(pk, as_of=query.validated_data.get("as_of"))


# --- anything else under /api/ ------------------------------------------------------------------------------------


@extend_schema(exclude=True)
class NotFound(APIView):
    """Unknown paths, and known ones with a trailing slash (NLGov /core/no-trailing-slash: no redirect)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        from django.http import Http404

        raise Http404
