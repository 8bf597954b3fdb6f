#include "policy/json_shape.h"

#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <vector>

namespace cv::policy {
namespace {

namespace json = boost::json;

// A Boost.JSON SAX handler that only remembers the keys of the open objects.
struct KeyChecker {
  static constexpr size_t max_object_size = 10000;
  static constexpr size_t max_array_size = 100000;
  static constexpr size_t max_key_size = 4096;
  static constexpr size_t max_string_size = 1 << 20;

  std::vector<std::set<std::string, std::less<>>> open;
  std::string key;
  std::string duplicate;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open.emplace_back();
    return true;
  }
  bool on_object_end(size_t, json::error_code&) {
    open.pop_back();
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    const bool fresh = open.back().insert(key).second;
    if (!fresh) {
      duplicate = key;
      ec = json::error::syntax;
      return false;
    }
    key.clear();
    return true;
  }
  bool on_string_part(json::string_view, size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

Status check_json_shape(std::string_view json, std::string_view syntax_message) {
  json::basic_parser<KeyChecker> parser{json::parse_options{}};
  json::error_code ec;
  const size_t used = parser.write_some(false, json.data(), json.size(), ec);
  if (!parser.handler().duplicate.empty()) {
    return fail(ErrorCode::kMalformedPolicy,
                "Duplicate key in policy: " + parser.handler().duplicate);
  }
  if (ec || used != json.size()) {
    return fail(ErrorCode::kMalformedPolicy, std::string(syntax_message) + " (" +
                                                 (ec ? ec.message() : "trailing data") +
                                                 " at byte " + std::to_string(used) + ")");
  }
  return {};
}

}  // namespace cv::policy
