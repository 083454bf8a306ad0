"""/api/v1: the open API (ADR 0019). No trailing slashes; anything else under /api/ answers 404 problem+json."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("api/v1", views.Root.as_view(), name="root"),
    path("api/v1/openapi.json", SpectacularJSONAPIView.as_view(http_method_names=views.READ_ONLY), name="openapi"),
    path("api/v1/plan", views.PlanView.as_view(), name="plan"),
    path("api/v1/themes", views.ThemeList.as_view(), name="themes"),
    path("api/v1/themes/<slug:code>", views.ThemeDetail.as_view(), name="theme"),
    path("api/v1/goals", views.GoalList.as_view(), name="goals"),
    path("api/v1/goals/<slug:code>", views.GoalDetail.as_view(), name="goal"),
    path("api/v1/focus-lenses", views.LensList.as_view(), name="focus_lenses"),
    path("api/v1/focus-lenses/<slug:code>", views.LensDetail.as_view(), name="focus_lens"),
    path("api/v1/municipalities", views.MunicipalityList.as_view(), name="municipalities"),
    path("api/v1/municipalities/<str:cbs_code>", views.MunicipalityDetail.as_view(), name="municipality"),
    path("api/v1/areas", views.AreaList.as_view(), name="areas"),
    path("api/v1/areas/<str:code>", views.AreaDetail.as_view(), name="area"),
    path("api/v1/areas/<str:code>/indicators/<slug:indicator>/series", views.SeriesView.as_view(), name="series"),
    path("api/v1/indicators", views.IndicatorList.as_view(), name="indicators"),
    path("api/v1/indicators/<slug:code>", views.IndicatorDetail.as_view(), name="indicator"),
    path("api/v1/activities", views.ActivityList.as_view(), name="activities"),
    path("api/v1/activities/<int:pk>", views.ActivityDetail.as_view(), name="activity"),
    path("api/v1/fund", views.FundYears.as_view(), name="fund_years"),
    path("api/v1/fund/<int:year>", views.FundYearView.as_view(), name="fund_year"),
    path("api/v1/reports", views.ReportList.as_view(), name="reports"),
    path("api/v1/reports/<int:pk>", views.ReportDetail.as_view(), name="report"),
    path("api/v1/reports/<int:pk>/files/<slug:variant>/<slug:fmt>", views.ReportFile.as_view(), name="report_file"),
    re_path(r"^api(?:/.*)?$", views.NotFound.as_view(), name="not_found"),
]
