"""Citation ids of facts: what an id may look like, and the id derived for a fact that gives none.

An id is cited in reports, so it must hold: it names its county (``shizhu-…``), it holds only
``[a-z0-9-]`` (nothing a terminal could act on), and a derived one does not move when the
figure is corrected (it depends on the county, the source and the quote, not on the value,
``when``, metric, kind or scope).
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["COUNTY_ID_RE", "DERIVED_LENGTH", "derived_id", "id_problem"]

COUNTY_ID_RE = re.compile(r"^[a-z0-9]+$")
"""A county id: lower-case ascii letters and digits, no ``-``, so that the part of a fact id
before its first ``-`` names one county and no other."""

_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_REST_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

DERIVED_LENGTH = 10
"""Ten base-32 characters, 50 bits: in a county of 30,000 facts a clash has odds of about one in
2.5 million (the 6 hex digits of before, 24 bits, lost 15 facts there). Base 32 in lower case
(a-z, 2-7) has no 0/o or 1/l to mistype when a citation is typed back in."""


def derived_id(county: str, source: str, quote: str, occurrence: int = 0) -> str:
    """The id of a fact that gives none: ``<county>-`` and 10 base-32 characters of a hash of
    its source, its quote and ``occurrence`` (how many earlier facts of the file share that
    source and quote), so that the facts of one quote differ."""
    basis = "\x1f".join((county, source, quote, str(occurrence)))
    width = 5 * DERIVED_LENGTH
    bits = int.from_bytes(hashlib.sha1(basis.encode("utf-8")).digest(), "big") >> (160 - width)
    # what base64.b32encode writes for them, in lower case (which is pure Python and 5 µs a call)
    return county + "-" + "".join(_BASE32[(bits >> shift) & 31] for shift in range(width - 5, -5, -5))


def id_problem(fact_id: str, county: str) -> str | None:
    """Why ``fact_id`` cannot be an id of a fact of ``county``, or None when it can."""
    prefix = f"{county}-"
    if not all(ch in _ALLOWED for ch in fact_id):
        return "may hold only lower-case ascii letters, digits and '-'"
    if not fact_id.startswith(prefix):
        return f"must start with its county's id and a hyphen, '{prefix}'"
    if not _REST_RE.match(fact_id[len(prefix) :]):
        return f"must be '{prefix}' and then letters and digits, in words joined by single hyphens"
    return None
