"""The search index's life: built in a worker thread, handed back as a message.

Once after the first screen, the county files are compared with the index the start trusted;
when one changed, the facts are read again (:class:`IndexLoader.Reloaded`) before the index of
the new facts is built (:class:`IndexLoader.Ready`). Both go through one message queue, so
they arrive in that order. While the app runs, the store is asked every :data:`POLL` seconds
whether a fact file changed (a corrected figure is shown, and copied, at once); asking sends
nothing to the terminal. The widget draws nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from tui.domain.facts import Facts
from tui.domain.model import Problem

if TYPE_CHECKING:
    from tui.search.scoring import Search

__all__ = ["POLL", "IndexLoader", "Reload"]

POLL = 5.0
"""Seconds between two looks at the fact files (a stat of each: see ``Store.changed``)."""


@dataclass(frozen=True)
class Reload:
    """The facts read again because ``changed`` county files changed."""

    base: Facts
    search: Callable[[], Search]
    problems: list[Problem]
    changed: int
    check: Callable[[], tuple[str, ...]] | None = None
    """What changed since these facts were read (the new store's ``changed``)."""


class IndexLoader(Widget):
    """Builds the search index of a fact base, off the event loop."""

    DEFAULT_CSS = "IndexLoader { display: none; }"

    class Ready(Message):
        """The search index of ``base`` is built."""

        def __init__(self, loader: IndexLoader, base: Facts, index: Search) -> None:
            super().__init__()
            self.loader = loader
            self.base = base
            self.index = index

        @property
        def control(self) -> IndexLoader:
            return self.loader

    class Reloaded(Message):
        """The county files changed: ``reload`` holds the facts read again."""

        def __init__(self, loader: IndexLoader, reload: Reload) -> None:
            super().__init__()
            self.loader = loader
            self.reload = reload

        @property
        def control(self) -> IndexLoader:
            return self.loader

    def __init__(
        self,
        *,
        facts: str = "",
        recheck: bool = False,
        factory: Callable[[], Search] | None = None,
        changed: Callable[[], tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__()
        self.facts = facts
        self.recheck = recheck and bool(facts)
        """The start trusted the index: look at the county files once."""
        self.factory = factory
        """Gives the search index (the store's, which reads stored pinyin); else one in memory."""
        self.changed = changed
        """What changed in the fact files since the facts shown were read (None: not polled)."""

    def on_mount(self) -> None:
        if self.facts and self.changed is not None:
            self.set_interval(POLL, self.poll)

    def poll(self) -> None:
        """Look at the fact files, unless the index is being built (it looks itself)."""
        if not self.building:
            self.look()

    @property
    def building(self) -> bool:
        """Whether an index is being built."""
        return any(worker.is_running for worker in self.workers if worker.node is self)

    @work(thread=True, exclusive=True, group="index")
    def load(self, base: Facts) -> None:
        """Build the index of ``base`` (of the facts read again, if a county file changed)."""
        reload = self._check_files()
        if reload is not None:
            self._reloaded(reload)
            base = reload.base
        self._build(base)

    @work(thread=True, exclusive=True, group="poll")
    def look(self) -> None:
        """Read the facts again if a fact file changed since they were read, then index them."""
        check = self.changed
        found = check() if check is not None else ()
        if found:
            reload = self._read_again(len(found))
            self._reloaded(reload)
            self._build(reload.base)

    def _reloaded(self, reload: Reload) -> None:
        self.factory, self.changed = reload.search, reload.check or self.changed
        self.post_message(self.Reloaded(self, reload))

    def _build(self, base: Facts) -> None:
        if self.factory is not None:
            index = self.factory()
        else:
            from tui.search.memory import MemorySearch

            index = MemorySearch(base)
        self.post_message(self.Ready(self, base, index))

    def _check_files(self) -> Reload | None:
        if not self.recheck:
            return None
        self.recheck = False
        from tui.store.status import refresh

        changed = refresh(Path(self.facts))
        return self._read_again(changed) if changed else None

    def _read_again(self, changed: int) -> Reload:
        from tui.store.store import open_store

        store = open_store(Path(self.facts))
        problems = [p for p in store.problems if p.severity == "error"]
        return Reload(store.base, store.search_index, problems, changed, store.changed)
