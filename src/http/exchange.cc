#include "http/exchange.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace cv::http {

Exchange::Exchange(size_t chunk_bytes, size_t max_queued_chunks)
    : chunk_bytes_(chunk_bytes), max_queued_chunks_(std::max<size_t>(max_queued_chunks, 1)) {}

void Exchange::begin_request(bool streaming_body, bool read_ahead) {
  std::lock_guard lock(mutex_);
  queued_.clear();
  streaming_body_ = streaming_body;
  read_ahead_ = read_ahead;
  demanded_ = false;
  body_complete_ = false;
  body_error_.reset();
  handler_done_ = false;
  fill_done_ = false;
  fill_result_ = {};
  waiting_for_.reset();
  waiter_ = nullptr;
}

Exchange::NetworkStep Exchange::next_step() const {
  std::lock_guard lock(mutex_);
  return next_step_locked();
}

Exchange::NetworkStep Exchange::next_step_locked() const {
  if (handler_done_) return NetworkStep::kHandlerDone;
  if (!streaming_body_ || body_complete_ || body_error_) return NetworkStep::kWait;
  if (!read_ahead_ && !demanded_) return NetworkStep::kWait;
  if (queued_.size() >= max_queued_chunks_) return NetworkStep::kWait;
  return NetworkStep::kReadBody;
}

bool Exchange::body_demanded() const {
  std::lock_guard lock(mutex_);
  return demanded_;
}

std::unique_ptr<char[]> Exchange::take_buffer() {
  {
    std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      std::unique_ptr<char[]> buffer = std::move(spare_.back());
      spare_.pop_back();
      return buffer;
    }
  }
  return std::make_unique_for_overwrite<char[]>(chunk_bytes_);
}

void Exchange::push_body(std::unique_ptr<char[]> buffer, size_t size, bool body_complete) {
  {
    std::lock_guard lock(mutex_);
    if (size > 0) {
      queued_.push_back(Chunk{std::move(buffer), size, 0});
    } else if (buffer) {
      spare_.push_back(std::move(buffer));
    }
    if (body_complete) body_complete_ = true;
  }
  body_available_.notify_one();
}

void Exchange::fail_body(Error error) {
  {
    std::lock_guard lock(mutex_);
    if (!body_error_) body_error_ = std::move(error);
  }
  body_available_.notify_one();
}

bool Exchange::ready_locked(WaitFor what) const {
  switch (what) {
    case WaitFor::kHandlerOrBody:
      return next_step_locked() != NetworkStep::kWait;
    case WaitFor::kFill:
      return fill_done_;
  }
  return true;
}

Exchange::Continuation Exchange::take_ready_waiter_locked() {
  if (!waiting_for_ || !ready_locked(*waiting_for_)) return nullptr;
  waiting_for_.reset();
  return std::exchange(waiter_, nullptr);
}

void Exchange::park(WaitFor what, Continuation resume) {
  {
    std::lock_guard lock(mutex_);
    if (!ready_locked(what)) {
      waiting_for_ = what;
      waiter_ = std::move(resume);
      return;
    }
  }
  resume();
}

void Exchange::begin_fill() {
  std::lock_guard lock(mutex_);
  fill_done_ = false;
  fill_result_ = {};
}

Exchange::FillResult Exchange::fill_result() const {
  std::lock_guard lock(mutex_);
  return fill_result_;
}

void Exchange::end_request() {
  std::lock_guard lock(mutex_);
  queued_.clear();
  spare_.clear();
  streaming_body_ = false;
}

void Exchange::finish_handler() {
  Continuation waiter;
  {
    std::lock_guard lock(mutex_);
    handler_done_ = true;
    waiter = take_ready_waiter_locked();
  }
  // `this` may be gone from here on; only the local continuation is touched.
  if (waiter) waiter();
}

void Exchange::finish_fill(size_t bytes, bool ok) {
  Continuation waiter;
  {
    std::lock_guard lock(mutex_);
    fill_done_ = true;
    fill_result_ = {bytes, ok};
    waiter = take_ready_waiter_locked();
  }
  if (waiter) waiter();
}

Result<size_t> Exchange::read_body(std::span<char> out) {
  if (out.empty()) return size_t{0};
  std::unique_lock lock(mutex_);
  if (!demanded_) {
    demanded_ = true;
    if (Continuation waiter = take_ready_waiter_locked()) {
      lock.unlock();
      waiter();
      lock.lock();
    }
  }
  body_available_.wait(lock, [&] { return !queued_.empty() || body_complete_ || body_error_; });
  if (!queued_.empty()) {
    Chunk& chunk = queued_.front();
    const size_t n = std::min(out.size(), chunk.size - chunk.offset);
    std::memcpy(out.data(), chunk.data.get() + chunk.offset, n);
    chunk.offset += n;
    Continuation waiter;
    if (chunk.offset == chunk.size) {
      spare_.push_back(std::move(chunk.data));
      queued_.pop_front();
      waiter = take_ready_waiter_locked();
    }
    lock.unlock();
    if (waiter) waiter();
    return n;
  }
  if (body_error_) return fail(*body_error_);
  return size_t{0};
}

}  // namespace cv::http
