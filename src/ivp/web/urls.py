from django.urls import path

from .views import auth, comments, history, municipality, plan

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
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("uitloggen/", auth.LogoutView.as_view(), name="logout"),
]
