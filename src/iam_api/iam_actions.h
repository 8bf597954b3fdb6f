// The IAM actions of the query API, registered into an ActionTable: users, keys and groups
// (iam_user_actions.cc); policies, roles and the account summary (iam_policy_actions.cc).
// Internal to iam_api.
#pragma once

#include "iam/iam_directory.h"
#include "iam/session_issuer.h"
#include "iam/user_directory.h"
#include "iam_api/iam_authorizer.h"
#include "iam_api/query_protocol.h"

namespace cv::iam_api {

inline constexpr std::string_view kIamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";
inline constexpr std::string_view kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

// What every IAM action needs; outlives the table.
struct IamActionContext {
  iam::IamDirectory& directory;
  iam::UserDirectory& users;
  IamAuthorizer authorize;
};

void add_iam_user_actions(ActionTable& table, IamActionContext& context);
void add_iam_policy_actions(ActionTable& table, IamActionContext& context);
// STS: AssumeRole, GetSessionToken, GetCallerIdentity (sts_actions.cc).
void add_sts_actions(ActionTable& table, iam::SessionIssuer& sessions);

// Paging of IAM's List* actions: Marker (an opaque position: the index of the next item) and
// MaxItems (1..1000, default 100). Sets IsTruncated and Marker in the result.
struct Page {
  size_t begin = 0;
  size_t end = 0;
};
Result<Page> page_of(const ActionCall& call, size_t total);
void finish_page(ActionCall& call, const Page& page, size_t total);

// Appends <name>text</name> to `parent`.
pugi::xml_node add_text(pugi::xml_node parent, const char* name, std::string_view text);

}  // namespace cv::iam_api
