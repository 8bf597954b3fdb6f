// The IAM query API on the S3 port (issue 14): `POST /` with a form body (or GET with the
// same query) `Action=CreateUser&Version=2010-05-08&...`, signed with SigV4 for the service
// "iam" (any region: IAM is global), answered in IAM's XML. STS ("sts") shares the front-end:
// AssumeRole, GetSessionToken and GetCallerIdentity (sts_actions.cc) when a SessionIssuer is
// given; without one an STS request answers InvalidAction.
//
// Authorization goes through one injected IamAuthorizer (iam_authorizer.h); the default lets
// the root user do everything and any user manage its own keys.
#pragma once

#include <memory>
#include <string>

#include "audit/request_capture.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "iam/iam_directory.h"
#include "iam/session_issuer.h"
#include "iam/user_directory.h"
#include "iam_api/iam_authorizer.h"
#include "iam_api/query_protocol.h"

namespace cv::iam_api {

struct IamApiOptions {
  // Decides every action; default_iam_authorizer when empty.
  IamAuthorizer authorizer;
  // STS's rules; the STS actions are served when set. Must outlive the API.
  iam::SessionIssuer* sessions = nullptr;
  // The audit trail: every call yields one record (eventSource iam.amazonaws.com or
  // sts.amazonaws.com, eventName the Action), handed over once its response was sent.
  audit::CaptureOptions audit;
  size_t max_body = 512 * 1024;  // form bodies larger than this are refused
  std::chrono::seconds max_clock_skew{15 * 60};
};

// Thread-safe: handle() runs on many workers at once. The directories and clock must
// outlive it.
class IamApi final : public RequestHandler {
 public:
  IamApi(iam::IamDirectory& directory, iam::UserDirectory& users, const Clock& clock,
         IamApiOptions options);
  ~IamApi() override;

  // Whether the request is signed for a service this API answers ("iam", "sts").
  static bool owns(const Request& request) { return query_service_of(request).has_value(); }

  // The actions served, by service; more may be added before serving.
  ActionTable& actions();

  Response handle(Request& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cv::iam_api
