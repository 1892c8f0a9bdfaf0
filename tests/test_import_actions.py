"""File > Import Scenario / Fleet CSV / NetBox Device Types and Export Scenario, through the
main window's controller: previews built without a modal loop, errors listed, undo."""
import json
from pathlib import Path

import pytest

from desktop.model.scenario import load_scenario_file
from desktop.store import catalog, sites

HERE = Path(__file__).resolve().parent
_SHARED = HERE.parents[1] / "shared" / "golden"
GOLDEN = _SHARED if _SHARED.is_dir() else HERE / "golden"
DEVICETYPES = HERE / "data" / "devicetypes"


@pytest.fixture
def imports(main_window):
    errors = []
    main_window.imports.error = lambda title, exc: errors.append(str(exc))
    main_window.imports.errors = errors
    return main_window.imports


def test_menu_entries_exist(main_window):
    texts = [a.text() for a in main_window.menus["File"].actions()]
    for text in ("&Import Scenario…", "Import &Fleet CSV…", "Import NetBox &Device Types…", "Import NetBox Rac&ks…",
                 "&Export Scenario…"):
        assert text in texts


def test_import_scenario_opens_the_new_project(main_window, imports, qtbot, tmp_path):
    target = tmp_path / "g5.sqlite"
    imports.import_scenario_file(str(GOLDEN / "g5-staged-two-sites.json"), str(target))
    qtbot.waitUntil(lambda: main_window.ctx.project.path == target.resolve(), timeout=10000)
    assert [s.name for s in sites.sites(main_window.ctx.project)] == ["West Mesa", "East Creek"]
    assert main_window.ctx.plan_id is not None and not imports.errors


def test_import_bad_scenario_shows_the_error_and_writes_nothing(main_window, imports, qtbot, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "bad.sqlite"
    before = main_window.ctx.project.path
    imports.import_scenario_file(str(GOLDEN / "bad-unknown-site.json"), str(target))
    qtbot.waitUntil(lambda: bool(imports.errors), timeout=10000)
    assert "plan.conversions[0].site: unknown site" in imports.errors[0]
    assert not target.exists() and list((tmp_path / "out").iterdir()) == []
    assert main_window.ctx.project.path == before


def test_import_scenario_refuses_the_open_project(main_window, imports):
    imports.import_scenario_file(str(GOLDEN / "g1-single-site.json"), str(main_window.ctx.project.path))
    assert "is the project open now" in imports.errors[0]


def test_export_scenario_round_trip(main_window, imports, tmp_path):
    target = tmp_path / "out.json"
    assert imports.export_scenario_file(str(target))
    scenario = load_scenario_file(target)
    assert len(scenario["sites"]) == 3 and scenario["plan"]["name"] == "Red Mesa Hall C to colocation"


CSV_GOOD = ("site,model,count,hashrate_ths,power_w,uptime_pct,resale_usd_per_ths\n"
            "Red Mesa,Antminer S21,12500,,,97,\n"
            "Wolf Creek,Bitaxe Gamma,10,1.2,17,,\n")


def test_fleet_csv_preview_accept_and_undo(main_window, imports, qtbot, tmp_path):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    path = tmp_path / "fleet.csv"
    path.write_text(CSV_GOOD)
    imports.open_fleet_csv(str(path))
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    assert dialog.can_import and dialog.model.rowCount() == 2
    assert dialog.model.rows[0]["change"] == "update: count 12,000 → 12,500, uptime 96 → 97"
    assert "1 new catalog model(s): Bitaxe Gamma" in dialog.summary.text()
    dialog.accept()                    # written in the background, then one undoable step
    qtbot.waitUntil(lambda: stack.count() == 1, timeout=10000)
    red = sites.by_name(project, "Red Mesa")
    assert next(e.count for e, m in sites.fleet(project, red.id) if m.name == "Antminer S21") == 12500
    assert catalog.by_name(project, "Bitaxe Gamma") is not None
    assert any(r["count"] == 12500 for r in main_window.views["Fleet"].model.rows)
    stack.undo()
    assert next(e.count for e, m in sites.fleet(project, red.id) if m.name == "Antminer S21") == 12000
    assert catalog.by_name(project, "Bitaxe Gamma") is None


def test_fleet_csv_errors_listed_and_nothing_stored(main_window, imports, qtbot, tmp_path):
    project = main_window.ctx.project
    path = tmp_path / "bad.csv"
    path.write_text("site,model,count,uptime_pct\n"
                    "Red Mesa,Antminer S21,12100,50\n"
                    "Red Mesa,Antminer S19 XP,lots,50\n"
                    "Atlantis,Antminer S21,1,50\n")
    imports.open_fleet_csv(str(path))
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    errors = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert errors == ["line 3, column count: must be a whole number",
                      "line 4, column site: no site named 'Atlantis' (sites: Red Mesa, Lac Bleu, Wolf Creek)"]
    assert not dialog.can_import and "nothing will be imported" in dialog.summary.text()
    dialog.accept()
    assert dialog.result() == 0 and main_window.ctx.undo_stack.count() == 0
    red = sites.by_name(project, "Red Mesa")
    assert next(e.count for e, m in sites.fleet(project, red.id) if m.name == "Antminer S21") == 12000


def test_fleet_csv_unreadable_file(main_window, imports, qtbot, tmp_path):
    imports.open_fleet_csv(str(tmp_path / "missing.csv"))
    qtbot.waitUntil(lambda: bool(imports.errors), timeout=10000)
    assert "no such file" in imports.errors[0]


def _row(dialog, source):
    return next(i for i, d in enumerate(dialog.devices) if d.source == source)


def test_devicetypes_preview_override_accept_undo(main_window, imports, qtbot, tmp_path):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    bad = tmp_path / "broken.yaml"
    bad.write_text("manufacturer: X\nmodel: [unclosed\n")
    paths = [str(DEVICETYPES / n) for n in ("Nvidia-DGC-A100.yaml", "Supermicro-AS-8125GS-TNMR2.yml",
                                            "Supermicro-ARS-121GL-NB3-LCC-R1.yaml", "Dell-PowerEdge-R760.yml")]
    imports.open_devicetypes(paths + [str(bad)])
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    messages = dialog.error_messages
    # every refused file is listed, not only the first
    assert any(m.startswith("broken.yaml: line") for m in messages)
    assert any("is_powered is false" in m for m in messages) and not dialog.can_import
    assert any(m.startswith("Dell-PowerEdge-R760.yml: power-ports") for m in messages)
    rows = {r["file"]: r for r in dialog.model.rows}
    assert rows["Supermicro-AS-8125GS-TNMR2.yml"]["power_basis"].startswith("N+N: 6 identical 3,000 W")
    assert rows["Nvidia-DGC-A100.yaml"]["power_basis"].startswith("allocated_draw of 2 port(s)")
    assert rows["Supermicro-ARS-121GL-NB3-LCC-R1.yaml"]["cooling"] == "air (liquid proposed)"
    dialog.file_errors = []  # the planner drops the broken file
    # the tray: 18 a rack, 135 kW, the name's liquid proposal taken
    dialog.select_file(_row(dialog, "Supermicro-ARS-121GL-NB3-LCC-R1.yaml"))
    dialog.servers.setValue(18)
    dialog.rack_kw.setValue(135)
    dialog.cooling.setCurrentIndex(dialog.cooling.findData("proposed"))
    assert dialog.allowance.value() == 800
    # the R760 has no GPUs: confirmed as a GPU system with 2 GPUs given
    dialog.select_file(_row(dialog, "Dell-PowerEdge-R760.yml"))
    assert "no GPUs in" in dialog.model.rows[_row(dialog, "Dell-PowerEdge-R760.yml")]["warnings"]
    dialog.w_server.setValue(1400)
    assert any(m.startswith("Dell-PowerEdge-R760.yml: GPUs: none found") for m in dialog.error_messages)
    dialog.gpus.setValue(2)
    assert "no GPUs in" not in dialog.model.rows[_row(dialog, "Dell-PowerEdge-R760.yml")]["warnings"]
    # the MI300X: 4 a rack, every supply loaded (the planner's choice for this file only)
    dialog.select_file(_row(dialog, "Supermicro-AS-8125GS-TNMR2.yml"))
    dialog.servers.setValue(4)
    dialog.rule.setCurrentIndex(dialog.rule.findData("sum"))
    # the DGX: its comment disagrees until the planner sets the power
    dgx = _row(dialog, "Nvidia-DGC-A100.yaml")
    dialog.select_file(dgx)
    assert "6.5 kW" in dialog.model.rows[dgx]["warnings"]
    dialog.rack_kw.setValue(6.5)
    assert dialog.model.rows[dgx]["warnings"] == ""
    assert dialog.can_import and len(dialog.entries) == 4, dialog.error_messages
    by_name = {e.name: e for e in dialog.entries}
    assert by_name["18x ARS-121GL-NB3-LCC-R1 rack"].cooling == "liquid"
    assert by_name["18x ARS-121GL-NB3-LCC-R1 rack"].weight_kg == 1376
    assert by_name["4x AS-8125GS-TNMR2 rack"].rack_power_kw == 72
    assert by_name["PowerEdge R760"].gpus_per_rack == 2
    dialog.accept()
    assert catalog.by_name(project, "18x ARS-121GL-NB3-LCC-R1 rack").rack_power_kw == 135
    gpu_rows = [r["name"] for r in main_window.views["Catalog"].gpu.model.rows]
    assert "4x AS-8125GS-TNMR2 rack" in gpu_rows
    stack.undo()
    assert catalog.by_name(project, "18x ARS-121GL-NB3-LCC-R1 rack") is None


def test_devicetype_settings_use_for_every_file(main_window, imports, qtbot):
    paths = [str(DEVICETYPES / n) for n in ("Supermicro-AS-8125GS-TNMR2.yml", "Supermicro-AS-4126GS-NMR-LCC.yml")]
    imports.open_devicetypes(paths)
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    dialog.select_file(0)
    dialog.servers.setValue(4)
    assert [o.servers_per_rack for o in dialog.options] == [4, 1]   # one file's setting stays that file's
    dialog.apply_to_all()
    assert [e.name for e in dialog.entries] == ["4x AS-8125GS-TNMR2 rack", "4x AS-4126GS-NMR-LCC rack"]
    assert [e.rack_power_kw for e in dialog.entries] == [36, 52.8]


def test_dialog_models_pass_qtmodeltester(main_window, imports, qtbot, tmp_path, qtmodeltester):
    path = tmp_path / "fleet.csv"
    path.write_text(CSV_GOOD)
    imports.open_fleet_csv(str(path))
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    qtbot.addWidget(imports.dialog)
    qtmodeltester.check(imports.dialog.model)
    imports.open_devicetypes([str(DEVICETYPES / "Supermicro-AS-8125GS-TNMR2.yml")])
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    qtbot.addWidget(imports.dialog)
    qtmodeltester.check(imports.dialog.model)


def test_export_to_a_missing_folder_is_an_error(main_window, imports, tmp_path):
    assert not imports.export_scenario_file(str(tmp_path / "no" / "such" / "out.json"))
    assert imports.errors and "out.json" in imports.errors[0]


def test_devicetype_dialog_tray_needs_rack_power(main_window, imports, qtbot):
    imports.open_devicetypes([str(DEVICETYPES / "Supermicro-ARS-121GL-NB3-LCC-R1.yaml")])
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=10000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    assert not dialog.can_import and "is_powered is false" in dialog.error_messages[0]
    dialog.accept()
    assert main_window.ctx.undo_stack.count() == 0
    dialog.servers.setValue(18)
    dialog.rack_kw.setValue(135)
    assert dialog.can_import and dialog.entries[0].gpus_per_rack == 72
