// Streams a request body into storage: inline bytes for small bodies, a blob file otherwise,
// with MD5 and the requested checksum computed on the way.
#include <memory>
#include <span>

#include "core/hash.h"
#include "vault/checksum.h"
#include "vault/stored_body.h"
#include "vault/vault.h"

namespace cv::vault {

Result<Vault::StoredBody> Vault::store_body(ByteSource& body, std::optional<uint64_t> expected_size,
                                            uint64_t max_size, bool allow_inline,
                                            ChecksumAlgorithm algorithm, const BodyCheck& check) {
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
  if (!inline_mode) writer = CV_TRY(blobs_.create());

  // Small known bodies need a buffer only as large as the body (+1 to see the end).
  const size_t buffer_size =
      expected_size && *expected_size < 65536 ? static_cast<size_t>(*expected_size) + 1 : 1 << 20;
  std::unique_ptr<char[]> storage(new char[buffer_size]);  // not zero-filled: read() writes it
  const std::span<char> buffer(storage.get(), buffer_size);
  uint64_t total = 0;
  for (;;) {
    const size_t n = CV_TRY(body.read(buffer));
    if (n == 0) break;
    total += n;
    if (total > max_size) {
      return fail(ErrorCode::kEntityTooLarge,
                  "Your proposed upload exceeds the maximum allowed size");
    }
    if (expected_size && total > *expected_size) {
      return fail(ErrorCode::kIncompleteBody, "The body is longer than its declared length");
    }
    const std::string_view chunk(buffer.data(), n);
    md5.update(chunk);
    checksum.update(chunk);
    if (inline_mode) {
      stored.inline_data.append(chunk);
      if (stored.inline_data.size() >= options_.inline_threshold) {
        inline_mode = false;
        writer = CV_TRY(blobs_.create());
        CV_TRY(writer->append(stored.inline_data));
        stored.inline_data.clear();
        stored.inline_data.shrink_to_fit();
      }
    } else {
      CV_TRY(writer->append(chunk));
    }
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
    stored.blob = meta::BlobRef{std::move(blob_id), total};
  }
  return stored;
}

}  // namespace cv::vault
