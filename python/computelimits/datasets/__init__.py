"""The embedded paper dataset and loaders for published compute tables.

- ``paper_results(benchmark=None, metric=None)``: figures compiled from the
  primary papers for the six benchmarks of Thompson et al. (2020), with
  hardware burden and network computation derived by the library;
- ``load_epoch(path)``, ``load_computerprogress(path)``, ``load_csv(...)``:
  readers for Epoch AI's model table, the Computer Progress data and any CSV;
- ``fetch_epoch(...)``, ``fetch_computerprogress(...)``: download to a cache,
  reuse the cache offline.

See docs/datasets.md for the columns, derivations, sources and terms.
"""

from ._fetch import EPOCH_URL, default_cache_dir, fetch_computerprogress, fetch_epoch, fetch_file
from ._loaders import load_computerprogress, load_csv, load_epoch, match_processor, parse_date
from ._papers import OUTPUT_COLUMNS, paper_entries, paper_results, parse_papers
from ._schema import BENCHMARKS, METRICS, PRIMARY_METRIC, STANDARD_COLUMNS, DataFormatError

__all__ = [
    "BENCHMARKS",
    "EPOCH_URL",
    "METRICS",
    "OUTPUT_COLUMNS",
    "PRIMARY_METRIC",
    "STANDARD_COLUMNS",
    "DataFormatError",
    "default_cache_dir",
    "fetch_computerprogress",
    "fetch_epoch",
    "fetch_file",
    "load_computerprogress",
    "load_csv",
    "load_epoch",
    "match_processor",
    "paper_entries",
    "paper_results",
    "parse_date",
    "parse_papers",
]
