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
    """The download cache: $COMPUTELIMITS_CACHE, else $XDG_CACHE_HOME/computelimits, else ~/.cache/computelimits.

    Returns
    -------
    pathlib.Path
        The folder (not created here).

    Examples
    --------
    >>> import os
    >>> from computelimits import datasets
    >>> os.environ["COMPUTELIMITS_CACHE"] = "/tmp/computelimits-cache"
    >>> datasets.default_cache_dir()
    PosixPath('/tmp/computelimits-cache')
    >>> del os.environ["COMPUTELIMITS_CACHE"]
    """
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
    cache has no copy or ``refresh`` is true.

    A failed download falls back to the cached copy (with a warning); with no copy it
    raises ConnectionError naming the URL. Downloads are written atomically (temp file + rename).

    Parameters
    ----------
    url : str or None
        Where to download from; None uses the cached copy only.
    filename : str
        The file's name in the cache (a plain name, no folders).
    cache_dir : str or os.PathLike, optional
        The cache folder; default ``default_cache_dir()``.
    refresh : bool, default False
        Download even when a cached copy exists.
    timeout : float, default 30.0
        Seconds to wait for the server.

    Returns
    -------
    pathlib.Path
        The cached file.

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import datasets
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open(os.path.join(folder, "table.csv"), "w") as handle:
    ...         _ = handle.write("a,b")
    ...     datasets.fetch_file(None, "table.csv", cache_dir=folder).name  # the cached copy, no download
    'table.csv'
    """
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
    """Epoch AI's model table, downloaded to ``cache_dir`` (or reused from it), read with ``load_epoch``.

    Data: Epoch AI, "Data on AI Models" (epoch.ai/data), CC BY; credit "Epoch AI".

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        The cache folder; default ``default_cache_dir()``.
    url : str, default ``EPOCH_URL``
        The CSV's address.
    refresh : bool, default False
        Download even when a cached copy exists.
    timeout : float, default 30.0
        Seconds to wait for the server.

    Returns
    -------
    pandas.DataFrame
        ``load_epoch``'s columns.

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import datasets
    >>> with tempfile.TemporaryDirectory() as folder:  # a cached copy is read without a download
    ...     with open(os.path.join(folder, "epoch_all_ai_models.csv"), "w") as handle:
    ...         print("Model,Publication date,Training compute (FLOP)", file=handle)
    ...         print("GPT-3 175B (davinci),2020-05-28,3.14e23", file=handle)
    ...     table = datasets.fetch_epoch(cache_dir=folder)
    >>> print(table.loc[0, "model"], table.loc[0, "training_compute_flop"])
    GPT-3 175B (davinci) 3.14e+23
    """
    return load_epoch(fetch_file(url, EPOCH_FILE, cache_dir, refresh, timeout))


def fetch_computerprogress(
    cache_dir: Union[str, os.PathLike, None] = None,
    url: Optional[str] = None,
    refresh: bool = False,
    timeout: float = 30.0,
):
    """The Computer Progress table (Thompson et al. 2020) from ``url``, cached, read with ``load_computerprogress``.

    The authors publish it on computerprogress.com; no stable file URL is built in, so the
    first call needs ``url``. Cite the paper.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        The cache folder; default ``default_cache_dir()``.
    url : str, optional
        The CSV's address; None reads the cached copy.
    refresh : bool, default False
        Download even when a cached copy exists.
    timeout : float, default 30.0
        Seconds to wait for the server.

    Returns
    -------
    pandas.DataFrame
        ``load_computerprogress``'s columns.

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import datasets
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open(os.path.join(folder, "computerprogress.csv"), "w") as handle:
    ...         print("benchmark,year,model,hardware_burden_gflop,accuracy", file=handle)
    ...         print("imagenet,2012,AlexNet,1.2e7,0.633", file=handle)
    ...     table = datasets.fetch_computerprogress(cache_dir=folder)
    >>> print(*table.loc[0, ["model", "hardware_burden_flop", "error"]])
    AlexNet 1.2e+16 0.367
    """
    return load_computerprogress(fetch_file(url, COMPUTERPROGRESS_FILE, cache_dir, refresh, timeout))
