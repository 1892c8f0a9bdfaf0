"""The dashboard on a laptop: one column of charts (legends and titles whole), and a bar of
buttons that brings any chart, the risk charts too, into view."""
from PySide6.QtWidgets import QApplication


def test_dashboard_columns_and_jump_bar(main_window, qtbot):
    dash = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(dash)
    main_window.resize(1280, 800)
    qtbot.waitUntil(lambda: dash.columns == 1, timeout=5000)
    fan = dash.panels["fan"]
    bar = dash.scroll.verticalScrollBar()
    bar.setValue(0)
    QApplication.processEvents()
    assert not fan.visibleRegion().boundingRect().height() > fan.height() * 0.5
    dash.jump_buttons["fan"].click()
    QApplication.processEvents()
    assert bar.value() > 0
    assert fan.visibleRegion().boundingRect().height() >= min(fan.height(), dash.scroll.viewport().height()) - 2
    main_window.resize(1920, 1080)
    qtbot.waitUntil(lambda: dash.columns == 2, timeout=5000)
    cash, revenue = dash.panels["cash"], dash.panels["revenue"]
    assert cash.y() == revenue.y() and cash.x() < revenue.x()
