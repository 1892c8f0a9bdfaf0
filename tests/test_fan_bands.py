"""The Monte Carlo bands are shaded between their percentiles on a chart drawn for the first
time (a new project's dashboard): the fill items' polygons are the P5..P95 and P25..P75 data.

The fill used to be made from PlotDataItems, which clip their curve to the view again when the
view range changes without telling the fill: a first draw kept the clip of the unit-high
default view (+-1e6), so only the bands' edges and a sliver near zero were shaded."""
import numpy as np
import PySide6  # noqa: F401  (before pyqtgraph)
import pyqtgraph as pg

from desktop.charts import charts
from desktop.model import engine, montecarlo
from desktop.store import scenario_export, settings


def _polygon(fill) -> np.ndarray:
    polygons = fill.path().toSubpathPolygons()
    assert len(polygons) == 1
    return np.array([(p.x(), p.y()) for p in polygons[0]])


def test_bands_of_a_first_draw_are_filled_between_their_percentiles(qtbot, demo_project):
    scenario = scenario_export.scenario_from_project(demo_project, settings.current_plan_id(demo_project))
    mc = montecarlo.simulate(scenario, 300, seed=1, detail=engine.evaluate_detail(scenario))
    widget = pg.PlotWidget()                 # a new chart: the view still at its default range
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    plot = widget.getPlotItem()
    charts.draw_fan(plot, mc)
    bands = mc.delta.cumulative_cash_percentiles_usd
    months = bands.shape[1]
    assert np.abs(bands[0]).max() > 1e7      # well beyond the default view's clip
    for key, lo, hi in (("outer", 0, 4), ("inner", 1, 3)):
        poly = _polygon(plot._rs_items[key])
        assert len(poly) == 2 * months
        np.testing.assert_allclose(poly[:months, 1], bands[lo], rtol=1e-9, atol=1e-3)
        np.testing.assert_allclose(poly[months:, 1], bands[hi][::-1], rtol=1e-9, atol=1e-3)
    rect = plot._rs_items["outer"].path().boundingRect()
    assert rect.top() <= bands[0].min() + 1 and rect.bottom() >= bands[4].max() - 1
