"""Which public deal a conversion's terms came from (project setting `conversion_deals`), and a
v2 plan built from the deal library: what the PDF's deal words and the self-test read. No Qt.

`build_deal_plan(project, base_plan_id)` copies a plan and gives its conversions the terms of
library deals (desktop.model.deals), with tax, terminal multiples and financing set, so every
v2 input has a value; the demo and the self-test use it. Not undoable: callers in the UI use
desktop.ui.plans.deal_library.apply_deal.
"""
from __future__ import annotations

from desktop.model import deals as deal_rules
from desktop.model.finance_fields import DEFAULTS
from desktop.store import catalog, plans, settings

DEALS_KEY = "conversion_deals"   # {conversion id: deal id}


def deal_of(project, conversion_id: int) -> str | None:
    return (settings.get(project, DEALS_KEY, {}) or {}).get(str(conversion_id))


def set_deal(project, conversion_id: int, deal_id: str | None) -> None:
    known = dict(settings.get(project, DEALS_KEY, {}) or {})
    if deal_id is None:
        known.pop(str(conversion_id), None)
    else:
        known[str(conversion_id)] = deal_id
    settings.put(project, DEALS_KEY, known)


def write_deal_terms(project, conversion_id: int, terms: dict, deal_id: str | None) -> None:
    """A conversion's terms and the deal they came from, in one transaction (an undoable step)."""
    with project.atomic():
        plans.update_conversion(project, conversion_id, **terms)
        set_deal(project, conversion_id, deal_id)


def deal_terms(project, conversion, deal: deal_rules.Deal) -> dict:
    """The fields `deal` writes on `conversion`; a GPU cloud deal on a conversion without GPUs
    takes the GPU count its racks give (as switching the mode does)."""
    gpu_count = conversion.gpu_count
    if deal.mode == "gpu_cloud" and not gpu_count:
        model = catalog.get(project, conversion.gpu_model_id) if conversion.gpu_model_id else None
        gpu_count = (conversion.racks_placed or 0) * ((model.gpus_per_rack if model else 0) or 0)
    return deal_rules.terms_for(deal, conversion.critical_it_mw, gpu_count)


def build_deal_plan(project, base_plan_id: int, name: str = "Public deals, levered",
                    deal_ids: tuple = ("hut8-fluidstack-river-bend", "iren-microsoft"),
                    financing: dict | None = None) -> int:
    """A copy of plan `base_plan_id` whose conversions take the deals' terms in turn, with tax
    (21 %), terminal multiples and financing; returns the new plan's id."""
    library = deal_rules.load_deals()
    plan_id = plans.duplicate(project, base_plan_id, name)
    for i, conv in enumerate(c for c in plans.conversions(project, plan_id) if c.critical_it_mw > 0):
        deal = deal_rules.by_id(library, deal_ids[i % len(deal_ids)])
        plans.update_conversion(project, conv.id, **deal_terms(project, conv, deal))
        set_deal(project, conv.id, deal.id)
    plans.set_financing(project, plan_id, financing or dict(DEFAULTS["financing"]))
    a = settings.assumptions(project)
    a["tax"] = a.get("tax") or dict(DEFAULTS["tax"])
    a["terminal"] = a.get("terminal") or {"mining_ebitda_multiple": 3.0, "hosting_ebitda_multiple": 8.0}
    settings.put_assumptions(project, a)
    return plan_id
