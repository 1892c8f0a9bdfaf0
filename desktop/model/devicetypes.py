"""NetBox device-type YAML (netbox-community/devicetype-library) as Rackshift reads it.

`parse_devicetype(text, name)` maps one file to a `DeviceType`:
- `manufacturer`, `model` (required text), `slug`, `part_number`, `description`;
- `u_height` (required, a multiple of 0.5, >= 0);
- `weight` with `weight_unit` (kg, g, lb, oz; the two come together) as kilograms;
- `airflow` (NetBox's vocabulary: front-to-rear, rear-to-front, ..., passive, mixed) and,
  when the file has it, `cooling_method` (NetBox 4.7: air, liquid, hybrid, immersion);
- `is_powered` (default true). `false` marks a tray whose power comes from the rack's power
  shelves (a GB300 NVL72 compute tray): it has no power of its own;
- power: the `power-ports` with their `maximum_draw` and `allocated_draw`, and the rules
  that turn them into what one device draws (desktop.model.devicetype_power: allocated draw
  when given, else identical supplies as N+N redundant unless the file says otherwise);
- cooling: `cooling_method` when given, else `air` (every airflow value is air moved through
  the device, `passive` included). A liquid marker in the model's name (`-LCC`, `DLC`,
  `NVL72`) is only a *proposal* the preview shows; the word "liquid" in the comments is not
  read at all (a Dell R760's comments may mention optional liquid cooling);
- GPUs: the `module-bays` named `GPU ...`, else the `inventory-items` named or described as
  GPUs, else "8x SXM5" / "8 NVIDIA A100 GPUs" in the `description`, else in the `comments`;
  `gpus_source` says which. None when nothing says: such a type (a switch, a PDU, a desktop)
  is refused as a GPU system unless the planner confirms it;
- the power written in `comments` ("6.5kW at full load"), when there is one: public files
  can be wrong (the DGX A100 file's ports sum to 2,142 W, its comment says 6.5 kW), so a
  difference of more than 10 % becomes a warning and the planner can override the power.

Each doubt is a `Finding` with a kind: `power`, `gpus` and `cooling` findings are answered
(and cleared) by the planner's override of that figure; `info` findings stay.

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

from desktop.model import devicetype_power
from desktop.model.devicetype_power import PowerPort, PowerRule
from desktop.model.errors import InputError
from desktop.model.untrusted import decode_utf8, read_limited

MAX_BYTES = 2 * 1024 * 1024
AIRFLOW = ("front-to-rear", "rear-to-front", "left-to-right", "right-to-left", "side-to-rear",
           "rear-to-side", "bottom-to-top", "top-to-bottom", "passive", "mixed")
COOLING_METHODS = {"air": "air", "liquid": "liquid", "hybrid": "liquid", "immersion": "liquid"}
KG_PER_UNIT = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125}
FINDING_KINDS = ("power", "gpus", "cooling", "info")
_COMMENT_KW = re.compile(r"(\d+(?:\.\d+)?)\s*kW\b", re.IGNORECASE)
_GPU_NAME = re.compile(r"^\s*(?:GPU|OAM|SXM)", re.IGNORECASE)
_GPU_WORD = re.compile(r"\b(?:GPUs?|SXM\d*|OAM)\b", re.IGNORECASE)
# "8x SXM5", "8 NVIDIA A100 GPUs", "4x B300 GPU", "8x AMD Instinct MI300X OAM GPUs"
_TEXT_GPUS = re.compile(r"\b(\d{1,3})(?:\s*x\s*|\s+)(?:(?!(?:per|each|for|of|with|and|or)\b)[A-Za-z][\w/-]*\s+){0,4}?"
                        r"(?:GPUs?|SXM\d*|OAM)\b|\b(\d{1,3})-GPU\b", re.IGNORECASE)
# liquid markers in a model's name: Supermicro -LCC (liquid-cooled chassis), DLC (direct liquid
# cooling), NVL36/NVL72 racks and their trays
_LIQUID_MARK = re.compile(r"(?:^|[^A-Za-z0-9])(LCC|DLC|NVL(?:36|72|144|576))(?:$|[^A-Za-z0-9])", re.IGNORECASE)
SWITCH_INTERFACES = 24


@dataclass(frozen=True)
class Finding:
    kind: str      # one of FINDING_KINDS
    text: str


@dataclass
class DeviceType:
    manufacturer: str
    model: str
    u_height: float
    source: str = ""                  # the file's name
    slug: str = ""
    part_number: str = ""
    description: str = ""
    weight_kg: float | None = None
    airflow: str | None = None
    cooling_method: str | None = None  # NetBox 4.7's device-type field, when present
    is_powered: bool = True
    ports: list[PowerPort] = field(default_factory=list)
    power_rules: list[PowerRule] = field(default_factory=list)
    gpus: int | None = None
    gpus_source: str = ""             # "module bays", "inventory items", "description", "comments"
    comment_power_kw: float | None = None
    cooling: str = "air"              # from cooling_method / airflow
    cooling_basis: str = ""
    cooling_proposal: str | None = None   # "liquid" when the model's name says so and the file does not
    proposal_basis: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def power_ports(self) -> int:
        return len(self.ports)

    @property
    def power_rule(self) -> PowerRule | None:
        """The rule used unless the planner picks another (None: no power, or not powered)."""
        return devicetype_power.default_rule(self.power_rules) if self.is_powered else None

    @property
    def power_w(self) -> float | None:
        rule = self.power_rule
        return rule.power_w if rule else None

    @property
    def ports_sum_w(self) -> float | None:
        drawn = [p.maximum_draw_w for p in self.ports if p.maximum_draw_w is not None]
        return sum(drawn) if drawn else None

    @property
    def warnings(self) -> list[str]:
        return [f.text for f in self.findings]

    def rule(self, key: str | None) -> PowerRule | None:
        return devicetype_power.pick(self.power_rules, key) if self.is_powered else None


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


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: {key}", "must be a list")
    return value


def _ports(data: dict, where: str) -> list[PowerPort]:
    out = []
    for i, port in enumerate(_list(data, "power-ports", where)):
        if not isinstance(port, dict):
            raise InputError(f"{where}: power-ports[{i}]", "must be a mapping")
        draws = {}
        for key in ("maximum_draw", "allocated_draw"):
            if port.get(key) is not None:
                draws[key] = _number(port[key], f"{where}: power-ports[{i}].{key}")
        name = port.get("name")
        out.append(PowerPort(str(name)[:64] if isinstance(name, (str, int)) else f"port {i + 1}",
                             draws.get("maximum_draw"), draws.get("allocated_draw")))
    return out


def _named_gpu(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    names = [item.get(k) for k in ("name", "label")]
    if any(isinstance(n, str) and _GPU_NAME.match(n) for n in names):
        return True
    return isinstance(item.get("description"), str) and bool(_GPU_WORD.search(item["description"][:200])) \
        and not any(isinstance(n, str) and re.match(r"^\s*(?:PCI|PSU|Drive|Memory|NVMe|SATA)", n, re.I) for n in names)


def text_gpus(text: str) -> int | None:
    """The GPU count a text states ("8x SXM5", "8 NVIDIA A100 GPUs"); None when none."""
    match = _TEXT_GPUS.search(text[:100_000])
    n = int(match.group(1) or match.group(2)) if match else 0
    return n or None


def _gpus(data: dict, where: str, description: str, comments: str) -> tuple[int | None, str]:
    """GPUs per device and where the file says so."""
    bays = sum(1 for bay in _list(data, "module-bays", where) if isinstance(bay, dict)
               and isinstance(bay.get("name"), str) and _GPU_NAME.match(bay["name"]))
    if bays:
        return bays, "module bays"
    items = sum(1 for item in _list(data, "inventory-items", where) if _named_gpu(item))
    if items:
        return items, "inventory items"
    for text, source in ((description, "description"), (comments, "comments")):
        n = text_gpus(text)
        if n:
            return n, source
    return None, ""


def _cooling(device: DeviceType) -> None:
    if device.cooling_method is not None:
        device.cooling = COOLING_METHODS[device.cooling_method]
        device.cooling_basis = f"cooling_method: {device.cooling_method}"
    elif device.airflow is not None:
        device.cooling = "air"
        device.cooling_basis = f"airflow: {device.airflow}" + (" (cooled by the rack's air)"
                                                              if device.airflow == "passive" else "")
    else:
        device.cooling = "air"
        device.cooling_basis = "no airflow given: taken as air"
    for text in (device.model, device.part_number, device.slug):
        match = _LIQUID_MARK.search(text)
        if match:
            if device.cooling != "liquid":
                device.cooling_proposal = "liquid"
                device.proposal_basis = f"the model's name says {match.group(1)}: liquid cooling proposed"
                device.findings.append(Finding("cooling", f"{device.proposal_basis} ({device.cooling_basis}); "
                                                          "choose the cooling"))
            return


def _weight(data: dict, where: str) -> float | None:
    weight, unit = data.get("weight"), data.get("weight_unit")
    if weight is None and unit is None:
        return None
    if weight is None or unit is None:
        raise InputError(f"{where}: {'weight' if weight is None else 'weight_unit'}",
                         "weight and weight_unit come together")
    if not isinstance(unit, str) or unit.strip().lower() not in KG_PER_UNIT:
        raise InputError(f"{where}: weight_unit", "must be one of " + ", ".join(KG_PER_UNIT))
    kg = _number(weight, f"{where}: weight") * KG_PER_UNIT[unit.strip().lower()]
    if not math.isfinite(kg):
        raise InputError(f"{where}: weight", "too large to be a weight (not a finite number of kg)")
    return kg


def _load(text: str, name: str) -> dict:
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
    return data


def parse_devicetype(text: str, name: str = "device type") -> DeviceType:
    """One NetBox device-type YAML document as a DeviceType; InputError when refused."""
    data = _load(text, name)
    u_height = data.get("u_height")
    if u_height is None:
        raise InputError(f"{name}: u_height", "missing (required)")
    u_height = _number(u_height, f"{name}: u_height")
    if not (u_height * 2).is_integer():
        raise InputError(f"{name}: u_height", "must be a multiple of 0.5")
    airflow = data.get("airflow")
    if airflow is not None and (not isinstance(airflow, str) or airflow not in AIRFLOW):
        raise InputError(f"{name}: airflow", "must be one of " + ", ".join(AIRFLOW))
    method = data.get("cooling_method")
    if method is not None and (not isinstance(method, str) or method not in COOLING_METHODS):
        raise InputError(f"{name}: cooling_method", "must be one of " + ", ".join(COOLING_METHODS))
    is_powered = data.get("is_powered", True)
    if not isinstance(is_powered, bool):
        raise InputError(f"{name}: is_powered", "must be true or false")
    model = _text(data, "model", name, required=True)
    comments: str = data["comments"] if isinstance(data.get("comments"), str) else ""
    description = _text(data, "description", name)
    ports = _ports(data, name)
    gpus, gpus_source = _gpus(data, name, description, comments)
    device = DeviceType(
        manufacturer=_text(data, "manufacturer", name, required=True), model=model, u_height=u_height,
        source=name, slug=_text(data, "slug", name), part_number=_text(data, "part_number", name),
        description=description, weight_kg=_weight(data, name), airflow=airflow, cooling_method=method,
        is_powered=is_powered, ports=ports, power_rules=devicetype_power.rules(ports, f"{description}\n{comments}"),
        gpus=gpus, gpus_source=gpus_source,
    )
    found = [float(m) for m in _COMMENT_KW.findall(comments[:100_000])]
    if found:
        device.comment_power_kw = max(found)
    _cooling(device)
    add = device.findings.append
    if not is_powered:
        add(Finding("power", "is_powered: false: its power comes from the rack's power shelves; give the rack power"))
        if device.ports_sum_w:
            add(Finding("info", f"is_powered is false but its ports list {device.ports_sum_w:,.0f} W; "
                                "the ports are ignored"))
    elif not device.power_rules:
        add(Finding("power", "no power port gives a maximum_draw or allocated_draw; give the power"))
    rule = device.power_rule
    if device.comment_power_kw and device.power_w and rule is not None and \
            abs(device.comment_power_kw * 1000 - device.power_w) > 0.1 * device.comment_power_kw * 1000:
        add(Finding("power", f"{rule.label} gives {device.power_w:,.0f} W but the comments say "
                             f"{device.comment_power_kw:g} kW: check the power and override it"))
    if gpus is None:
        add(Finding("gpus", "no GPUs in its module bays, inventory items, description or comments: "
                            "give the GPUs per server, or confirm it is a GPU system without them"))
        for hint in _not_a_server(device, data):
            add(Finding("info", hint))
    return device


def _not_a_server(device: DeviceType, data: dict) -> list[str]:
    """What suggests a device type is no GPU server (a switch, a PDU, a desktop)."""
    out = []
    if device.u_height == 0:
        out.append("0U: a desktop, a blade or a PDU mounted at the side, not a rack server")
    if isinstance(data.get("power-outlets"), list) and data["power-outlets"]:
        out.append(f"{len(data['power-outlets'])} power outlets: a PDU?")
    interfaces = data.get("interfaces")
    if isinstance(interfaces, list) and len(interfaces) >= SWITCH_INTERFACES:
        out.append(f"{len(interfaces)} network interfaces: a switch?")
    if re.search(r"\bswitch\b", f"{device.model} {device.description}", re.IGNORECASE):
        out.append("its name says switch")
    return out


def read_devicetype(path, max_bytes: int = MAX_BYTES) -> DeviceType:
    """Read (size-limited, UTF-8) and parse a device-type file."""
    name = os.fspath(path)
    short = os.path.basename(name)
    raw = read_limited(name, max_bytes)
    text = decode_utf8(raw, name)
    return parse_devicetype(text, short)
