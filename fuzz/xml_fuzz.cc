// Fuzzes the XML request bodies: <CORSConfiguration> (parse_cors_configuration, then
// matching a preflight against the rules) and parse_xml with the roots the handlers use
// (Delete, CompleteMultipartUpload, Tagging), walking each tree as its handler does.
//
// Contracts: a document parse_xml accepts has at most XmlLimits' elements and depth (the
// bounds are checked before the tree is built); any bytes written with add_text read back
// through parse_xml as the same bytes (NUL aside: written as &#x0;, refused in a request).
//
// Input: the document, then one byte choosing the parser (CORS, one of the three roots, or
// the writer round trip, which takes the document as the text).
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "s3/cors_rules.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::fuzz {
namespace {

void walk_delete(pugi::xml_node root) {
  s3::child_text(root, "Quiet");
  for (auto node : root.children()) {
    if (s3::local_name(node) != "Object") continue;
    s3::child(node, "Key").text().get();
    s3::child_text(node, "VersionId");
  }
}

void walk_complete(pugi::xml_node root) {
  for (auto node : root.children()) {
    if (s3::local_name(node) != "Part") continue;
    const std::string number = s3::child_text(node, "PartNumber");
    uint32_t part_number = 0;
    std::from_chars(number.data(), number.data() + number.size(), part_number);
    s3::child_text(node, "ETag");
    for (const char* name : {"ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA1", "ChecksumSHA256"}) {
      s3::child_text(node, name);
    }
  }
}

void walk_tagging(pugi::xml_node root) {
  const auto set = s3::child(root, "TagSet");
  if (!set) return;
  meta::StringPairs tags;
  for (auto tag : set.children()) {
    if (s3::local_name(tag) != "Tag") continue;
    if (!s3::child(tag, "Key")) return;
    tags.emplace_back(s3::child_text(tag, "Key"), s3::child_text(tag, "Value"));
  }
  trace("validate_tags", s3::validate_tags(tags));
}

void fuzz_cors(std::string_view xml) {
  auto rules = s3::parse_cors_configuration(xml);
  trace("parse_cors_configuration", rules);
  if (!rules) return;
  CV_FUZZ_CHECK(!rules->empty() && rules->size() <= 100);
  // Preflights that use the documents's own strings as origin, method and header.
  for (const auto& rule : *rules) {
    CV_FUZZ_CHECK(!rule.allowed_origins.empty() && !rule.allowed_methods.empty());
    for (const std::string& origin : rule.allowed_origins) {
      const std::vector<std::string> headers(rule.allowed_headers.begin(),
                                             rule.allowed_headers.end());
      const s3::CorsRule* match =
          s3::match_cors_rule(*rules, origin, rule.allowed_methods.front(), headers);
      // A rule's origin without '*' is matched by that rule at least.
      if (origin.find('*') == std::string::npos) CV_FUZZ_CHECK(match != nullptr);
      s3::match_cors_rule(*rules, "https://example.com", "GET", {"x-amz-date"});
    }
  }
}

// Elements in the tree and its depth (the root's depth is 1).
void measure(pugi::xml_node node, size_t depth, size_t& elements, size_t& max_depth) {
  for (auto child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    ++elements;
    max_depth = std::max(max_depth, depth + 1);
    measure(child, depth + 1, elements, max_depth);
  }
}

void check_bounds(const pugi::xml_document& doc) {
  size_t elements = 0, depth = 0;
  measure(doc, 0, elements, depth);
  const s3::XmlLimits limits;
  CV_FUZZ_CHECK(elements <= limits.max_elements);
  CV_FUZZ_CHECK(depth <= limits.max_depth);
}

void writer_round_trip(std::string_view text) {
  text = text.substr(0, text.find('\0'));  // &#x0; is written, but refused in a request
  s3::XmlWriter writer("R", false);
  s3::add_text(writer.root(), "K", text);
  pugi::xml_document doc;
  auto root = s3::parse_xml(doc, writer.str(), "R");
  CV_FUZZ_CHECK(root.has_value());
  CV_FUZZ_CHECK(s3::child_text(*root, "K") == text);
}

void fuzz_xml(std::string_view input) {
  InputTail tail(input);
  const uint8_t choice = tail.byte();
  pugi::xml_document doc;
  switch (choice % 5) {
    case 0:
      fuzz_cors(input);
      break;
    case 1:
      if (auto root = s3::parse_xml(doc, input, "Delete"); trace("parse_xml", root), root) {
        check_bounds(doc);
        walk_delete(*root);
      }
      break;
    case 2:
      if (auto root = s3::parse_xml(doc, input, "CompleteMultipartUpload");
          trace("parse_xml", root), root) {
        check_bounds(doc);
        walk_complete(*root);
      }
      break;
    case 3:
      if (auto root = s3::parse_xml(doc, input, "Tagging"); trace("parse_xml", root), root) {
        check_bounds(doc);
        walk_tagging(*root);
      }
      break;
    case 4:
      writer_round_trip(input);
      break;
  }
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_xml(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
