"""Dashboard charts: the app's menu (export, copy values) instead of pyqtgraph's developer menu;
the mouse wheel scrolls the dashboard, Ctrl+wheel zooms the chart."""
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication


def _dashboard(main_window, qtbot):
    main_window.resize(1280, 800)
    view = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.panels["cash"].updates > 0, timeout=10000)
    return view


def _wheel(widget, modifiers=Qt.KeyboardModifier.NoModifier):
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_chart_menu_is_the_apps(main_window, qtbot):
    view = _dashboard(main_window, qtbot)
    panel = view.panels["cash"]
    assert not panel.plot.vb.menuEnabled() and panel.widget.scene().contextMenu == []
    texts = [a.text() for a in panel.menu.actions()]
    assert texts == ["Export chart as PNG…", "Export chart as SVG…", "Copy values", "", "Reset zoom"]
    assert panel.export_button.menu() is panel.menu
    panel.copy_values()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].startswith("Month\t") and len(lines) == panel.readout.months + 1
    assert lines[1].split("\t")[0] == panel.readout.start_month


def test_wheel_scrolls_the_page_and_ctrl_wheel_zooms(main_window, qtbot):
    view = _dashboard(main_window, qtbot)
    panel = view.panels["cash"]
    from PySide6.QtWidgets import QScrollArea
    area = panel.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)
    x_range = panel.plot.vb.viewRange()[0]
    _wheel(panel.widget.viewport())
    assert bar.value() > 0                                   # the page scrolled
    assert panel.plot.vb.viewRange()[0] == x_range           # the chart did not zoom
    _wheel(panel.widget.viewport(), Qt.KeyboardModifier.ControlModifier)
    assert panel.plot.vb.viewRange()[0] != x_range           # Ctrl+wheel zooms
