"""NetBox device-type YAML (netbox-community/devicetype-library) as Rackshift reads it.

`parse_devicetype(text, name)` maps one file to a `DeviceType`:
- `manufacturer`, `model` (required text), `slug`, `part_number`;
- `u_height` (required, a multiple of 0.5, >= 0);
- `weight` with `weight_unit` (kg, g, lb, oz; the two come together) as kilograms;
- `airflow` (NetBox's vocabulary: front-to-rear, rear-to-front, ...);
- `is_powered` (default true). `false` marks a tray whose power comes from the rack's power
  shelves (a GB300 NVL72 compute tray): it has no power of its own;
- power: the sum of the `power-ports`' `maximum_draw` (watts); None when no port gives one;
- GPUs: the `module-bays` named `GPU ...`, or else the first "8 NVIDIA A100 GPUs" or
  "4x B300 GPU" in `comments` (None when neither says);
- the power written in `comments` ("6.5kW at full load"), when there is one: public files
  can be wrong (the DGX A100 file's ports sum to 2,142 W, its comment says 6.5 kW), so a
  difference of more than 10 % becomes a warning and the planner can override the power.

The file is untrusted: at most 2 MB, `yaml.safe_load`, one YAML document, and any problem
is an `InputError` naming the file and the field. No Qt.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from desktop.model.errors import InputError
from desktop.model.untrusted import decode_utf8, read_limited

MAX_BYTES = 2 * 1024 * 1024
AIRFLOW = ("front-to-rear", "rear-to-front", "left-to-right", "right-to-left", "side-to-rear",
           "rear-to-side", "bottom-to-top", "top-to-bottom", "passive", "mixed")
KG_PER_UNIT = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125}
_COMMENT_KW = re.compile(r"(\d+(?:\.\d+)?)\s*kW\b", re.IGNORECASE)
_GPU_BAY = re.compile(r"^\s*GPU\b", re.IGNORECASE)
_COMMENT_GPUS = re.compile(r"\b(\d{1,3})\s*x?\s+(?:[A-Za-z][\w-]*\s+){0,3}GPUs?\b")


@dataclass
class DeviceType:
    manufacturer: str
    model: str
    u_height: float
    source: str = ""                  # the file's name
    slug: str = ""
    part_number: str = ""
    weight_kg: float | None = None
    airflow: str | None = None
    is_powered: bool = True
    power_w: float | None = None      # sum of the power ports' maximum_draw
    power_ports: int = 0
    gpus: int | None = None           # GPU module bays
    comment_power_kw: float | None = None
    liquid_cooled: bool = False       # the comments or the model say "liquid"
    warnings: list[str] = field(default_factory=list)


def _number(value: Any, where: str, *, ge: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(where, "must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(where, "must be a finite number") from None
    if not math.isfinite(number) or number < ge:
        raise InputError(where, f"must be a finite number >= {ge:g}")
    return number


def _text(data: dict, key: str, where: str, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise InputError(f"{where}: {key}", "missing (required)")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InputError(f"{where}: {key}", "must be text")
    text = str(value).strip()
    if required and not text:
        raise InputError(f"{where}: {key}", "must not be empty")
    if len(text) > 200:
        raise InputError(f"{where}: {key}", "longer than 200 characters")
    return text


def _power(data: dict, where: str) -> tuple[float | None, int]:
    ports = data.get("power-ports")
    if ports is None:
        return None, 0
    if not isinstance(ports, list):
        raise InputError(f"{where}: power-ports", "must be a list")
    total, given = 0.0, False
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            raise InputError(f"{where}: power-ports[{i}]", "must be a mapping")
        if port.get("maximum_draw") is not None:
            total += _number(port["maximum_draw"], f"{where}: power-ports[{i}].maximum_draw")
            given = True
    return (total if given else None), len(ports)


def _gpus(data: dict, where: str) -> int | None:
    bays = data.get("module-bays")
    if bays is None:
        return None
    if not isinstance(bays, list):
        raise InputError(f"{where}: module-bays", "must be a list")
    n = sum(1 for bay in bays if isinstance(bay, dict) and isinstance(bay.get("name"), str)
            and _GPU_BAY.match(bay["name"]))
    return n or None


def _weight(data: dict, where: str) -> float | None:
    weight, unit = data.get("weight"), data.get("weight_unit")
    if weight is None and unit is None:
        return None
    if weight is None or unit is None:
        raise InputError(f"{where}: {'weight' if weight is None else 'weight_unit'}",
                         "weight and weight_unit come together")
    if not isinstance(unit, str) or unit.strip().lower() not in KG_PER_UNIT:
        raise InputError(f"{where}: weight_unit", "must be one of " + ", ".join(KG_PER_UNIT))
    return _number(weight, f"{where}: weight") * KG_PER_UNIT[unit.strip().lower()]


def parse_devicetype(text: str, name: str = "device type") -> DeviceType:
    """One NetBox device-type YAML document as a DeviceType; InputError when refused."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}: line {mark.line + 1}" if mark is not None else name
        raise InputError(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    except RecursionError:
        raise InputError(name, "not valid YAML (nested too deep)") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date
        raise InputError(name, f"not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(name, "not a NetBox device type (a YAML mapping with manufacturer, model, u_height)")
    u_height = data.get("u_height")
    if u_height is None:
        raise InputError(f"{name}: u_height", "missing (required)")
    u_height = _number(u_height, f"{name}: u_height")
    if not (u_height * 2).is_integer():
        raise InputError(f"{name}: u_height", "must be a multiple of 0.5")
    airflow = data.get("airflow")
    if airflow is not None and airflow not in AIRFLOW:
        raise InputError(f"{name}: airflow", "must be one of " + ", ".join(AIRFLOW))
    is_powered = data.get("is_powered", True)
    if not isinstance(is_powered, bool):
        raise InputError(f"{name}: is_powered", "must be true or false")
    model = _text(data, "model", name, required=True)
    comments = data.get("comments") if isinstance(data.get("comments"), str) else ""
    power_w, ports = _power(data, name)
    device = DeviceType(
        manufacturer=_text(data, "manufacturer", name, required=True), model=model, u_height=u_height,
        source=name, slug=_text(data, "slug", name), part_number=_text(data, "part_number", name),
        weight_kg=_weight(data, name), airflow=airflow, is_powered=is_powered, power_w=power_w,
        power_ports=ports, gpus=_gpus(data, name),
        liquid_cooled=bool(re.search(r"liquid", f"{model} {comments}", re.IGNORECASE)),
    )
    if device.gpus is None:
        match = _COMMENT_GPUS.search(comments[:100_000])
        device.gpus = int(match.group(1)) if match and int(match.group(1)) > 0 else None
    found = [float(m) for m in _COMMENT_KW.findall(comments[:100_000])]
    if found:
        device.comment_power_kw = max(found)
    if not is_powered:
        device.warnings.append("is_powered: false: its power comes from the rack's power shelves; give the rack power")
        if power_w:
            device.warnings.append(f"is_powered is false but its ports list {power_w:,.0f} W; the ports are ignored")
        device.power_w = None
    elif power_w is None:
        device.warnings.append("no power port gives a maximum_draw; give the power")
    if device.comment_power_kw and device.power_w and \
            abs(device.comment_power_kw * 1000 - device.power_w) > 0.1 * device.comment_power_kw * 1000:
        device.warnings.append(f"the power ports sum to {device.power_w:,.0f} W but the comments say "
                               f"{device.comment_power_kw:g} kW: check the power and override it")
    return device


def read_devicetype(path, max_bytes: int = MAX_BYTES) -> DeviceType:
    """Read (size-limited, UTF-8) and parse a device-type file."""
    name = os.fspath(path)
    short = os.path.basename(name)
    raw = read_limited(name, max_bytes)
    text = decode_utf8(raw, name)
    return parse_devicetype(text, short)
