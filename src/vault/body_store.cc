// Streams a request body into storage: inline bytes for small bodies, a blob file otherwise,
// with MD5 and the requested checksum computed on the way.
#include <memory>
#include <optional>
#include <span>

#include "blob/zstd_frames.h"
#include "core/hash.h"
#include "vault/background_appender.h"
#include "vault/body_encryption.h"
#include "vault/checksum.h"
#include "vault/stored_body.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

// Bodies at least this large are hashed and written on two threads.
constexpr uint64_t kPipelineThreshold = 4 << 20;

}  // namespace

Result<std::unique_ptr<blob::BlobWriter>> Vault::create_body_writer(StorageClass storage_class,
                                                                    std::string_view data_key) {
  std::unique_ptr<blob::BlobWriter> writer =
      CV_TRY(blobs_.create_in(storage_location(storage_class)));
  if (!data_key.empty()) {
    // Sealed bodies are not compressed: ciphertext does not compress.
    return std::unique_ptr<blob::BlobWriter>(
        std::make_unique<SealingBlobWriter>(std::move(writer), data_key));
  }
  if (const int level = compression_level(storage_class); level > 0) {
    return std::unique_ptr<blob::BlobWriter>(
        std::make_unique<blob::ZstdFrameWriter>(std::move(writer), level));
  }
  return writer;
}

Result<Vault::StoredBody> Vault::store_body(ByteSource& body, std::optional<uint64_t> expected_size,
                                            uint64_t max_size, bool allow_inline,
                                            ChecksumAlgorithm algorithm, const BodyCheck& check,
                                            StorageClass storage_class, std::string_view data_key) {
  allow_inline = allow_inline && storage_class == StorageClass::kStandard;
  if (expected_size && *expected_size > max_size) {
    return fail(ErrorCode::kEntityTooLarge,
                "Your proposed upload exceeds the maximum allowed size");
  }
  Digest md5(Digest::Algorithm::kMd5);
  ChecksumHasher checksum(algorithm);
  StoredBody stored;
  std::unique_ptr<blob::BlobWriter> writer;
  // Inline only when the whole body is known (or turns out) to be below the threshold.
  bool inline_mode = allow_inline && (!expected_size || *expected_size < options_.inline_threshold);
  if (!inline_mode) writer = CV_TRY(create_body_writer(storage_class, data_key));

  // Small known bodies need a buffer only as large as the body (+1 to see the end). Large
  // ones are read into two 1 MiB buffers in turn: while one is appended to the blob on the
  // appender's thread, the next is read and hashed here.
  const bool pipelined = writer && (!expected_size || *expected_size >= kPipelineThreshold);
  const size_t buffer_size =
      expected_size && *expected_size < 65536 ? static_cast<size_t>(*expected_size) + 1 : 1 << 20;
  std::unique_ptr<char[]> storage(new char[pipelined ? 2 * buffer_size : buffer_size]);
  char* buffers[2] = {storage.get(), storage.get() + (pipelined ? buffer_size : 0)};
  std::optional<BackgroundAppender> appender;
  if (pipelined) appender.emplace(*writer);
  int current = 0;
  size_t filled = 0;  // bytes of buffers[current] not yet stored
  uint64_t total = 0;
  for (;;) {
    const size_t n =
        CV_TRY(body.read(std::span<char>(buffers[current] + filled, buffer_size - filled)));
    total += n;
    if (total > max_size) {
      return fail(ErrorCode::kEntityTooLarge,
                  "Your proposed upload exceeds the maximum allowed size");
    }
    if (expected_size && total > *expected_size) {
      return fail(ErrorCode::kIncompleteBody, "The body is longer than its declared length");
    }
    const std::string_view chunk(buffers[current] + filled, n);
    md5.update(chunk);
    checksum.update(chunk);
    filled += n;
    const bool end = n == 0;
    if (inline_mode) {
      stored.inline_data.append(chunk);
      filled = 0;
      if (stored.inline_data.size() >= options_.inline_threshold) {
        inline_mode = false;
        writer = CV_TRY(create_body_writer(storage_class, data_key));
        CV_TRY(writer->append(stored.inline_data));
        stored.inline_data.clear();
        stored.inline_data.shrink_to_fit();
      }
    } else if (filled == buffer_size || (end && filled > 0)) {
      const std::string_view full(buffers[current], filled);
      if (appender) {
        CV_TRY(appender->submit(full));
        current ^= 1;
      } else {
        CV_TRY(writer->append(full));
      }
      filled = 0;
    }
    if (end) break;
  }
  if (appender) {
    CV_TRY(appender->finish());
    appender.reset();
  }
  if (expected_size && total != *expected_size) {
    return fail(ErrorCode::kIncompleteBody,
                "You did not provide the number of bytes specified by the Content-Length HTTP "
                "header.");
  }
  stored.digests.size = total;
  stored.digests.md5 = md5.finish();
  stored.digests.checksum = checksum.finish();
  if (check) CV_TRY(check(stored.digests));
  if (writer) {
    std::string blob_id = CV_TRY(writer->commit());
    stored.blob = meta::BlobRef{.blob_id = std::move(blob_id), .size = total};
    if (auto* compressed = dynamic_cast<blob::ZstdFrameWriter*>(writer.get())) {
      stored.blob->stored_size = compressed->stored_size();
      stored.blob->codec = "zstd";
    }
    if (auto* sealed = dynamic_cast<SealingBlobWriter*>(writer.get())) {
      stored.blob->stored_size = sealed->stored_size();
    }
  } else if (!data_key.empty()) {
    stored.inline_data = seal_piece(data_key, stored.inline_data);
  }
  return stored;
}

}  // namespace cv::vault
