"""Types of command-line values, one module for every subcommand.

Each factory takes the option's name and returns the ``type=`` callable argparse calls on the
text; a bad value raises ``argparse.ArgumentTypeError`` whose message names the option and the
value, which argparse prints as ``computelimits CMD: error: argument --x: ...`` (exit code 2).

- ``count``: whole numbers written as 1000, 1e12, 2.5e6 or 1_281_167, read exactly (Decimal),
  with a minimum (``--tokens 1e9.5`` or ``--epochs 2.5`` is refused, naming the option);
- ``real``: a finite float with optional bounds (``positive_real``: > 0);
- ``probability``: a level or fraction strictly inside (0, 1), with a hint when the value looks
  like a percentage ("5 looks like a percentage: pass 0.05");
- ``choice``: one of a list of names, matched case-insensitively with suggestions
  (``computelimits._names``).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Callable, Optional, TypeVar

from .. import _names, _units


def parse_count(text: str, option: str, minimum: Optional[int] = 0, maximum: Optional[int] = None) -> int:
    """An exact int from "1000", "1e12", "2.5e6" or "1_281_167" (``_units.parse_count``), at most
    ``maximum``; ValueError naming ``option`` otherwise."""
    value = _units.parse_count(text, option, minimum=minimum)
    if maximum is not None and value > maximum:
        raise ValueError(f"{option} must be <= {maximum}, got {text!r}")
    return value


Parsed = TypeVar("Parsed")


def _argparse_errors(parse: Callable[[str], Parsed]) -> Callable[[str], Parsed]:
    def wrapped(text: str) -> Parsed:
        try:
            return parse(text)
        except (ValueError, TypeError) as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return wrapped


def count(option: str, minimum: Optional[int] = 0, maximum: Optional[int] = None) -> Callable[[str], int]:
    """argparse type: an exact whole number >= ``minimum`` (and <= ``maximum``), e-notation and
    underscores accepted."""
    wrapped = _argparse_errors(lambda text: parse_count(text, option, minimum, maximum))
    wrapped.__name__ = "count"
    return wrapped


def parse_real(
    text: str,
    option: str,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    *,
    strict_minimum: bool = False,
) -> float:
    """A finite float within [minimum, maximum] ((minimum, ...] when ``strict_minimum``)."""
    try:
        value = float(str(text).replace("_", ""))
    except ValueError:
        raise ValueError(f"{option} must be a number such as 0.4 or 3.14e23, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{option} must be a finite number, got {text!r}")
    if minimum is not None and (value <= minimum if strict_minimum else value < minimum):
        raise ValueError(f"{option} must be {'>' if strict_minimum else '>='} {minimum:g}, got {text!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{option} must be <= {maximum:g}, got {text!r}")
    return value


def real(option: str, minimum: Optional[float] = None, maximum: Optional[float] = None) -> Callable[[str], float]:
    """argparse type: a finite float within [minimum, maximum]."""
    wrapped = _argparse_errors(lambda text: parse_real(text, option, minimum, maximum))
    wrapped.__name__ = "real"
    return wrapped


def positive_real(option: str, maximum: Optional[float] = None) -> Callable[[str], float]:
    """argparse type: a finite float > 0 (and <= ``maximum``)."""
    wrapped = _argparse_errors(lambda text: parse_real(text, option, 0.0, maximum, strict_minimum=True))
    wrapped.__name__ = "positive real"
    return wrapped


def parse_probability(text: str, option: str) -> float:
    """A number strictly inside (0, 1); a value in [1, 100) gets the hint that it looks like a percentage."""
    value = parse_real(text, option)
    if not 0.0 < value < 1.0:
        hint = ""
        if 1.0 <= value < 100.0:
            hint = f"; {value:g} looks like a percentage: pass {value / 100:g}"
        raise ValueError(f"{option} must lie strictly between 0 and 1, got {text!r}{hint}")
    return value


def probability(option: str) -> Callable[[str], float]:
    """argparse type: a fraction strictly inside (0, 1), e.g. a target error or a confidence level."""
    wrapped = _argparse_errors(lambda text: parse_probability(text, option))
    wrapped.__name__ = "probability"
    return wrapped


def choice(option: str, names: Sequence[str]) -> Callable[[str], str]:
    """argparse type: one of ``names``, matched ignoring case and separators, with suggestions."""
    names = list(names)
    wrapped = _argparse_errors(lambda text: _names.match_name(text, names, option))
    wrapped.__name__ = "choice"
    return wrapped


def seed(option: str = "--seed") -> Callable[[str], int]:
    """argparse type: a random seed, a whole number in [0, 2^64)."""
    return count(option, 0, 2**64 - 1)


def threads(option: str = "--threads") -> Callable[[str], int]:
    """argparse type: a thread count >= 1."""
    return count(option, 1)
