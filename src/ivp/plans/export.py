"""A plan version from the database as a plan-file document (the inverse of services.plan_load)."""

from __future__ import annotations

from .models import Adoption, FocusLens, GeneralGoal, LocalPriority, Plan, Principle, StatementKind, Theme
from .planfile.schema import FORMAT_VERSION


def _theme_doc(theme: Theme, children: list[Theme]) -> dict:
    return {
        "number": theme.number,
        "code": theme.code,
        "title": theme.title,
        "short_title": theme.short_title,
        "introduction": theme.introduction,
        "why_priority": theme.statements_of(StatementKind.WHY),
        "ambitions": theme.statements_of(StatementKind.AMBITION),
        "planned_actions": theme.statements_of(StatementKind.ACTION),
        "sub_themes": [_theme_doc(child, []) for child in children],
    }


def plan_document(plan: Plan) -> dict:
    """The whole plan version, shared and municipal parts, in file order.

    The caller decides who may export: this reads every municipality's part of the plan.
    """
    themes = list(Theme.objects.filter(plan=plan).prefetch_related("statements").order_by("order"))
    adoptions = list(Adoption.objects.filter(plan=plan).select_related("municipality").order_by("order"))
    priorities: dict[int, list[LocalPriority]] = {}
    for priority in LocalPriority.objects.filter(plan=plan).order_by("order", "id"):
        priorities.setdefault(priority.municipality_id, []).append(priority)
    return {
        "format_version": FORMAT_VERSION,
        "plan": {
            "key": plan.key,
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "status": plan.status,
            "document_date": plan.document_date,
            "summary": plan.summary,
            "introduction": plan.introduction,
            "scope": plan.scope,
            "trends": list(plan.trends),
            "meaning_of_figures": plan.meaning_of_figures,
            "cooperation_boa_police": plan.cooperation_boa_police,
            "finance": plan.finance,
            "signatories": list(plan.signatories),
        },
        "base_team": {"code": plan.base_team.code, "name": plan.base_team.name},
        "municipalities": [
            {
                "code": a.municipality.cbs_code,
                "name": a.municipality.name,
                "adoption": {
                    "status": a.status,
                    "date": a.date.isoformat() if a.date else None,
                    "decision_reference": a.decision_reference,
                },
                "local_priorities": [
                    {"title": p.title, "domain": p.domain, "description": p.description}
                    for p in priorities.get(a.municipality_id, [])
                ],
            }
            for a in adoptions
        ],
        "partners": [
            {"code": pp.organisation.code, "name": pp.organisation.name, "kind": pp.organisation.partner_kind}
            for pp in plan.plan_partners.select_related("organisation").order_by("order")
        ],
        "principles": [
            {"number": p.number, "title": p.title, "description": p.description}
            for p in Principle.objects.filter(plan=plan)
        ],
        "general_goals": [
            {"number": g.number, "code": g.code, "title": g.title} for g in GeneralGoal.objects.filter(plan=plan)
        ],
        "focus_lenses": [
            {"number": f.number, "code": f.code, "name": f.name, "description": f.description}
            for f in FocusLens.objects.filter(plan=plan)
        ],
        "themes": [
            _theme_doc(t, [c for c in themes if c.parent_id == t.pk]) for t in themes if t.parent_id is None
        ],
    }
