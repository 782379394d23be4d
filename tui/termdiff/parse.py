"""The screen-diff writer's parser: what Textual writes, token by token, into the cell model.
Mode switches, queries, the clipboard and the title pass through to the output in order; a
sequence that may change cells in ways not modelled passes too, and the model forgets."""

from __future__ import annotations

import re

from tui.termdiff.cells import CellModel, Pen, Stuck
from tui.termdiff.encode import Output, flush

__all__ = ["Parser", "apply_sgr", "split_partial"]

_TOKEN = re.compile(
    r"(\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e])"  # 1 CSI
    r"|(\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"  # 2 OSC
    r"|(\x1b[P_^X][^\x1b]*\x1b\\)"  # 3 DCS, APC, PM, SOS
    r"|(\x1b[\x20-\x2f]*[\x30-\x7e])"  # 4 other escapes
    r"|([^\x00-\x1f\x7f-\x9f]+)"  # 5 text
    r"|([\x00-\x1f\x7f-\x9f])",  # 6 one control character (a lone ESC included)
    re.S,
)
_PARTIAL = re.compile(r"\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*|\][^\x07\x1b]*\x1b?|[P_^X][^\x1b]*\x1b?|[\x20-\x2f]*)\Z")
_HOLD_LIMIT = 1 << 20

_ATTRS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53})
_CLEARS = {22: (1, 2), 23: (3,), 24: (4, 21), 25: (5, 6), 27: (7,), 28: (8,), 29: (9,), 54: (51, 52), 55: (53,)}
# private modes that change no cell and no cursor: cursor keys, blink, autowrap (the writer never
# writes past the last column), cursor shown, mouse reports, focus, bracketed paste, sync, resize
_HARMLESS_MODES = frozenset(
    {1, 7, 12, 25, 9, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1015, 1016, 1034, 1036, 1039, 2004, 2026, 2048}
)
_HARMLESS_OSC = frozenset({"0", "1", "2", "4", "7", "9", "10", "11", "12", "22", "52", "104", "110", "111", "112"})
_ENDS_ODD = {"\x1b[r": "margins", "\x1b[?6l": "origin", "\x1b[4l": "insert", "\x1b[?5l": "reverse",
             "\x1b(B": "charset", "\x0f": "shift", "\x1bc": ""}  # fmt: skip


def split_partial(data: str) -> tuple[str, str]:
    """``data`` without an escape sequence cut short at its end, and that unfinished part."""
    cut = data.rfind("\x1b")
    if cut >= 0 and _PARTIAL.match(data, cut) and len(data) - cut < _HOLD_LIMIT:
        return data[:cut], data[cut:]
    return data, ""


def apply_sgr(pen: Pen | None, params: str) -> Pen | None:
    """The pen after ``ESC[params m``; ``None`` when unknown. Raises ValueError on codes the
    model does not follow."""
    if ":" in params:
        raise ValueError(params)
    codes = [int(code) if code else 0 for code in params.split(";")]
    attrs: set[int] = set(pen[0]) if pen else set()
    fg, bg = pen[1:] if pen else ((39,), (49,))
    known = pen is not None
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            attrs, fg, bg, known = set(), (39,), (49,), True
        elif code in _ATTRS:
            attrs.add(code)
        elif code in _CLEARS:
            attrs.difference_update(_CLEARS[code])
        elif 30 <= code <= 37 or 90 <= code <= 97 or code == 39:
            fg = (code,)
        elif 40 <= code <= 47 or 100 <= code <= 107 or code == 49:
            bg = (code,)
        elif code in (38, 48):
            kind = codes[i + 1] if i + 1 < len(codes) else -1
            size = 3 if kind == 5 else 5 if kind == 2 else 0
            colour = tuple(codes[i : i + size])
            if not size or len(colour) != size or any(not 0 <= c <= 255 for c in colour[2:]):
                raise ValueError(params)
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
            i += size - 1
        else:
            raise ValueError(params)
        i += 1
    return (frozenset(attrs), fg, bg) if known else None


class Parser:
    """Reads what Textual writes into ``model``; what passes through goes to the output given."""

    def __init__(self, model: CellModel) -> None:
        self.model = model

    def parse(self, data: str, out: Output) -> None:
        model = self.model
        for match in _TOKEN.finditer(data):
            csi, osc, string, esc, text, control = match.groups()
            if model.odd:
                self._odd_token(match.group(), out)
            elif text is not None:
                model.text(text)
            elif csi is not None:
                self._csi(csi, out)
            elif control is not None:
                self._control(control, out)
            elif osc is not None:
                number = osc[2:].split(";", 1)[0].rstrip("\x07\x1b\\")
                if number == "8":
                    model.odd.add("link")  # cells carry a link: not modelled until it ends
                    self.passthrough(osc, out, forget=True, keep_pen=True)
                else:
                    self.passthrough(osc, out, forget=number not in _HARMLESS_OSC, keep_pen=True)
            elif esc is not None:
                self._esc(esc, out)
            else:
                self.passthrough(string, out, forget=True)

    def passthrough(self, token: str, out: Output, *, forget: bool = False, keep_pen: bool = False) -> None:
        """A sequence the terminal gets unchanged. ``forget``: it may change cells or the
        cursor in ways not modelled, so the terminal is first made to match Textual's state."""
        model = self.model
        if not model.strict:
            if forget:
                model.forget_all(pen=not keep_pen)
            return
        flush(model, out)
        if forget:
            if model.row is not None and model.col is not None and model.col < model.width:
                out.move(model.row, model.col)
            elif not model.same_cursor:
                raise Stuck
            if model.pen is not None:
                out.set_pen(model.pen)
            elif not model.same_pen:
                raise Stuck
        out.parts.append(token)
        if forget:
            model.forget_all(pen=not keep_pen)
            out.row = out.col = None
            if not keep_pen:
                out.pen = None

    def _odd_token(self, token: str, out: Output) -> None:
        """Under an odd mode every chunk goes unchanged; only what ends the mode is looked at."""
        model = self.model
        if model.strict:
            raise Stuck
        if token in _ENDS_ODD or (token.startswith("\x1b]8;") and token.rstrip("\x07\\\x1b").endswith(";")):
            model.odd.discard(_ENDS_ODD.get(token, "link"))
            if token == "\x1bc":
                model.odd.clear()
        model.forget_all()

    def _control(self, char: str, out: Output) -> None:
        model = self.model
        if char == "\r":
            model.moved(model.row, 0)
        elif char in "\n\x0b\x0c":
            if model.row is None or model.row >= model.height - 1:  # a scroll
                model.unsure()
                model.forget_all(pen=False)
                return
            model.moved(model.row + 1, None)  # a column kept or a return made: the tty decides
        elif char == "\b":
            if model.col is None or model.col >= model.width:
                model.unsure()
                model.col = None
            elif model.col:
                model.moved(model.row, model.col - 1)
        elif char == "\x07":
            self.passthrough(char, out)
        elif char in "\x0e":
            model.odd.add("shift")
            self.passthrough(char, out, forget=True)
        elif char == "\x0f":
            self.passthrough(char, out)
        else:
            self.passthrough(char, out, forget=True)

    def _esc(self, esc: str, out: Output) -> None:
        if esc in ("\x1b=", "\x1b>", "\x1b(B", "\x1b7"):
            self.passthrough(esc, out)
        elif esc[1:2] in "()*+-./" and len(esc) == 3:
            if esc[1] == "(":
                self.model.odd.add("charset")
            self.passthrough(esc, out, forget=esc[1] == "(")
        else:
            self.passthrough(esc, out, forget=True)

    def _csi(self, seq: str, out: Output) -> None:
        model = self.model
        body, final = seq[2:-1], seq[-1]
        prefix = body[:1] if body[:1] in "<=>?" else ""
        params = body[len(prefix) :]
        if params.rstrip("0123456789;:") or prefix:
            self._csi_private(seq, prefix, params, final, out)
            return
        if final == "m":
            try:
                model.pen = apply_sgr(model.pen, params)
            except ValueError:
                model.unsure()
                model.pen = None
            model.same_pen = False
            return
        numbers = [int(p) if p else 0 for p in params.split(";")] if params and ":" not in params else []
        first = numbers[0] if numbers else 0
        n = max(1, first)
        row, col = model.row, model.col
        if final in "Hf":
            model.moved((first or 1) - 1, ((numbers[1] if len(numbers) > 1 else 0) or 1) - 1)
        elif final in "G`":
            model.moved(row, n - 1)
        elif final == "d":
            model.moved(n - 1, col if col is None or col < model.width else None)
        elif final in "ABCDEF":
            if row is None or (final in "ABCD" and (col is None or col >= model.width)):
                model.unsure()
                model.row = None if final in "ABEF" else row
                model.col = None if final in "CD" else 0 if final in "EF" else col
                return
            dy = {"A": -n, "B": n, "E": n, "F": -n}.get(final, 0)
            dx = {"C": n, "D": -n}.get(final, 0)
            model.moved(row + dy, 0 if final in "EF" else None if col is None else col + dx)
        elif final in "KJX" and model.erase(final, first, n):
            pass
        elif final in "hl":
            if params in ("4", "20") and final == "h":
                if params == "4":
                    model.odd.add("insert")
                self.passthrough(seq, out, forget=params == "4")
            else:
                self.passthrough(seq, out, forget=params not in ("4", "20"))
        elif final in "nc" or (final == "q" and seq[-2:-1] == " "):
            self.passthrough(seq, out)  # reports asked for, cursor style
        elif final == "r":
            if params not in ("", f"1;{model.height}"):
                model.odd.add("margins")
            self.passthrough(seq, out, forget=True)
        else:
            self.passthrough(seq, out, forget=True)

    def _csi_private(self, seq: str, prefix: str, params: str, final: str, out: Output) -> None:
        if prefix == "?" and final in "hl" and params.replace(";", "").isdigit():
            modes = {int(p) for p in params.split(";") if p}
            if modes <= _HARMLESS_MODES:
                self.passthrough(seq, out)
                return
            for mode, name in ((5, "reverse"), (6, "origin"), (69, "lr-margins"), (2027, "graphemes")):
                if mode in modes and final == "h":
                    self.model.odd.add(name)
            self.passthrough(seq, out, forget=True, keep_pen=modes == {1049} and final == "h")
        elif final in "up" and (prefix or seq.endswith("$p")) and "!" not in seq:
            self.passthrough(seq, out)  # keyboard protocol, mode queries
        elif final in "nc" or (final == "q" and seq.endswith(" q")):
            self.passthrough(seq, out)  # reports asked for, cursor style
        else:
            self.passthrough(seq, out, forget=True)
