"""povtui: a keyboard-driven terminal browser of county-level poverty-alleviation figures."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # importlib.metadata costs ~0.1 s to import: only --version pays for it
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("povtui")
        except PackageNotFoundError:  # pragma: no cover - a bare checkout
            return "0+unknown"
    raise AttributeError(name)
