// STS over a real SQLite store (iam::SessionIssuer, UserDirectory::find_session) and the SigV4
// verifier: trust policies decided by the evaluator, the parameter rules, and temporary
// credentials that verify until exactly their expiry and stop with their user or role.
#include "iam/session_issuer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "iam/caller_directory.h"
#include "iam/session_token.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::iam {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class CountingSignal final : public ChangeSignal {
 public:
  uint64_t generation() override { return generation_; }
  void announce() override { ++generation_; }
  uint64_t generation_ = 1;
};

constexpr const char* kAccount = "123456789012";

std::string trust_naming(std::string_view principal, std::string_view condition = {}) {
  std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" +
      std::string(principal) + R"("},"Action":"sts:AssumeRole")";
  if (!condition.empty()) trust += R"(,"Condition":)" + std::string(condition);
  return trust + "}]}";
}

class SessionIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-sts-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    users_ = std::make_unique<UserDirectory>(*meta_, std::string(32, 'm'), clock_, signal_);
    iam_ = std::make_unique<IamDirectory>(*meta_, *users_, signal_, clock_,
                                          IamDirectoryOptions{kAccount, validate_policy_document});
    callers_ = std::make_unique<CallerDirectory>(kAccount, iam_.get(), &signal_);
    issuer_ = std::make_unique<SessionIssuer>(*iam_, *users_, *callers_, clock_, kAccount);
    verifier_ = std::make_unique<auth::SigV4Verifier>(*users_, clock_, auth::VerifierOptions{});
    root_key_ = users_->ensure_root(std::nullopt).value();
    alice_ = users_->add_user("alice", "", "").value();
    alice_key_ = users_->create_key("alice", std::nullopt, std::nullopt).value();
  }
  void TearDown() override {
    verifier_.reset();
    issuer_.reset();
    callers_.reset();
    iam_.reset();
    users_.reset();
    meta_.reset();
    fs::remove_all(dir_);
  }

  // The identity the verifier gives a request signed with `credentials` (and `token`).
  Result<auth::Identity> verify(const auth::Credentials& credentials, std::string token = {}) {
    auth::SigningRequest request;
    request.method = "GET";
    request.host = "h";
    request.path = "/";
    if (!token.empty()) request.headers.emplace_back("x-amz-security-token", token);
    auto headers = auth::sign_request(
        request, auth::SigningCredentials{credentials.access_key_id, credentials.secret_key},
        clock_.now());
    Request http;
    http.method = "GET";
    http.target = http.path = "/";
    for (const auto& [name, value] : headers) http.headers.add(name, value);
    for (const auto& [name, value] : request.headers) http.headers.add(name, value);
    return verifier_->verify(http, auth::BodyDigest{"UNSIGNED-PAYLOAD"});
  }
  auth::Identity identity_of(const auth::Credentials& credentials) {
    return verify(credentials).value();
  }
  auth::Credentials session_credentials(const IssuedSession& session) {
    auth::Credentials credentials;
    credentials.access_key_id = session.access_key_id;
    credentials.secret_key = session.secret_key;
    return credentials;
  }
  void create_role(std::string_view name, std::string_view trust, int64_t max_seconds = 3600) {
    ASSERT_TRUE(iam_->create_role(name, "/", trust, "", max_seconds)) << name;
  }
  AssumeRoleRequest request_for(std::string_view role, std::string_view session = "s1") {
    AssumeRoleRequest request;
    request.role_arn = "arn:aws:iam::" + std::string(kAccount) + ":role/" + std::string(role);
    request.session_name = session;
    return request;
  }

  fs::path dir_;
  ManualClock clock_{std::chrono::system_clock::now()};
  CountingSignal signal_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<UserDirectory> users_;
  std::unique_ptr<IamDirectory> iam_;
  std::unique_ptr<CallerDirectory> callers_;
  std::unique_ptr<SessionIssuer> issuer_;
  std::unique_ptr<auth::SigV4Verifier> verifier_;
  auth::Credentials root_key_;
  meta::User alice_;
  auth::Credentials alice_key_;
};

template <class R>
ErrorCode code_of(const R& result) {
  return result ? ErrorCode::kInternalError : result.error().code;
}

TEST_F(SessionIssuerTest, ATrustPolicyNamingTheCallerLetsItAssumeTheRole) {
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  const auto session = issuer_->assume_role(identity_of(alice_key_), request_for("reader"));
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_TRUE(session->access_key_id.starts_with("ASIA"));
  EXPECT_EQ(session->assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/reader/s1");
  EXPECT_TRUE(session->assumed_role_id.starts_with("AROA"));
  EXPECT_TRUE(session->assumed_role_id.ends_with(":s1"));
  EXPECT_EQ(session->expires_ns, to_unix_nanos(clock_.now()) + 3600LL * 1'000'000'000);

  // The session verifies with its token and acts as the role.
  const auto caller = verify(session_credentials(*session), session->session_token);
  ASSERT_TRUE(caller) << caller.error().message;
  EXPECT_TRUE(caller->session);
  EXPECT_EQ(caller->role_name, "reader");
  EXPECT_EQ(caller->session_name, "s1");
  const auto who = issuer_->caller_identity(*caller);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->arn, "arn:aws:sts::123456789012:assumed-role/reader/s1");
  EXPECT_EQ(who->user_id, session->assumed_role_id);
  EXPECT_EQ(who->account, kAccount);
}

TEST_F(SessionIssuerTest, ATrustPolicyNamingSomeoneElseRefuses) {
  ASSERT_TRUE(users_->add_user("bob", "", ""));
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/bob"));
  const auto session = issuer_->assume_role(identity_of(alice_key_), request_for("reader"));
  ASSERT_EQ(code_of(session), ErrorCode::kAccessDenied);
  EXPECT_EQ(session.error().message,
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: "
            "sts:AssumeRole on resource: arn:aws:iam::123456789012:role/reader");
  // A role that does not exist answers the same.
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request_for("nobody"))),
            ErrorCode::kAccessDenied);
}

TEST_F(SessionIssuerTest, ATrustPolicyNamingTheAccountNeedsAnIdentityPolicyToo) {
  create_role("ops", trust_naming("arn:aws:iam::123456789012:root"));
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request_for("ops"))),
            ErrorCode::kAccessDenied);
  ASSERT_TRUE(iam_->put_inline_policy(
      PrincipalName{meta::IamPrincipalKind::kUser, "alice"}, "assume",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/ops"}]})"));
  EXPECT_TRUE(issuer_->assume_role(identity_of(alice_key_), request_for("ops")));
}

TEST_F(SessionIssuerTest, RootMayNotAssumeRoles) {
  create_role("any", trust_naming("*"));
  const auto session = issuer_->assume_role(identity_of(root_key_), request_for("any"));
  ASSERT_EQ(code_of(session), ErrorCode::kAccessDenied);
  EXPECT_EQ(session.error().message, "Roles may not be assumed by root accounts.");
}

TEST_F(SessionIssuerTest, TheExternalIdConditionIsChecked) {
  create_role("vendor", trust_naming("arn:aws:iam::123456789012:user/alice",
                                     R"({"StringEquals":{"sts:ExternalId":"secret-42"}})"));
  auto request = request_for("vendor");
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request)),
            ErrorCode::kAccessDenied);
  request.external_id = "wrong-id";
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request)),
            ErrorCode::kAccessDenied);
  request.external_id = "secret-42";
  EXPECT_TRUE(issuer_->assume_role(identity_of(alice_key_), request));
  request.external_id = "x";  // shorter than 2
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request)),
            ErrorCode::kValidationError);
}

TEST_F(SessionIssuerTest, DurationsAndNamesFollowStsLimits) {
  create_role("short", trust_naming("arn:aws:iam::123456789012:user/alice"), 3600);
  create_role("long", trust_naming("arn:aws:iam::123456789012:user/alice"), 43200);
  const auth::Identity alice = identity_of(alice_key_);
  auto request = request_for("short");
  request.duration_seconds = 899;
  EXPECT_EQ(code_of(issuer_->assume_role(alice, request)), ErrorCode::kValidationError);
  request.duration_seconds = 3601;
  const auto over = issuer_->assume_role(alice, request);
  ASSERT_EQ(code_of(over), ErrorCode::kValidationError);
  EXPECT_EQ(over.error().message,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  request.duration_seconds = 900;
  const auto shortest = issuer_->assume_role(alice, request);
  ASSERT_TRUE(shortest);
  EXPECT_EQ(shortest->expires_ns, to_unix_nanos(clock_.now()) + 900LL * 1'000'000'000);
  request = request_for("long");
  request.duration_seconds = 43200;
  EXPECT_TRUE(issuer_->assume_role(alice, request));

  const std::string too_long(65, 'n');
  for (std::string_view bad : {std::string_view("a"), std::string_view("has space"),
                               std::string_view("slash/no"), std::string_view(too_long)}) {
    EXPECT_EQ(code_of(issuer_->assume_role(alice, request_for("long", bad))),
              ErrorCode::kValidationError)
        << bad;
  }
  EXPECT_TRUE(issuer_->assume_role(alice, request_for("long", "ok+=,.@-_name")));
}

TEST_F(SessionIssuerTest, ASessionPolicyMustParseAndIsCarriedByTheToken) {
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  auto request = request_for("reader");
  request.policy = "{not json";
  EXPECT_EQ(code_of(issuer_->assume_role(identity_of(alice_key_), request)),
            ErrorCode::kMalformedPolicyDocument);
  request.policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  const auto session = issuer_->assume_role(identity_of(alice_key_), request);
  ASSERT_TRUE(session);
  EXPECT_GT(session->packed_policy_percent, 0);
  const auto caller = verify(session_credentials(*session), session->session_token).value();
  EXPECT_EQ(caller.session_policy, request.policy);
}

TEST_F(SessionIssuerTest, SessionsExpireExactly) {
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  auto request = request_for("reader");
  request.duration_seconds = 900;
  const auto session = issuer_->assume_role(identity_of(alice_key_), request).value();
  clock_.advance(900s - 1ns);
  EXPECT_TRUE(verify(session_credentials(session), session.session_token));
  clock_.advance(1ns);
  EXPECT_EQ(code_of(verify(session_credentials(session), session.session_token)),
            ErrorCode::kExpiredToken);
}

TEST_F(SessionIssuerTest, ATokenOnlyWorksWithItsOwnKeyAndSecret) {
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  const auto one = issuer_->assume_role(identity_of(alice_key_), request_for("reader")).value();
  const auto two = issuer_->assume_role(identity_of(alice_key_), request_for("reader")).value();
  // Another session's token with this key: no such credentials.
  EXPECT_EQ(code_of(verify(session_credentials(one), two.session_token)),
            ErrorCode::kInvalidAccessKeyId);
  // A token not sealed by this server.
  std::string forged = one.session_token;
  forged[10] = forged[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(code_of(verify(session_credentials(one), forged)), ErrorCode::kInvalidToken);
  // The right token with a wrong secret.
  auto wrong = session_credentials(one);
  wrong.secret_key = two.secret_key;
  EXPECT_EQ(code_of(verify(wrong, one.session_token)), ErrorCode::kSignatureDoesNotMatch);
  // A temporary key without its token.
  EXPECT_EQ(code_of(verify(session_credentials(one))), ErrorCode::kInvalidAccessKeyId);
}

TEST_F(SessionIssuerTest, DeletingTheRoleEndsItsSessions) {
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  const auto session = issuer_->assume_role(identity_of(alice_key_), request_for("reader")).value();
  const auto caller = verify(session_credentials(session), session.session_token).value();
  ASSERT_TRUE(callers_->policies_for(caller));
  ASSERT_TRUE(iam_->delete_role("reader"));
  EXPECT_EQ(code_of(callers_->policies_for(caller)), ErrorCode::kInvalidAccessKeyId);
  // A role created again under the same name does not revive the old session.
  create_role("reader", trust_naming("arn:aws:iam::123456789012:user/alice"));
  EXPECT_EQ(code_of(callers_->policies_for(caller)), ErrorCode::kInvalidAccessKeyId);
}

TEST_F(SessionIssuerTest, GetSessionTokenActsAsTheUserUntilTheUserIsDeleted) {
  const auto session = issuer_->get_session_token(identity_of(alice_key_), 900).value();
  const auto caller = verify(session_credentials(session), session.session_token);
  ASSERT_TRUE(caller) << caller.error().message;
  EXPECT_TRUE(caller->session);
  EXPECT_EQ(caller->user_id, alice_.id);
  EXPECT_TRUE(caller->role_name.empty());
  EXPECT_EQ(issuer_->caller_identity(*caller)->arn, "arn:aws:iam::123456789012:user/alice");
  // Not from a session; durations as STS.
  EXPECT_EQ(code_of(issuer_->get_session_token(*caller, std::nullopt)), ErrorCode::kAccessDenied);
  EXPECT_EQ(code_of(issuer_->get_session_token(identity_of(alice_key_), 899)),
            ErrorCode::kValidationError);
  EXPECT_EQ(code_of(issuer_->get_session_token(identity_of(alice_key_), 129601)),
            ErrorCode::kValidationError);
  EXPECT_EQ(code_of(issuer_->get_session_token(identity_of(root_key_), 3601)),
            ErrorCode::kValidationError);
  const auto fallback = issuer_->get_session_token(identity_of(alice_key_), std::nullopt).value();
  EXPECT_EQ(fallback.expires_ns, to_unix_nanos(clock_.now()) + 43200LL * 1'000'000'000);

  ASSERT_TRUE(users_->delete_key(alice_key_.access_key_id));
  ASSERT_TRUE(iam_->delete_user("alice"));
  EXPECT_EQ(code_of(verify(session_credentials(session), session.session_token)),
            ErrorCode::kInvalidAccessKeyId);
}

TEST_F(SessionIssuerTest, CallerIdentityOfRootAndUsers) {
  const auto root = issuer_->caller_identity(identity_of(root_key_)).value();
  EXPECT_EQ(root.arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(root.user_id, kAccount);
  const auto alice = issuer_->caller_identity(identity_of(alice_key_)).value();
  EXPECT_EQ(alice.arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(alice.user_id, alice_.iam_id);
}

}  // namespace
}  // namespace cv::iam
