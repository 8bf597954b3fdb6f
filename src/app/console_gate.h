// The console's access gate in the server (console/access_gate.h): each question a console
// route asks is decided by the S3 API's own permission decision (S3Api::decide_permission:
// the policies through the one evaluator, the ownership rules, the ACLs), for the owner of
// the session's access key. Thread-safe; the references must outlive it.
#pragma once

#include "auth/credentials.h"
#include "console/access_gate.h"
#include "s3/s3_api.h"

namespace cv::app {

class ConsoleGate final : public console::AccessGate {
 public:
  ConsoleGate(const s3::S3Api& s3, auth::CredentialStore& credentials);

  // AccessDenied "your session has ended" when the key is gone; else as S3 decides.
  Result<console::AccessVerdict> decide(std::string_view access_key_id, const Request& request,
                                        const console::AccessRequest& asked) override;

 private:
  const s3::S3Api& s3_;
  auth::CredentialStore& credentials_;
};

}  // namespace cv::app
