"""The Summary says how many miners the fleet owns and how many stand on the floor."""
from desktop.store import summary, sites
from desktop.ui.summary_view import summary_html


def test_site_and_portfolio_summary_split_owned_and_racked(main_window):
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    fleet = main_window.views["Fleet"]
    fleet.set_site(red.id)
    from PySide6.QtCore import Qt
    row = next(i for i, r in enumerate(fleet.model.rows) if r["model"] == "Antminer S21")
    assert fleet.proxy.setData(fleet.proxy.mapFromSource(fleet.model.index(row, fleet.model.column_of("count"))),
                               12500, Qt.ItemDataRole.EditRole)
    data = summary.site_summary(project, red.id)
    assert (data["miners"], data["miners_racked"]) == (30900, 30400)
    html = summary_html(data)
    assert "Miners owned" in html and "30,400 / 500" in html
    assert summary.portfolio_summary(project)["miners_racked"] == summary.portfolio_summary(project)["miners"] - 500
    main_window.tree.select("site", red.id)
    assert "30,400 / 500" in main_window.views["Summary"].toHtml()
