"""Limits on untrusted files, at their real sizes: what the README ("Reliability") documents.

scenario JSON 50 MB and 64 levels; fleet CSV 50 MB and 128 KiB a cell; NetBox device-type
YAML 2 MB, the interpreter's recursion limit for nesting, `yaml.safe_load` (no tags that run
code), aliases shared rather than copied. Each refusal is one InputError naming the file
or the place in it.
"""
from __future__ import annotations

import pytest

from desktop.model.errors import InputError

MB = 1024 * 1024


def oversized(path, limit: int, head: bytes = b""):
    """A file one byte over `limit` (sparse: cheap to make)."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(limit + 1)
    return path


@pytest.mark.parametrize("module, reader, limit", [
    ("desktop.model.scenario", "read_json_file", 50 * MB),
    ("desktop.model.fleet_csv", "read_fleet_csv", 50 * MB),
    ("desktop.model.devicetypes", "read_devicetype", 2 * MB),
])
def test_size_limits_are_documented_and_enforced(module, reader, limit, tmp_path):
    mod = pytest.importorskip(module)
    assert f"{limit // MB} MB" in mod.__doc__
    path = oversized(tmp_path / "big.txt", limit, b"site,model,count\n" if "fleet" in module else b"")
    with pytest.raises(InputError, match=f"larger than {limit // MB} MB") as refused:
        getattr(mod, reader)(path)
    assert refused.value.field == str(path)


def test_json_nesting_limit(tmp_path):
    from desktop.model.scenario import MAX_DEPTH, read_json_file

    for depth in (MAX_DEPTH + 1, 100_000):
        path = tmp_path / f"deep{depth}.json"
        path.write_text("[" * depth + "]" * depth)
        with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels"):
            read_json_file(path)


@pytest.mark.parametrize("text, message", [
    ('{"a": NaN}', "NaN is not a JSON number"),
    ('{"a": -Infinity}', "Infinity is not a JSON number"),
    ('{"a": 1, "a": 2}', "'a' appears twice"),
])
def test_json_constants_and_repeated_keys(tmp_path, text, message):
    from desktop.model.scenario import read_json_file

    path = tmp_path / "s.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_json_file(path)


def test_yaml_deep_nesting_is_an_input_error(tmp_path):
    from desktop.model.devicetypes import read_devicetype

    path = tmp_path / "deep.yaml"
    path.write_text("model: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match="nested too deep"):
        read_devicetype(path)


@pytest.mark.parametrize("text, message", [
    ("!!python/object/apply:os.system ['touch /tmp/rackshift-pwned']\n", "not valid YAML"),
    ("u_height: !!python/name:os.system\n", "not valid YAML"),
    ("manufacturer: a\nmodel: b\nu_height: '2'\n", "u_height: must be a number"),
    ("manufacturer: a\nmodel: b\nu_height: .nan\n", "u_height: must be a finite number"),
])
def test_yaml_is_safe_loaded(tmp_path, text, message):
    from desktop.model.devicetypes import read_devicetype

    path = tmp_path / "device.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_devicetype(path)


def test_yaml_alias_bomb_is_not_expanded(tmp_path):
    """Nine levels of nine aliases: 387 million items if copied; safe_load shares them."""
    from desktop.model.devicetypes import read_devicetype

    lines = ["manufacturer: a", "model: b", "u_height: 1", "l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    lines.append("module-bays: *l9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    device = read_devicetype(path)  # the GPU count looks at one level only
    assert device.gpus is None


def test_csv_cell_limit(tmp_path):
    from desktop.model.fleet_csv import read_fleet_csv

    path = tmp_path / "fleet.csv"
    path.write_text('site,model,count\n"' + "x" * 200_000 + '",Antminer S21,1\n')
    parsed = read_fleet_csv(path)
    assert not parsed.ok and "not valid CSV" in str(parsed.errors[0])
