// Cooperative cancellation and progress for long computations.
//
// The caller installs a CancellationToken on its thread (TokenScope) before calling a
// kernel; parallel_for hands the token to its worker threads. Kernels call
// throw_if_cancelled() between replicates and inside long loops (SGD epochs, lasso
// sweeps, gradient-descent iterations); once another thread has called cancel(), the
// next check throws Cancelled, which unwinds the kernel (parallel_for rethrows it on the
// caller, the binding turns it into Python's KeyboardInterrupt). The outermost
// parallel_for also counts the indices it has finished in the token, so a caller can
// show progress while the kernel runs. Without a token every check is one thread-local
// load and a compare.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>

namespace computelimits::common {

// The exception a cancelled kernel throws.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "computation cancelled"; }
};

class CancellationToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  // Indices finished by the outermost parallel loop since the token was made.
  void add_done(std::size_t count) noexcept { done_.fetch_add(count, std::memory_order_relaxed); }
  std::size_t done() const noexcept { return done_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<std::size_t> done_{0};
};

// The token of the computation running on this thread (nullptr: none).
inline CancellationToken*& current_token() noexcept {
  thread_local CancellationToken* token = nullptr;
  return token;
}

// Installs a token on this thread for the scope's lifetime (the token must outlive it).
class TokenScope {
 public:
  explicit TokenScope(CancellationToken* token) noexcept : previous_(current_token()) { current_token() = token; }
  ~TokenScope() { current_token() = previous_; }
  TokenScope(const TokenScope&) = delete;
  TokenScope& operator=(const TokenScope&) = delete;

 private:
  CancellationToken* previous_;
};

[[noreturn]] __attribute__((noinline, cold)) inline void throw_cancelled() { throw Cancelled(); }

// Throws Cancelled when this thread's computation has been cancelled.
inline void throw_if_cancelled() {
  const CancellationToken* token = current_token();
  if (__builtin_expect(token != nullptr && token->cancelled(), 0)) throw_cancelled();
}

}  // namespace computelimits::common
