#include "remote/s3_blob_store.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <random>
#include <thread>

#include "core/ids.h"

namespace cv::remote {
namespace {

constexpr uint64_t kMinPart = 5ull << 20;
constexpr uint64_t kMaxPart = 5ull << 30;
// One ranged GET of a reader: the client's max_range(), which make_blob_client sets to this.
constexpr uint64_t kReadWindow = 4 << 20;

// A blob id is what new_blob_id() makes: letters and digits only, so "<prefix><id>" never
// leaves the prefix and never names another tier's object.
bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

Error blob_error(const RemoteError& error, std::string_view what) {
  return Error{error.retryable ? ErrorCode::kSlowDown : ErrorCode::kInternalError,
               "blob store: " + std::string(what) + ": " + describe(error)};
}

// Reads a string it does not own, so a part can be sent again without a copy.
class ViewSource final : public ByteSource {
 public:
  explicit ViewSource(std::string_view bytes) : bytes_(bytes) {}
  Result<size_t> read(std::span<char> out) override {
    const size_t n = std::min(out.size(), bytes_.size());
    std::memcpy(out.data(), bytes_.data(), n);
    bytes_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view bytes_;
};

std::chrono::milliseconds jittered(std::chrono::milliseconds delay) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto half = delay.count() / 2;
  return std::chrono::milliseconds(half + static_cast<int64_t>(random() % (half + 1)));
}

}  // namespace

struct S3BlobStore::Shared {
  std::shared_ptr<RemoteS3Client> client;
  std::string bucket;
  std::string prefix;
  S3BlobStoreOptions options;

  std::string key_of(std::string_view id) const { return prefix + std::string(id); }

  // `call` again while it fails retryably, up to max_attempts tries, sleeping between.
  template <class Call>
  auto retried(Call&& call) const -> decltype(call()) {
    std::chrono::milliseconds delay = options.first_retry_delay;
    for (int attempt = 1;; ++attempt) {
      auto result = call();
      if (result || !result.error().retryable || attempt >= options.max_attempts) return result;
      std::this_thread::sleep_for(jittered(delay));
      delay = std::min(delay * 2, options.max_retry_delay);
    }
  }
};

namespace {

using Shared = S3BlobStore::Shared;

class S3BlobWriter final : public blob::BlobWriter {
 public:
  S3BlobWriter(std::shared_ptr<const Shared> shared, std::string id)
      : shared_(std::move(shared)), id_(std::move(id)), key_(shared_->key_of(id_)) {}

  ~S3BlobWriter() override {
    if (upload_id_ && !committed_) {
      (void)shared_->client->abort_multipart_upload(shared_->bucket, key_, *upload_id_);
    }
  }

  Status append(std::string_view bytes) override {
    if (finished_) return fail(ErrorCode::kInternalError, "blob writer already finished");
    const uint64_t part_size = shared_->options.part_size;
    while (!bytes.empty()) {
      if (buffer_.size() == part_size) {
        if (auto sent = send_part(); !sent) return give_up(std::move(sent).error());
      }
      const size_t take = std::min<uint64_t>(part_size - buffer_.size(), bytes.size());
      buffer_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      size_ += take;
    }
    return {};
  }

  uint64_t size() const override { return size_; }

  Result<std::string> commit() override {
    if (finished_) return fail(ErrorCode::kInternalError, "blob writer already finished");
    finished_ = true;
    if (!upload_id_) {
      auto put = shared_->retried([&] {
        ViewSource body(buffer_);
        return shared_->client->put_object(shared_->bucket, key_, body, buffer_.size());
      });
      if (!put) return give_up(blob_error(put.error(), "PutObject " + key_));
    } else {
      if (auto sent = send_part(); !sent) return give_up(std::move(sent).error());
      auto completed = shared_->retried([&] {
        return shared_->client->complete_multipart_upload(shared_->bucket, key_, *upload_id_,
                                                          parts_);
      });
      if (!completed && !completed_meanwhile(completed.error())) {
        return give_up(blob_error(completed.error(), "CompleteMultipartUpload " + key_));
      }
    }
    committed_ = true;
    buffer_ = std::string();
    return id_;
  }

 private:
  // Sends the buffer as the next part (starting the upload first when there is none).
  Status send_part() {
    if (!upload_id_) {
      auto created = shared_->retried(
          [&] { return shared_->client->create_multipart_upload(shared_->bucket, key_); });
      if (!created) return std::unexpected(blob_error(created.error(), "CreateMultipartUpload"));
      upload_id_ = std::move(*created);
    }
    const auto number = static_cast<uint32_t>(parts_.size() + 1);
    auto part = shared_->retried([&] {
      ViewSource body(buffer_);
      return shared_->client->upload_part(shared_->bucket, key_, *upload_id_, number, body,
                                          buffer_.size());
    });
    if (!part) return std::unexpected(blob_error(part.error(), "UploadPart " + key_));
    parts_.push_back(std::move(*part));
    buffer_.clear();
    return {};
  }

  // A completion whose answer was lost and whose retry found the upload gone: the object
  // exists with the whole size when the first try did complete it.
  bool completed_meanwhile(const RemoteError& error) {
    if (error.error.code != ErrorCode::kNoSuchUpload) return false;
    auto head = shared_->client->head_object(shared_->bucket, key_);
    return head && head->size == size_;
  }

  template <class E>
  std::unexpected<Error> give_up(E&& error) {
    finished_ = true;
    buffer_ = std::string();
    return std::unexpected(Error(std::forward<E>(error)));
  }

  std::shared_ptr<const Shared> shared_;
  std::string id_;
  std::string key_;
  std::string buffer_;  // the part being filled: at most part_size bytes
  std::optional<std::string> upload_id_;
  std::vector<PartInfo> parts_;
  uint64_t size_ = 0;
  bool finished_ = false;
  bool committed_ = false;
};

class S3BlobReader final : public blob::BlobReader {
 public:
  S3BlobReader(std::shared_ptr<const Shared> shared, std::string key, uint64_t size,
               std::string etag)
      : shared_(std::move(shared)), key_(std::move(key)), size_(size), etag_(std::move(etag)) {}

  uint64_t size() const override { return size_; }

  Result<size_t> read_at(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    if (offset < window_start_ || offset >= window_start_ + window_.size()) {
      const uint64_t length = std::min(shared_->client->max_range(), size_ - offset);
      auto fetched = shared_->retried([&] {
        return shared_->client->get_range(shared_->bucket, key_, offset, length, etag_);
      });
      if (!fetched) return std::unexpected(blob_error(fetched.error(), "GetObject " + key_));
      window_ = std::move(*fetched);
      window_start_ = offset;
    }
    const uint64_t at = offset - window_start_;
    const size_t n = std::min<uint64_t>(out.size(), window_.size() - at);
    std::memcpy(out.data(), window_.data() + at, n);
    return n;
  }

 private:
  std::shared_ptr<const Shared> shared_;
  std::string key_;
  uint64_t size_;
  std::string etag_;
  std::string window_;  // bytes [window_start_, window_start_ + size) of the blob
  uint64_t window_start_ = 0;
};

Status check_id(std::string_view id) {
  if (valid_id(id)) return {};
  return fail(ErrorCode::kInternalError, "malformed blob id '" + std::string(id) + "'");
}

}  // namespace

S3BlobStore::S3BlobStore(std::shared_ptr<RemoteS3Client> client, std::string bucket,
                         std::string prefix, S3BlobStoreOptions options)
    : shared_(std::make_shared<Shared>()), bucket_(bucket), prefix_(prefix) {
  options.part_size = std::clamp(options.part_size, kMinPart, kMaxPart);
  options.max_attempts = std::max(options.max_attempts, 1);
  *shared_ = Shared{std::move(client), std::move(bucket), std::move(prefix), options};
}

S3BlobStore::~S3BlobStore() = default;

Result<std::unique_ptr<blob::BlobWriter>> S3BlobStore::create() {
  return std::make_unique<S3BlobWriter>(shared_, new_blob_id());
}

Result<std::unique_ptr<blob::BlobReader>> S3BlobStore::open(std::string_view blob_id) {
  CV_TRY(check_id(blob_id));
  std::string key = shared_->key_of(blob_id);
  auto head = shared_->retried([&] { return shared_->client->head_object(bucket_, key); });
  if (!head) {
    if (head.error().error.code == ErrorCode::kNoSuchKey) {
      return fail(ErrorCode::kInternalError, "blob store: blob " + key + " is missing");
    }
    return std::unexpected(blob_error(head.error(), "HeadObject " + key));
  }
  return std::make_unique<S3BlobReader>(shared_, std::move(key), head->size,
                                        std::move(head->etag));
}

Status S3BlobStore::remove(std::string_view blob_id) {
  CV_TRY(check_id(blob_id));
  const std::string key = shared_->key_of(blob_id);
  auto deleted = shared_->retried([&] { return shared_->client->delete_object(bucket_, key); });
  if (!deleted && deleted.error().error.code != ErrorCode::kNoSuchKey) {
    return std::unexpected(blob_error(deleted.error(), "DeleteObject " + key));
  }
  return {};
}

Result<std::string> S3BlobStore::copy_range(std::string_view blob_id, uint64_t offset,
                                            uint64_t length) {
  std::unique_ptr<blob::BlobReader> reader = CV_TRY(open(blob_id));
  if (offset > reader->size() || length > reader->size() - offset) {
    return fail(ErrorCode::kInvalidArgument, "blob store: copy range past the end of the blob");
  }
  std::unique_ptr<blob::BlobWriter> writer = CV_TRY(create());
  std::string buffer(1 << 20, '\0');
  for (uint64_t done = 0; done < length;) {
    const size_t want = std::min<uint64_t>(buffer.size(), length - done);
    const size_t n = CV_TRY(reader->read_at(offset + done, std::span(buffer.data(), want)));
    if (n == 0) return fail(ErrorCode::kInternalError, "blob store: blob shorter than its size");
    CV_TRY(writer->append(std::string_view(buffer.data(), n)));
    done += n;
  }
  return writer->commit();
}

Result<std::vector<std::string>> S3BlobStore::list() {
  std::vector<std::string> ids;
  std::string token;
  do {
    auto page = shared_->retried(
        [&] { return shared_->client->list_objects_v2(bucket_, prefix_, token); });
    if (!page) return std::unexpected(blob_error(page.error(), "ListObjectsV2 " + prefix_));
    for (const auto& [key, info] : page->objects) {
      const std::string_view id = std::string_view(key).substr(prefix_.size());
      if (valid_id(id)) ids.emplace_back(id);
    }
    token = page->truncated ? page->next_continuation_token : std::string();
  } while (!token.empty());
  return ids;
}

Status S3BlobStore::remove_incomplete() {
  std::string key_marker;
  std::string upload_id_marker;
  while (true) {
    auto page = shared_->retried([&] {
      return shared_->client->list_multipart_uploads(bucket_, prefix_, key_marker,
                                                     upload_id_marker);
    });
    if (!page) return std::unexpected(blob_error(page.error(), "ListMultipartUploads " + prefix_));
    for (const MultipartUploadInfo& upload : page->uploads) {
      auto aborted = shared_->retried([&] {
        return shared_->client->abort_multipart_upload(bucket_, upload.key, upload.upload_id);
      });
      if (!aborted) return std::unexpected(blob_error(aborted.error(), "AbortMultipartUpload"));
    }
    if (!page->truncated) return {};
    key_marker = page->next_key_marker;
    upload_id_marker = page->next_upload_id_marker;
  }
}

Status S3BlobStore::check_reachable() {
  auto head = shared_->retried([&] { return shared_->client->head_bucket(bucket_); });
  if (!head) return std::unexpected(blob_error(head.error(), "HeadBucket " + bucket_));
  return {};
}

Result<std::shared_ptr<RemoteS3Client>> make_blob_client(const S3BlobUrl& url,
                                                         std::string access_key,
                                                         std::string secret_key,
                                                         std::string session_token,
                                                         const Clock& clock) {
  RemoteEndpoint endpoint;
  endpoint.url = url.endpoint;
  endpoint.region = url.region;
  endpoint.access_key = std::move(access_key);
  endpoint.secret_key = std::move(secret_key);
  endpoint.path_style = url.path_style;
  endpoint.session_token = std::move(session_token);
  endpoint.max_range_bytes = kReadWindow;
  auto client = RemoteS3Client::create(std::move(endpoint), clock);
  if (!client) {
    return fail(ErrorCode::kInvalidArgument, "blob store: " + describe(client.error()));
  }
  return std::shared_ptr<RemoteS3Client>(std::move(*client));
}

}  // namespace cv::remote
