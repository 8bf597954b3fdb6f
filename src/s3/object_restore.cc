// RestoreObject (POST /bucket/key?restore): a temporary readable copy of an archived
// (GLACIER) version. The vault records the request; the lifecycle worker makes the copy.
#include <charconv>

#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {

Result<Response> restore_object(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "RestoreRequest"));
  if (child(root, "SelectParameters") || child_text(root, "Type") == "SELECT") {
    return fail(ErrorCode::kNotImplemented, "S3 Select restores are not supported");
  }
  const std::string days_text = child_text(root, "Days");
  int days = 0;
  const auto [end, ec] =
      std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
  if (days_text.empty() || ec != std::errc() || end != days_text.data() + days_text.size() ||
      days < 1 || days > 36500) {
    return fail(ErrorCode::kMalformedXML,
                "RestoreRequest needs Days, a whole number of days from 1 to 36500");
  }
  if (const auto tier = child_text(child(root, "GlacierJobParameters"), "Tier");
      !tier.empty() && tier != "Standard" && tier != "Bulk" && tier != "Expedited") {
    return fail(ErrorCode::kMalformedXML, "Tier must be Standard, Bulk or Expedited");
  }
  const std::string* version = find_param(call.request.params, "versionId");
  const bool already_restored = CV_TRY(services.vault.request_restore(
      call.route.bucket, call.route.key, version ? *version : "", days, call.origin()));
  // 202 when a restore starts; 200 when a restored copy existed and its expiry moved.
  return empty_response(already_restored ? 200 : 202);
}

}  // namespace cv::s3
