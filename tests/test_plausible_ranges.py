"""Plausible ranges: a valid but unusual value is stored, with a visible warning naming the
typical range and its source; huge figures are written so they fit; refusals in planner words."""
import pytest
from hypothesis import given, strategies as st

from desktop.model import field_rules, field_words, scenario
from desktop.store import plans, sites


def test_every_numeric_field_has_words_and_a_plausible_range_inside_the_valid_one():
    sections = ["site", "fleet", "hall", "asic", "gpu"] + [s for s in scenario.FIELD_RULES if s not in ("site", "fleet")]
    for section in sections:
        for key, rule in field_rules.rules_for(section).items():
            if rule.kind not in ("number", "integer") or key in ("block_height_at_start", "start_month", "from_month"):
                continue
            w = field_words.words(section, key)
            assert field_words.known(section, key), (section, key)
            assert w.low is not None and w.high is not None, (section, key)
            assert w.source, (section, key)
            assert w.low <= w.high
            assert field_rules.check(section, key, w.high) is None or rule.kind == "integer", (section, key)


def test_words_of_a_refusal():
    assert field_words.sentence("colocation", "lease_usd_per_kw_month", "must be at least 0") \
        == "Lease rate must be at least $0/kW-month"
    assert field_words.explain("plan.conversions[0].build_months", "must be at least 0") \
        == "Build time must be at least 0 months"
    assert field_words.explain("line 7, column count", "is not a number") == "line 7, column count: is not a number"


@given(st.floats(min_value=0, max_value=1e300))
def test_plausibility_is_none_exactly_inside_the_range(value):
    warning = field_words.plausibility("site", "grid_capacity_mw", value)
    assert (warning is None) == (1 <= value <= 1000)


def test_a_huge_grid_is_stored_with_a_warning_beside_the_field(main_window, qtbot):
    view = main_window.views["Sites"]
    main_window.tabs.setCurrentWidget(view)
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    field = view.form.fields["grid_capacity_mw"]
    field.setText("1e12")
    field.commit_now()
    assert sites.get(project, red.id).grid_capacity_mw == 1e12          # accepted (it is valid)
    label = view.form.errors["grid_capacity_mw"]
    assert label.text() == "unusually high (typically at most 1,000 MW)"
    assert label.isVisible()
    assert "Typically 1 to 1,000 MW" in field.toolTip() and "source:" in field.toolTip()
    field.setText("130")
    field.commit_now()
    assert view.form.errors["grid_capacity_mw"].text() == ""
    assert field.warning_text == ""


def test_a_huge_lease_warns_in_the_terms_table_and_reads_in_scientific_form(main_window):
    from PySide6.QtCore import Qt

    from desktop.ui.plans.terms import BY_KEY, COLUMNS
    from desktop.ui.plans.terms_model import WARN_COLOR

    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    model = view.terms_model
    row = next(i for i, c in enumerate(model.rows) if c.mode == "colocation")
    col = COLUMNS.index(BY_KEY["lease_usd_per_kw_month"])
    index = model.index(row, col)
    assert model.setData(index, "1e30")
    assert plans.get_conversion(main_window.ctx.project, model.rows[row].id).lease_usd_per_kw_month == 1e30
    index = model.index(row, col)
    assert model.data(index) == "$1.00e+30"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) == WARN_COLOR
    assert "typically $50 to $300/kW-month" in model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_a_refused_term_is_said_in_planner_words_and_goes_after_a_good_edit(main_window):
    from desktop.ui.plans.terms import BY_KEY, COLUMNS

    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    model = view.terms_model
    row = next(i for i, c in enumerate(model.rows) if c.mode == "colocation")
    col = COLUMNS.index(BY_KEY["lease_usd_per_kw_month"])
    assert not model.setData(model.index(row, col), "-5")
    assert view.message.text() == "Lease rate must be at least $0/kW-month"
    assert "lease_usd" not in view.message.text()
    assert model.setData(model.index(row, col), "140")
    assert view.message.text() == ""


def test_huge_figures_are_written_short():
    from desktop.model.formatting import number, usd

    assert usd(1e30) == "$1.00e+30"
    assert usd(2.5e12) == "$2.50T"
    assert number(1e12, "MW") == "1.00e+12 MW"
    assert len(usd(-3.3e40)) <= 10


def test_axis_ticks_of_huge_values_stay_short():
    from desktop.charts.axes import usd_tick, usd_unit

    divisor, suffix = usd_unit(3e33)
    assert usd_tick(2e33, divisor, suffix, 1e33) == "$2.0e+33"
    assert usd_tick(-1.5e12, *usd_unit(2e12), 5e11) == "-$1.5T"
    assert usd_tick(50e6, *usd_unit(100e6), 50e6) == "$50M"


def test_an_unusual_market_assumption_is_marked_beside_its_spin_box(main_window):
    dash = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(dash)
    spin = dash.market.spins["btc_price_growth_pct_per_year"]
    assert spin.property("warning") == ""
    assert "Typically -50 to 100 %/yr" in spin.toolTip()
    dash.market.set_value("btc_price_growth_pct_per_year", 400)
    dash.market.flush()
    assert spin.property("warning") == "unusually high (typically at most 100 %/yr)"
    assert "unusually high" in spin.toolTip()


def test_a_lease_of_1e30_fits_the_tiles_and_the_axis(main_window, qtbot):
    from desktop.ui.plans.terms import BY_KEY, COLUMNS

    dash = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(dash)
    plans_view = main_window.views["Plans"]
    model = plans_view.terms_model
    row = next(i for i, c in enumerate(model.rows) if c.mode == "colocation")
    before = dash.live.evaluations
    assert model.setData(model.index(row, COLUMNS.index(BY_KEY["lease_usd_per_kw_month"])), "1e30")
    qtbot.waitUntil(lambda: dash.live.evaluations > before and not dash.live.pending, timeout=10000)
    tile = dash.tiles.tiles["delta_npv"]
    assert "e+" in tile.value.text() and len(tile.value.text()) <= 10
    assert tile.value.sizeHint().width() <= tile.value.width() + 1
    ticks = [t for level in dash.panels["cash"].plot.getAxis("left").tickStrings([1e33, 2e33], 1, 1e33)
             for t in [level]]
    assert all(len(t) <= 10 for t in ticks)
