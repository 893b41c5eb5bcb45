// A parallel loop over an index range with std::thread workers.
//
// The range [begin, end) is cut into contiguous blocks that the workers (the calling
// thread and threads - 1 others) take in turn from a shared counter, so a core slowed
// by other work simply takes fewer blocks. Which worker runs a block never changes
// its result: kernels derive their randomness from the index (RandomStream(seed, i))
// and keep no state across indices, so output is bit-identical for any number of
// threads. The first exception thrown by a worker is rethrown on the calling thread
// after all workers have joined.
#pragma once

#include <algorithm>
#include <atomic>
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

// Calls body(block_begin, block_end, worker_index) on disjoint blocks covering [begin, end).
template <class Body>
void parallel_for(std::size_t begin, std::size_t end, long threads, Body&& body) {
  if (end <= begin) return;
  const std::size_t count = end - begin;
  const std::size_t workers = std::min(resolve_threads(threads), count);
  if (workers <= 1) {
    body(begin, end, std::size_t{0});
    return;
  }
  // About eight blocks per worker: enough to even out a slow core, few enough that the
  // per-block set-up of the kernels (scratch buffers) stays negligible.
  const std::size_t grain = std::max<std::size_t>(1, count / (8 * workers));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  const auto work = [&](std::size_t worker) {
    try {
      for (;;) {
        if (failed.load(std::memory_order_relaxed)) return;
        const std::size_t offset = next.fetch_add(grain, std::memory_order_relaxed);
        if (offset >= count) return;
        body(begin + offset, begin + std::min(count, offset + grain), worker);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      failed.store(true, std::memory_order_relaxed);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& worker : pool) worker.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace computelimits::common
