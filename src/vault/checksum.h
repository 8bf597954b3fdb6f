// Incremental computation of the checksum S3 clients ask for with x-amz-checksum-*.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vault/vault.h"

namespace cv::vault {

class ChecksumHasher {
 public:
  explicit ChecksumHasher(ChecksumAlgorithm algorithm);
  ~ChecksumHasher();
  ChecksumHasher(ChecksumHasher&&) noexcept;
  void update(std::string_view bytes);
  // Raw checksum bytes (big-endian for CRCs); empty for kNone.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The checksum of `bytes` in one call.
std::string compute_checksum(ChecksumAlgorithm algorithm, std::string_view bytes);

// S3's checksum types (x-amz-checksum-type).
inline constexpr std::string_view kFullObject = "FULL_OBJECT";
inline constexpr std::string_view kComposite = "COMPOSITE";

// Whether S3 allows `type` ("FULL_OBJECT" or "COMPOSITE") with `algorithm` for a multipart
// upload: FULL_OBJECT for the CRCs, COMPOSITE for all but CRC64NVME.
bool checksum_type_allowed(ChecksumAlgorithm algorithm, std::string_view type);
// The type an upload gets when CreateMultipartUpload names none: FULL_OBJECT for CRC64NVME,
// COMPOSITE for the others, "" for kNone.
std::string_view default_checksum_type(ChecksumAlgorithm algorithm);

// One part's stored checksum for combining: the raw bytes and the part's size.
struct PartChecksum {
  std::string raw;
  uint64_t size = 0;
};
// The object checksum of a multipart upload (raw bytes; the caller adds "-N" to a composite
// one): COMPOSITE hashes the concatenated raw part checksums with `algorithm`; FULL_OBJECT
// combines the parts' CRCs (InvalidRequest for a non-CRC algorithm, InternalError for a part
// checksum of the wrong length).
Result<std::string> multipart_checksum(ChecksumAlgorithm algorithm, std::string_view type,
                                       const std::vector<PartChecksum>& parts);

}  // namespace cv::vault
