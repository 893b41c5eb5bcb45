#include "computelimits/common/streams.hpp"

#include <stdexcept>

#include "computelimits/common/parallel.hpp"
#include "computelimits/common/random.hpp"

namespace computelimits::common {

void fill_uniform(std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates,
                  std::uint64_t start, std::size_t count, long threads, double* out) {
  parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t r = begin; r < end; ++r) {
      RandomStream stream(seed, first_stream + r, start);
      double* row = out + r * count;
      for (std::size_t j = 0; j < count; ++j) row[j] = stream.uniform();
    }
  });
}

void fill_normal(std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates,
                 std::uint64_t start, std::size_t count, long threads, double* out) {
  if (start % 2 != 0) throw std::invalid_argument("start must be even for normal draws, got odd start");
  parallel_for(0, replicates, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t r = begin; r < end; ++r) {
      RandomStream stream(seed, first_stream + r, start);
      double* row = out + r * count;
      for (std::size_t j = 0; j < count; ++j) row[j] = stream.normal();
    }
  });
}

}  // namespace computelimits::common
