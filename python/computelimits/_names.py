"""Matching a name a person typed against a list of known names: case-insensitive, with suggestions.

One rule for every list of names the package accepts from people (zoo models, benchmarks,
families, methods, experiments): ``match_name`` compares names by ``name_key`` (lower case, with
'-', '_', '.', '/' and spaces all alike), so "GPT2", "bert-base" and "WMT2014_EN_FR" find
"gpt2", "bert_base" and "wmt2014_en_fr"; an unknown name raises ValueError naming what was
expected and up to three close matches by ``difflib.get_close_matches`` (the Ratcliff-Obershelp
similarity of the keys, cutoff 0.6; Python's standard library).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Callable, Dict, List

SUGGESTIONS = 3
CUTOFF = 0.6
_SEPARATORS = re.compile(r"[\s_\-./]+")


def name_key(name: str) -> str:
    """The comparison key of a name: lower case, separators ('-', '_', '.', '/', spaces) as one '_'."""
    return _SEPARATORS.sub("_", str(name).strip().lower()).strip("_")


def close_matches(
    given: str, names: Iterable[str], limit: int = SUGGESTIONS, key: Callable[[str], str] = name_key
) -> List[str]:
    """Up to ``limit`` of ``names`` most similar to ``given``, best first: ``difflib.get_close_matches``
    on the names' ``key`` (default ``name_key``; the hardware catalogue passes its own, which also
    drops vendor words)."""
    names = list(names)
    by_key: Dict[str, str] = {}
    for name in names:
        by_key.setdefault(key(name), name)
    keys = difflib.get_close_matches(key(given), list(by_key), n=limit, cutoff=CUTOFF)
    return [by_key[k] for k in keys]


def unknown_name_message(given: str, names: Iterable[str], what: str) -> str:
    """ "unknown <what> 'x'; did you mean a, b? (known: ...)" for an error message."""
    names = list(names)
    close = close_matches(given, names)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    listing = ", ".join(names) if len(names) <= 30 else ", ".join(names[:30]) + ", ..."
    return f"unknown {what} {given!r}{hint} (known: {listing})"


def match_name(given: str, names: Iterable[str], what: str) -> str:
    """The entry of ``names`` whose ``name_key`` equals that of ``given``; else ValueError naming
    ``what`` and ``given``, with close-match suggestions and the known names.

    ``what`` says what the names are ("zoo model", "benchmark", "--method"). Raises TypeError when
    ``given`` is not a string.
    """
    if not isinstance(given, str):
        raise TypeError(f"{what} must be a name (a string), got {given!r}")
    names = list(names)
    key = name_key(given)
    for name in names:
        if name_key(name) == key:
            return name
    raise ValueError(unknown_name_message(given, names, what))
