// A sample S3 call's audit event shared by the CloudTrail record tests: an IAM user's
// PutObject with every common field set.
#pragma once

#include <boost/json.hpp>
#include <cstdint>

#include "audit/cloudtrail_record.h"

namespace cv::audit::testing {

inline constexpr int64_t kNoonUtc = 1'780'747'200'000'000'000;  // 2026-06-06T12:00:00Z

inline AuditEvent put_object_event() {
  AuditEvent event;
  event.time_ns = kNoonUtc + 123'456'789;
  event.event_name = "PutObject";
  event.region = "eu-west-1";
  event.source_ip = "192.0.2.7";
  event.user_agent = "[aws-cli/2.9.19]";
  event.identity = {IdentityType::kIAMUser, "AIDAEXAMPLE", "arn:aws:iam::111122223333:user/ann",
                    "111122223333",         "AKIAEXAMPLE", "ann"};
  event.bucket = "photos";
  event.key = "2026/cat.jpg";
  event.host = "127.0.0.1:9000";
  event.parameters = {{"x-id", "PutObject"}};
  event.response_elements = boost::json::object{{"x-amz-version-id", "v1"}};
  event.bytes_in = 48'000;
  event.signature_version = "SigV4";
  event.authentication_method = "AuthHeader";
  event.amz_id_2 = "id2";
  event.request_id = "REQ1";
  event.event_id = "3074546e-1bfa-4973-8502-b1bb4d0bda1a";
  event.recipient_account_id = "111122223333";
  return event;
}

}  // namespace cv::audit::testing
