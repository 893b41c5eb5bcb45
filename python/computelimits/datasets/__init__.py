"""The embedded paper dataset and loaders for published compute tables.

- ``paper_results(benchmark=None, metric=None)``: figures compiled from the
  primary papers for the six benchmarks of Thompson et al. (2020), with
  hardware burden and network computation derived by the library;
- ``load_epoch(path)``, ``load_computerprogress(path)``, ``load_csv(...)``:
  readers for Epoch AI's model table, the Computer Progress data and any CSV;
- ``fetch_epoch(...)``, ``fetch_computerprogress(...)``: download to a cache.

See docs/datasets.md for the columns, derivations, sources and terms.
"""

from ._papers import OUTPUT_COLUMNS, paper_entries, paper_results
from ._schema import BENCHMARKS, METRICS, PRIMARY_METRIC, STANDARD_COLUMNS, DataFormatError

__all__ = [
    "BENCHMARKS", "METRICS", "OUTPUT_COLUMNS", "PRIMARY_METRIC", "STANDARD_COLUMNS", "DataFormatError",
    "paper_entries", "paper_results",
]
