#include "vault/checksum.h"

#include <optional>
#include <variant>

#include "core/crc.h"
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
    case ChecksumAlgorithm::kCrc64Nvme:
      return "CRC64NVME";
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
  if (lower == "crc64nvme") return ChecksumAlgorithm::kCrc64Nvme;
  return std::nullopt;
}

struct ChecksumHasher::State {
  std::variant<std::monostate, Crc32, Crc32c, Crc64Nvme, Digest> hasher;
};

ChecksumHasher::ChecksumHasher(ChecksumAlgorithm algorithm) : state_(std::make_unique<State>()) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      state_->hasher.emplace<Crc32>();
      break;
    case ChecksumAlgorithm::kCrc32c:
      state_->hasher.emplace<Crc32c>();
      break;
    case ChecksumAlgorithm::kCrc64Nvme:
      state_->hasher.emplace<Crc64Nvme>();
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
        } else if constexpr (std::is_same_v<T, Crc64Nvme>) {
          return crc64_bytes(h.value());
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

namespace {

std::optional<CrcKind> crc_kind(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return CrcKind::kCrc32;
    case ChecksumAlgorithm::kCrc32c:
      return CrcKind::kCrc32c;
    case ChecksumAlgorithm::kCrc64Nvme:
      return CrcKind::kCrc64Nvme;
    default:
      return std::nullopt;
  }
}

uint64_t from_big_endian(std::string_view raw) {
  uint64_t value = 0;
  for (unsigned char c : raw) value = (value << 8) | c;
  return value;
}

}  // namespace

bool checksum_type_allowed(ChecksumAlgorithm algorithm, std::string_view type) {
  if (type == kFullObject) return crc_kind(algorithm).has_value();
  if (type == kComposite) {
    return algorithm != ChecksumAlgorithm::kCrc64Nvme && algorithm != ChecksumAlgorithm::kNone;
  }
  return false;
}

std::string_view default_checksum_type(ChecksumAlgorithm algorithm) {
  if (algorithm == ChecksumAlgorithm::kNone) return "";
  return algorithm == ChecksumAlgorithm::kCrc64Nvme ? kFullObject : kComposite;
}

Result<std::string> multipart_checksum(ChecksumAlgorithm algorithm, std::string_view type,
                                       const std::vector<PartChecksum>& parts) {
  if (type == kComposite) {
    ChecksumHasher composite(algorithm);
    for (const PartChecksum& part : parts) composite.update(part.raw);
    return composite.finish();
  }
  const auto kind = crc_kind(algorithm);
  if (!kind) {
    return fail(ErrorCode::kInvalidRequest, "The FULL_OBJECT checksum type is not supported for " +
                                                std::string(checksum_name(algorithm)));
  }
  const size_t width = *kind == CrcKind::kCrc64Nvme ? 8 : 4;
  uint64_t crc = 0;  // the CRC of nothing
  for (const PartChecksum& part : parts) {
    if (part.raw.size() != width) {
      return fail(ErrorCode::kInternalError, "a part's stored checksum has the wrong length");
    }
    crc = crc_combine(*kind, crc, from_big_endian(part.raw), part.size);
  }
  return width == 8 ? crc64_bytes(crc) : crc_bytes(static_cast<uint32_t>(crc));
}

}  // namespace cv::vault
