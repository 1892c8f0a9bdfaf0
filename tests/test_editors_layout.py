"""The editors fit a 1280 x 800 screen: the Sites view's forms scroll rather than making the
window taller than the screen."""


def test_sites_view_fits_1280x800(main_window, qtbot):
    main_window.resize(1280, 800)
    main_window.show()
    main_window.tabs.setCurrentWidget(main_window.views["Sites"])
    qtbot.waitUntil(lambda: main_window.views["Sites"].isVisible())
    assert main_window.views["Sites"].minimumSizeHint().height() < 600
    assert main_window.minimumSizeHint().height() <= 800 and main_window.height() <= 800
