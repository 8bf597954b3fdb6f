#include <algorithm>
#include <string_view>

#include "core/encoding.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

bool looks_like_ipv4(std::string_view name) {
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  if (!is_lower_alnum(name.front()) || !is_lower_alnum(name.back())) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_lower_alnum(c) && c != '.' && c != '-') return false;
    if (i > 0 && c == '.' && (name[i - 1] == '.' || name[i - 1] == '-')) return false;
    if (i > 0 && c == '-' && name[i - 1] == '.') return false;
  }
  if (looks_like_ipv4(name)) return false;
  if (name.starts_with("xn--") || name.starts_with("sthree-")) return false;
  if (name.ends_with("-s3alias") || name.ends_with("--ol-s3")) return false;
  return true;
}

Status validate_key(std::string_view key) {
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "Object key must not be empty");
  if (key.size() > 1024) {
    return fail(ErrorCode::kKeyTooLongError, "Your key is too long",
                std::string(key.substr(0, 64)));
  }
  if (!is_valid_utf8(key)) {
    return fail(ErrorCode::kInvalidArgument, "Object key must be valid UTF-8");
  }
  return {};
}

}  // namespace cv::vault
