#include "vault/sealed_piece_reader.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "vault/body_encryption.h"

namespace cv::vault {
namespace {

using blob::kNoncePrefixBytes;
using blob::kPlainSegmentBytes;
using blob::kSealedSegmentBytes;

// Sealed segments read from storage at once, at most (about 1 MiB).
constexpr uint64_t kSegmentsPerRead = 16;
// Reads covering at least this many whole segments are decrypted on two threads.
constexpr uint64_t kParallelSegments = 4;
// How far ahead of the current read the kernel is asked to read a blob file.
constexpr uint64_t kReadaheadBytes = 4 * kSegmentsPerRead * kSealedSegmentBytes;

// Reads exactly out.size() bytes at `offset`.
Status read_fully(blob::BlobReader& reader, uint64_t offset, std::span<char> out) {
  size_t got = 0;
  while (got < out.size()) {
    const size_t n = CV_TRY(reader.read_at(offset + got, out.subspan(got)));
    if (n == 0) return fail(ErrorCode::kInternalError, "stored data is shorter than recorded");
    got += n;
  }
  return {};
}

}  // namespace

// Decrypts segments on a thread of its own, one job at a time, with a cipher of its own.
class SealedPieceReader::Helper {
 public:
  Helper(std::string_view data_key, std::string_view nonce_prefix)
      : cipher_(data_key, nonce_prefix), thread_([this] { run(); }) {}
  ~Helper() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Helper(const Helper&) = delete;
  Helper& operator=(const Helper&) = delete;

  // Starts decrypting `count` segments from `first`: sealed bytes at `sealed`, plaintext to
  // `out`; `last_index` is the piece's last segment. Both buffers must stay untouched until
  // wait() returns.
  void start(uint64_t first, uint64_t count, const char* sealed, char* out, uint64_t last_index,
             uint64_t plain_size) {
    {
      std::lock_guard lock(mutex_);
      job_ = Job{first, count, sealed, out, last_index, plain_size};
      busy_ = true;
    }
    changed_.notify_all();
  }
  Status wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    return std::exchange(status_, Status{});
  }

 private:
  struct Job {
    uint64_t first = 0;
    uint64_t count = 0;
    const char* sealed = nullptr;
    char* out = nullptr;
    uint64_t last_index = 0;
    uint64_t plain_size = 0;
  };

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return busy_ || stopping_; });
      if (stopping_ && !busy_) return;
      const Job job = job_;
      lock.unlock();
      Status status;
      for (uint64_t i = 0; i < job.count && status; ++i) {
        const uint64_t index = job.first + i;
        const uint64_t plain =
            std::min(kPlainSegmentBytes, job.plain_size - index * kPlainSegmentBytes);
        const std::string_view sealed(job.sealed + i * kSealedSegmentBytes,
                                      plain + blob::kSegmentTagBytes);
        status = cipher_.open_into(index, sealed, index == job.last_index,
                                   job.out + i * kPlainSegmentBytes);
      }
      lock.lock();
      status_ = status;
      busy_ = false;
      changed_.notify_all();
    }
  }

  blob::SegmentCipher cipher_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Job job_;
  bool busy_ = false;
  bool stopping_ = false;
  Status status_;
  std::thread thread_;  // last: started once the rest is ready
};

Result<std::unique_ptr<SealedPieceReader>> SealedPieceReader::open(
    std::unique_ptr<blob::BlobReader> stored, std::string_view data_key, uint64_t plain_size) {
  if (data_key.size() != blob::kDataKeyBytes) {
    return fail(ErrorCode::kInternalError, "an encrypted body needs a 32-byte data key");
  }
  const uint64_t expected = sealed_piece_size(plain_size);
  if (stored->size() != expected) {
    return fail(ErrorCode::kInternalError,
                fmt::format("stored data failed authentication: {} bytes stored where {} were "
                            "expected",
                            stored->size(), expected));
  }
  char prefix[kNoncePrefixBytes];
  CV_TRY(read_fully(*stored, 0, prefix));
  return std::unique_ptr<SealedPieceReader>(new SealedPieceReader(
      std::move(stored), data_key, std::string_view(prefix, sizeof prefix), plain_size));
}

SealedPieceReader::SealedPieceReader(std::unique_ptr<blob::BlobReader> stored,
                                     std::string_view data_key, std::string_view nonce_prefix,
                                     uint64_t plain_size)
    : stored_(std::move(stored)),
      cipher_(data_key, nonce_prefix),
      plain_size_(plain_size),
      segments_(blob::segment_count(plain_size)),
      plain_(std::make_unique_for_overwrite<char[]>(kPlainSegmentBytes)),
      data_key_(data_key),
      nonce_prefix_(nonce_prefix) {}

SealedPieceReader::~SealedPieceReader() = default;

Status SealedPieceReader::open_segments(uint64_t first, uint64_t count, char* out) {
  const uint64_t at = (first - sealed_first_) * kSealedSegmentBytes;
  // Segments [from, to) of this batch, on this thread.
  auto open_here = [&](uint64_t from, uint64_t to) -> Status {
    for (uint64_t i = from; i < to; ++i) {
      const uint64_t index = first + i;
      const std::string_view sealed = std::string_view(sealed_).substr(
          at + i * kSealedSegmentBytes, static_cast<size_t>(kSealedSegmentBytes));
      CV_TRY(
          cipher_.open_into(index, sealed, index + 1 == segments_, out + i * kPlainSegmentBytes));
    }
    return {};
  };
  if (count < kParallelSegments) return open_here(0, count);
  // The second half on the helper, the first half here.
  if (!helper_) helper_ = std::make_unique<Helper>(data_key_, nonce_prefix_);
  const uint64_t mine = count / 2;
  helper_->start(first + mine, count - mine, sealed_.data() + at + mine * kSealedSegmentBytes,
                 out + mine * kPlainSegmentBytes, segments_ - 1, plain_size_);
  const Status here = open_here(0, mine);
  const Status helped = helper_->wait();  // always: the helper uses our buffers
  CV_TRY(here);
  return helped;
}

uint64_t SealedPieceReader::plain_bytes_of(uint64_t index) const {
  return std::min(kPlainSegmentBytes, plain_size_ - index * kPlainSegmentBytes);
}

Result<size_t> SealedPieceReader::read_at(uint64_t offset, std::span<char> out) {
  if (offset >= plain_size_ || out.empty()) return size_t{0};
  const uint64_t end = std::min<uint64_t>(plain_size_, offset + out.size());
  const uint64_t run_end = (end - 1) / kPlainSegmentBytes + 1;  // one past the last segment
  uint64_t position = offset;
  while (position < end) {
    const uint64_t index = position / kPlainSegmentBytes;
    const uint64_t in_segment = position - index * kPlainSegmentBytes;
    const uint64_t segment_bytes = plain_bytes_of(index);
    const bool last = index + 1 == segments_;
    if (in_segment == 0 && position + segment_bytes <= end &&
        static_cast<int64_t>(index) != plain_index_) {
      // Whole segments: straight into the caller's buffer, as many as are loaded together.
      CV_TRY(sealed_segment(index, run_end));
      uint64_t count = 1;
      uint64_t bytes = segment_bytes;
      while (index + count < sealed_first_ + sealed_count_ &&
             position + bytes + plain_bytes_of(index + count) <= end) {
        bytes += plain_bytes_of(index + count);
        ++count;
      }
      CV_TRY(open_segments(index, count, out.data() + (position - offset)));
      position += bytes;
      continue;
    }
    if (static_cast<int64_t>(index) != plain_index_) {
      const std::string_view sealed = CV_TRY(sealed_segment(index, run_end));
      plain_index_ = -1;
      CV_TRY(cipher_.open_into(index, sealed, last, plain_.get()));
      plain_index_ = static_cast<int64_t>(index);
    }
    const size_t n = static_cast<size_t>(std::min(segment_bytes - in_segment, end - position));
    std::memcpy(out.data() + (position - offset), plain_.get() + in_segment, n);
    position += n;
  }
  return static_cast<size_t>(end - offset);
}

Result<std::string_view> SealedPieceReader::sealed_segment(uint64_t index, uint64_t run_end) {
  if (index < sealed_first_ || index >= sealed_first_ + sealed_count_) {
    const bool sequential = sealed_count_ > 0 && index == sealed_first_ + sealed_count_;
    const uint64_t count =
        std::clamp<uint64_t>(std::min(run_end, segments_) - index, 1, kSegmentsPerRead);
    const uint64_t start = kNoncePrefixBytes + index * kSealedSegmentBytes;
    const uint64_t length = std::min(count * kSealedSegmentBytes, stored_->size() - start);
    sealed_count_ = 0;
    sealed_.resize(static_cast<size_t>(length));
    CV_TRY(read_fully(*stored_, start, sealed_));
    sealed_first_ = index;
    sealed_count_ = count;
    // Reading on from here: have the kernel fetch what comes next meanwhile.
    const int fd = stored_->file_descriptor();
    const uint64_t ahead_until = std::min(stored_->size(), start + length + kReadaheadBytes);
    if (fd >= 0 && sequential && ahead_until > std::max(advised_until_, start + length)) {
      const uint64_t from = std::max(advised_until_, start + length);
      ::posix_fadvise(fd, static_cast<off_t>(from), static_cast<off_t>(ahead_until - from),
                      POSIX_FADV_WILLNEED);
      advised_until_ = ahead_until;
    }
  }
  const uint64_t at = (index - sealed_first_) * kSealedSegmentBytes;
  return std::string_view(sealed_).substr(at, static_cast<size_t>(kSealedSegmentBytes));
}

}  // namespace cv::vault
