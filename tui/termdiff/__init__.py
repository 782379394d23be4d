"""Field mode's screen-diff writer, pure (no Textual; ``str`` in, ``str`` out): a model of the
terminal's cells (:mod:`.cells`), a parser of what Textual writes into it (:mod:`.parse`), an
encoder of what changed (:mod:`.encode`) and the writer that joins them (:mod:`.writer`)."""

from tui.termdiff.cells import DEFAULT_PEN, Pen
from tui.termdiff.encode import pen_change
from tui.termdiff.writer import ScreenDiff

__all__ = ["DEFAULT_PEN", "Pen", "ScreenDiff", "pen_change"]
