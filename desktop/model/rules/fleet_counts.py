"""Fleet counts after removals: the conversions at a site may remove, in all, no more miners of a
model than the site owns, and only models it owns.

`over_removals` takes the conversions in plan order; the first conversion whose removal passes
the site's count is the one named. The engine's validation (`desktop.model.scenario`) and the
store's checks (`desktop.store.checks`) both call it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Mapping


@dataclass(frozen=True)
class OverRemoval:
    index: int              # the conversion's place in the list given
    site: str
    model: Hashable         # the key of `remove_asics` (a name or a catalog id)
    model_name: str
    removed: int            # removed at the site in all, this conversion included
    owned: int | None       # None: the site has no such model

    @property
    def message(self) -> str:
        if self.owned is None:
            return f"unknown model at {self.site}: {self.model_name} is not in its fleet"
        return f"removes {self.removed} {self.model_name} at {self.site} in all, but the site has {self.owned}"


def over_removals(fleets: Mapping[str, Mapping[Any, int]],
                  conversions: Iterable[tuple[str, Mapping[Any, int]]],
                  names: Mapping[Any, str] | None = None, *, first_only: bool = False) -> list[OverRemoval]:
    """`fleets`: site -> {model: miners owned}; `conversions`: (site, remove_asics) in plan order.
    Each (site, model) is reported once, at the conversion that first removes too many."""
    names = names or {}
    removed: dict[tuple[str, Hashable], int] = {}
    found: list[OverRemoval] = []
    reported: set[tuple[str, Hashable]] = set()
    for i, (site, remove) in enumerate(conversions):
        owned = fleets.get(site, {})
        for model, count in remove.items():
            key = (site, model)
            total = removed.get(key, 0) + int(count)
            removed[key] = total
            have = owned.get(model)
            if key not in reported and (have is None or total > have):
                reported.add(key)
                found.append(OverRemoval(i, site, model, names.get(model, str(model)), total, have))
                if first_only:
                    return found
    return found
