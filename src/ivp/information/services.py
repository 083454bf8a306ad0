"""Writes of the information registers (ADR 0021). Keyword-only, audited, validated before anything is written.

Who may write: whoever holds Capability.EDIT_INFORMATION for the municipality (its advisor, the coordinator).
Every free text passes the personal-data check (`ivp.information.validation.text_problem`). Reads are recorded too:
`record_read` writes an `information.read` event for every register page, export and summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.areas.models import Area
from ivp.core.access import access_for
from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import NothingChanged, audited, field_changes, record_event
from ivp.core.locking import require_version, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import Capability, OrganisationKind

from .models import (
    ApproachPhase,
    AveCount,
    AveStage,
    BibobCount,
    BibobKind,
    BibobOutcome,
    ControlPartner,
    FollowUp,
    IntegralControl,
    LioMeeting,
    PremisesKind,
    Register,
    RegisterShare,
    Signal,
    SignalCategory,
    SignalSource,
    SizeBand,
    YouthGroup,
    YouthGroupType,
    YouthGroupTypeChange,
)
from .validation import (
    clean_area,
    clean_choice,
    clean_count,
    clean_date,
    clean_group_code,
    clean_quarter,
    clean_text,
)

# --- access -----------------------------------------------------------------------------------------------------


def can_read_information(user, municipality_id: int | None, register: str | None = None) -> bool:
    """May the user read this municipality's registers (`register`: also through a share with their organisation)?"""
    access = access_for(user)
    if access.can(Capability.READ_INFORMATION, municipality_id):
        return True
    shared = access.grant(Capability.READ_INFORMATION).shared_ids
    if not shared or municipality_id is None:
        return False
    shares = RegisterShare.objects.filter(municipality_id=municipality_id, organisation_id__in=list(shared))
    if register is not None:
        shares = shares.filter(register=register)
    return shares.exists()


def can_edit_information(user, municipality_id: int | None) -> bool:
    return access_for(user).can(Capability.EDIT_INFORMATION, municipality_id)


def require_edit_information(actor, municipality: Organisation) -> None:
    if not can_edit_information(actor, municipality.pk):
        raise PermissionDenied(_("You may not change the information registers of %(name)s.") % {"name": municipality})


def _require_municipality(municipality) -> None:
    if municipality is None or municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError({"municipality": _("Choose a municipality.")})


def record_read(*, actor, what: str, municipality: Organisation | None = None, register: str = "",
                detail: dict | None = None) -> None:
    """An audit event for one read of the registers (a page, an export, a summary on the command line)."""
    record_event(actor=actor, action=what, result=AuditResult.SUCCESS, municipality=municipality,
                 object_type="information.register", object_id=register, object_repr=register,
                 changes={key: [None, value] for key, value in (detail or {}).items()})


def _jsonable(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = str(value)
        out[name] = value
    return out


def _created(values: dict) -> dict:
    return {name: [None, value] for name, value in _jsonable(values).items() if value not in ("", None, [], {})}


def _apply(obj, values: dict, expected_version: int | None) -> dict:
    changes = field_changes(obj, values)
    if not changes:
        require_version(obj, expected_version=expected_version)
        raise NothingChanged
    save_versioned(obj, expected_version=expected_version, fields=values)
    return changes


# --- signals ----------------------------------------------------------------------------------------------------


def clean_signal(*, municipality, month, area, category, source_kind, count, follow_up, description) -> dict:
    errors: dict = {}
    if isinstance(month, dt.date):
        month = month.replace(day=1)
    values = {
        "month": clean_date(month, errors, "month", _("the month")),
        "area": clean_area(area, municipality, errors),
        "category": clean_choice(category, SignalCategory, errors, "category", _("category")),
        "source_kind": clean_choice(source_kind, SignalSource, errors, "source_kind", _("source")),
        "count": clean_count(count, errors, "count", _("The number")),
        "follow_up": clean_choice(follow_up, FollowUp, errors, "follow_up", _("follow-up")),
        "description": clean_text(description, _("The description"), errors, "description"),
    }
    if errors:
        raise ValidationError(errors)
    return values


def signal_key(municipality, values: dict) -> dict:
    return {"municipality": municipality, "month": values["month"], "area": values["area"],
            "category": values["category"], "source_kind": values["source_kind"], "follow_up": values["follow_up"]}


def signal_create(*, actor, municipality: Organisation, month: dt.date | None, category: str, source_kind: str,
                  count, follow_up: str, area: Area | None = None, description: str = "") -> Signal:
    with audited(actor=actor, action="information.signal.create", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        values = clean_signal(municipality=municipality, month=month, area=area, category=category,
                              source_kind=source_kind, count=count, follow_up=follow_up, description=description)
        if Signal.objects.filter(**signal_key(municipality, values)).exists():
            raise ValidationError({"count": _("There already is a row for this month, area, category, source and "
                                              "follow-up; change that row instead.")})
        signal = Signal.objects.create(municipality=municipality, **values)
        event.target = signal
        event.changes = _created(values)
    return signal


def signal_update(*, actor, signal: Signal, month: dt.date | None, category: str, source_kind: str, count,
                  follow_up: str, area: Area | None = None, description: str = "",
                  expected_version: int | None = None) -> Signal:
    with audited(actor=actor, action="information.signal.update", target=signal,
                 municipality=signal.municipality) as event:
        require_edit_information(actor, signal.municipality)
        values = clean_signal(municipality=signal.municipality, month=month, area=area, category=category,
                              source_kind=source_kind, count=count, follow_up=follow_up, description=description)
        if Signal.objects.filter(**signal_key(signal.municipality, values)).exclude(pk=signal.pk).exists():
            raise ValidationError({"count": _("There already is a row for this month, area, category, source and "
                                              "follow-up; change that row instead.")})
        event.changes = _apply(signal, values, expected_version)
    return signal


# --- integral controls ------------------------------------------------------------------------------------------


def _clean_partners(partners: Iterable[str], choices, errors: dict) -> list[str]:
    partners = sorted({str(p).strip() for p in (partners or []) if str(p).strip()})
    if any(p not in choices.values for p in partners):
        errors["partners"] = _("Choose partners from the list.")
    return partners


OUTCOME_FIELDS = ("findings", "closures", "fines", "bibob_started", "care_referrals")


def clean_control(*, municipality, date, area, premises_kind, premises_count, partners, findings, closures, fines,
                  bibob_started, care_referrals, description) -> dict:
    errors: dict = {}
    values = {
        "date": clean_date(date, errors, "date", _("the date")),
        "area": clean_area(area, municipality, errors),
        "premises_kind": clean_choice(premises_kind, PremisesKind, errors, "premises_kind", _("kind of premises")),
        "premises_count": clean_count(premises_count, errors, "premises_count", _("The number of premises")),
        "partners": _clean_partners(partners, ControlPartner, errors),
        "findings": clean_count(findings, errors, "findings", _("The number of findings")),
        "closures": clean_count(closures, errors, "closures", _("The number of closures")),
        "fines": clean_count(fines, errors, "fines", _("The number of fines")),
        "bibob_started": clean_count(bibob_started, errors, "bibob_started", _("The number of Bibob procedures")),
        "care_referrals": clean_count(care_referrals, errors, "care_referrals", _("The number of referrals")),
        "description": clean_text(description, _("The description"), errors, "description"),
    }
    if errors:
        raise ValidationError(errors)
    return values


def control_create(*, actor, municipality: Organisation, date: dt.date | None, premises_kind: str,
                   premises_count=1, area: Area | None = None, partners: Iterable[str] = (), findings=0,
                   closures=0, fines=0, bibob_started=0, care_referrals=0, description: str = "") -> IntegralControl:
    with audited(actor=actor, action="information.control.create", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        values = clean_control(municipality=municipality, date=date, area=area, premises_kind=premises_kind,
                               premises_count=premises_count, partners=partners, findings=findings,
                               closures=closures, fines=fines, bibob_started=bibob_started,
                               care_referrals=care_referrals, description=description)
        control = IntegralControl.objects.create(municipality=municipality, **values)
        event.target = control
        event.changes = _created(values)
    return control


def control_update(*, actor, control: IntegralControl, date: dt.date | None, premises_kind: str, premises_count=1,
                   area: Area | None = None, partners: Iterable[str] = (), findings=0, closures=0, fines=0,
                   bibob_started=0, care_referrals=0, description: str = "",
                   expected_version: int | None = None) -> IntegralControl:
    with audited(actor=actor, action="information.control.update", target=control,
                 municipality=control.municipality) as event:
        require_edit_information(actor, control.municipality)
        values = clean_control(municipality=control.municipality, date=date, area=area, premises_kind=premises_kind,
                               premises_count=premises_count, partners=partners, findings=findings,
                               closures=closures, fines=fines, bibob_started=bibob_started,
                               care_referrals=care_referrals, description=description)
        event.changes = _apply(control, values, expected_version)
    return control


# --- quarterly counts (Bibob, AVE) ------------------------------------------------------------------------------


def bibob_save(*, actor, municipality: Organisation, year, quarter, kind: str, outcome: str, count) -> BibobCount:
    """Set the number of Bibob procedures of one kind and outcome in one quarter (creates or replaces)."""
    with audited(actor=actor, action="information.bibob.save", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        errors: dict = {}
        year, quarter = clean_quarter(year, quarter, errors)
        kind = clean_choice(kind, BibobKind, errors, "kind", _("kind"))
        outcome = clean_choice(outcome, BibobOutcome, errors, "outcome", _("outcome"))
        count = clean_count(count, errors, "count", _("The number"))
        if errors:
            raise ValidationError(errors)
        row, created = BibobCount.objects.get_or_create(
            municipality=municipality, year=year, quarter=quarter, kind=kind, outcome=outcome,
            defaults={"count": count})
        if not created:
            if row.count == count:
                raise NothingChanged
            event.changes = {"count": [row.count, count]}
            row.count = count
            row.save(update_fields=["count", "updated_at"])
        else:
            event.changes = _created({"year": year, "quarter": quarter, "kind": kind, "outcome": outcome,
                                      "count": count})
        event.target = row
    return row


def ave_save(*, actor, municipality: Organisation, year, quarter, stage: str, count) -> AveCount:
    """Set the number of AVE cases in one stage at the end of a quarter (creates or replaces)."""
    with audited(actor=actor, action="information.ave.save", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        errors: dict = {}
        year, quarter = clean_quarter(year, quarter, errors)
        stage = clean_choice(stage, AveStage, errors, "stage", _("stage"))
        count = clean_count(count, errors, "count", _("The number"))
        if errors:
            raise ValidationError(errors)
        row, created = AveCount.objects.get_or_create(municipality=municipality, year=year, quarter=quarter,
                                                      stage=stage, defaults={"count": count})
        if not created:
            if row.count == count:
                raise NothingChanged
            event.changes = {"count": [row.count, count]}
            row.count = count
            row.save(update_fields=["count", "updated_at"])
        else:
            event.changes = _created({"year": year, "quarter": quarter, "stage": stage, "count": count})
        event.target = row
    return row


# --- youth groups -----------------------------------------------------------------------------------------------


def clean_youth_group(*, municipality, code, group_type, area, size_band, phase, partners, first_seen) -> dict:
    errors: dict = {}
    values = {
        "code": clean_group_code(code, errors),
        "group_type": clean_choice(group_type, YouthGroupType, errors, "group_type", _("type")),
        "area": clean_area(area, municipality, errors),
        "size_band": clean_choice(size_band, SizeBand, errors, "size_band", _("size")),
        "phase": clean_choice(phase, ApproachPhase, errors, "phase", _("phase")),
        "partners": _clean_partners(partners, ControlPartner, errors),
        "first_seen": clean_date(first_seen, errors, "first_seen", _("the date it came on the shortlist")),
    }
    if errors:
        raise ValidationError(errors)
    return values


def youth_group_create(*, actor, municipality: Organisation, code: str, group_type: str, size_band: str, phase: str,
                       first_seen: dt.date | None, area: Area | None = None,
                       partners: Iterable[str] = ()) -> YouthGroup:
    with audited(actor=actor, action="information.youth_group.create", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        values = clean_youth_group(municipality=municipality, code=code, group_type=group_type, area=area,
                                   size_band=size_band, phase=phase, partners=partners, first_seen=first_seen)
        if YouthGroup.objects.filter(municipality=municipality, code=values["code"]).exists():
            raise ValidationError({"code": _("This group code is already in use in %(name)s.")
                                   % {"name": municipality}})
        group = YouthGroup.objects.create(municipality=municipality, **values)
        YouthGroupTypeChange.objects.create(municipality=municipality, group=group, date=values["first_seen"],
                                            old_type="", new_type=values["group_type"])
        event.target = group
        event.changes = _created(values)
    return group


def youth_group_update(*, actor, group: YouthGroup, code: str, group_type: str, size_band: str, phase: str,
                       first_seen: dt.date | None, area: Area | None = None, partners: Iterable[str] = (),
                       changed_on: dt.date | None = None, expected_version: int | None = None) -> YouthGroup:
    """Change a youth group; a change of type is added to its history (dated `changed_on`, default today)."""
    with audited(actor=actor, action="information.youth_group.update", target=group,
                 municipality=group.municipality) as event:
        require_edit_information(actor, group.municipality)
        values = clean_youth_group(municipality=group.municipality, code=code, group_type=group_type, area=area,
                                   size_band=size_band, phase=phase, partners=partners, first_seen=first_seen)
        if YouthGroup.objects.filter(municipality=group.municipality, code=values["code"]).exclude(
                pk=group.pk).exists():
            raise ValidationError({"code": _("This group code is already in use in %(name)s.")
                                   % {"name": group.municipality}})
        old_type = group.group_type
        event.changes = _apply(group, values, expected_version)
        if old_type != values["group_type"]:
            YouthGroupTypeChange.objects.create(municipality=group.municipality, group=group,
                                                date=changed_on or timezone.localdate(), old_type=old_type,
                                                new_type=values["group_type"])
    return group


# --- LIO --------------------------------------------------------------------------------------------------------


def lio_save(*, actor, municipality: Organisation, date: dt.date | None, cases_by_category: dict,
             actions_agreed=0, cases_closed=0) -> LioMeeting:
    """Record (or correct) the counts of one LIO meeting: cases discussed per signal category, actions, closed."""
    with audited(actor=actor, action="information.lio.save", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        errors: dict = {}
        date = clean_date(date, errors, "date", _("the date"))
        cases = {}
        for category, number in (cases_by_category or {}).items():
            if category not in SignalCategory.values:
                errors["cases_by_category"] = _("Choose categories from the list.")
                continue
            number = clean_count(number, errors, "cases_by_category", _("The number of cases"))
            if number:
                cases[category] = number
        values = {"cases_by_category": cases,
                  "actions_agreed": clean_count(actions_agreed, errors, "actions_agreed", _("The number of actions")),
                  "cases_closed": clean_count(cases_closed, errors, "cases_closed", _("The number of cases closed"))}
        if errors or date is None:
            raise ValidationError(errors)
        meeting = LioMeeting.objects.filter(municipality=municipality, date=date).first()
        if meeting is None:
            meeting = LioMeeting.objects.create(municipality=municipality, date=date, **values)
            event.changes = _created({"date": date, **values})
        else:
            event.changes = _apply(meeting, values, None)
        event.target = meeting
    return meeting


# --- sharing ----------------------------------------------------------------------------------------------------


def share_create(*, actor, municipality: Organisation, organisation: Organisation, register: str) -> RegisterShare:
    """Share one register of a municipality with a partner organisation (e.g. the RIEC)."""
    with audited(actor=actor, action="information.share.create", municipality=municipality) as event:
        _require_municipality(municipality)
        require_edit_information(actor, municipality)
        errors: dict = {}
        if organisation is None or organisation.kind != OrganisationKind.PARTNER:
            errors["organisation"] = _("Choose a partner organisation.")
        register = clean_choice(register, Register, errors, "register", _("register"))
        if errors:
            raise ValidationError(errors)
        share, created = RegisterShare.objects.get_or_create(municipality=municipality, organisation=organisation,
                                                             register=register)
        if not created:
            raise NothingChanged
        event.target = share
        event.changes = {"register": [None, register], "organisation": [None, str(organisation)]}
    return share


def share_delete(*, actor, share: RegisterShare) -> None:
    with audited(actor=actor, action="information.share.delete", target=share,
                 municipality=share.municipality) as event:
        require_edit_information(actor, share.municipality)
        event.changes = {"register": [share.register, None], "organisation": [str(share.organisation), None]}
        share.delete()


def row_delete(*, actor, row) -> None:
    """Delete one register row (a correction); the audit event keeps what it held (aggregates only)."""
    with audited(actor=actor, action="information.delete", target=row, municipality=row.municipality) as event:
        require_edit_information(actor, row.municipality)
        event.changes = {"type": [row._meta.label_lower, None], "row": [str(row), None]}
        row.delete()


# --- retention --------------------------------------------------------------------------------------------------


def retention_cutoff(years: int, today: dt.date | None = None) -> dt.date:
    """Rows whose period ended before this date are removed: 1 January `years` years before this year."""
    today = today or timezone.localdate()
    return dt.date(today.year - years, 1, 1)


def purge_expired_information(*, years: int | None = None, today: dt.date | None = None, actor=None) -> dict[str, int]:
    """Delete register rows older than the retention (IVP_INFORMATION_RETENTION_YEARS, default 5): signals by month,
    controls and LIO meetings by date, Bibob and AVE counts by year, youth groups closed and last changed before the
    cut-off. One audit event (`information.purge`) with the numbers; none when nothing was due. Meant to run from
    the scheduler (and `ivp purge_information`)."""
    years = settings.IVP_INFORMATION_RETENTION_YEARS if years is None else years
    if years < 1:
        raise ValueError("years must be at least 1")
    cutoff = retention_cutoff(years, today)
    counts: dict[str, int] = {}
    with audited(actor=actor, action="information.purge") as event:
        querysets = {
            "signals": Signal.objects.filter(month__lt=cutoff),
            "controls": IntegralControl.objects.filter(date__lt=cutoff),
            "bibob": BibobCount.objects.filter(year__lt=cutoff.year),
            "lio": LioMeeting.objects.filter(date__lt=cutoff),
            "ave": AveCount.objects.filter(year__lt=cutoff.year),
            "youth_groups": YouthGroup.objects.filter(phase=ApproachPhase.CLOSED, updated_at__date__lt=cutoff),
        }
        for name, queryset in querysets.items():
            counts[name] = queryset.count()
            if counts[name]:
                queryset.delete()
        if not any(counts.values()):
            raise NothingChanged
        event.changes = {"cutoff": [None, cutoff.isoformat()], "retention_years": [None, years],
                         **{name: [number, 0] for name, number in counts.items() if number}}
    return counts


