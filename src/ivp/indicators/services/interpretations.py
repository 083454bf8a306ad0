"""Writing interpretations (duiding) and structural-break annotations; police co-sign."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.areas.models import Area
from ivp.core.access import access_for, require_edit_municipality, require_edit_shared_plan
from ivp.core.audit.recorder import audited, field_changes
from ivp.core.locking import create_once, require_version, save_versioned
from ivp.core.roles import Capability

from .. import notifications
from ..cache import figures_changed
from ..definitions import INDICATORS
from ..models import BreakKind, Interpretation, InterpretationRemark, InterpretationScope, RemarkKind, StructuralBreak
from ..periods import parse_period


def municipality_of(area: Area | None):
    """The municipality (Organisation) that owns notes about this area; None for the base team."""
    while area is not None:
        if area.organisation_id:
            return area.organisation
        area = area.parent
    return None


def _require_write(actor, municipality) -> None:
    if municipality is None:
        require_edit_shared_plan(actor)
    else:
        require_edit_municipality(actor, municipality)


def _scope_error(scope: str, area: Area | None) -> str:
    if scope not in InterpretationScope.values:
        return _("Unknown kind of interpretation.")
    if scope == InterpretationScope.NEIGHBOURHOODS and (area is None or area.level != "gemeente"):
        return _("An interpretation of the neighbourhoods belongs to a municipality.")
    if scope == InterpretationScope.COMPARISON and area is not None:
        return _("An interpretation of the comparison of the municipalities belongs to the base team.")
    return ""


def interpretation_save(*, actor, indicator: str, area: Area | None, period: str, text: str, published: bool,
                        expected_version: int | None = None,
                        scope: str = InterpretationScope.FIGURE) -> Interpretation:
    """Create or change the interpretation of indicator x area x period (x scope: the area's figure, or a table).

    `expected_version` is the version the user's form was based on (0: no interpretation yet); when another save
    came in between, StaleEdit is raised and nothing is saved (ivp.core.locking; the caller keeps the user's text
    on screen). None: based on what this call reads (scripts and tests).
    """
    municipality = municipality_of(area)
    try:
        period = str(parse_period(period))
        period_error = ""
    except ValidationError as exc:
        period_error = exc.messages[0]
    existing = None if period_error else Interpretation.objects.filter(
        indicator=indicator, area=area, period=period, scope=scope).first()
    action = "interpretation.update" if existing else "interpretation.create"
    with audited(actor=actor, action=action, target=existing, municipality=municipality) as event:
        _require_write(actor, municipality)
        errors = {}
        if indicator not in INDICATORS:
            errors["indicator"] = _("Unknown indicator %(code)s.") % {"code": indicator}
        if not (text or "").strip():
            errors["text"] = _("Write the interpretation first.")
        if period_error:
            errors["period"] = period_error
        if _scope_error(scope, area):
            errors["scope"] = _scope_error(scope, area)
        if errors:
            raise ValidationError(errors)
        if existing is None:
            interpretation = create_once(
                Interpretation, key={"indicator": indicator, "area": area, "period": period, "scope": scope},
                expected_version=expected_version, municipality=municipality, text=text.strip(),
                published=published, author=actor)
            event.changes = {"period": [None, period], "scope": [None, scope], "text": [None, interpretation.text],
                             "published": [None, published]}
            notifications.interpretation_saved(interpretation, actor=actor, created=True)
        else:
            event.changes = field_changes(existing, {"text": text.strip(), "published": published})
            written = ["text", "published"]
            withdrawn_from = None
            if "text" in event.changes:
                # A changed text needs a new co-signature.
                withdrawn_from = existing.cosigned_by
                existing.cosigned_by, existing.cosigned_at = None, None
                written += ["cosigned_by", "cosigned_at"]
                if withdrawn_from is not None:
                    event.changes["cosigned_by"] = [withdrawn_from.get_full_name() or withdrawn_from.get_username(),
                                                    None]
            if event.changes:
                save_versioned(existing, expected_version=expected_version, fields=written)
                if withdrawn_from is not None:
                    notifications.interpretation_saved(existing, actor=actor, created=False,
                                                       withdrawn_from=withdrawn_from)
            else:
                require_version(existing, expected_version=expected_version)
            interpretation = existing
        event.target = interpretation
    return interpretation


def interpretation_cosign(*, actor, interpretation: Interpretation) -> Interpretation:
    with audited(actor=actor, action="interpretation.cosign", target=interpretation,
                 municipality=interpretation.municipality) as event:
        if not access_for(actor).can_cosign:
            raise PermissionDenied(_("Only a police user can co-sign an interpretation."))
        interpretation.cosigned_by, interpretation.cosigned_at = actor, timezone.now()
        interpretation.save(update_fields=["cosigned_by", "cosigned_at"])
        event.changes = {"cosigned_by": [None, actor.get_username()]}
    return interpretation


MAX_REMARK_CHARS = 5_000


def may_remark(user, interpretation: Interpretation) -> bool:
    """Who may comment on the duiding's municipality (the access policy's COMMENT: the police, the OM, the
    coordinator, the municipality's own advisors) remarks on it; its author does not remark on their own."""
    return (access_for(user).can(Capability.COMMENT, interpretation.municipality_id)
            and interpretation.author_id != getattr(user, "pk", None))


def may_handle_remarks(user, interpretation: Interpretation) -> bool:
    """Who may change the duiding (its author and the other editors of the municipality) marks remarks handled."""
    return access_for(user).can_edit_municipality(interpretation.municipality_id)


def interpretation_remark_add(*, actor, interpretation: Interpretation, kind: str, text: str,
                              suggested_text: str = "") -> InterpretationRemark:
    """Disagree with a duiding (a remark), or suggest a changed text. The author is notified."""
    text, suggested_text = (text or "").strip(), (suggested_text or "").strip()
    with audited(actor=actor, action="interpretation.remark", target=interpretation,
                 municipality=interpretation.municipality) as event:
        if not may_remark(actor, interpretation):
            raise PermissionDenied(_("You may not make a remark on this interpretation."))
        errors = {}
        if kind not in RemarkKind.values:
            errors["kind"] = _("Choose whether you disagree or suggest a change.")
        if not text:
            errors["text"] = _("Write your remark.")
        elif len(text) > MAX_REMARK_CHARS:
            errors["text"] = _("Keep the remark under %(count)s characters.") % {"count": MAX_REMARK_CHARS}
        if kind == RemarkKind.SUGGESTION and not suggested_text:
            errors["suggested_text"] = _("Write the text you suggest.")
        elif len(suggested_text) > MAX_REMARK_CHARS:
            errors["suggested_text"] = _("Keep the suggested text under %(count)s characters.") % {
                "count": MAX_REMARK_CHARS}
        if errors:
            raise ValidationError(errors)
        # The version stored now (the caller's object may have been read before a change of the text).
        version = Interpretation.objects.filter(pk=interpretation.pk).values_list("version", flat=True).first()
        remark = InterpretationRemark.objects.create(
            interpretation=interpretation, municipality=interpretation.municipality, kind=kind, text=text,
            suggested_text=suggested_text if kind == RemarkKind.SUGGESTION else "",
            interpretation_version=version or interpretation.version, author=actor)
        # One entry under the duiding's "remarks" (the history page labels it by the relation's name).
        entry = f"{remark.get_kind_display()}: {text}"
        if remark.suggested_text:
            entry += " " + _("Suggested text: %(text)s") % {"text": remark.suggested_text}
        event.changes = {"remarks": [None, entry]}
        notifications.remark_made(remark)
    return remark


def interpretation_remark_handle(*, actor, remark: InterpretationRemark) -> InterpretationRemark:
    """The duiding's author (or another editor of it) marks a remark as handled."""
    interpretation = remark.interpretation
    with audited(actor=actor, action="interpretation.remark_handled", target=interpretation,
                 municipality=interpretation.municipality) as event:
        if not may_handle_remarks(actor, interpretation):
            raise PermissionDenied(_("Only the author of the interpretation or another editor of it may mark a "
                                     "remark as handled."))
        claimed = InterpretationRemark.objects.filter(pk=remark.pk, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=actor)
        if not claimed:
            raise ValidationError(_("This remark was already marked as handled."))
        remark.refresh_from_db()
        summary = f"{remark.get_kind_display()}: {remark.text[:200]}"
        event.changes = {"remarks": [_("open: %(remark)s") % {"remark": summary},
                                     _("handled: %(remark)s") % {"remark": summary}]}
    return remark


def structural_break_add(*, actor, area: Area | None, start: dt.date, end: dt.date | None, kind: str,
                         description: str) -> StructuralBreak:
    municipality = municipality_of(area)
    with audited(actor=actor, action="structural_break.create", municipality=municipality) as event:
        if actor is not None:
            _require_write(actor, municipality)
        errors = {}
        if kind not in BreakKind.values:
            errors["kind"] = _("Choose a kind of break.")
        if not (description or "").strip():
            errors["description"] = _("Describe the break.")
        if end is not None and end < start:
            errors["end"] = _("The end lies before the start.")
        if errors:
            raise ValidationError(errors)
        item = StructuralBreak.objects.create(area=area, start=start, end=end, kind=kind,
                                              description=description.strip(),
                                              author=actor if getattr(actor, "is_authenticated", False) else None)
        figures_changed()  # charts mark breaks: cached figures must be recomputed
        event.target = item
        event.changes = {"start": [None, start.isoformat()], "description": [None, item.description]}
    return item
