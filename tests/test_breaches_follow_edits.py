"""A conversion's breaches follow edits of what it rests on: the hall's limits, the site's
grid, the GPU system; undo brings the recorded breaches back."""
from desktop.store import catalog, halls, plans, sites
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
    before = plans.get_conversion(ctx.project, cid).breaches
    assert any(b.startswith("rack feed") for b in before)
    edit_ops.update_hall(ctx, hall.id, "max_rack_kw", hall.max_rack_kw, 45.0)
    assert not any(b.startswith("rack feed") for b in plans.get_conversion(ctx.project, cid).breaches)
    ctx.undo_stack.undo()
    assert plans.get_conversion(ctx.project, cid).breaches == before


def test_shrinking_a_sites_grid_adds_a_grid_breach(main_window):
    ctx = main_window.ctx
    hall, cid = _convert(ctx, "Lac Bleu", "Hall 2", "A01-D40", "GB200 NVL72")
    assert plans.get_conversion(ctx.project, cid).breaches == []
    site = sites.get(ctx.project, hall.site_id)
    edit_ops.update_site(ctx, site.id, "grid_capacity_mw", site.grid_capacity_mw, 40.0)
    assert any(b.startswith("site grid") for b in plans.get_conversion(ctx.project, cid).breaches)
    ctx.undo_stack.undo()
    assert plans.get_conversion(ctx.project, cid).breaches == []
