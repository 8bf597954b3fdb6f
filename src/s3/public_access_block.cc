// Put/Get/DeletePublicAccessBlock: a bucket's PublicAccessBlockConfiguration (the four Block
// Public Access settings; an element left out is false, as on S3).
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kSettings[] = {"BlockPublicAcls", "IgnorePublicAcls",
                                          "BlockPublicPolicy", "RestrictPublicBuckets"};

Result<vault::PublicAccessBlock> parse_configuration(std::string_view body) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "PublicAccessBlockConfiguration"));
  bool values[4] = {};
  bool seen[4] = {};
  for (auto node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    size_t index = 0;
    while (index < 4 && local_name(node) != kSettings[index]) ++index;
    if (index == 4 || seen[index]) return fail(ErrorCode::kMalformedXML);
    const std::string_view text = node.text().get();
    if (text != "true" && text != "false") return fail(ErrorCode::kMalformedXML);
    seen[index] = true;
    values[index] = text == "true";
  }
  return vault::PublicAccessBlock{values[0], values[1], values[2], values[3]};
}

}  // namespace

Result<Response> put_public_access_block(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kOptional));
  const auto block = CV_TRY(parse_configuration(body));
  CV_TRY(services.vault.put_public_access_block(call.route.bucket, block));
  return empty_response(200);
}

Result<Response> get_public_access_block(const Services& services, Call& call) {
  const auto access = CV_TRY(services.vault.bucket_access(call.route.bucket));
  if (!access->block) {
    return fail(ErrorCode::kNoSuchPublicAccessBlockConfiguration,
                "The public access block configuration was not found", call.route.bucket);
  }
  const vault::PublicAccessBlock& block = *access->block;
  const bool values[4] = {block.block_public_acls, block.ignore_public_acls,
                          block.block_public_policy, block.restrict_public_buckets};
  XmlWriter xml("PublicAccessBlockConfiguration");
  for (size_t i = 0; i < 4; ++i) add_text(xml.root(), kSettings[i], values[i] ? "true" : "false");
  return xml_response(xml.str());
}

Result<Response> delete_public_access_block(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_public_access_block(call.route.bucket));
  return empty_response(204);
}

}  // namespace cv::s3
