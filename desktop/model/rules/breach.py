"""One breach of a rule: where it happens, what it says, whether it blocks the economics."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Breach:
    rule: str                          # "rack feed", "cooling", "floor load", "hall power", "fleet", "site grid"
    message: str                       # a sentence naming the place, starting with the rule
    resolve: str = ""                  # how to resolve it
    blocks_economics: bool = False     # the engine refuses the plan while it stands
    conversion_id: int | None = None   # the conversion it belongs to; None: the plan or the baseline
    site: str = ""

    def __str__(self) -> str:
        return self.message
