"""Download published tables to a local cache; reuse the cache when offline."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Optional, Union

from ._loaders import load_computerprogress, load_epoch

# Epoch AI publishes its model tables as daily-updated CSV files linked from
# https://epoch.ai/data ; pass url= if the address moves.
EPOCH_URL = "https://epoch.ai/data/all_ai_models.csv"
EPOCH_FILE = "epoch_all_ai_models.csv"
COMPUTERPROGRESS_FILE = "computerprogress.csv"


def default_cache_dir() -> Path:
    """$COMPUTELIMITS_CACHE, else $XDG_CACHE_HOME/computelimits, else ~/.cache/computelimits."""
    env = os.environ.get("COMPUTELIMITS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "computelimits"


def fetch_file(
    url: Optional[str],
    filename: str,
    cache_dir: Union[str, os.PathLike, None] = None,
    refresh: bool = False,
    timeout: float = 30.0,
) -> Path:
    """Path of ``filename`` in the cache, downloading ``url`` first when the
    cache has no copy or ``refresh`` is true. A failed download falls back to
    the cached copy (with a warning); with no copy it raises ConnectionError
    naming the URL. Downloads are written atomically (temp file + rename)."""
    if not isinstance(filename, str) or not filename or os.sep in filename or filename in (".", ".."):
        raise ValueError(f"filename must be a plain file name, got {filename!r}")
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = directory / filename
    if target.is_file() and not refresh:
        return target
    if url is None:
        if target.is_file():
            return target
        raise ValueError(f"url is required: no cached copy at {target}")
    if not isinstance(url, str) or not url:
        raise ValueError(f"url must be a non-empty string, got {url!r}")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{filename}.", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as out:
                    shutil.copyfileobj(response, out)
                os.replace(temp, target)
            except BaseException:
                if os.path.exists(temp):
                    os.unlink(temp)
                raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        if target.is_file():
            warnings.warn(
                f"could not download {url} ({error}); using the cached copy {target}", RuntimeWarning, stacklevel=2
            )
            return target
        raise ConnectionError(f"could not download {url} ({error}) and no cached copy exists at {target}") from error
    return target


def fetch_epoch(
    cache_dir: Union[str, os.PathLike, None] = None, url: str = EPOCH_URL, refresh: bool = False, timeout: float = 30.0
):
    """Epoch AI's model table, downloaded to ``cache_dir`` (or reused from it),
    read with ``load_epoch``. Data: CC-BY, credit "Epoch AI"."""
    return load_epoch(fetch_file(url, EPOCH_FILE, cache_dir, refresh, timeout))


def fetch_computerprogress(
    cache_dir: Union[str, os.PathLike, None] = None,
    url: Optional[str] = None,
    refresh: bool = False,
    timeout: float = 30.0,
):
    """The Computer Progress table (Thompson et al. 2020) from ``url`` (the
    authors publish it on computerprogress.com; no stable file URL is built
    in), cached, read with ``load_computerprogress``. Cite the paper."""
    return load_computerprogress(fetch_file(url, COMPUTERPROGRESS_FILE, cache_dir, refresh, timeout))
