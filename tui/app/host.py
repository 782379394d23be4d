"""What the main screen asks of the app it runs in, as a Protocol: the app makes the screen, so
the screen does not import the app (no import cycle); :class:`tui.app.povapp.PovApp` is one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.geometry import Size

from tui.domain.model import Fact

if TYPE_CHECKING:
    from tui.search.scoring import Search

__all__ = ["Host"]


@runtime_checkable
class Host(Protocol):
    """The app, as the main screen sees it."""

    BINDINGS: Any
    size: Size
    field: bool
    """Field mode (no guides, plain result lines)."""
    facts: str
    """The fact folder (kept with the place; polled while running)."""
    recheck: bool
    search_factory: Callable[[], Search] | None
    changed: Callable[[], tuple[str, ...]] | None

    def save_place(self) -> None: ...

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...

    def open_compare(self, counties: list[str]) -> None: ...

    def copy_figures(self, facts: Sequence[Fact]) -> None: ...
