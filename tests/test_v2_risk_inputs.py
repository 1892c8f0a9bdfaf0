"""The dashboard's Monte Carlo inputs: price volatilities and schedule risk reach
montecarlo.simulate (the dashboard's run and the PDF's), checked by the model's rule."""
from __future__ import annotations

from desktop.ui.context import ProjectContext


def test_risk_inputs_reach_the_dashboards_monte_carlo(qapp, qtbot, demo_project):
    from desktop.ui.dashboard.dashboard_view import DashboardView
    from desktop.ui.dashboard.risk_inputs import RISK_FIELDS, mc_options

    view = DashboardView(ProjectContext(demo_project))
    qtbot.addWidget(view)
    view.live.n_paths = 200
    assert {f.key for f in RISK_FIELDS} == set(view.live.mc_options)
    view.risk_inputs.spins["delay_probability_pct"].setValue(60)
    view.risk_inputs.spins["delay_months"].setValue(9)
    view.risk_inputs.spins["energy_volatility_pct_per_year"].setValue(30)
    assert mc_options()["delay_probability_pct"] == 60.0 and view.live.mc_options["delay_months"] == 9
    with qtbot.waitSignal(view.riskUpdated, timeout=60_000):
        view.live.start_risk()
    params = view.live.risk.montecarlo.params
    assert (params.delay_probability_pct, params.delay_months, params.energy_volatility_pct_per_year) == (60.0, 9, 30.0)


def test_a_risk_input_the_model_refuses_is_not_kept(qapp, qtbot):
    from desktop.ui.dashboard.risk_inputs import RiskInputs, mc_options

    widget = RiskInputs()
    qtbot.addWidget(widget)
    before = mc_options()["delay_months"]
    widget.set_value("delay_months", 10_000)
    assert "Late by" in widget.message.text() and mc_options()["delay_months"] == before


def test_the_pdf_runs_the_dashboards_monte_carlo(qapp, demo_project):
    from desktop.export import report_data
    from desktop.ui import preferences
    from desktop.ui.export_actions import montecarlo_settings

    preferences.put(preferences.MC_DELAY_PROBABILITY_PCT, 40.0)
    settings = montecarlo_settings()
    assert settings["mc_options"]["delay_probability_pct"] == 40.0
    settings["mc_paths"] = 100
    data = report_data.gather(demo_project, report_data.resolve_plan(demo_project), **settings)
    assert data.mc.params.delay_probability_pct == 40.0
    assert data.mc.params.btc_volatility_pct_per_year == preferences.get(preferences.MC_VOLATILITY_PCT)
