"""What Rackshift writes into NetBox's free-text fields, and reads back: one place.

NetBox has no fields for a hall's power budget, a site's grid or a rack position's miners.
Rackshift's NetBox export keeps them in the `comments` of sites, locations and racks as one
line, `[rackshift] key=value; key=value`, after the human text; `rackshift import-netbox`
reads the line back, so a round trip keeps them, and a file without it gets defaults.
Also NetBox's slugs (`^[-a-z0-9_]+$`) and the server model of a catalog rack. No Qt.
"""
from __future__ import annotations

import re
import unicodedata

TAG = "[rackshift]"
_RACK_NAME = re.compile(r"^\s*(\d+)\s*x\s*(.+?)\s+rack\s*$", re.IGNORECASE)
MAX_MODEL = 100
_PAIR = re.compile(r"\s*([a-z_]+)=([^;]*)")


def slugify(text: str, max_length: int = 100) -> str:
    """NetBox's slug of a name: lower case ASCII letters, digits, - and _."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-")
    return (slug or "x")[:max_length].strip("-") or "x"


def encode_tag(values: dict) -> str:
    """`[rackshift] a=1; b=text` (None values left out; ; and new lines in values become ,)."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        parts.append(f"{key}={str(value).replace(';', ',').replace(chr(10), ' ').strip()}")
    return f"{TAG} " + "; ".join(parts)


def decode_tag(text: str | None) -> dict[str, str]:
    """The key=value pairs of the `[rackshift]` line in `text` ({} when there is none)."""
    if not text:
        return {}
    for line in str(text).splitlines():
        at = line.find(TAG)
        if at >= 0:
            return {m.group(1): m.group(2).strip() for m in _PAIR.finditer(line[at + len(TAG):].replace("; ", ";"))
                    if m.group(1)}
    return {}


def with_tag(text: str, values: dict) -> str:
    """Human `text`, then the tag line."""
    tag = encode_tag(values)
    return f"{text}\n{tag}" if text else tag


def server_model(name: str, servers_per_rack: int | None) -> str:
    """The model of one server of a catalog GPU system named `name` ("4x DGX H100 rack" ->
    "DGX H100"; one server a rack: the name; other rack names: "NAME server")."""
    match = _RACK_NAME.match(name)
    if match:
        return match.group(2)[:MAX_MODEL]
    if (servers_per_rack or 1) == 1:
        return name[:MAX_MODEL]
    return f"{name[:MAX_MODEL - 7]} server"
