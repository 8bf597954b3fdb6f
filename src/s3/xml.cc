#include "s3/xml.h"

#include <sstream>

namespace cv::s3 {

XmlWriter::XmlWriter(std::string_view root_name, bool with_namespace) {
  auto decl = doc_.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  root_ = doc_.append_child(std::string(root_name).c_str());
  if (with_namespace) root_.append_attribute("xmlns") = std::string(kS3Namespace).c_str();
}

std::string XmlWriter::str() const {
  std::ostringstream out;
  doc_.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

pugi::xml_node add_text(pugi::xml_node parent, std::string_view name, std::string_view text) {
  auto node = parent.append_child(std::string(name).c_str());
  node.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
  return node;
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

Result<pugi::xml_node> parse_xml(pugi::xml_document& doc, std::string_view body,
                                 std::string_view root_name) {
  const auto parsed =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) return fail(ErrorCode::kMalformedXML);
  auto root = doc.document_element();
  if (!root || local_name(root) != root_name) return fail(ErrorCode::kMalformedXML);
  return root;
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (auto node : parent.children()) {
    if (node.type() == pugi::node_element && local_name(node) == name) return node;
  }
  return {};
}

std::string child_text(const pugi::xml_node& parent, std::string_view name) {
  return child(parent, name).text().get();
}

}  // namespace cv::s3
