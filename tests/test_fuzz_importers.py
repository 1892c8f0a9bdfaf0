"""Hostile input: each importer fuzzed with 1,000 generated inputs (hypothesis).

For scenario JSON, the fleet CSV and NetBox device-type YAML, read from a file and imported
into an existing project: the only exception that escapes is InputError, a refused import
leaves the project file byte for byte as it was (and no stray file beside it), and an
accepted one is undone exactly (the content hash of every table as before).

The inputs are structured (valid files with one to three mutations: a value replaced by
anything JSON/YAML/CSV can hold, huge and non-finite numbers, keys removed, unknown or
repeated keys, rows with too many or too few cells) and raw (any text, any bytes). Runs are
derandomized so the suite is repeatable; RACKSHIFT_FUZZ_RANDOM=1 explores new inputs.
Project files live in /dev/shm when there is one: a commit there costs no fsync.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from desktop.model.entities import FleetEntry, Site
from desktop.model.errors import InputError
from desktop.store import catalog, sites
from desktop.store.project import create_project, open_project

HERE = Path(__file__).resolve().parent

FUZZ = settings(max_examples=1000, deadline=None, database=None,
                derandomize=not os.environ.get("RACKSHIFT_FUZZ_RANDOM"),
                suppress_health_check=list(HealthCheck))


# -- shared helpers ----------------------------------------------------------------------------

@pytest.fixture
def fast_dir(tmp_path):
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="rackshift-fuzz-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def content_hash(project) -> str:
    """Every row of every table, order-independent."""
    digest = hashlib.sha256()
    for table in sorted(project.db.table_names()):
        rows = sorted(repr(tuple(r)) for r in project.db.execute(f"select * from [{table}]").fetchall())
        digest.update(f"{table}:{len(rows)}:".encode())
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def existing_project(folder: Path) -> Path:
    """A small project to import into: two sites, a fleet entry."""
    path = folder / "existing.sqlite"
    with create_project(path) as project:
        red = sites.add(project, Site(name="Red Mesa", grid_capacity_mw=50, energy_price_usd_per_mwh=40))
        sites.add(project, Site(name="Lac Bleu", grid_capacity_mw=30, energy_price_usd_per_mwh=35))
        s21 = catalog.by_name(project, "Antminer S21")
        sites.add_fleet(project, FleetEntry(site_id=red, model_id=s21.id, count=1000, uptime_pct=97))
    return path


# An escape found here and not fixed yet: importer -> [(exception type, text of its message)],
# pinned by a strict xfail test at the end of this file. While it exists the fuzzer counts it
# (and still checks the file is unchanged) instead of failing, so every other escape still
# fails the suite; once fixed, its xfail test passes, which fails the run: delete both then.
# (Empty: the three escapes found so far are fixed and kept below as regression tests.)
KNOWN_ESCAPES: dict = {}


class ImportTarget:
    """An open project; checks a refusal left the file as it was, undoes an acceptance."""

    def __init__(self, folder: Path, importer: str):
        self.folder = folder
        self.known = KNOWN_ESCAPES.get(importer, [])
        self.path = existing_project(folder)
        self.project = open_project(self.path)
        self.base_hash = content_hash(self.project)
        self.accepted = self.refused = self.known_escapes = 0

    def run(self, do_import, undo) -> None:
        before, files = self.path.read_bytes(), listing(self.folder)
        try:
            record = do_import(self.project)
        except InputError as exc:
            assert str(exc)
            self.refused += 1
        except Exception as exc:
            if not any(isinstance(exc, kind) and text in str(exc) for kind, text in self.known):
                raise
            self.known_escapes += 1
        else:
            self.accepted += 1
            undo(self.project, record)
            assert content_hash(self.project) == self.base_hash, "undo did not restore the project"
            return
        assert self.path.read_bytes() == before, "a refused import changed the project file"
        assert listing(self.folder) == files

    def close(self) -> None:
        self.project.close()


def import_target(folder: Path, importer: str):
    target = ImportTarget(folder, importer)
    try:
        yield target
    finally:
        target.close()
        print(f"\n{importer}: accepted {target.accepted}, refused {target.refused}, "
              f"known escapes {target.known_escapes}")


@pytest.fixture
def fleet_target(fast_dir):
    yield from import_target(fast_dir, "fleet")


@pytest.fixture
def devicetype_target(fast_dir):
    yield from import_target(fast_dir, "devicetype")


# Generation: each example draws a seed for the structure (cheap) and a few awkward values
# from hypothesis (the edge cases it is good at); the structure is built with random.Random.
NASTY_TEXT = ["", " ", "0", "-0", "1e400", "-1e400", "1e-400", "nan", "NaN", "inf", "-inf", "Infinity",
              "0x10", "1_000", "1,000", "1.000,5", "١٢", "12.5.3", "  7  ", "+3", "9" * 400, "9" * 5000,
              str(2**63), str(10**30), "1e30", "1e308", str(-2**63 - 1),
              "=1+2", "@SUM(A1)", "-", ".", "1e", "\x00", "1\n2", "2028-13", "x" * 300]
NASTY_VALUES = [None, True, False, 0, -1, -0.0, 0.5, 2**63, -2**63 - 1, 10**30, 10**400, 1e308, -1e308,
                float("nan"), float("inf"), float("-inf"), "", "x", "x" * 300, [], {}, [1, [2, [3]]],
                {"": None}, {"nested": {"deeper": [1, 2]}}, *NASTY_TEXT[:12]]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(), st.text(max_size=12))
NUMBER_TEXT = st.one_of(st.integers(min_value=-10**30, max_value=10**30).map(str), st.floats().map(repr),
                        st.text(max_size=6))


class Odd:
    """The awkward values of one example: a few from hypothesis, the rest from the lists above."""

    def __init__(self, rnd: random.Random, values: list, texts: list[str]):
        self.rnd, self.values, self.texts = rnd, values + NASTY_VALUES, texts + NASTY_TEXT

    def value(self):
        return copy.deepcopy(self.rnd.choice(self.values))

    def text(self) -> str:
        return self.rnd.choice(self.texts)


@st.composite
def odd_values(draw) -> Odd:
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    return Odd(rnd, draw(st.lists(SCALARS, min_size=2, max_size=2)), [draw(NUMBER_TEXT)])


def raw_input(draw, odd: Odd) -> bytes | None:
    """One example in ten is arbitrary bytes or text."""
    roll = odd.rnd.random()
    if roll < 0.05:
        return draw(st.binary(max_size=300))
    if roll < 0.10:
        return draw(st.text(max_size=300)).encode()
    return None


def slots(data) -> list[tuple[object, object]]:
    """Every (container, key or index) in a nested structure."""
    out, stack = [], [data]
    while stack:
        item = stack.pop()
        keys = list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
        for key in keys:
            out.append((item, key))
            stack.append(item[key])
    return out


def mutate(base, odd: Odd, bounded_keys=frozenset()):
    """`base` with one to three mutations; keys in `bounded_keys` only get small integers."""
    rnd, data = odd.rnd, copy.deepcopy(base)
    for _ in range(rnd.randint(1, 3)):
        places = slots(data)
        if not places:
            break
        parent, key = rnd.choice(places)
        op = rnd.choice(["replace", "replace", "delete", "add", "duplicate"])
        if op == "replace":
            parent[key] = rnd.randint(-5, 3000) if key in bounded_keys else odd.value()
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[rnd.choice(["", "extra", "Name", key if isinstance(key, str) else "k"]) + odd.text()[:3]] = odd.value()
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return data


def cut(odd: Odd, text: str) -> str:
    return text[: odd.rnd.randint(0, len(text))]


# -- scenario JSON -----------------------------------------------------------------------------

def small_scenario() -> dict:
    """tests/golden/g5 with a hundredth of its miners (imports stay small)."""
    data = json.loads((HERE / "golden" / "g5-staged-two-sites.json").read_text())
    for site in data["sites"]:
        for entry in site["fleet"]:
            entry["count"] //= 100
    for conv in data["plan"]["conversions"]:
        conv["remove_asics"] = {k: v // 100 for k, v in conv["remove_asics"].items()}
    return data


SCENARIO = small_scenario()
COUNT_KEYS = frozenset({"count", "Antminer S19 XP", "Antminer S21 Pro", "Antminer S21 XP Hydro"})


@st.composite
def scenario_bytes(draw, bounded_keys=frozenset()):
    odd = draw(odd_values())
    raw = raw_input(draw, odd)
    if raw is not None:
        return raw
    roll = odd.rnd.random()
    if roll < 0.05:
        depth = odd.rnd.randint(55, 80)
        return ("[" * depth + "]" * depth).encode()
    text = json.dumps(mutate(SCENARIO, odd, bounded_keys), allow_nan=True)
    if roll < 0.10:  # a key twice in one object
        first = text.index(",")
        text = text[:first] + "," + text[1:first] + text[first:]
    elif roll < 0.15:
        text = cut(odd, text)
    return text.encode("utf-8")


def test_the_base_scenario_imports(fast_dir):
    from desktop.store.scenario_import import import_scenario

    import_scenario(SCENARIO, fast_dir / "base.sqlite").close()


@FUZZ
@given(raw=scenario_bytes())
def test_fuzz_scenario_file_validation(raw, fast_dir):
    from desktop.model.scenario import read_json_file, validate_scenario

    path = fast_dir / "scenario.json"
    path.write_bytes(raw)
    try:
        validate_scenario(read_json_file(path))
    except InputError as exc:
        assert str(exc)


@FUZZ
@given(raw=scenario_bytes(bounded_keys=COUNT_KEYS))
def test_fuzz_scenario_import_over_an_existing_project(raw, fast_dir):
    """import-scenario --overwrite: a refused scenario leaves the existing file as it was.
    (Miner counts stay small here: each accepted scenario is built into a project.)"""
    from desktop.model.scenario import read_json_file
    from desktop.store.scenario_import import import_scenario

    path = fast_dir / "existing.sqlite"
    if not path.exists():
        existing_project(fast_dir)
    source = fast_dir / "scenario.json"
    source.write_bytes(raw)
    before, files = path.read_bytes(), listing(fast_dir)
    try:
        project = import_scenario(read_json_file(source), path, overwrite=True)
    except InputError:
        assert path.read_bytes() == before, "a refused scenario changed the existing project"
        assert listing(fast_dir) == files, "a refused scenario left a file behind"
        return
    with project:
        assert project.db.execute("pragma quick_check").fetchone()[0] == "ok"
    path.unlink()


# -- fleet CSV ---------------------------------------------------------------------------------

SITE_NAMES = ["Red Mesa", "Lac Bleu", "red mesa", " Red Mesa ", "Nowhere", "", "=HYPERLINK(\"x\")", "مزرعة الشمال"]
MODEL_NAMES = ["Antminer S21", "Antminer S19j Pro", "Antminer S21 XP Hydro", "4x DGX H100 rack", "Brand New Miner",
               "", "Antminer S21 ", "@SUM(A1)"]
GOOD_SITES = ["Red Mesa", "Lac Bleu"]
GOOD_MODELS = ["Antminer S21", "Antminer S19j Pro", "Antminer S21 XP Hydro", "Brand New Miner"]
GOOD_CELLS = {"count": lambda r: str(r.randint(0, 10**6)), "hashrate_ths": lambda r: repr(r.uniform(1, 1000)),
              "power_w": lambda r: repr(r.uniform(100, 10_000)), "uptime_pct": lambda r: str(r.randint(0, 100)),
              "resale_usd_per_ths": lambda r: f"{r.uniform(0, 50):.2f}"}
EXTRA_COLUMNS = ["Site", "COUNT", "modle", "", "x", "site"]


@st.composite
def fleet_csv_bytes(draw):
    """A fleet CSV: mostly the required columns and good rows, with a bad cell, column or row now and then."""
    from desktop.model.fleet_csv import COLUMNS

    odd = draw(odd_values())
    raw = raw_input(draw, odd)
    if raw is not None:
        return raw
    rnd = odd.rnd
    optional = [c for c in COLUMNS if c not in ("site", "model", "count")]
    header = ["site", "model", "count"] + rnd.sample(optional, rnd.randint(0, len(optional)))
    rnd.shuffle(header)
    if rnd.random() < 0.1:
        header.insert(rnd.randint(0, len(header)), rnd.choice(EXTRA_COLUMNS + [odd.text()]))
    if rnd.random() < 0.1:
        header.remove(rnd.choice(header))
    pairs = rnd.sample([(s, m) for s in GOOD_SITES for m in GOOD_MODELS], rnd.randint(1, 5))
    rows = [header]
    for site, model in pairs:
        row = []
        for name in header:
            if name in ("site", "model"):
                row.append(site if name == "site" else model)
            elif name in ("hashrate_ths", "power_w") and model != "Brand New Miner":
                row.append("")  # a catalog model's figures left empty (given, they must match the catalog)
            elif name in GOOD_CELLS:
                row.append(GOOD_CELLS[name](rnd) if rnd.random() < 0.9 else "")
            else:
                row.append(odd.text())
        if rnd.random() < 0.2:  # one bad cell
            i = rnd.randrange(len(row))
            row[i] = rnd.choice(SITE_NAMES + MODEL_NAMES) if header[i] in ("site", "model") else odd.text()
        if rnd.random() < 0.05:
            row = row[:-1] if rnd.random() < 0.5 else row + ["extra"]
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, quoting=rnd.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
               lineterminator=rnd.choice(["\n", "\r\n"])).writerows(rows)
    text, roll = out.getvalue(), rnd.random()
    if roll < 0.05:
        text = cut(odd, text)
    elif roll < 0.10:
        text = "\ufeff" + text
    elif roll < 0.15:
        text = text.replace(",", ";")
    return text.encode("utf-8")


def _fleet_import(path: Path):
    from desktop.model.fleet_csv import read_fleet_csv
    from desktop.store import fleet_import

    def do(project):
        parsed = read_fleet_csv(path)
        parsed.raise_first()
        return fleet_import.apply(project, fleet_import.prepare(project, parsed.rows))
    return do


@FUZZ
@given(raw=fleet_csv_bytes())
def test_fuzz_fleet_csv_import(raw, fleet_target):
    fleet_import = pytest.importorskip("desktop.store.fleet_import")
    source = fleet_target.folder / "fleet.csv"
    source.write_bytes(raw)
    fleet_target.run(_fleet_import(source), fleet_import.undo)


# -- NetBox device-type YAML -------------------------------------------------------------------

DEVICE = {
    "manufacturer": "Nvidia", "model": "Fuzz DGX", "slug": "nvidia-fuzz-dgx", "part_number": "F-1",
    "u_height": 8, "is_full_depth": True, "airflow": "front-to-rear", "weight": 130.45, "weight_unit": "kg",
    "is_powered": True, "comments": "8 NVIDIA H100 GPUs, 10.2kW at full load",
    "power-ports": [{"name": f"PSU{i}", "type": "iec-60320-c20", "maximum_draw": 1700} for i in range(6)],
    "module-bays": [{"name": f"GPU {i}"} for i in range(8)],
}
HOSTILE_YAML = [
    "!!python/object/apply:os.system ['echo hi']", "!!python/name:os.system", "!!binary 'AAAA'",
    "u_height: !!timestamp 2001-13-45", "u_height: !!float 'nan'", "<<: *nowhere", "u_height: &a [*a]",
    "---\nmodel: second document", "\tmodel: tabbed", "model: [" * 300 + "]" * 300,
    "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]", "? [1, 2]\n: unhashable key",
    "u_height: 1.0e+400", "u_height: -.inf", "u_height: 0b101", "u_height: 0o17", "u_height: 1:20",
    "u_height: " + "9" * 500, "model: " + "x" * 300, "manufacturer: {a: b}",
]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@st.composite
def devicetype_bytes(draw):
    odd = draw(odd_values())
    raw = raw_input(draw, odd)
    if raw is not None:
        return raw
    rnd, roll = odd.rnd, odd.rnd.random()
    if roll < 0.15:
        base = yaml.dump(DEVICE, Dumper=DUMPER, sort_keys=False)
        hostile = rnd.choice(HOSTILE_YAML)
        return (hostile + "\n" + base if rnd.random() < 0.5 else base + hostile + "\n").encode()
    text = yaml.dump(mutate(DEVICE, odd), Dumper=DUMPER, sort_keys=False, allow_unicode=True)
    if roll < 0.20:
        text = cut(odd, text)
    return text.encode("utf-8")


@st.composite
def rack_options(draw):
    """What the import dialog or command line passes: the right types, any values."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    if rnd.random() < 0.5:
        return {}
    counts = [1, 2, 4, 8, 0, -1, 200, 201, 2**63, 10**30]
    powers = [None, None, None, 5.5, 700.0, 0.0, -1.0, 1e-300, 1e308, float("nan"), float("inf"), float("-inf")]
    return {"servers_per_rack": rnd.choice(counts), "power_kw_per_rack": rnd.choice(powers),
            "power_w_per_server": rnd.choice(powers)}


def _devicetype_import(path: Path, options: dict):
    from desktop.model.devicetypes import read_devicetype
    from desktop.store import devicetype_import

    def do(project):
        device = read_devicetype(path)
        entries = devicetype_import.entries([device], devicetype_import.RackOptions(**options))
        return devicetype_import.apply(project, entries)
    return do


@FUZZ
@given(raw=devicetype_bytes(), options=rack_options())
def test_fuzz_netbox_devicetype_import(raw, options, devicetype_target):
    devicetype_import = pytest.importorskip("desktop.store.devicetype_import")
    source = devicetype_target.folder / "device.yaml"
    source.write_bytes(raw)
    devicetype_target.run(_devicetype_import(source, options), devicetype_import.undo)


# -- escapes the fuzzers found (fixed; kept as regression tests) ------------------------------

def test_huge_yaml_integer_is_an_input_error():
    from desktop.model.devicetypes import parse_devicetype

    with pytest.raises(InputError, match="u_height"):
        parse_devicetype("manufacturer: a\nmodel: b\nu_height: " + "9" * 400)


def test_huge_fleet_count_is_an_input_error(fleet_target):
    source = fleet_target.folder / "fleet.csv"
    source.write_text(f"site,model,count\nRed Mesa,Antminer S21,{2**63}\n")
    with pytest.raises(InputError, match="count"):
        _fleet_import(source)(fleet_target.project)


def test_absurd_miner_count_is_refused_before_building_halls(fast_dir):
    from desktop.store.scenario_import import import_scenario

    data = json.loads((HERE / "golden" / "g1-single-site.json").read_text())
    data["sites"][0]["fleet"][0].update(count=10**12, power_w=1e-6)
    data["plan"] = None
    with pytest.raises(InputError):
        import_scenario(data, fast_dir / "absurd.sqlite")
