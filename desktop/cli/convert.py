"""`rackshift convert PROJECT.sqlite --site S --hall H --positions SPEC --to SYSTEM
[--racks N] [--month M] [--plan NAME] [--strict]`: convert rack positions to GPU racks.

The same conversion as the floor-plan editor's Convert button, written in one transaction:
SPEC names positions by label and range (`A01-A40,C05`) or `all`; by default as many GPU
racks as the freed power allows are placed (power-neutral) on the first positions in
reading order and the rest are retired; `--racks N` places N instead. `--month` is a
0-based month of the horizon or `YYYY-MM` (default: the first month). The plan is `--plan`
(created if it does not exist), else the current plan, else a new "Plan 1".

Prints what it did and the breaches. Exit status: 0 done; 3 done but with breaches and
`--strict` (the conversion is kept, marked); 2 bad input (unknown site, hall or system, a
bad SPEC or month, positions already converted in the plan...), with nothing written.
"""
from __future__ import annotations

from desktop.model.conversion import label_ranges
from desktop.model.errors import InputError
from desktop.model.months import month_label


def add_arguments(parser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("--site", required=True, help="site name")
    parser.add_argument("--hall", required=True, help="hall name within the site")
    parser.add_argument("--positions", required=True, metavar="SPEC", help="labels and ranges (A01-A40,C05) or all")
    parser.add_argument("--to", required=True, metavar="SYSTEM", help="GPU system from the catalog")
    parser.add_argument("--racks", type=int, help="GPU racks to place (default: power-neutral)")
    parser.add_argument("--month", default="0", help="start month: offset in the horizon or YYYY-MM (default 0)")
    parser.add_argument("--plan", help="plan name (created if missing; default: the current plan)")
    parser.add_argument("--strict", action="store_true", help="exit 3 when the conversion has breaches")


def _names(items) -> str:
    return ", ".join(repr(i.name) for i in items) or "none"


def _plan(project, name: str | None):
    """(plan id or None, name, create?) for the conversion."""
    from desktop.store import plans, settings

    if name is not None:
        if not name.strip():
            raise InputError("plan", "the plan name is empty")
        plan = plans.by_name(project, name)
        return (plan.id, plan.name, False) if plan else (None, name, True)
    current = settings.current_plan_id(project)
    existing = {p.id: p for p in plans.plans(project)}
    if current in existing:
        return current, existing[current].name, False
    from desktop.store.conversions import next_plan_name

    return None, next_plan_name(project), True


def run(args) -> int:
    from desktop.store import catalog, conversions, halls, settings, sites
    from desktop.store.project import open_project

    project = open_project(args.project)
    try:
        site = sites.by_name(project, args.site)
        if site is None:
            raise InputError("site", f"no site named {args.site!r} (sites: {_names(sites.sites(project))})")
        hall = halls.by_name(project, site.id, args.hall)
        if hall is None:
            raise InputError("hall", f"{site.name} has no hall named {args.hall!r} "
                                     f"(halls: {_names(halls.halls(project, site.id))})")
        gpu = catalog.by_name(project, args.to)
        if gpu is None or gpu.kind != "gpu":
            raise InputError("to", f"{args.to!r} is not a GPU system in the catalog "
                                   f"(GPU systems: {_names(catalog.models(project, 'gpu'))})")
        if args.racks is not None and args.racks < 1:
            raise InputError("racks", "must be at least 1")
        month = conversions.parse_month(project, args.month)
        plan_id, plan_name, create = _plan(project, args.plan)
        table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
        indices = table.select_spec(args.positions)
        plan_id, cid, proposal = conversions.convert_into(project, None if create else plan_id, plan_name, hall.id,
                                                          indices, gpu.id, month, args.racks, table=table,
                                                          make_current=True)
        start = settings.assumptions(project)["start_month"]
        names = {m.id: m.name for m in catalog.models(project)}
    finally:
        project.close()
    _print(proposal, table, site, hall, gpu, plan_name, create, cid, month_label(start, month), args.racks, names)
    return 3 if args.strict and proposal.breaches else 0


def _print(proposal, table, site, hall, gpu, plan_name, created, cid, month, racks, names) -> None:
    at = table.index_of()

    def spec(ids):
        idx = [at[int(p)] for p in ids]
        return label_ranges([table.labels[i] for i in idx], table.rows[idx], table.cols[idx]) or "none"

    miners = sum(proposal.miners_removed.values())
    by_model = ", ".join(f"{name} {n:,}" for name, n in
                         sorted((names.get(mid, f"model #{mid}"), n) for mid, n in proposal.miners_removed.items()))
    print(f"converted {proposal.positions:,} positions of {site.name} / {hall.name} to {gpu.name} "
          f"from {month}, in plan {plan_name!r}{' (new)' if created else ''}, conversion {cid}")
    print(f"  positions          {proposal.positions:,}")
    how = "power-neutral" if not racks else "as asked" if racks == proposal.racks_placed else \
        f"{racks:,} asked; one a position at most"
    print(f"  GPU racks          {proposal.racks_placed:,} ({how}): "
          f"{spec(proposal.gpu_positions)}")
    print(f"  retired            {len(proposal.retired_positions):,}: {spec(proposal.retired_positions)}")
    print(f"  critical IT        {proposal.critical_it_mw:,.3f} MW")
    print(f"  grid power freed   {proposal.freed_grid_mw:,.3f} MW")
    print(f"  miners removed     {miners:,}" + (f" ({by_model})" if by_model else ""))
    print(f"  hashrate removed   {proposal.hashrate_removed_ths / 1000:,.1f} PH/s")
    if proposal.breaches:
        print(f"breaches ({len(proposal.breaches)}):")
        for b in proposal.breaches:
            print(f"  - {b}")
    else:
        print("breaches: none")
