"""NetBox device-type YAML: the real library files, the mapping to catalog racks, refusals."""
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from desktop.cli import main
from desktop.model.devicetypes import parse_devicetype, read_devicetype
from desktop.model.errors import InputError
from desktop.store import catalog, devicetype_import
from desktop.store.devicetype_import import RackOptions

DATA = Path(__file__).resolve().parent / "data" / "devicetypes"
DGX = DATA / "Nvidia-DGC-A100.yaml"
MI300X = DATA / "Supermicro-AS-8125GS-TNMR2.yml"
TRAY = DATA / "Supermicro-ARS-121GL-NB3-LCC-R1.yaml"


def test_dgx_a100_power_disagrees_with_its_comment():
    d = read_devicetype(DGX)
    assert (d.manufacturer, d.model, d.u_height, d.power_w, d.power_ports) == ("Nvidia", "NVIDIA DGX A100 640GB", 6, 2142, 2)
    assert d.comment_power_kw == 6.5 and d.gpus == 8
    assert any("2,142 W" in w and "6.5 kW" in w for w in d.warnings)


def test_mi300x_weight_airflow_ports_gpus():
    d = read_devicetype(MI300X)
    assert (d.power_w, d.weight_kg, d.airflow, d.gpus, d.warnings) == (18000, 75.3, "front-to-rear", 8, [])
    entry = devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=4))
    assert entry.name == "4x AS-8125GS-TNMR2 rack" and entry.kind == "gpu"
    assert (entry.rack_power_kw, entry.gpus_per_rack, entry.weight_kg, entry.u_height, entry.cooling) == (72, 32, 301.2, 32, "air")


def test_tray_is_powered_by_the_rack():
    d = read_devicetype(TRAY)
    assert not d.is_powered and d.power_w is None and d.liquid_cooled and d.gpus == 4
    with pytest.raises(InputError, match="is_powered is false"):
        devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=18))
    entry = devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=18, power_kw_per_rack=135))
    assert (entry.rack_power_kw, entry.gpus_per_rack, entry.cooling, entry.is_powered) == (135, 72, "liquid", False)
    assert "power shelves" in entry.notes and "set by the planner" in entry.notes


def test_weight_units():
    base = "manufacturer: X\nmodel: Y\nu_height: 2\n"
    assert parse_devicetype(base + "weight: 100\nweight_unit: lb\n").weight_kg == pytest.approx(45.359237)
    assert parse_devicetype(base + "weight: 2500\nweight_unit: g\n").weight_kg == pytest.approx(2.5)
    with pytest.raises(InputError, match="come together"):
        parse_devicetype(base + "weight: 3\n")
    with pytest.raises(InputError, match="weight_unit"):
        parse_devicetype(base + "weight: 3\nweight_unit: stone\n")


@pytest.mark.parametrize("text, field", [
    ("model: Y\nu_height: 1\n", "t.yaml: manufacturer"),
    ("manufacturer: X\nmodel: Y\n", "t.yaml: u_height"),
    ("manufacturer: X\nmodel: Y\nu_height: 1.3\n", "t.yaml: u_height"),
    ("manufacturer: X\nmodel: Y\nu_height: 1\nairflow: sideways\n", "t.yaml: airflow"),
    ("manufacturer: X\nmodel: Y\nu_height: 1\npower-ports: [{name: a, maximum_draw: -5}]\n", "t.yaml: power-ports[0].maximum_draw"),
    ("manufacturer: X\nmodel: Y\nu_height: 1\nis_powered: maybe\n", "t.yaml: is_powered"),
    ("- a\n- b\n", "t.yaml"),
    ("a: [1, 2\n", "t.yaml: line 2"),
    ("a: !!python/object:os.system {}\n", "t.yaml: line 1"),
])
def test_refusals_name_the_field(text, field):
    with pytest.raises(InputError) as err:
        parse_devicetype(text, "t.yaml")
    assert err.value.field == field


def test_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("manufacturer: X\nmodel: Y\nu_height: 1\ncomments: '" + "x" * 5000 + "'\n")
    with pytest.raises(InputError, match="larger than"):
        read_devicetype(path, max_bytes=1000)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)
keys = st.sampled_from(["manufacturer", "model", "u_height", "weight", "weight_unit", "airflow", "is_powered",
                        "power-ports", "module-bays", "comments", "slug"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, yaml_values | st.lists(st.dictionaries(st.sampled_from(["name", "maximum_draw"]), yaml_values), max_size=3)))
def test_any_mapping_parses_or_input_error(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        device = parse_devicetype(text, "h.yaml")
    except InputError:
        return
    for servers in (1, 4):
        try:
            devicetype_import.catalog_entry(device, RackOptions(servers_per_rack=servers))
        except InputError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_input_error(text):
    try:
        parse_devicetype(text, "h.yaml")
    except InputError:
        pass


def test_cli_imports_the_real_files_all_or_nothing(demo_path, capsys):
    files = [str(DGX), str(MI300X), str(TRAY)]
    assert main(["import-devicetypes", str(demo_path), *files, "--servers-per-rack", "4"]) == 2
    assert "is_powered is false" in capsys.readouterr().err
    from desktop.store.project import open_project

    with open_project(demo_path) as project:
        assert catalog.by_name(project, "4x AS-8125GS-TNMR2 rack") is None
    assert main(["import-devicetypes", str(demo_path), *files, "--servers-per-rack", "4", "--power-kw-per-rack", "27"]) == 0
    out = capsys.readouterr().out
    assert "added: 4x NVIDIA DGX A100 640GB rack: 27 kW a rack" in out and "comments say 6.5 kW" in out
    with open_project(demo_path) as project:
        entry = catalog.by_name(project, "4x ARS-121GL-NB3-LCC-R1 rack")
        assert entry.rack_power_kw == 27 and not entry.is_powered
    assert main(["import-devicetypes", str(demo_path), str(DGX), "--servers-per-rack", "4"]) == 0
    assert "updated: 4x NVIDIA DGX A100 640GB rack: 8.568 kW" in capsys.readouterr().out


def test_undo_redo_of_an_import(demo_project):
    new = devicetype_import.entries([read_devicetype(MI300X)], RackOptions(servers_per_rack=2))
    record = devicetype_import.apply(demo_project, new)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack").rack_power_kw == 36
    devicetype_import.undo(demo_project, record)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack") is None
    devicetype_import.redo(demo_project, record)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack").id == record["added"][0]["id"]
