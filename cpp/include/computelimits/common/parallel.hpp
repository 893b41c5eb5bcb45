// A parallel loop over an index range with std::thread workers.
//
// The range [begin, end) is cut into contiguous blocks that the workers (the calling
// thread and threads - 1 others) take in turn from a shared counter, so a core slowed
// by other work simply takes fewer blocks. Which worker runs a block never changes
// its result: kernels derive their randomness from the index (RandomStream(seed, i))
// and keep no state across indices, so output is bit-identical for any number of
// threads. The first exception thrown by a worker is rethrown on the calling thread
// after all workers have joined.
//
// Cancellation (common/cancellation.hpp): the workers inherit the caller's token, check
// it before every block and stop by throwing Cancelled; the outermost loop adds each
// finished block's length to the token's progress count. With a token installed even a
// single worker walks the range block by block, so progress and cancellation work at
// threads = 1 too.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "computelimits/common/cancellation.hpp"

namespace computelimits::common {

// Number of workers for a request: <= 0 means every hardware thread.
inline std::size_t resolve_threads(long requested) noexcept {
  if (requested > 0) return static_cast<std::size_t>(requested);
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : hardware;
}

// Nesting depth of parallel_for on this thread (progress counts the outermost loop only).
inline int& parallel_depth() noexcept {
  thread_local int depth = 0;
  return depth;
}

namespace detail {

// Runs on every worker thread: the caller's token and a depth below the outermost loop.
class WorkerContext {
 public:
  WorkerContext(CancellationToken* token, int depth) noexcept
      : scope_(token), previous_depth_(parallel_depth()) {
    parallel_depth() = depth;
  }
  ~WorkerContext() { parallel_depth() = previous_depth_; }
  WorkerContext(const WorkerContext&) = delete;
  WorkerContext& operator=(const WorkerContext&) = delete;

 private:
  TokenScope scope_;
  int previous_depth_;
};

}  // namespace detail

// Calls body(block_begin, block_end, worker_index) on disjoint blocks covering [begin, end).
template <class Body>
void parallel_for(std::size_t begin, std::size_t end, long threads, Body&& body) {
  if (end <= begin) return;
  CancellationToken* const token = current_token();
  const int depth = parallel_depth();
  CancellationToken* const progress = depth == 0 ? token : nullptr;
  const std::size_t count = end - begin;
  const std::size_t workers = std::min(resolve_threads(threads), count);
  throw_if_cancelled();
  detail::WorkerContext caller(token, depth + 1);
  if (workers <= 1 && token == nullptr) {
    body(begin, end, std::size_t{0});
    return;
  }
  // About eight blocks per worker: enough to even out a slow core, few enough that the
  // per-block set-up of the kernels (scratch buffers) stays negligible.
  const std::size_t grain = std::max<std::size_t>(1, count / (8 * workers));
  if (workers <= 1) {
    for (std::size_t offset = 0; offset < count; offset += grain) {
      throw_if_cancelled();
      const std::size_t stop = std::min(count, offset + grain);
      body(begin + offset, begin + stop, std::size_t{0});
      if (progress != nullptr) progress->add_done(stop - offset);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  const auto work = [&](std::size_t worker) {
    try {
      for (;;) {
        if (failed.load(std::memory_order_relaxed)) return;
        throw_if_cancelled();
        const std::size_t offset = next.fetch_add(grain, std::memory_order_relaxed);
        if (offset >= count) return;
        const std::size_t stop = std::min(count, offset + grain);
        body(begin + offset, begin + stop, worker);
        if (progress != nullptr) progress->add_done(stop - offset);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      failed.store(true, std::memory_order_relaxed);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  try {
    for (std::size_t w = 1; w < workers; ++w) {
      pool.emplace_back([&, w] {
        detail::WorkerContext context(token, depth + 1);
        work(w);
      });
    }
  } catch (...) {  // no more threads: stop the started ones, join them, report
    failed.store(true, std::memory_order_relaxed);
    for (auto& worker : pool) worker.join();
    throw;
  }
  work(0);
  for (auto& worker : pool) worker.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace computelimits::common
