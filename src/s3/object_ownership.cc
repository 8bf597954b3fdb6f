#include "s3/object_ownership.h"

#include "s3/xml.h"

namespace cv::s3 {

std::string_view ownership_name(ObjectOwnership ownership) {
  switch (ownership) {
    case ObjectOwnership::kBucketOwnerEnforced:
      return "BucketOwnerEnforced";
    case ObjectOwnership::kBucketOwnerPreferred:
      return "BucketOwnerPreferred";
    case ObjectOwnership::kObjectWriter:
      return "ObjectWriter";
  }
  return "BucketOwnerEnforced";
}

std::optional<ObjectOwnership> parse_ownership(std::string_view name) {
  for (const auto value :
       {ObjectOwnership::kBucketOwnerEnforced, ObjectOwnership::kBucketOwnerPreferred,
        ObjectOwnership::kObjectWriter}) {
    if (ownership_name(value) == name) return value;
  }
  return std::nullopt;
}

Result<ObjectOwnership> parse_ownership_controls(std::string_view body) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "OwnershipControls"));
  std::optional<ObjectOwnership> ownership;
  for (const auto node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    // S3 takes exactly one rule.
    if (local_name(node) != "Rule" || ownership) return fail(ErrorCode::kMalformedXML);
    ownership = parse_ownership(child_text(node, "ObjectOwnership"));
    if (!ownership) return fail(ErrorCode::kMalformedXML);
  }
  if (!ownership) return fail(ErrorCode::kMalformedXML);
  return *ownership;
}

std::string write_ownership_controls(ObjectOwnership ownership) {
  XmlWriter xml("OwnershipControls");
  add_text(xml.root().append_child("Rule"), "ObjectOwnership", ownership_name(ownership));
  return xml.str();
}

}  // namespace cv::s3
