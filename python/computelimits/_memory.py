"""Memory available to this process and the check every entry point makes before allocating.

Available memory is the smallest of: the kernel's estimate of memory available without
swapping (``MemAvailable`` in /proc/meminfo, Linux 3.14+), the room left under the
process's cgroup limit (``memory.max - memory.current``, cgroup v2, or
``memory.limit_in_bytes - memory.usage_in_bytes``, v1: a container's OOM killer acts
there first) and, elsewhere, free physical pages (``os.sysconf``). The environment
variable ``COMPUTELIMITS_MEMORY_LIMIT`` (bytes, or a number with K, M, G or T, binary
units, e.g. ``64G``) overrides all of them; ``0`` or ``off`` turns the check off.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, Optional, Tuple

ENVIRONMENT_VARIABLE = "COMPUTELIMITS_MEMORY_LIMIT"
#: Calls needing less than this are not checked (the check reads a few /proc files, ~0.1 ms):
#: a machine without 64 MiB to spare fails in Python itself first.
CHECK_FLOOR = 64 * 2**20
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def format_bytes(count: float) -> str:
    """``count`` bytes in binary units, e.g. 16.0 GiB."""
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(value) < 1024.0 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024.0
    return f"{value:.1f} PiB"  # pragma: no cover


def _override() -> Optional[Tuple[Optional[int], str]]:
    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if text is None or not text.strip():
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, flags=re.IGNORECASE)
    if text.strip().lower() == "off":
        return None, f"{ENVIRONMENT_VARIABLE}=off"
    if match is None:
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE} must be a byte count such as 17179869184, 16G or 512M (or 'off'), got {text!r}"
        )
    limit = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    return (None if limit == 0 else limit), f"{ENVIRONMENT_VARIABLE}={text.strip()}"


def _meminfo_available() -> Optional[int]:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _read_int(path: str) -> Optional[int]:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _cgroup_room() -> Optional[int]:
    """Bytes left under this process's cgroup memory limit (None: no limit found)."""
    try:
        entries = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for entry in entries:
        parts = entry.split(":", 2)
        if len(parts) != 3:
            continue
        hierarchy, controllers, relative = parts
        if hierarchy == "0" and controllers == "":  # cgroup v2
            base = "/sys/fs/cgroup" + relative.rstrip("/")
            limit, used = _read_int(base + "/memory.max"), _read_int(base + "/memory.current")
        elif "memory" in controllers.split(","):  # cgroup v1
            base = "/sys/fs/cgroup/memory" + relative.rstrip("/")
            limit = _read_int(base + "/memory.limit_in_bytes")
            used = _read_int(base + "/memory.usage_in_bytes")
            if limit is None:
                base = "/sys/fs/cgroup/memory"
                limit, used = _read_int(base + "/memory.limit_in_bytes"), _read_int(base + "/memory.usage_in_bytes")
        else:
            continue
        if limit is not None and used is not None and limit < 2**60:
            return max(limit - used, 0)
    return None


def _sysconf_available() -> Optional[int]:
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def available_memory() -> Tuple[Optional[int], str]:
    """(bytes this process may still allocate, where the figure comes from); (None, ...) if unknown or off."""
    override = _override()
    if override is not None:
        return override
    candidates = []
    meminfo = _meminfo_available()
    if meminfo is not None:
        candidates.append((meminfo, "MemAvailable in /proc/meminfo"))
    room = _cgroup_room()
    if room is not None:
        candidates.append((room, "the cgroup memory limit"))
    if not candidates:
        pages = _sysconf_available()
        if pages is not None:
            candidates.append((pages, "free physical pages (os.sysconf)"))
    if not candidates:
        return None, "unknown on this system"
    return min(candidates)


def check_memory(
    what: str, needed: float, arguments: Dict[str, object], breakdown: str = "", available: Optional[int] = None
) -> None:
    """Raise MemoryError when ``needed`` bytes exceed the memory available (needs below
    :data:`CHECK_FLOOR` pass without a look).

    ``arguments`` names the arguments responsible (shown with their values),
    ``breakdown`` says how the estimate was formed; ``available`` replaces the
    local figure (e.g. a Dask worker's memory limit).
    """
    if needed < CHECK_FLOOR and (available is None or needed <= available):
        return
    source = "the worker's memory limit"
    if available is None:
        available, source = available_memory()
    if available is None or needed <= available:
        return
    named = ", ".join(f"{name}={value!r}" for name, value in arguments.items())
    sizes = [name for name in arguments if name != "threads"]
    hint = " or ".join(
        part
        for part in (f"smaller {', '.join(sizes)}" if sizes else "", "fewer threads" if "threads" in arguments else "")
        if part
    )
    raise MemoryError(
        f"{what}({named}) needs about {format_bytes(needed)}{f' ({breakdown})' if breakdown else ''} but "
        f"{format_bytes(available)} is available ({source}); use {hint or 'a smaller problem'}, or set "
        f"{ENVIRONMENT_VARIABLE} to override the figure"
    )
