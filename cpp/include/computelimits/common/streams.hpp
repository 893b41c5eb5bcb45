// Bulk draws from per-replicate random streams, filled in parallel.
#pragma once

#include <cstddef>
#include <cstdint>

namespace computelimits::common {

// out[r * count + j] = draw (start + j) of stream (seed, first_stream + r), r < replicates.
void fill_uniform(std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates,
                  std::uint64_t start, std::size_t count, long threads, double* out);

// Same layout, standard normals by Box-Muller (pair k uses draws 2k and 2k + 1).
// Requires an even start so that pairs line up with the numpy twin.
void fill_normal(std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates,
                 std::uint64_t start, std::size_t count, long threads, double* out);

}  // namespace computelimits::common
