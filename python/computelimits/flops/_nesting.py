"""Walking nested structures (blocks in blocks, JSON in JSON) without recursion.

Flattening a model, ``to_dict``, ``from_dict`` and writing JSON text all walk
nested blocks; each runs through ``nested``, which keeps an explicit stack of
generators, so depth never exhausts Python's stack. Blocks may nest
``MAX_NESTING`` levels deep; beyond it a ValueError names the limit.
"""

from __future__ import annotations

from types import GeneratorType
from typing import Any, Callable, Generator

#: How many blocks (Sequential, Residual, Concat, ParallelResidual) may nest inside one another.
MAX_NESTING = 100

Step = Generator[Any, Any, Any]


def nested(step: Callable[[Any], Any], item: Any, limit: int, what: str) -> Any:
    """Run a recursive walk without recursion.

    ``step(item)`` returns either a finished result or a generator that yields
    sub-items, receives each one's result, and returns its own. Generators stack
    at most ``limit`` deep; deeper raises ValueError naming ``what`` and the limit.
    """
    root = step(item)
    if not isinstance(root, GeneratorType):
        return root
    stack = [root]
    value = None
    while True:
        try:
            sub = stack[-1].send(value)
        except StopIteration as stop:
            stack.pop()
            if not stack:
                return stop.value
            value = stop.value
            continue
        inner = step(sub)
        if isinstance(inner, GeneratorType):
            if len(stack) >= limit:
                for generator in stack:
                    generator.close()
                raise ValueError(f"{what} nest deeper than {limit} levels, the limit")
            stack.append(inner)
            value = None
        else:
            value = inner
