"""No model of the information registers can hold a person: every field is listed here, against an allow-list."""

from django.apps import apps
from django.conf import settings

# Every field of every model of the app. A new field fails this test until it is added here, on purpose, after
# asking: can this field hold who somebody is? Free text is only `description` (short, checked by ivp.information.
# pii); the foreign keys point at organisations, areas and the registers' own rows, never at a user or a person.
COMMON = {"id", "municipality", "version", "created_at", "updated_at"}
ALLOWED = {
    "signal": COMMON | {"month", "area", "category", "source_kind", "count", "follow_up", "description"},
    "integralcontrol": COMMON | {"date", "area", "premises_kind", "premises_count", "partners", "findings",
                                 "closures", "fines", "bibob_started", "care_referrals", "description"},
    "bibobcount": COMMON | {"year", "quarter", "kind", "outcome", "count"},
    "youthgroup": COMMON | {"code", "group_type", "area", "size_band", "phase", "partners", "first_seen",
                            "type_changes", "activities"},  # activities: the reverse of Activity.youth_groups
    "youthgrouptypechange": COMMON | {"group", "date", "old_type", "new_type"},
    "liomeeting": COMMON | {"date", "cases_by_category", "actions_agreed", "cases_closed"},
    "avecount": COMMON | {"year", "quarter", "stage", "count"},
    "registershare": {"id", "municipality", "organisation", "register", "created_at"},
}
FREE_TEXT = {("signal", "description"), ("integralcontrol", "description")}
ALLOWED_TARGETS = {"core.organisation", "areas.area", "information.youthgroup", "information.youthgrouptypechange"}
PERSONAL_WORDS = ("name", "naam", "address", "adres", "street", "straat", "phone", "telefoon", "email", "mail",
                  "bsn", "birth", "geboorte", "person", "persoon", "user", "iban", "plate", "kenteken", "owner",
                  "contact")


def _models():
    return list(apps.get_app_config("information").get_models())


def test_every_field_is_on_the_allow_list():
    found = {model._meta.model_name: {f.name for f in model._meta.get_fields()} for model in _models()}
    assert found == ALLOWED


def test_no_field_points_at_a_user_or_holds_long_text():
    user_model = settings.AUTH_USER_MODEL.lower()
    for model in _models():
        for field in model._meta.get_fields():
            if field.is_relation:
                target = field.related_model._meta.label_lower
                assert target != user_model, (model, field.name)
                if field.auto_created and not field.concrete:
                    continue  # a reverse relation: another model points here (the row itself points nowhere)
                assert target in ALLOWED_TARGETS, (model, field.name, target)
            if field.get_internal_type() in ("TextField",):
                raise AssertionError(f"{model.__name__}.{field.name}: no long free text in the registers")
            if field.get_internal_type() == "CharField" and (model._meta.model_name, field.name) not in FREE_TEXT:
                assert field.choices or field.name == "code", (model, field.name)
                assert field.max_length <= 30, (model, field.name)
            assert not any(word in field.name for word in PERSONAL_WORDS), (model, field.name)


def test_free_text_is_short():
    from ivp.information.models import IntegralControl, Signal
    from ivp.information.pii import MAX_TEXT_LENGTH

    assert Signal._meta.get_field("description").max_length == MAX_TEXT_LENGTH == 280
    assert IntegralControl._meta.get_field("description").max_length == MAX_TEXT_LENGTH
