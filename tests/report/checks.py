"""Checks shared by the report tests."""

import re

_BAD_TOKEN = re.compile(r"(?i)(?<![a-z0-9_])(nan|inf|infinity)(?![a-z0-9_])")


def bad_tokens(text):
    """The words nan, inf and infinity (any case, whole words) found in ``text``."""
    return sorted({match.group(0) for match in _BAD_TOKEN.finditer(text)})
