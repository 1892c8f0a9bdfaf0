"""NetBox device-type YAML: the real library files, the mapping to catalog racks, refusals."""
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from desktop.cli import main
from desktop.model.devicetypes import parse_devicetype, read_devicetype
from desktop.model.errors import InputError
from desktop.store import catalog, checks, devicetype_import
from desktop.store.devicetype_import import RackOptions

DATA = Path(__file__).resolve().parent / "data" / "devicetypes"
DGX = DATA / "Nvidia-DGC-A100.yaml"
MI300X = DATA / "Supermicro-AS-8125GS-TNMR2.yml"
TRAY = DATA / "Supermicro-ARS-121GL-NB3-LCC-R1.yaml"
MI355X_LCC = DATA / "Supermicro-AS-4126GS-NMR-LCC.yml"
R760 = DATA / "Dell-PowerEdge-R760.yml"
SPARK = DATA / "Nvidia-DGX-Spark.yaml"
NVSWITCH = DATA / "Nvidia-NVLink-5-Switch.yaml"
PDU = DATA / "APC-AP8881.yaml"


def test_dgx_a100_uses_allocated_draw_and_still_disagrees_with_its_comment():
    d = read_devicetype(DGX)
    assert (d.manufacturer, d.model, d.u_height, d.ports_sum_w, d.power_ports) == ("Nvidia", "NVIDIA DGX A100 640GB", 6, 2142, 2)
    # the two ports give allocated_draw 586 W each: that, not the 2 x 1,071 W maximum, is the draw
    assert (d.power_rule.key, d.power_w) == ("allocated", 1172)
    assert d.comment_power_kw == 6.5 and d.gpus == 8 and d.gpus_source == "comments"
    assert any("1,172 W" in w and "6.5 kW" in w for w in d.warnings)


def test_mi300x_identical_supplies_are_n_plus_n_not_summed():
    """6 x 3,000 W supplies: 9 kW a server (the seed catalog says 10 kW), not 18 kW."""
    d = read_devicetype(MI300X)
    assert (d.ports_sum_w, d.power_w, d.power_rule.key) == (18000, 9000, "n+n")
    assert d.power_rule.basis == "N+N: 6 identical 3,000 W supplies, 3 carry the load: 9,000 W"
    assert (d.weight_kg, d.airflow, d.gpus, d.gpus_source, d.warnings) == (75.3, "front-to-rear", 8, "module bays", [])
    entry = devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=4))
    assert entry.name == "4x AS-8125GS-TNMR2 rack" and entry.kind == "gpu"
    # the rack weighs its four servers and the air-cooled rack allowance (150 kg)
    assert (entry.rack_power_kw, entry.gpus_per_rack, entry.weight_kg, entry.u_height, entry.cooling) == (36, 32, 451.2, 32, "air")
    assert "power: N+N: 6 identical" in entry.notes and "150 kg rack allowance" in entry.notes


def test_the_planner_picks_another_power_rule_per_file():
    mi300x, lcc = read_devicetype(MI300X), read_devicetype(MI355X_LCC)
    rules = {r.key: r.power_w for r in mi300x.power_rules}
    assert rules == {"n+n": 9000, "n+1": 15000, "sum": 18000}
    summed, default = devicetype_import.entries([mi300x, lcc], [RackOptions(power_rule="sum"), RackOptions()])
    assert (summed.rack_power_kw, default.rack_power_kw) == (18, 13.2)
    assert "all 6 x 3,000 W supplies loaded" in summed.notes


@pytest.mark.parametrize("said, watts", [("3+3 redundant power supplies", 9000), ("5+1 redundant PSUs", 15000),
                                         ("N+1 redundant power supplies", 15000)])
def test_the_redundancy_a_file_states_wins_over_n_plus_n(said, watts):
    text = MI300X.read_text().replace("comments: >\n", f"comments: >\n  {said}.\n", 1)
    d = parse_devicetype(text, "x.yml")
    assert (d.power_rule.key, d.power_w) == ("stated", watts)


def test_allocated_draw_wins():
    text = MI300X.read_text().replace("    maximum_draw: 3000\n", "    maximum_draw: 3000\n    allocated_draw: 1700\n")
    d = parse_devicetype(text, "x.yml")
    assert (d.power_rule.key, d.power_w) == ("allocated", 6 * 1700)


def test_liquid_cooled_lcc_is_proposed_from_its_name_not_guessed():
    d = read_devicetype(MI355X_LCC)
    assert (d.cooling, d.cooling_basis, d.cooling_proposal) == ("air", "airflow: front-to-rear", "liquid")
    assert "-LCC" not in d.proposal_basis and "LCC" in d.proposal_basis
    assert [f.kind for f in d.findings] == ["cooling"]
    air = devicetype_import.catalog_entry(d, RackOptions())
    taken = devicetype_import.catalog_entry(d, RackOptions(cooling="proposed"))
    assert (air.cooling, taken.cooling) == ("air", "liquid")
    assert "LCC" in air.notes and "LCC" not in taken.notes         # the proposal's warning clears once answered
    assert taken.weight_kg == 53 + 800                              # a liquid rack's allowance


def test_an_air_cooled_r760_mentioning_liquid_stays_air():
    text = R760.read_text().replace("comments: '[Technical Guide]",
                                    "comments: 'Optional direct liquid cooling kit. [Technical Guide]")
    for d in (read_devicetype(R760), parse_devicetype(text, "r760.yml")):
        assert (d.cooling, d.cooling_proposal) == ("air", None)


def test_cooling_method_of_netbox_4_7_is_read():
    base = "manufacturer: X\nmodel: Y\nu_height: 1\n"
    assert parse_devicetype(base + "cooling_method: liquid\n").cooling == "liquid"
    assert parse_devicetype(base + "cooling_method: hybrid\nairflow: front-to-rear\n").cooling == "liquid"
    with pytest.raises(InputError, match="cooling_method"):
        parse_devicetype(base + "cooling_method: water\n", "t.yaml")


@pytest.mark.parametrize("part, gpus, source", [
    ("description: HGX 8x SXM5 baseboard\n", 8, "description"),
    ("description: 8x NVIDIA H200 SXM5\n", 8, "description"),
    ("inventory-items:\n  - name: GPU0\n  - name: GPU1\n  - name: Fan\n", 2, "inventory items"),
    ("inventory-items:\n  - name: Accelerator 1\n    description: NVIDIA H100 SXM5 GPU\n"
     "  - name: Accelerator 2\n    description: NVIDIA H100 SXM5 GPU\n", 2, "inventory items"),
    ("module-bays:\n  - name: GPU 1\n    position: '1'\n  - name: PCIe 1\n    position: '2'\n", 1, "module bays"),
    ("comments: 'GPUs: 8 NVIDIA A100 GPUs'\n", 8, "comments"),
])
def test_gpu_count_from_bays_items_description_comments(part, gpus, source):
    d = parse_devicetype("manufacturer: X\nmodel: Y\nu_height: 4\n" + part, "t.yaml")
    assert (d.gpus, d.gpus_source) == (gpus, source)
    assert "gpus" not in [f.kind for f in d.findings]


@pytest.mark.parametrize("path, hint", [(R760, None), (SPARK, "0U"), (NVSWITCH, "switch"), (PDU, "42 power outlets: a PDU?")])
def test_a_type_without_gpus_is_refused_unless_confirmed(path, hint):
    d = read_devicetype(path)
    assert d.gpus is None and "gpus" in [f.kind for f in d.findings]
    if hint:
        assert any(hint in w for w in d.warnings)
    options = RackOptions(power_w_per_server=500)
    with pytest.raises(InputError, match="GPUs") as err:
        devicetype_import.catalog_entry(d, options)
    assert err.value.field == f"{path.name}: GPUs"
    entry = devicetype_import.catalog_entry(d, RackOptions(power_w_per_server=500, confirm_no_gpus=True))
    assert entry.gpus_per_rack is None and "confirmed by the planner" in entry.notes
    assert "no GPUs in" not in entry.notes                      # the warning clears once answered
    given = devicetype_import.catalog_entry(d, RackOptions(power_w_per_server=500, gpus_per_server=2))
    assert given.gpus_per_rack == 2


def test_tray_is_powered_by_the_rack_and_nvl72_weighs_what_a_rack_weighs():
    d = read_devicetype(TRAY)
    assert not d.is_powered and d.power_w is None and d.gpus == 4
    assert (d.cooling, d.cooling_proposal) == ("air", "liquid")          # no airflow; -LCC- proposes liquid
    with pytest.raises(InputError, match="is_powered is false"):
        devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=18))
    entry = devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=18, power_kw_per_rack=135, cooling="proposed"))
    assert (entry.rack_power_kw, entry.gpus_per_rack, entry.cooling, entry.is_powered) == (135, 72, "liquid", False)
    # 18 x 32 kg = 576 kg of trays; with the liquid rack's allowance 1,376 kg (real: 1,360-1,400 kg)
    assert entry.weight_kg == 1376
    assert "set by the planner" in entry.notes and "power shelves" not in entry.notes   # answered
    edited = devicetype_import.catalog_entry(d, RackOptions(servers_per_rack=18, power_kw_per_rack=135,
                                                            cooling="liquid", rack_allowance_kg=824))
    assert edited.weight_kg == 1400


def test_warnings_clear_after_an_override():
    d = read_devicetype(DGX)
    assert any("6.5 kW" in w for w in d.warnings)
    plain = devicetype_import.catalog_entry(d, RackOptions())
    overridden = devicetype_import.catalog_entry(d, RackOptions(power_kw_per_rack=6.5))
    assert "6.5 kW" in plain.notes and "comments say" not in overridden.notes
    assert devicetype_import.open_findings(d, RackOptions(power_kw_per_rack=6.5)) == []


def test_a_batch_lists_every_refused_file(demo_path, capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("manufacturer: X\nmodel: Y\n")
    assert main(["import-devicetypes", str(demo_path), str(bad), str(R760), str(TRAY), str(MI300X)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["error: bad.yaml: u_height: missing (required)"]  # read errors first: every unreadable file
    assert main(["import-devicetypes", str(demo_path), str(R760), str(TRAY), str(NVSWITCH), str(MI300X)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1].strip() for line in err] == ["Dell-PowerEdge-R760.yml", "Supermicro-ARS-121GL-NB3-LCC-R1.yaml",
                                                           "Nvidia-NVLink-5-Switch.yaml"]
    assert all(line.startswith("error: ") for line in err)


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
                        "power-ports", "module-bays", "inventory-items", "comments", "description", "slug",
                        "cooling_method", "power-outlets", "interfaces"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, yaml_values | st.lists(st.dictionaries(
    st.sampled_from(["name", "label", "description", "maximum_draw", "allocated_draw"]), yaml_values), max_size=3)))
def test_any_mapping_parses_or_input_error(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        device = parse_devicetype(text, "h.yaml")
    except InputError:
        return
    for options in (RackOptions(), RackOptions(servers_per_rack=4, power_rule="sum", cooling="proposed"),
                    RackOptions(confirm_no_gpus=True, power_kw_per_rack=10)):
        try:
            entry = devicetype_import.catalog_entry(device, options)
        except InputError:
            continue
        assert entry.rack_power_kw > 0 and entry.cooling in ("air", "liquid")
        assert entry.weight_kg is None or entry.weight_kg >= options.servers_per_rack * (device.weight_kg or 0)
    for rule in device.power_rules:
        assert rule.power_w >= 0 and rule.basis


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
    assert "added: 4x NVIDIA DGX A100 640GB rack: 27 kW a rack" in out and "proposal: the model's name says LCC" in out
    with open_project(demo_path) as project:
        entry = catalog.by_name(project, "4x ARS-121GL-NB3-LCC-R1 rack")
        assert entry.rack_power_kw == 27 and not entry.is_powered and entry.cooling == "air"
    assert main(["import-devicetypes", str(demo_path), str(DGX), str(MI300X), "--servers-per-rack", "4"]) == 0
    out = capsys.readouterr().out
    assert "updated: 4x NVIDIA DGX A100 640GB rack: 4.688 kW" in out and "comments say 6.5 kW" in out
    assert "4x AS-8125GS-TNMR2 rack: 36 kW" in out and "power: N+N: 6 identical 3,000 W supplies" in out
    assert main(["import-devicetypes", str(demo_path), str(TRAY), "--servers-per-rack", "18", "--power-kw-per-rack",
                 "135", "--cooling", "proposed"]) == 0
    assert "18x ARS-121GL-NB3-LCC-R1 rack: 135 kW a rack, 18 server(s), liquid, 72 GPUs, 1376 kg" in capsys.readouterr().out


def test_undo_redo_of_an_import(demo_project):
    new = devicetype_import.entries([read_devicetype(MI300X)], RackOptions(servers_per_rack=2))
    record = devicetype_import.apply(demo_project, new)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack").rack_power_kw == 18
    devicetype_import.undo(demo_project, record)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack") is None
    devicetype_import.redo(demo_project, record)
    assert catalog.by_name(demo_project, "2x AS-8125GS-TNMR2 rack").id == record["added"][0]["id"]


def test_reimporting_a_type_a_plan_uses_rechecks_its_breaches(demo_project):
    """18 kW a server (every supply summed) breaches a 45 kW rack feed; re-imported
    with the N+N rule (9 kW) the breach goes, and undoing the re-import brings it back."""
    from desktop.store import conversions, halls, plans, sites

    project = demo_project
    summed = devicetype_import.entries([read_devicetype(MI300X)], RackOptions(servers_per_rack=4, power_rule="sum"))
    devicetype_import.apply(project, summed)
    gpu = catalog.by_name(project, "4x AS-8125GS-TNMR2 rack")
    assert gpu.rack_power_kw == 72
    hall = halls.by_name(project, sites.by_name(project, "Red Mesa").id, "Hall A")
    halls.update(project, hall.id, max_rack_kw=45.0)
    plan_id = plans.plans(project)[0].id
    table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
    indices = table.select_spec("A01-C40")
    cid, _ = conversions.convert(project, plan_id, hall.id, indices[table.model_ids[indices] >= 0], gpu.id, 3, table=table)
    assert any(b.startswith("rack feed") for b in checks.conversion_breaches(project, cid))
    record = devicetype_import.apply(project, devicetype_import.entries([read_devicetype(MI300X)],
                                                                        RackOptions(servers_per_rack=4)))
    assert catalog.get(project, gpu.id).rack_power_kw == 36
    assert not any(b.startswith("rack feed") for b in checks.conversion_breaches(project, cid))
    devicetype_import.undo(project, record)
    assert any(b.startswith("rack feed") for b in checks.conversion_breaches(project, cid))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 20000), st.one_of(st.none(), st.integers(1, 20000))), min_size=1, max_size=8),
       st.booleans())
def test_power_rules_properties(ports, identical):
    """The default never exceeds every supply loaded; allocated draw wins when given; an even set
    of identical supplies is N+N (half), an odd one N+1."""
    from desktop.model.devicetype_power import PowerPort, default_rule, rules

    if identical:
        ports = [(ports[0][0], None)] * len(ports)
    port_list = [PowerPort(f"PSU{i}", w, a) for i, (w, a) in enumerate(ports)]
    found = rules(port_list)
    chosen = default_rule(found)
    total = sum(w for w, _ in ports)
    allocated = [a for _, a in ports if a is not None]
    if allocated:
        assert (chosen.key, chosen.power_w) == ("allocated", sum(allocated))
    else:
        assert chosen.power_w <= total
        n = len(ports)
        if identical and n >= 2:
            assert chosen.key == ("n+n" if n % 2 == 0 else "n+1")
            assert chosen.power_w == (n // 2 if n % 2 == 0 else n - 1) * ports[0][0]
        elif not identical and len({w for w, _ in ports}) > 1:
            assert (chosen.key, chosen.power_w) == ("sum", total)


def test_n_plus_n_power_places_twice_the_racks_of_summed_supplies(demo_project):
    """The defect as planners saw it: with every supply summed (18 kW a server) a power-neutral
    conversion places about half the racks it places at the N+N draw (9 kW)."""
    from desktop.store import conversions, halls, plans, sites

    project = demo_project
    device = read_devicetype(MI300X)
    summed = devicetype_import.catalog_entry(device, RackOptions(servers_per_rack=4, power_rule="sum"))
    summed.name = "summed"
    devicetype_import.apply(project, [summed, devicetype_import.catalog_entry(device, RackOptions(servers_per_rack=4))])
    hall = halls.by_name(project, sites.by_name(project, "Red Mesa").id, "Hall A")
    plan_id = plans.plans(project)[0].id
    table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
    indices = table.select_spec("A01-E40")
    indices = indices[table.model_ids[indices] >= 0]
    placed = {name: conversions.propose(project, plan_id, hall.id, indices, table, catalog.by_name(project, name).id,
                                        3).racks_placed for name in ("summed", "4x AS-8125GS-TNMR2 rack")}
    assert placed["summed"] > 0
    assert placed["4x AS-8125GS-TNMR2 rack"] == pytest.approx(2 * placed["summed"], abs=1)


@pytest.mark.parametrize("key", ["cooling_method", "airflow"])
def test_a_list_where_a_word_belongs_is_refused_by_name(key):
    text = f"manufacturer: X\nmodel: Y\nu_height: 2\n{key}: [liquid]\n"
    with pytest.raises(InputError) as err:
        parse_devicetype(text, "t.yaml")
    assert err.value.field.endswith(key)
