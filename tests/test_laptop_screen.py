"""At 1280x800 (a laptop) every main view fits: no visible label is cut (its text is wider
than the label, or a wrapped label needs more height than it has) and no table needs a
horizontal scroll bar."""
import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QTableView

from desktop.ui.views import VIEWS


def _settle(qtbot, rounds=15):
    for _ in range(rounds):
        QApplication.processEvents()
        qtbot.wait(10)


def cut_labels(root) -> list[str]:
    out = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip() or label.pixmap() is not None and not label.pixmap().isNull():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                out.append(f"{label.objectName() or label.text()[:40]!r}: needs {need} px high, has {label.height()}")
        elif label.sizeHint().width() > label.width() + 1:
            out.append(f"{label.objectName() or label.text()[:40]!r}: needs {label.sizeHint().width()} px, has {label.width()}")
    return out


def scrolled_tables(root) -> list[str]:
    """Tables that show a horizontal scroll bar, or whose columns run past their edge (a table
    with the bar turned off would otherwise hide the overflow)."""
    out = []
    for view in root.findChildren(QAbstractItemView):
        if not view.isVisible():
            continue
        header = view.horizontalHeader() if isinstance(view, QTableView) else None
        if view.horizontalScrollBar().isVisible() or (header is not None and header.length() > view.viewport().width() + 1):
            out.append(view.objectName() or type(view).__name__)
    return out


@pytest.mark.parametrize("title", [title for title, _ in VIEWS])
def test_every_view_fits_a_laptop_screen(main_window, qtbot, title):
    main_window.resize(1280, 800)
    _settle(qtbot)
    main_window.tabs.setCurrentWidget(main_window.views[title])
    _settle(qtbot, 40)
    view = main_window.views[title]
    assert main_window.width() == 1280
    assert cut_labels(view) == []
    assert scrolled_tables(view) == []
