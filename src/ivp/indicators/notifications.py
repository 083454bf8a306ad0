"""Notifications about duidingen (interpretations): waiting for a co-signature, a co-signature withdrawn because
the text changed, a remark on your duiding (ADR 0016). Recipients come from the access policy: who may co-sign
the duiding's municipality, and its author while they may still read it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ivp.core.roles import Capability
from ivp.core.selectors import holders_of
from ivp.notifications.kinds import KINDS, Kind
from ivp.notifications.services import notify

from .definitions import INDICATORS
from .models import Interpretation, InterpretationRemark
from .series import BASE_TEAM

KINDS.register("interpretation_cosign_waiting", Kind(
    label=_("A duiding is waiting for your co-signature"),
    message=_("The duiding of %(indicator)s, %(area)s, %(period)s is waiting for a co-signature."),
    needs_response=True,
))
KINDS.register("interpretation_cosign_withdrawn", Kind(
    label=_("Your co-signature was withdrawn because the duiding changed"),
    message=_("%(name)s changed the duiding of %(indicator)s, %(area)s, %(period)s that you co-signed; it needs a "
              "new co-signature."),
    needs_response=True,
))
KINDS.register("interpretation_remark", Kind(
    label=_("A remark on your duiding"),
    message=_("%(name)s made a remark on your duiding of %(indicator)s, %(area)s, %(period)s."),
    needs_response=True,
))


def _about(note: Interpretation) -> dict:
    indicator = INDICATORS.get(note.indicator)
    return {"indicator": str(indicator.name) if indicator else note.indicator,
            "area": note.area.name if note.area is not None else str(_("base team")), "period": note.period}


def _url(note: Interpretation) -> str:
    area_code = note.area.code if note.area is not None else BASE_TEAM
    return reverse("web:indicator_detail", kwargs={"area_code": area_code, "indicator": note.indicator})


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def interpretation_saved(note: Interpretation, *, actor, created: bool, withdrawn_from=None) -> None:
    """After a duiding was written (`created`) or its text changed (`withdrawn_from`: who had co-signed it): the
    co-signers are asked to co-sign, once per version that starts a wait; the former co-signer hears why."""
    if not created and withdrawn_from is None:
        return  # still waiting since an earlier version: already asked
    signers = [u for u in holders_of(Capability.COSIGN, note.municipality_id) if u.pk != getattr(actor, "pk", None)]
    if withdrawn_from is not None:
        notify(recipients=[withdrawn_from], kind="interpretation_cosign_withdrawn",
               occasion=f"interpretation:{note.pk}:withdrawn:v{note.version}",
               params={**_about(note), "name": _name(actor)}, url=_url(note), municipality=note.municipality)
        signers = [u for u in signers if u.pk != withdrawn_from.pk]
    notify(recipients=signers, kind="interpretation_cosign_waiting",
           occasion=f"interpretation:{note.pk}:waiting:v{note.version}", params=_about(note), url=_url(note),
           municipality=note.municipality)


def remark_made(remark: InterpretationRemark) -> None:
    note = remark.interpretation
    if note.author_id == remark.author_id:
        return
    notify(recipients=[note.author], kind="interpretation_remark", occasion=f"remark:{remark.pk}",
           params={**_about(note), "name": _name(remark.author)}, url=_url(note) + f"#remark-{remark.pk}",
           municipality=note.municipality)
