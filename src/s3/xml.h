// XML for S3 bodies over pugixml: writing documents in S3's namespace and reading request
// bodies with size limits and MalformedXML on anything unexpected.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "core/error.h"
#include "s3/xml_shape.h"

namespace cv::s3 {

inline constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// A document with one root element; the root gets the S3 xmlns unless `with_namespace` is
// false (S3's <Error> has none).
class XmlWriter {
 public:
  explicit XmlWriter(std::string_view root_name, bool with_namespace = true);
  pugi::xml_node root() { return root_; }
  // "<?xml ...?>\n<Root ...>...</Root>"
  std::string str() const;

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

// Appends <name>text</name> to parent and returns it. Any bytes may be given (a NUL too):
// C0 control characters other than TAB and LF are written as hexadecimal character
// references (&#x0; ... &#x1f;, CR as &#xd;), as S3 writes them, so a listing never shows a
// key other than the stored one (such a document is not XML 1.0, as S3's is not; clients ask
// for encoding-type=url to read those keys).
pugi::xml_node add_text(pugi::xml_node parent, std::string_view name, std::string_view text);

// The one entry point for request XML. Parses a request body; MalformedXML when it breaks
// check_xml_shape (a DTD, an unknown entity, more elements or depth than `limits`), is not
// well-formed, or the root element's local name is not `root_name`. Memory: the parsed tree
// takes about the body's size plus 64 bytes per element, in blocks mapped for the document
// alone and returned to the system when `doc` is destroyed.
Result<pugi::xml_node> parse_xml(pugi::xml_document& doc, std::string_view body,
                                 std::string_view root_name, const XmlLimits& limits = {});
// Children by local name, ignoring any namespace prefix.
std::string_view local_name(const pugi::xml_node& node);
pugi::xml_node child(const pugi::xml_node& parent, std::string_view name);
std::string child_text(const pugi::xml_node& parent, std::string_view name);

}  // namespace cv::s3
