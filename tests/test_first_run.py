"""First run: the demo says it is sample data and how to start your own project; a new empty
project shows its next steps as buttons that do them; a new plan asks for its name."""
from desktop.store import plans, sites


def test_the_demo_says_it_is_sample_data(main_window):
    steps = main_window.views["Summary"].next_steps
    assert steps.isVisible() and steps.note.isVisible()
    assert "sample data" in steps.note.text() and "File > New" in steps.note.text()
    assert not any(b.isVisible() for b in steps.buttons.values())


def test_a_new_project_shows_next_steps_as_buttons(qtbot, tmp_path):
    from desktop.app import make_application
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import new_session

    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_session(new_session(tmp_path / "new.sqlite"))
    window.show()
    summary = window.views["Summary"]
    steps = summary.next_steps
    assert steps.isVisible() and not steps.note.isVisible()
    shown = [k for k, b in steps.buttons.items() if b.isVisible()]
    assert shown == ["site", "fleet", "plan"]               # placing needs a fleet and a hall first
    steps.buttons["site"].click()
    project = window.ctx.project
    assert len(sites.sites(project)) == 1 and window.tabs.currentWidget() is window.views["Sites"]
    assert not steps.buttons["site"].isVisible()
    plans_view = window.views["Plans"]
    plans_view.ask_name = lambda title, suggested: "First plan"
    steps.buttons["plan"].click()
    assert [p.name for p in plans.plans(project)] == ["First plan"]
    assert window.tabs.currentWidget() is plans_view
    assert not steps.buttons["plan"].isVisible()
    window.close()
