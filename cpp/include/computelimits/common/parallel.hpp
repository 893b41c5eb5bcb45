// A parallel loop over an index range with std::thread workers.
//
// The range [begin, end) is cut into `threads` contiguous chunks, one per worker, so
// index i always gets the same work whatever the thread count; kernels that derive
// their randomness from the index (RandomStream(seed, i)) are therefore bit-identical
// for any number of threads. The first exception thrown by a worker is rethrown
// on the calling thread after all workers have joined.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace computelimits::common {

// Number of workers for a request: <= 0 means every hardware thread.
inline std::size_t resolve_threads(long requested) noexcept {
  if (requested > 0) return static_cast<std::size_t>(requested);
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : hardware;
}

// Calls body(chunk_begin, chunk_end, worker_index) on disjoint chunks covering [begin, end).
template <class Body>
void parallel_for(std::size_t begin, std::size_t end, long threads, Body&& body) {
  if (end <= begin) return;
  const std::size_t count = end - begin;
  const std::size_t workers = std::min(resolve_threads(threads), count);
  if (workers <= 1) {
    body(begin, end, std::size_t{0});
    return;
  }
  std::exception_ptr first_error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t chunk_begin = begin + count * w / workers;
    const std::size_t chunk_end = begin + count * (w + 1) / workers;
    pool.emplace_back([&, chunk_begin, chunk_end, w] {
      try {
        body(chunk_begin, chunk_end, w);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
      }
    });
  }
  for (auto& worker : pool) worker.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace computelimits::common
