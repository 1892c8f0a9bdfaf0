"""A conversion's breaches follow edits of what it rests on: the hall's limits, the site's
grid, the GPU system; undo brings the breaches back (they are derived when read)."""
from desktop.store import catalog, checks, halls, plans, sites
from desktop.store import conversions as conv_store
from desktop.ui.editors import edit_ops


def _convert(ctx, site_name, hall_name, spec, system):
    project = ctx.project
    site = sites.by_name(project, site_name)
    hall = halls.by_name(project, site.id, hall_name)
    table = halls.positions(project, hall_id=hall.id, plan_id=ctx.plan_id)
    indices = table.select_spec(spec)
    gpu = catalog.by_name(project, system)
    cid, _ = conv_store.convert(project, ctx.plan_id, hall.id, indices[table.model_ids[indices] >= 0], gpu.id, 3,
                                table=table)
    return hall, cid


def test_raising_a_halls_feed_clears_the_rack_feed_breach_and_undo_restores_it(main_window):
    ctx = main_window.ctx
    hall, cid = _convert(ctx, "Red Mesa", "Hall A", "A01-C40", "4x DGX H100 rack")
    before = checks.conversion_breaches(ctx.project, cid)
    assert any(b.startswith("rack feed") for b in before)
    edit_ops.update_hall(ctx, hall.id, "max_rack_kw", hall.max_rack_kw, 45.0)
    assert not any(b.startswith("rack feed") for b in checks.conversion_breaches(ctx.project, cid))
    ctx.undo_stack.undo()
    assert checks.conversion_breaches(ctx.project, cid) == before


def test_shrinking_a_sites_grid_adds_a_grid_breach(main_window):
    ctx = main_window.ctx
    hall, cid = _convert(ctx, "Lac Bleu", "Hall 2", "A01-D40", "GB200 NVL72")
    assert checks.conversion_breaches(ctx.project, cid) == []
    site = sites.get(ctx.project, hall.site_id)
    edit_ops.update_site(ctx, site.id, "grid_capacity_mw", site.grid_capacity_mw, 40.0)
    check = checks.plan_check(ctx.project, ctx.plan_id)
    [grid] = [b for b in check.breaches if b.rule == "site grid" and b.site == "Lac Bleu"]
    assert "in the baseline" in grid.message and grid.blocks_economics and grid.conversion_id is None
    assert "raise Lac Bleu's grid capacity" in grid.resolve
    ctx.undo_stack.undo()
    assert checks.conversion_breaches(ctx.project, cid) == []
    assert not [b for b in checks.plan_check(ctx.project, ctx.plan_id).breaches if b.site == "Lac Bleu"]
