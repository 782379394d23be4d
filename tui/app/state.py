"""What the user has open, and where they have been: pure data, no Textual.

A :class:`Place` names what the detail pane shows; :class:`History` is an immutable
back/forward list of places, so that assigning a new one to a reactive always fires.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["History", "Place"]

PlaceKind = Literal["county", "theme", "metric", "fact", "compare"]


@dataclass(frozen=True, slots=True)
class Place:
    """Something the detail pane can show.

    ``county``: a county's headline figures; ``theme``: a theme of a county (or of every
    county when ``county`` is empty); ``metric``: a metric's facts, for one county or all;
    ``fact``: one fact; ``compare``: counties side by side.
    """

    kind: PlaceKind
    county: str = ""
    theme: str = ""
    metric: str = ""
    fact: str = ""
    counties: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "county": self.county,
            "theme": self.theme,
            "metric": self.metric,
            "fact": self.fact,
            "counties": list(self.counties),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Place:
        kind = data.get("kind")
        if kind not in ("county", "theme", "metric", "fact", "compare"):
            raise ValueError(f"unknown place kind {kind!r}")
        text = {k: str(data.get(k, "")) for k in ("county", "theme", "metric", "fact")}
        counties = data.get("counties", [])
        if not isinstance(counties, list):
            raise ValueError("counties must be a list")
        return cls(kind, counties=tuple(str(c) for c in counties), **text)


@dataclass(frozen=True, slots=True)
class History:
    """Places visited: ``back`` (oldest first), ``current``, ``forward`` (nearest first)."""

    current: Place | None = None
    back: tuple[Place, ...] = ()
    forward: tuple[Place, ...] = ()
    limit: int = 100

    def visit(self, place: Place) -> History:
        """Open ``place``; the forward list is dropped, as in a browser."""
        if place == self.current:
            return self
        back = self.back + ((self.current,) if self.current is not None else ())
        return replace(self, current=place, back=back[-self.limit :], forward=())

    def go_back(self) -> History:
        if not self.back or self.current is None:
            return self
        return replace(self, current=self.back[-1], back=self.back[:-1], forward=(self.current, *self.forward))

    def go_forward(self) -> History:
        if not self.forward or self.current is None:
            return self
        return replace(self, current=self.forward[0], back=(*self.back, self.current), forward=self.forward[1:])
