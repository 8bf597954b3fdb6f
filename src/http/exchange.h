// The state a connection's network coroutine shares with the worker threads serving its
// current request:
//  - the request body in flight: the network side reads it from the socket into a bounded
//    queue of chunks (reading ahead so socket reads overlap the handler's hashing and
//    writing); the handler pulls it through body_source(), blocking while the queue is empty;
//  - the end of the handler;
//  - the end of a "fill", a worker-thread read of a streamed response body into a buffer.
//
// The network side never blocks: it asks next_step() what to do and, when there is nothing,
// park()s a continuation that the worker side fires on its next state change. Continuations
// run on the worker thread, outside the lock, and must only schedule the coroutine (post it
// to its executor), never resume it inline.
//
// Thread-safety: all methods may be called from any thread. body_source() has one reader
// at a time (the handler). Pure standard C++: no Asio here, so it is testable with threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/byte_source.h"
#include "core/error.h"

namespace cv::http {

class Exchange {
 public:
  using Continuation = std::move_only_function<void()>;

  // What the network side should do next while a handler runs.
  enum class NetworkStep {
    kReadBody,     // read the next chunk of the request body and push_body() it
    kWait,         // nothing to do: park(WaitFor::kHandlerOrBody)
    kHandlerDone,  // the handler has returned; its response is ready
  };
  enum class WaitFor { kHandlerOrBody, kFill };

  // The body queue holds at most `max_queued_chunks` chunks of `chunk_bytes` each.
  Exchange(size_t chunk_bytes, size_t max_queued_chunks);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  size_t chunk_bytes() const { return chunk_bytes_; }

  // ---- network side ----

  // Starts a request whose handler is about to be scheduled. With `streaming_body` the body
  // flows through the queue; with `read_ahead` the network may read it before the handler
  // asks (false for `Expect: 100-continue`, where reading waits for the first read()).
  void begin_request(bool streaming_body, bool read_ahead);
  NetworkStep next_step() const;
  // True once the handler has asked for body bytes.
  bool body_demanded() const;
  // A chunk_bytes buffer for the next body read (recycled when possible).
  std::unique_ptr<char[]> take_buffer();
  // Queues `size` bytes of `buffer` (size may be 0); `body_complete` marks the end.
  void push_body(std::unique_ptr<char[]> buffer, size_t size, bool body_complete);
  // The body cannot be read further; the handler's reads fail with `error` once the queue
  // is empty.
  void fail_body(Error error);
  // Fires `resume` once something is ready for the network side: for kHandlerOrBody when
  // next_step() is not kWait, for kFill when a fill has finished. Fires at once if already
  // ready. At most one continuation is parked at a time.
  void park(WaitFor what, Continuation resume);
  // Marks a fill as outstanding (before scheduling it on a worker).
  void begin_fill();
  struct FillResult {
    size_t bytes = 0;
    bool ok = false;
  };
  // The result of the finished fill.
  FillResult fill_result() const;
  // Releases the body buffers after the response went out.
  void end_request();

  // ---- worker side ----

  // The request body as the handler sees it (valid while streaming_body).
  ByteSource& body_source() { return source_; }
  // The handler has returned and its response is stored. The caller must not touch the
  // connection afterwards: the network side may free it as soon as this returns.
  void finish_handler();
  // A fill has finished with `bytes` read; ok=false when the stream failed or ended early.
  void finish_fill(size_t bytes, bool ok);

 private:
  class Source final : public ByteSource {
   public:
    explicit Source(Exchange& exchange) : exchange_(exchange) {}
    Result<size_t> read(std::span<char> out) override { return exchange_.read_body(out); }

   private:
    Exchange& exchange_;
  };

  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t offset = 0;
  };

  Result<size_t> read_body(std::span<char> out);
  NetworkStep next_step_locked() const;
  bool ready_locked(WaitFor what) const;
  // Takes the parked continuation if what it waits for is now ready.
  Continuation take_ready_waiter_locked();

  const size_t chunk_bytes_;
  const size_t max_queued_chunks_;
  Source source_{*this};

  mutable std::mutex mutex_;
  std::condition_variable body_available_;
  std::deque<Chunk> queued_;
  std::vector<std::unique_ptr<char[]>> spare_;
  bool streaming_body_ = false;
  bool read_ahead_ = false;
  bool demanded_ = false;
  bool body_complete_ = false;
  std::optional<Error> body_error_;
  bool handler_done_ = false;
  bool fill_done_ = false;
  FillResult fill_result_;
  std::optional<WaitFor> waiting_for_;
  Continuation waiter_;
};

}  // namespace cv::http
