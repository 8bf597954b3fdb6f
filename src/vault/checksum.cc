#include "vault/checksum.h"

#include <optional>
#include <variant>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv::vault {

std::string_view checksum_name(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "CRC32";
    case ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case ChecksumAlgorithm::kSha1:
      return "SHA1";
    case ChecksumAlgorithm::kSha256:
      return "SHA256";
    case ChecksumAlgorithm::kNone:
      return "";
  }
  return "";
}

std::optional<ChecksumAlgorithm> parse_checksum_name(std::string_view name) {
  const std::string lower = to_lower(name);
  if (lower.empty()) return ChecksumAlgorithm::kNone;
  if (lower == "crc32") return ChecksumAlgorithm::kCrc32;
  if (lower == "crc32c") return ChecksumAlgorithm::kCrc32c;
  if (lower == "sha1") return ChecksumAlgorithm::kSha1;
  if (lower == "sha256") return ChecksumAlgorithm::kSha256;
  return std::nullopt;
}

struct ChecksumHasher::State {
  std::variant<std::monostate, Crc32, Crc32c, Digest> hasher;
};

ChecksumHasher::ChecksumHasher(ChecksumAlgorithm algorithm) : state_(std::make_unique<State>()) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      state_->hasher.emplace<Crc32>();
      break;
    case ChecksumAlgorithm::kCrc32c:
      state_->hasher.emplace<Crc32c>();
      break;
    case ChecksumAlgorithm::kSha1:
      state_->hasher.emplace<Digest>(Digest::Algorithm::kSha1);
      break;
    case ChecksumAlgorithm::kSha256:
      state_->hasher.emplace<Digest>(Digest::Algorithm::kSha256);
      break;
    case ChecksumAlgorithm::kNone:
      break;
  }
}
ChecksumHasher::~ChecksumHasher() = default;
ChecksumHasher::ChecksumHasher(ChecksumHasher&&) noexcept = default;

void ChecksumHasher::update(std::string_view bytes) {
  std::visit(
      [&](auto& h) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(h)>, std::monostate>) h.update(bytes);
      },
      state_->hasher);
}

std::string ChecksumHasher::finish() {
  return std::visit(
      [](auto& h) -> std::string {
        using T = std::decay_t<decltype(h)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<T, Digest>) {
          return h.finish();
        } else {
          return crc_bytes(h.value());
        }
      },
      state_->hasher);
}

std::string compute_checksum(ChecksumAlgorithm algorithm, std::string_view bytes) {
  ChecksumHasher hasher(algorithm);
  hasher.update(bytes);
  return hasher.finish();
}

}  // namespace cv::vault
