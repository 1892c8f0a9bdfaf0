"""NetBox both ways: the export validated by the devicetype-library's schema and by re-import,
NetBox's own CSV exports read into halls and positions, and the round trip of a plan."""
import csv
import decimal
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings as hsettings, strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from desktop.cli import main
from desktop.export import netbox_csv, netbox_devicetype
from desktop.model.devicetypes import read_devicetype
from desktop.model.errors import InputError
from desktop.model.months import month_label
from desktop.model.netbox_csv import parse_csv, read_netbox
from desktop.store import catalog, checks, devicetype_import, halls, plans, settings, sites
from desktop.store.devicetype_import import RackOptions
from desktop.store.project import open_project

DATA = Path(__file__).resolve().parent / "data" / "devicetypes"
SCHEMA = DATA / "schema"


class DecimalLoader(yaml.SafeLoader):
    """Floats as Decimal, as the library's own tests load its files (multipleOf 0.01 on floats fails)."""


DecimalLoader.add_constructor("tag:yaml.org,2002:float",
                              lambda loader, node: decimal.Decimal(loader.construct_scalar(node)))


def _validator() -> Draft202012Validator:
    registry = Registry()
    for path in SCHEMA.glob("*.json"):
        registry = Resource.from_contents(json.loads(path.read_text(), parse_float=decimal.Decimal)) @ registry
    schema = json.loads((SCHEMA / "devicetype.json").read_text(), parse_float=decimal.Decimal)
    return Draft202012Validator(schema, registry=registry)


def _check_library_file(text: str) -> None:
    """What the library's tests ask of a device-type file: valid by the schema, ASCII, final new line."""
    assert text.endswith("\n") and text.isascii()
    _validator().validate(yaml.load(text, Loader=DecimalLoader))


@pytest.mark.parametrize("path", sorted(p for p in DATA.glob("*.y*ml") if p.name != "Nvidia-DGC-A100.yaml"),
                         ids=lambda p: p.name)
def test_the_schema_copy_accepts_the_librarys_own_files(path):
    _validator().validate(yaml.load(path.read_text(), Loader=DecimalLoader))


def test_the_schema_copy_refuses_the_dgx_a100_file_as_the_library_publishes_it():
    """The library's DGC-A100.yaml types a console port as 1000base-t: the schema says no."""
    with pytest.raises(ValidationError, match="1000base-t"):
        _validator().validate(yaml.load((DATA / "Nvidia-DGC-A100.yaml").read_text(), Loader=DecimalLoader))


@pytest.mark.parametrize("change", [{"u_height": decimal.Decimal("1.3")}, {"airflow": "sideways"}, {"slug": "Not A Slug"},
                                    {"power-ports": [{"name": "PSU1", "type": "iec-60320-c20", "maximum_draw": "3 kW"}]},
                                    {"is_full_depth": None}])
def test_the_schema_refuses_what_netbox_refuses(change):
    data = yaml.load((DATA / "Supermicro-AS-8125GS-TNMR2.yml").read_text(), Loader=DecimalLoader)
    _validator().validate(data)
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ValidationError):
        _validator().validate(data)


def _imported_catalog(project):
    """The seed catalog plus the real files as imported racks (the tray powered by the rack)."""
    files = [("Supermicro-AS-8125GS-TNMR2.yml", RackOptions(servers_per_rack=4)),
             ("Supermicro-AS-4126GS-NMR-LCC.yml", RackOptions(servers_per_rack=2, cooling="proposed")),
             ("Supermicro-ARS-121GL-NB3-LCC-R1.yaml", RackOptions(servers_per_rack=18, power_kw_per_rack=135,
                                                                  cooling="proposed")),
             ("Nvidia-DGC-A100.yaml", RackOptions())]
    devices = [read_devicetype(DATA / name) for name, _ in files]
    devicetype_import.apply(project, devicetype_import.entries(devices, [o for _, o in files]))
    return catalog.models(project, "gpu")


def test_every_gpu_system_exports_as_a_valid_device_type(demo_project):
    for gpu in _imported_catalog(demo_project):
        text = netbox_devicetype.devicetype_yaml(gpu)
        _check_library_file(text)
        data = yaml.safe_load(text)
        assert data["slug"] == netbox_devicetype.devicetype_slug(gpu)
        gpus = (gpu.gpus_per_rack or 0) // (gpu.servers_per_rack or 1)
        assert len(data.get("module-bays", [])) == gpus


def test_an_exported_device_type_reads_back_as_the_same_server(demo_project, tmp_path):
    """The export's YAML through the device-type import gives the rack it came from."""
    for gpu in _imported_catalog(demo_project):
        path = tmp_path / netbox_devicetype.file_name(gpu)
        path.write_text(netbox_devicetype.devicetype_yaml(gpu))
        device = read_devicetype(path)
        n = gpu.servers_per_rack or 1
        options = RackOptions(servers_per_rack=n, confirm_no_gpus=not gpu.gpus_per_rack,
                              power_kw_per_rack=gpu.rack_power_kw if not gpu.is_powered else None,
                              cooling=gpu.cooling)
        back = devicetype_import.catalog_entry(device, options)
        assert back.rack_power_kw == pytest.approx(gpu.rack_power_kw, rel=1e-3)
        assert back.gpus_per_rack == gpu.gpus_per_rack and back.cooling == gpu.cooling
        assert device.power_rule is None or device.power_rule.key == "allocated"


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_netbox_bulk_import_csvs(demo_path, tmp_path, capsys):
    out = tmp_path / "netbox"
    assert main(["export-netbox", str(demo_path), "-o", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert str(out / "racks.csv") in printed
    with open_project(demo_path, readonly=True) as project:
        plan_id = settings.current_plan_id(project) or plans.plans(project)[0].id
        convs = plans.conversions(project, plan_id)
        gpu_positions = sum(len(plans.conversion_positions(project, c.id)["gpu"]) for c in convs)
        retired = sum(len(plans.conversion_positions(project, c.id)["retired"]) for c in convs)
        all_positions = sum(len(halls.positions(project, hall_id=h.id)) for h in halls.halls(project))
        systems = {c.gpu_model_id: catalog.get(project, c.gpu_model_id) for c in convs}
        start = settings.assumptions(project)["start_month"]
    racks = _read_csv(out / "racks.csv")
    assert list(racks[0]) == netbox_csv.HEADERS["racks"]
    statuses = [r["status"] for r in racks]
    assert len(racks) == all_positions
    assert statuses.count("planned") == gpu_positions and statuses.count("deprecated") == retired
    assert {"active", "available"} >= set(statuses) - {"planned", "deprecated"}
    assert all(r["u_height"] in ("42", "48") and r["weight_unit"] == "kg" for r in racks)
    planned = next(r for r in racks if r["status"] == "planned")
    assert f"from {month_label(start, convs[0].start_month)}" in planned["description"]
    devices = _read_csv(out / "devices.csv")
    names = {(r["site"], r["location"], r["name"]) for r in racks}
    assert all((d["site"], d["location"], d["rack"]) in names for d in devices)
    assert {d["status"] for d in devices} == {"planned"} and {d["role"] for d in devices} == {"GPU server"}
    assert len(devices) == sum(len(plans.conversion_positions(open_project(demo_path, readonly=True), c.id)["gpu"])
                               * (systems[c.gpu_model_id].servers_per_rack or 1) for c in convs)
    models = {yaml.safe_load(p.read_text())["model"] for p in (out / "device-types").glob("*.yaml")}
    assert {d["device_type"] for d in devices} <= models
    for path in (out / "device-types").glob("*.yaml"):
        _check_library_file(path.read_text())
    assert {r["name"] for r in _read_csv(out / "manufacturers.csv")} >= {d["manufacturer"] for d in devices}
    locations = _read_csv(out / "locations.csv")
    assert {(r["site"], r["location"]) for r in racks} <= {(r["site"], r["name"]) for r in locations}


def test_export_unknown_plan_is_one_error_line(demo_path, tmp_path, capsys):
    assert main(["export-netbox", str(demo_path), "--plan", "Nope", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: plan: no plan named 'Nope'")


def _snapshot(project, plan_id):
    """Halls, positions (label, contents) and GPU racks (hall, label, system) of a project."""
    models = {m.id: m.name for m in catalog.models(project)}
    out = {"halls": {}, "positions": {}, "gpu": set(), "retired": set(), "sites": {}}
    for site in sites.sites(project):
        out["sites"][site.name] = (site.grid_capacity_mw, site.energy_price_usd_per_mwh, site.pue_hosting)
        for hall in halls.halls(project, site.id):
            key = (site.name, hall.name)
            out["halls"][key] = (hall.cooling, hall.power_capacity_kw, hall.max_rack_kw, hall.floor_load_kg,
                                 hall.rows, hall.cols)
            table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
            for i, label in enumerate(table.labels):
                out["positions"][key + (label,)] = (models.get(int(table.model_ids[i])), int(table.unit_counts[i]))
                if table.role[i] == 1:
                    out["gpu"].add(key + (label, models[int(table.gpu_model_ids[i])]))
                elif table.role[i] == 2:
                    out["retired"].add(key + (label,))
    out["conversions"] = sorted((c.label, c.start_month, c.racks_placed, round(c.critical_it_mw, 6), c.remove_asics)
                                for c in plans.conversions(project, plan_id))
    return out


def test_round_trip_export_then_import_gives_the_same_halls_positions_and_gpu_racks(demo_path, tmp_path, capsys):
    # a plan that also uses an imported device type (not in a new project's seed catalog)
    with open_project(demo_path) as project:
        _imported_catalog(project)
        from desktop.store import conversions

        plan_id = plans.plans(project)[0].id
        lac = sites.by_name(project, "Lac Bleu")
        hall = halls.by_name(project, lac.id, "Hall 2")
        table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
        gpu = catalog.by_name(project, "18x ARS-121GL-NB3-LCC-R1 rack")
        indices = table.select_spec("A01-B40")
        conversions.convert(project, plan_id, hall.id, indices[table.model_ids[indices] >= 0], gpu.id, 14, table=table)
        plan_name = plans.get(project, plan_id).name
        before = _snapshot(project, plan_id)
        breaches_before = sorted(tuple(v) for v in checks.breaches_by_conversion(project, plan_id).values())
    out = tmp_path / "netbox"
    assert main(["export-netbox", str(demo_path), "--plan", plan_name, "-o", str(out)]) == 0
    target = tmp_path / "from-netbox.sqlite"
    assert main(["import-netbox", str(target), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "added 18x ARS-121GL-NB3-LCC-R1 rack to the catalog" in printed
    with open_project(target, readonly=True) as project:
        new_plan = plans.by_name(project, plan_name)
        after = _snapshot(project, new_plan.id)
        tray = catalog.by_name(project, "18x ARS-121GL-NB3-LCC-R1 rack")
        assert (tray.rack_power_kw, tray.gpus_per_rack, tray.cooling) == (135, 72, "liquid")
        breaches_after = sorted(tuple(v) for v in checks.breaches_by_conversion(project, new_plan.id).values())
    for key in ("sites", "halls", "positions", "gpu", "retired", "conversions"):
        assert after[key] == before[key], key
    assert breaches_after == breaches_before


NETBOX_UI_RACKS = """ID,Name,Site,Location,Status,Role,Type,Width,Height (U),Max Weight,Weight Unit,Comments
1,Rack 1,Austin DC,Data Hall 1,Active,,4-post cabinet,19,42,2000,lb,
2,Rack 2,Austin DC,Data Hall 1,Planned,,4-post cabinet,19,48,2000,lb,
3,Rack 3,Austin DC,Data Hall 1,Available,,4-post cabinet,19,42,2000,lb,
4,C12,Austin DC,Data Hall 2,Active,,,19,42,,,
"""
NETBOX_UI_DEVICES = """ID,Name,Status,Tenant,Site,Location,Rack,Position (U),Face,Role,Manufacturer,Type
10,gpu-01,Planned,,Austin DC,Data Hall 1,Rack 2,1,Front,GPU,NVIDIA,DGX H100
11,gpu-02,Planned,,Austin DC,Data Hall 1,Rack 2,9,Front,GPU,NVIDIA,DGX H100
12,gpu-03,Planned,,Austin DC,Data Hall 1,Rack 2,17,Front,GPU,NVIDIA,DGX H100
13,gpu-04,Planned,,Austin DC,Data Hall 1,Rack 2,25,Front,GPU,NVIDIA,DGX H100
"""
NETBOX_UI_LOCATIONS = """ID,Name,Site,Parent,Status,Description
5,Data Hall 1,Austin DC,,Active,
6,Data Hall 2,Austin DC,,Active,
"""


def test_import_of_netbox_ui_exports_into_a_new_project(tmp_path, capsys):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "netbox_racks.csv").write_text(NETBOX_UI_RACKS, encoding="utf-8-sig")
    (folder / "netbox_devices.csv").write_text(NETBOX_UI_DEVICES)
    (folder / "netbox_locations.csv").write_text(NETBOX_UI_LOCATIONS)
    target = tmp_path / "p.sqlite"
    assert main(["import-netbox", str(target), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 site(s), 2 hall(s), 4 position(s), 1 planned GPU rack(s)" in out and "are defaults" in out
    with open_project(target, readonly=True) as project:
        site = sites.by_name(project, "Austin DC")
        one, two = halls.halls(project, site.id)
        assert (one.name, one.rows, one.cols, two.name) == ("Data Hall 1", 1, 3, "Data Hall 2")
        assert one.floor_load_kg == pytest.approx(2000 * 0.45359237)
        assert (two.rows, two.cols) == (3, 12)              # C12 stands at row C, column 12
        plan = plans.plans(project)[0]
        (conv,) = plans.conversions(project, plan.id)
        assert catalog.get(project, conv.gpu_model_id).name == "4x DGX H100 rack" and conv.racks_placed == 1
        table = halls.positions(project, hall_id=one.id, plan_id=plan.id)
        assert [table.labels[i] for i in range(len(table)) if table.role[i] == 1] == ["A02"]


@pytest.mark.parametrize("name, text, field", [
    ("racks.csv", "name,status\nA01,active\n", "racks.csv: column site"),
    ("racks.csv", "site,name\nX,\n", "racks.csv: line 2, column name"),
    ("racks.csv", 'site,name\n"X,A01\n', "racks.csv: line"),
    ("devices.csv", "name,rack\nd1,A01\n", "devices.csv: column device_type"),
])
def test_refusals_name_file_line_and_column(tmp_path, name, text, field):
    (tmp_path / name).write_text(text)
    with pytest.raises(InputError) as err:
        read_netbox([tmp_path / name])
    assert err.value.field.startswith(field)


def test_a_rack_in_an_unknown_location_is_refused_and_no_project_is_left(tmp_path, capsys):
    (tmp_path / "locations.csv").write_text("site,name\nS,Hall 1\n")
    (tmp_path / "racks.csv").write_text("site,location,name,status\nS,Hall 1,A01,active\nS,Hall 9,A02,active\n")
    target = tmp_path / "p.sqlite"
    assert main(["import-netbox", str(target), str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: racks.csv: line 3, column location: 'Hall 9' is no location of site 'S' in locations.csv"]
    assert not target.exists()


def test_importing_a_site_the_project_has_writes_nothing(demo_path, tmp_path, capsys):
    (tmp_path / "racks.csv").write_text("site,name\nZeta,A01\nRed Mesa,A01\n")
    with open_project(demo_path, readonly=True) as project:
        before = len(sites.sites(project))
    assert main(["import-netbox", str(demo_path), str(tmp_path / "racks.csv")]) == 2
    assert "a site of that name is already in the project" in capsys.readouterr().err
    with open_project(demo_path, readonly=True) as project:
        assert len(sites.sites(project)) == before and sites.by_name(project, "Zeta") is None


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_input_error(text):
    try:
        parse_csv(text, "racks.csv")
    except InputError:
        pass


def test_file_export_netbox_writes_the_folder_and_asks_before_replacing(main_window, qtbot, tmp_path):
    texts = [a.text() for a in main_window.menus["File/Export"].actions()]
    assert "&NetBox…" in texts
    exports, folder = main_window.exports, tmp_path / "nb"
    with qtbot.waitSignal(exports.finished, timeout=60_000) as signal:
        assert exports.export_netbox(str(folder), confirm=lambda paths: pytest.fail("nothing to replace yet"))
    assert signal.args == ["netbox", str(folder)]
    racks = _read_csv(folder / "racks.csv")
    assert any(r["status"] == "planned" for r in racks)
    asked = []
    assert not exports.export_netbox(str(folder), confirm=lambda paths: asked.append(paths) or False)
    assert folder / "racks.csv" in asked[0] and any(p.suffix == ".yaml" for p in asked[0])



def test_file_import_netbox_racks_opens_the_new_project(main_window, qtbot, tmp_path):
    """File > Import NetBox Racks…: a folder of NetBox CSVs becomes a new project, opened."""
    errors = []
    imports = main_window.imports
    imports.error = lambda title, exc: errors.append(str(exc))
    assert "Import NetBox Rac&ks…" in [a.text() for a in main_window.menus["File"].actions()]
    folder = tmp_path / "nb"
    with open_project(main_window.ctx.project.path, readonly=True) as project:
        netbox_csv.export_netbox(project, main_window.ctx.plan_id, folder)
    target = tmp_path / "from-netbox.sqlite"
    imports.import_netbox_folder(str(folder), str(target))
    qtbot.waitUntil(lambda: main_window.ctx.project.path == target.resolve(), timeout=20000)
    assert not errors and [s.name for s in sites.sites(main_window.ctx.project)] == ["Red Mesa", "Lac Bleu", "Wolf Creek"]
    assert imports.netbox_summary.gpu_racks > 0 and main_window.ctx.plan_id is not None


def test_file_import_netbox_refused_folder_leaves_no_file(main_window, qtbot, tmp_path):
    errors = []
    main_window.imports.error = lambda title, exc: errors.append(str(exc))
    (tmp_path / "racks.csv").write_text("name,status\nA01,active\n")
    target = tmp_path / "p.sqlite"
    main_window.imports.import_netbox_folder(str(tmp_path), str(target))
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert errors[0].startswith("racks.csv: column site") and not target.exists()
