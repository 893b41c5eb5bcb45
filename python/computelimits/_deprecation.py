"""Old names that keep working for one release, with a DeprecationWarning naming the new one.

- ``renamed_keywords(old="new", ...)``: a function decorator mapping old keyword arguments
  to their new names (passing both raises TypeError);
- ``renamed_attribute("new")``: a read-only property that returns the attribute's new name;
- ``ArrayMethod``: a method that used to be an array attribute (statsmodels-style
  ``cov_params()``): calling it is the new way, using it as an array still works and warns.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

REMOVAL = "the old name will be removed in the next release"


def warn_renamed(old: str, new: str, what: str = "keyword", stacklevel: int = 3) -> None:
    """Issue the DeprecationWarning for a renamed keyword or attribute."""
    warnings.warn(f"{what} {old!r} is deprecated: use {new!r} ({REMOVAL})", DeprecationWarning, stacklevel=stacklevel)


def renamed_keywords(**renames: str) -> Callable:
    """Decorator: accept each old keyword (``old="new"``) as its new name, with a DeprecationWarning."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{function.__name__}() got both {new!r} and its deprecated name {old!r}: pass {new!r} only"
                        )
                    warn_renamed(old, new, f"{function.__name__}() keyword")
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return wrapper

    return decorate


def renamed_attribute(new: str) -> property:
    """A property for an attribute's old name: returns ``self.<new>`` with a DeprecationWarning."""

    def getter(self: Any) -> Any:
        warn_renamed(getter.__name__, new, f"{type(self).__name__} attribute")
        return getattr(self, new)

    class _Named(property):
        def __set_name__(self, owner: type, name: str) -> None:
            getter.__name__ = name

    return _Named(getter, doc=f"Deprecated name of ``{new}``.")


class _ArrayOrCall(NDArrayOperatorsMixin):
    """What ``result.<name>`` returns for an ``ArrayMethod``: call it for the value (the new way);
    any array-style use (indexing, numpy functions, operators, attributes such as ``.shape``)
    works on the stored array and warns."""

    __slots__ = ("_array", "_bound", "_label")

    def __init__(self, bound: Callable, array: np.ndarray, label: str) -> None:
        self._bound = bound
        self._array = array
        self._label = label

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._bound(*args, **kwargs)

    def _warned(self) -> np.ndarray:
        warnings.warn(
            f"{self._label} is a method, as in statsmodels: call {self._label}() for the array "
            f"(using it as an array is deprecated; {REMOVAL.replace('name', 'array attribute')})",
            DeprecationWarning,
            stacklevel=3,
        )
        return self._array

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self._warned()
        return array if dtype is None else array.astype(dtype)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        inputs = tuple(value._warned() if isinstance(value, _ArrayOrCall) else value for value in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self._warned()[key]

    def __len__(self) -> int:
        return len(self._warned())

    def __iter__(self):
        return iter(self._warned())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._warned(), name)

    def __repr__(self) -> str:
        return f"<method {self._label} (call it for the array)>"


class ArrayMethod:
    """Descriptor: a method ``function(self, ...)`` that replaces an array attribute stored in
    ``self.<storage>``. ``obj.name(...)`` calls it; ``obj.name`` used as an array warns."""

    def __init__(self, function: Callable, storage: str) -> None:
        self._function = function
        self._storage = storage
        functools.update_wrapper(self, function)  # type: ignore[arg-type]

    def __set_name__(self, owner: type, name: str) -> None:
        self._label = f"{owner.__name__}.{name}"

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self._function
        bound = functools.partial(self._function, instance)
        return _ArrayOrCall(bound, getattr(instance, self._storage), self._label)


def array_method(storage: str) -> Callable[[Callable], ArrayMethod]:
    """Decorator form of ``ArrayMethod``: ``@array_method("cov_params_array")``."""
    return lambda function: ArrayMethod(function, storage)
