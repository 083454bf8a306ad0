from django.urls import path

from .views import auth, comments, figures, history, municipality, plan

app_name = "web"

urlpatterns = [
    path("", plan.plan_overview, name="plan_overview"),
    path("plan/versies/", plan.plan_versions, name="plan_versions"),
    path("plan/<slug:key>/versie/<int:version>/", plan.plan_version, name="plan_version"),
    path("thema/<int:pk>/", plan.theme_detail, name="theme_detail"),
    path("gemeente/<str:cbs_code>/", municipality.municipality_detail, name="municipality_detail"),
    path("gemeente/<str:cbs_code>/prioriteiten/nieuw/", municipality.local_priority_create,
         name="local_priority_create"),
    path("vaststelling/<int:pk>/bewerken/", municipality.adoption_edit, name="adoption_edit"),
    path("prioriteit/<int:pk>/", municipality.local_priority_detail, name="local_priority_detail"),
    path("prioriteit/<int:pk>/bewerken/", municipality.local_priority_edit, name="local_priority_edit"),
    path("prioriteit/<int:pk>/verwijderen/", municipality.local_priority_delete, name="local_priority_delete"),
    path("geschiedenis/<slug:kind>/<int:pk>/", history.object_history, name="object_history"),
    path("opmerking/<slug:kind>/<int:pk>/", comments.comment_add, name="comment_add"),
    path("cijfers/", figures.base_team_dashboard, name="base_team_dashboard"),
    path("gemeente/<str:cbs_code>/cijfers/", figures.municipality_dashboard, name="municipality_dashboard"),
    path("gemeente/<str:cbs_code>/cijfers/eigen-cijfers/", figures.local_figures_upload_view,
         name="local_figures_upload"),
    path("cijfers/sjabloon-eigen-cijfers.csv", figures.local_figures_template, name="local_figures_template"),
    path("cijfers/<str:area_code>/<slug:indicator>/", figures.indicator_detail, name="indicator_detail"),
    path("cijfers/<str:area_code>/<slug:indicator>/duiding/", figures.interpretation_edit,
         name="interpretation_edit"),
    path("cijfers/<str:area_code>/<slug:indicator>/medeondertekenen/", figures.interpretation_cosign_view,
         name="interpretation_cosign"),
    path("cijfers/<str:area_code>/<slug:indicator>/trendbreuk/", figures.structural_break_add_view,
         name="structural_break_add"),
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("uitloggen/", auth.LogoutView.as_view(), name="logout"),
]
