"""The one processor registry: lookup by name or alias, listing, and merging new records.

The registry starts as the built-in catalogue (``CATALOGUE``);
``register_processor`` (and ``load_epoch_hardware``, which calls it) add to it,
``reset_catalogue`` restores the built-in state.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Dict, List, Optional, Tuple, Union

from .. import _names
from ._catalogue import CATALOGUE
from ._processor import KINDS, Processor

# Words that do not tell processors apart ("NVIDIA Tesla V100" is "V100").
_DROP_WORDS = re.compile(r"\b(nvidia|tesla|geforce|google|cloud|amd|instinct|intel|habana)\b")
PREFER = ("catalogue", "new")


def normalize_name(name: str) -> str:
    """The lookup key of a processor name: lower case, vendor words and punctuation dropped."""
    text = _DROP_WORDS.sub("", name.lower())
    return re.sub(r"[^a-z0-9]", "", text)


class _Registry:
    def __init__(self) -> None:
        self.by_name: Dict[str, Processor] = {}
        self.by_key: Dict[str, str] = {}  # normalized label -> canonical name

    def labels(self, processor: Processor) -> Tuple[str, ...]:
        return (processor.name,) + tuple(processor.aliases)

    def owner(self, processor: Processor) -> Optional[str]:
        """The registered name any label of ``processor`` already resolves to."""
        for label in self.labels(processor):
            found = self.by_key.get(normalize_name(label))
            if found is not None:
                return found
        return None

    def remove(self, name: str) -> None:
        old = self.by_name.pop(name)
        for label in self.labels(old):
            if self.by_key.get(normalize_name(label)) == name:
                del self.by_key[normalize_name(label)]

    def add(self, processor: Processor) -> None:
        for label in self.labels(processor):
            key = normalize_name(label)
            if not key:
                raise ValueError(f"processor label {label!r} has no letters or digits")
            if key in self.by_key and self.by_key[key] != processor.name:
                raise ValueError(f"processor label {label!r} already names {self.by_key[key]!r}")
        self.by_name[processor.name] = processor
        for label in self.labels(processor):
            self.by_key[normalize_name(label)] = processor.name


_REGISTRY = _Registry()


def reset_catalogue() -> None:
    """Restore the registry to the built-in catalogue (drops merged or registered records).

    Returns
    -------
    None

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.reset_catalogue()
    >>> len(hardware.processors()) == len(hardware.CATALOGUE)
    True
    """
    _REGISTRY.by_name.clear()
    _REGISTRY.by_key.clear()
    for processor in CATALOGUE:
        _REGISTRY.add(processor)


reset_catalogue()


def _with_aliases(processor: Processor, extra: Tuple[str, ...]) -> Processor:
    taken = {normalize_name(label) for label in (processor.name,) + processor.aliases}
    added = []
    for label in extra:
        key = normalize_name(label)
        if key and key not in taken and _REGISTRY.by_key.get(key, processor.name) == processor.name:
            added.append(label)
            taken.add(key)
    return dataclasses.replace(processor, aliases=processor.aliases + tuple(added))


def register_processor(processor: Processor, *, prefer: str = "catalogue") -> str:
    """Add ``processor`` to the registry; returns what happened: "added", "kept" or "replaced".

    A processor whose name or an alias already resolves to a registered one is a
    conflict. ``prefer="catalogue"`` keeps the registered record and adds the new
    name as one of its aliases ("kept"); ``prefer="new"`` keeps the new record's
    figures under the registered name, with both records' names as aliases and the
    registered price where the new record has none ("replaced").

    Parameters
    ----------
    processor : Processor
        The record to add.
    prefer : {"catalogue", "new"}, default "catalogue"
        Which record wins a conflict.

    Returns
    -------
    str
        "added", "kept" or "replaced".

    Examples
    --------
    >>> import dataclasses
    >>> from computelimits import hardware
    >>> mine = dataclasses.replace(hardware.get_processor("L4"), name="My L4 variant", aliases=())
    >>> hardware.register_processor(mine)
    'added'
    >>> hardware.get_processor("my l4 variant").name
    'My L4 variant'
    >>> hardware.reset_catalogue()
    """
    if not isinstance(processor, Processor):
        raise TypeError(f"processor must be a Processor, got {processor!r} ({type(processor).__name__})")
    if prefer not in PREFER:
        raise ValueError(f"prefer must be one of {PREFER}, got {prefer!r}")
    owner = _REGISTRY.owner(processor)
    if owner is None:
        _REGISTRY.add(processor)
        return "added"
    registered = _REGISTRY.by_name[owner]
    if prefer == "catalogue":
        merged = _with_aliases(registered, _REGISTRY.labels(processor))
        outcome = "kept"
    else:
        price: Dict[str, Any] = {}
        if processor.cloud_usd_per_hour is None and registered.cloud_usd_per_hour is not None:
            price = dict(cloud_usd_per_hour=registered.cloud_usd_per_hour, price_source=registered.price_source)
        base = dataclasses.replace(processor, name=registered.name, aliases=registered.aliases, **price)
        merged = _with_aliases(base, _REGISTRY.labels(processor))
        outcome = "replaced"
    _REGISTRY.remove(owner)
    _REGISTRY.add(merged)
    return outcome


def processors(kind: Optional[str] = None, vendor: Optional[str] = None) -> Tuple[Processor, ...]:
    """Every registered processor (optionally one ``kind`` and/or ``vendor``), oldest first.

    Parameters
    ----------
    kind : {"gpu", "tpu", "accelerator"}, optional
        Keep only this kind.
    vendor : str, optional
        Keep only this vendor (case-insensitive).

    Returns
    -------
    tuple of Processor
        Sorted by release year, then name.

    Examples
    --------
    >>> from computelimits import hardware
    >>> [p.name for p in hardware.processors(kind="tpu")][:3]
    ['TPU-v2', 'TPU-v3', 'TPU-v4']
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be None or one of {KINDS}, got {kind!r}")
    if vendor is not None and not isinstance(vendor, str):
        raise TypeError(f"vendor must be None or a string, got {vendor!r}")
    chosen = [
        p
        for p in _REGISTRY.by_name.values()
        if (kind is None or p.kind == kind) and (vendor is None or p.vendor.lower() == vendor.lower())
    ]
    return tuple(sorted(chosen, key=lambda p: (p.release_year, p.name)))


def catalogue_frame(kind: Optional[str] = None, vendor: Optional[str] = None):
    """The registered processors as a pandas DataFrame, one row per processor (``Processor.to_dict``).

    Parameters
    ----------
    kind : {"gpu", "tpu", "accelerator"}, optional
        Keep only this kind.
    vendor : str, optional
        Keep only this vendor (case-insensitive).

    Returns
    -------
    pandas.DataFrame
        One row per processor, oldest first; peak rates in FLOP/s as ``peak_<precision>_flops``.

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.catalogue_frame(kind="tpu")[["name", "release_year"]].head(2)
         name  release_year
    0  TPU-v2          2017
    1  TPU-v3          2018
    """
    import pandas as pd

    return pd.DataFrame([p.to_dict() for p in processors(kind, vendor)])


def find_processor(name: Union[str, Processor]) -> Optional[Processor]:
    """Like ``get_processor`` but returns None for an unknown name (no error, no suggestions).

    Parameters
    ----------
    name : str or Processor
        A name or alias (matched as ``get_processor`` does); a ``Processor`` passes through.

    Returns
    -------
    Processor or None

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.find_processor("a100").name
    'A100-SXM4-40GB'
    >>> hardware.find_processor("no such chip") is None
    True
    """
    if isinstance(name, Processor):
        return name
    if not isinstance(name, str):
        return None
    found = _REGISTRY.by_key.get(normalize_name(name))
    return None if found is None else _REGISTRY.by_name[found]


def close_matches(name: str, limit: int = 5) -> List[str]:
    """Canonical names of registered processors whose names or aliases resemble ``name``.

    Matching is ``difflib.get_close_matches`` (ratio >= 0.6) on the normalized labels
    (lower case, vendor words and punctuation dropped), through ``computelimits._names``.

    Parameters
    ----------
    name : str
        The name to match.
    limit : int, default 5
        At most this many names.

    Returns
    -------
    list of str
        Canonical names, closest first.

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.close_matches("H10")
    ['H100-SXM', 'H20']
    """
    close = _names.close_matches(name, list(_REGISTRY.by_key), limit=3 * limit, key=normalize_name)
    out: List[str] = []
    for key in close:
        canonical = _REGISTRY.by_key[key]
        if canonical not in out:
            out.append(canonical)
    return out[:limit]


def get_processor(name: Union[str, Processor]) -> Processor:
    """Look a processor up by name or alias; a ``Processor`` passes through.

    Case, spaces, hyphens and the words NVIDIA/Tesla/GeForce/Google/Cloud/AMD/
    Instinct/Intel/Habana are ignored ("tesla v100" is "V100-SXM2-16GB"). An
    unknown name raises ValueError listing close matches.

    Parameters
    ----------
    name : str or Processor
        A catalogue name or alias.

    Returns
    -------
    Processor
        The registered record (datasheet peaks, board power, price and their sources).

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.get_processor("tesla v100").name
    'V100-SXM2-16GB'
    >>> hardware.get_processor("H10")
    Traceback (most recent call last):
    ...
    ValueError: processor 'H10' is not in the catalogue; did you mean H100-SXM, H20? (see computelimits.hardware.processors())
    """
    if isinstance(name, Processor):
        return name
    if not isinstance(name, str):
        raise TypeError(f"processor must be a name (str) or Processor, got {name!r} ({type(name).__name__})")
    found = find_processor(name)
    if found is not None:
        return found
    close = close_matches(name)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"processor {name!r} is not in the catalogue{hint} (see computelimits.hardware.processors())")
