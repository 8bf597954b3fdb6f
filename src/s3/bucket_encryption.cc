// Put/Get/DeleteBucketEncryption: a bucket's default encryption, as S3's
// ServerSideEncryptionConfiguration document. The vault keeps it as its own small document
// (vault/encryption.h) and applies it to every write that names no encryption.
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

Result<vault::DefaultEncryption> parse_configuration(std::string_view body) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "ServerSideEncryptionConfiguration"));
  pugi::xml_node rule;
  size_t rules = 0;
  for (auto node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    if (local_name(node) != "Rule") return fail(ErrorCode::kMalformedXML);
    rule = node;
    ++rules;
  }
  if (rules != 1) {
    return fail(ErrorCode::kMalformedXML,
                "The server side encryption configuration must have exactly one Rule");
  }
  const auto by_default = child(rule, "ApplyServerSideEncryptionByDefault");
  if (!by_default) return fail(ErrorCode::kMalformedXML);
  const std::string algorithm = child_text(by_default, "SSEAlgorithm");
  if (algorithm == "aws:kms" || algorithm == "aws:kms:dsse") {
    return fail(ErrorCode::kNotImplemented,
                "SSE-KMS is not supported by this server (it has no KMS); use SSEAlgorithm AES256",
                algorithm);
  }
  if (algorithm != "AES256") return fail(ErrorCode::kMalformedXML);
  if (child(by_default, "KMSMasterKeyID")) {
    return fail(ErrorCode::kInvalidArgument,
                "a KMSMasterKeyID is allowed only when SSEAlgorithm is aws:kms");
  }
  vault::DefaultEncryption config;
  config.algorithm = algorithm;
  if (const auto bucket_key = child(rule, "BucketKeyEnabled")) {
    const std::string value = bucket_key.text().get();
    if (value != "true" && value != "false") return fail(ErrorCode::kMalformedXML);
    config.bucket_key_enabled = value == "true";
  }
  return config;
}

}  // namespace

Result<Response> put_bucket_encryption(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  const auto config = CV_TRY(parse_configuration(body));
  CV_TRY(services.vault.set_default_encryption(call.route.bucket, config));
  return empty_response(200);
}

Result<Response> get_bucket_encryption(const Services& services, Call& call) {
  const auto config = CV_TRY(services.vault.default_encryption(call.route.bucket));
  if (!config) {
    return fail(ErrorCode::kServerSideEncryptionConfigurationNotFoundError,
                "The server side encryption configuration was not found", call.route.bucket);
  }
  XmlWriter xml("ServerSideEncryptionConfiguration");
  auto rule = xml.root().append_child("Rule");
  auto by_default = rule.append_child("ApplyServerSideEncryptionByDefault");
  add_text(by_default, "SSEAlgorithm", config->algorithm);
  add_text(rule, "BucketKeyEnabled", config->bucket_key_enabled ? "true" : "false");
  return xml_response(xml.str());
}

Result<Response> delete_bucket_encryption(const Services& services, Call& call) {
  CV_TRY(services.vault.set_default_encryption(call.route.bucket, std::nullopt));
  return empty_response(204);
}

}  // namespace cv::s3
