"""Statuses of derived quantities that the data may not determine.

A projection, a halving multiplier, a doubling time or a scaling-law target
carries a :class:`Status` beside its number. Numbers are kept in log10 space;
when the status is not ``Status.OK`` the number is not to be read as an
answer, and renderers print :func:`describe` instead of it.
"""

from __future__ import annotations

import enum

__all__ = ["Status", "describe"]


class Status(str, enum.Enum):
    """Why a derived number is, or is not, determined by the data.

    The value is the short phrase used in tables (``to_frame()["status"]``).
    """

    OK = "ok"
    NOT_SIGNIFICANT = "slope not significant"  # the slope's confidence interval includes zero
    WRONG_SIGN = "wrong sign"  # error grows with compute, or compute shrinks over time
    BEYOND_RANGE = "beyond range"  # the number does not fit a float (|log10| > 308)
    UNREACHABLE = "unreachable"  # the target lies beyond an asymptote (e.g. below a fitted irreducible loss)
    TOO_FEW_POINTS = "too few points"  # fewer points than a slope needs (e.g. targets reached by a simulation)

    def __str__(self) -> str:
        return self.value

    @property
    def determined(self) -> bool:
        """True when the number can be read as an answer."""
        return self is Status.OK


_EXPLANATIONS = {
    Status.OK: "determined",
    Status.NOT_SIGNIFICANT: "undetermined: the slope is not significant",
    Status.WRONG_SIGN: "undetermined: the fitted trend has the wrong sign",
    Status.BEYOND_RANGE: "undetermined: beyond the range of a float",
    Status.UNREACHABLE: "undetermined: the target lies beyond the fitted asymptote",
    Status.TOO_FEW_POINTS: "undetermined: too few points to fit a slope",
}


def describe(status: Status) -> str:
    """The words a report prints in place of an undetermined number.

    Parameters
    ----------
    status : Status or str
        A status, or its value (``"wrong sign"``).

    Returns
    -------
    str
        ``"determined"`` for ``Status.OK``, otherwise ``"undetermined: "`` and the reason.

    Examples
    --------
    >>> from computelimits.status import Status, describe
    >>> describe(Status.NOT_SIGNIFICANT)
    'undetermined: the slope is not significant'
    >>> describe("wrong sign")
    'undetermined: the fitted trend has the wrong sign'
    """
    try:
        return _EXPLANATIONS[Status(status)]
    except ValueError:
        raise ValueError(f"status must be one of {[s.value for s in Status]}, got {status!r}") from None
