"""A catalog GPU system as a NetBox device type (netbox-community/devicetype-library YAML).

A catalog GPU system is a rack of `servers_per_rack` servers; NetBox's device type is one
server. The mapping:
- `manufacturer` (or "Generic"), `model`: the server's model ("4x DGX H100 rack" -> "DGX
  H100"; an entry of one server keeps its name; a rack entry without that form gets
  "NAME server"), `slug` from both, `is_full_depth: true`;
- `u_height`: the rack's U over its servers, down to a multiple of 0.5 (at least 0.5);
- `airflow`: the entry's, else `front-to-rear` for air cooling (none for liquid);
- `is_powered: false` for a tray powered by the rack's shelves; else one power port with
  `maximum_draw` and `allocated_draw` the server's power in W (Rackshift's figure, the
  redundant supplies already left out), so the device-type import reads it back as is;
- `module-bays` `GPU 1` ... `GPU n` (position `GPU n`): the rack's GPUs over its servers;
- `weight`: for a one-server entry its kg; a rack entry's kg includes the rack, so none;
- `comments`: the rack's figures in words (kW a rack, servers, cooling, source).
`devicetype_yaml` writes it as the library does: ASCII, `---` first, a final new line. No Qt.
"""
from __future__ import annotations

import math

import yaml

from desktop.model import netbox_tags
from desktop.model.entities import EquipmentModel
from desktop.model.netbox_tags import slugify

POWER_PORT_TYPE = "iec-60320-c20"
MAX_MODEL = 100


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def server_model(gpu: EquipmentModel) -> str:
    """The model of one server of a catalog GPU system (desktop.model.netbox_tags)."""
    return netbox_tags.server_model(gpu.name, gpu.servers_per_rack)


def manufacturer(gpu: EquipmentModel) -> str:
    return (gpu.manufacturer or "Generic").strip()[:MAX_MODEL] or "Generic"


def devicetype_slug(gpu: EquipmentModel) -> str:
    return slugify(f"{manufacturer(gpu)} {server_model(gpu)}")


def server_u(gpu: EquipmentModel) -> float:
    n = max(gpu.servers_per_rack or 1, 1)
    u = max(0.5, math.floor((gpu.u_height or 1) / n * 2) / 2)
    return int(u) if u.is_integer() else u


def server_power_w(gpu: EquipmentModel) -> int | None:
    if not gpu.is_powered:
        return None
    n = max(gpu.servers_per_rack or 1, 1)
    watts = gpu.power_w if gpu.power_w else (gpu.rack_power_kw or 0) * 1000 / n
    return max(1, round(watts)) if watts else None


def server_gpus(gpu: EquipmentModel) -> int:
    n = max(gpu.servers_per_rack or 1, 1)
    return (gpu.gpus_per_rack or 0) // n


def devicetype_dict(gpu: EquipmentModel) -> dict:
    n = max(gpu.servers_per_rack or 1, 1)
    data: dict = {
        "manufacturer": _ascii(manufacturer(gpu)), "model": _ascii(server_model(gpu)),
        "slug": devicetype_slug(gpu), "u_height": server_u(gpu), "is_full_depth": True,
    }
    if gpu.airflow:
        data["airflow"] = gpu.airflow
    elif gpu.cooling == "air":
        data["airflow"] = "front-to-rear"
    if n == 1 and gpu.weight_kg is not None:
        data["weight"] = round(gpu.weight_kg, 2)
        data["weight_unit"] = "kg"
    words = [f"Exported by Rackshift from the catalog entry {gpu.name!r}: a rack of {n} server(s), "
             f"{gpu.rack_power_kw or 0:g} kW a rack, cooling {gpu.cooling}."]
    if gpu.source:
        words.append(f"Source: {gpu.source}.")
    data["comments"] = _ascii(" ".join(words))
    watts = server_power_w(gpu)
    if not gpu.is_powered:
        data["is_powered"] = False
    elif watts:
        data["power-ports"] = [{"name": "PSU1", "type": POWER_PORT_TYPE, "maximum_draw": watts,
                                "allocated_draw": watts}]
    gpus = server_gpus(gpu)
    if gpus:
        data["module-bays"] = [{"name": f"GPU {i}", "position": f"GPU {i}"} for i in range(1, gpus + 1)]
    return data


def devicetype_yaml(gpu: EquipmentModel) -> str:
    body = yaml.safe_dump(devicetype_dict(gpu), sort_keys=False, allow_unicode=False, default_flow_style=False,
                          width=100)
    return "---\n" + body


def file_name(gpu: EquipmentModel) -> str:
    return f"{devicetype_slug(gpu)}.yaml"
