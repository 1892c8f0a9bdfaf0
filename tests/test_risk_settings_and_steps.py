"""The Monte Carlo's inputs are shown and editable on the dashboard, and the run (and the PDF)
uses them; the market sliders move in sensible steps over the plausible range while the spin
boxes take the valid one; months are written one way (2027-06 (Jun))."""
import pytest

from desktop.store import settings
from desktop.ui import preferences


@pytest.fixture
def dash(main_window, qtbot):
    view = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(view)
    return view


def test_volatilities_and_lag_are_on_the_dashboard_and_drive_the_run(dash, qtbot, main_window):
    from desktop.ui.export_actions import montecarlo_settings

    risk = dash.risk_inputs
    assert risk.isVisible()
    lag = risk.spins["hashrate_lag_months"]
    assert lag.isVisible() and lag.value() == 6
    assert "Typically" in lag.toolTip()
    risk.set_value("btc_volatility_pct_per_year", 65)
    risk.set_value("hashrate_lag_months", 9)
    assert preferences.get(preferences.MC_VOLATILITY_PCT) == 65
    assert preferences.get(preferences.MC_HASHRATE_LAG_MONTHS) == 9
    assert dash.live.mc_options["hashrate_lag_months"] == 9
    qtbot.waitUntil(lambda: dash.live.risk is not None and dash.live.risk.montecarlo is not None
                    and dash.live.risk.montecarlo.params.hashrate_lag_months == 9, timeout=60000)
    assert dash.live.risk.montecarlo.params.btc_volatility_pct_per_year == 65
    mc = montecarlo_settings()
    assert mc["btc_volatility_pct_per_year"] == 65 and mc["mc_options"]["hashrate_lag_months"] == 9
    risk.set_value("hashrate_lag_months", 9)


def test_the_pdf_quotes_the_planners_monte_carlo(demo_project):
    from desktop.export import report_data

    data = report_data.gather(demo_project, settings.current_plan_id(demo_project), mc_paths=200,
                              btc_volatility_pct_per_year=65, mc_options={"hashrate_lag_months": 9})
    assert data.mc.params.hashrate_lag_months == 9
    assert data.mc.params.btc_volatility_pct_per_year == 65


def test_a_small_drag_of_the_growth_slider_is_a_small_step(dash):
    from desktop.ui.plans.market_panel import BY_KEY

    spec = BY_KEY["btc_price_growth_pct_per_year"]
    slider = dash.market.sliders["btc_price_growth_pct_per_year"]
    spin = dash.market.spins["btc_price_growth_pct_per_year"]
    assert spec.slider_range == (-50, 100) and slider.maximum() == 30    # 5 %/yr a step over the plausible range
    before = spin.value()
    slider.setValue(slider.value() + 1)
    assert spin.value() - before == pytest.approx(5)
    assert slider.pageStep() == 3
    dash.market.flush()
    assert spin.minimum() < -99 and spin.maximum() >= 1000               # the spin box takes every valid value


def test_months_are_written_one_way(main_window):
    from desktop.model.months import month_display
    from desktop.ui.month_spin import MonthSpinBox

    assert month_display("2027-06") == "2027-06 (Jun)"
    box = MonthSpinBox("2026-12", 120)
    box.setValue(6)
    assert box.text() == "2027-06 (Jun)"
    for typed in ("2027-06", "2027-06 (Jun)", "Jun 2027", "m6", "6"):
        assert box.parse(typed) == 6, typed
    assert box.minimumWidth() >= box.fontMetrics().horizontalAdvance("2027-09 (Sep)")
    plans_view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(plans_view)
    assert plans_view.terms_form.editors["start_month"].text() == "2027-06 (Jun)"
    dash = main_window.views["Dashboard"]
    assert dash.market.start.text() == "2026-12" and dash.market.start_name.text() == "December 2026"
