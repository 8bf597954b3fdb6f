#include "meta/listing.h"

namespace cv::meta {

std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string next(prefix);
  while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xFF) next.pop_back();
  if (next.empty()) return std::nullopt;
  next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
  return next;
}

std::optional<std::string_view> common_prefix_of(std::string_view key, std::string_view prefix,
                                                 std::string_view delimiter) {
  if (delimiter.empty() || key.size() < prefix.size()) return std::nullopt;
  size_t at = key.find(delimiter, prefix.size());
  if (at == std::string_view::npos) return std::nullopt;
  return key.substr(0, at + delimiter.size());
}

std::optional<std::string> listing_start(std::string_view prefix, std::string_view delimiter,
                                         std::string_view marker) {
  if (marker < prefix) return std::string(prefix);
  if (marker.starts_with(prefix)) {
    auto group = common_prefix_of(marker, prefix, delimiter);
    if (group && group->size() == marker.size()) return prefix_successor(marker);
  }
  std::string start(marker);
  start.push_back('\0');
  return start;
}

}  // namespace cv::meta
