// Incremental computation of the checksum S3 clients ask for with x-amz-checksum-*.
#pragma once

#include <memory>
#include <string>
#include <string_view>

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

}  // namespace cv::vault
