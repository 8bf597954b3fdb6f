// The console API over a real vault: sign-in, cookies, CSRF and Origin checks, buckets; and
// the session store's expiry rules.
#include "console/console_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "core/byte_source.h"
#include "vault/temp_vault.h"

namespace cv::console {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Credentials kept in a map: the store the API looks keys up in.
class KeyTable final : public auth::CredentialStore {
 public:
  Result<std::optional<auth::Credentials>> find(std::string_view id) override {
    auto found = keys.find(std::string(id));
    if (found == keys.end()) return std::optional<auth::Credentials>();
    return std::optional<auth::Credentials>(found->second);
  }
  std::map<std::string, auth::Credentials> keys;
};

class ConsoleApiTest : public ::testing::Test {
 protected:
  ConsoleApiTest() {
    keys_.keys["AKALICE"] = {"AKALICE", "alice-secret", std::string(64, 'a')};
    keys_.keys["AKBOB"] = {"AKBOB", "bob-secret", std::string(64, 'b')};
  }

  Response call(const std::string& method, const std::string& path, std::string body = {},
                Headers headers = {}) {
    StringSource source(body);
    Request request;
    request.method = method;
    request.path = std::string(kApiPrefix) + path;
    request.headers = std::move(headers);
    request.headers.set("host", "127.0.0.1:9000");
    request.content_length = body.size();
    request.body = &source;
    return api_.handle(request);
  }

  // Signs in; returns the cookie header value and the CSRF token.
  std::pair<std::string, std::string> sign_in(const std::string& key, const std::string& secret) {
    Response response =
        call("POST", "session",
             R"({"accessKeyId":")" + key + R"(","secretAccessKey":")" + secret + R"("})");
    EXPECT_EQ(response.status, 201) << response.body;
    const std::string cookie(response.headers.get("set-cookie"));
    const std::string pair = cookie.substr(0, cookie.find(';'));
    const auto body = boost::json::parse(response.body).as_object();
    return {pair, std::string(body.at("csrfToken").as_string())};
  }

  Headers signed_in(const std::pair<std::string, std::string>& session, bool with_csrf = true) {
    Headers headers;
    headers.set("cookie", "theme=dark; " + session.first);
    if (with_csrf) headers.set("x-csrf-token", session.second);
    return headers;
  }

  static std::string error_code(const Response& response) {
    return std::string(boost::json::parse(response.body).at("error").at("code").as_string());
  }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
  KeyTable keys_;
  SessionStore sessions_{clock_, SessionLimits{.idle = std::chrono::seconds(3600),
                                               .lifetime = std::chrono::seconds(4 * 3600),
                                               .max_sessions = 3}};
  ThumbnailCache thumbnails_{temp_.dir() / "thumbnails"};
  ConsoleApi api_{temp_.vault(), keys_, sessions_, thumbnails_};
};

TEST_F(ConsoleApiTest, SignInSetsAStrictHttpOnlyCookie) {
  Response response =
      call("POST", "session", R"({"accessKeyId":"AKALICE","secretAccessKey":"alice-secret"})");
  ASSERT_EQ(response.status, 201);
  const std::string cookie(response.headers.get("set-cookie"));
  EXPECT_TRUE(cookie.starts_with("cv_session=")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("accessKeyId").as_string(), "AKALICE");
  EXPECT_EQ(body.at("csrfToken").as_string().size(), 64u);
  EXPECT_EQ(body.find("secretAccessKey"), body.end());
}

TEST_F(ConsoleApiTest, BadCredentialsAreRefusedAlike) {
  for (const auto* body : {R"({"accessKeyId":"AKALICE","secretAccessKey":"wrong"})",
                           R"({"accessKeyId":"AKNOBODY","secretAccessKey":"alice-secret"})"}) {
    Response response = call("POST", "session", body);
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(error_code(response), "InvalidCredentials");
    EXPECT_FALSE(response.headers.find("set-cookie"));
  }
  EXPECT_EQ(call("POST", "session", "not json").status, 400);
  EXPECT_EQ(call("POST", "session", R"({"accessKeyId":7})").status, 400);
}

TEST_F(ConsoleApiTest, RoutesNeedASession) {
  Response response = call("GET", "buckets");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(error_code(response), "SignInRequired");
  Headers forged;
  forged.set("cookie", "cv_session=" + std::string(64, '0'));
  EXPECT_EQ(call("GET", "buckets", {}, forged).status, 401);
}

TEST_F(ConsoleApiTest, StateChangesNeedTheCsrfTokenAndTheSameOrigin) {
  const auto session = sign_in("AKALICE", "alice-secret");
  Response missing = call("POST", "buckets", R"({"name":"photos"})", signed_in(session, false));
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(error_code(missing), "CsrfTokenMismatch");
  Headers foreign = signed_in(session);
  foreign.set("origin", "https://evil.example");
  Response cross = call("POST", "buckets", R"({"name":"photos"})", foreign);
  EXPECT_EQ(cross.status, 403);
  EXPECT_EQ(error_code(cross), "ForeignOrigin");
  Headers same = signed_in(session);
  same.set("origin", "http://127.0.0.1:9000");
  EXPECT_EQ(call("POST", "buckets", R"({"name":"photos"})", same).status, 201);
  // Reads need no token.
  EXPECT_EQ(call("GET", "buckets", {}, signed_in(session, false)).status, 200);
}

TEST_F(ConsoleApiTest, BucketsAreListedCreatedAndDeletedPerUser) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  const auto bob = sign_in("AKBOB", "bob-secret");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"alice-photos"})", signed_in(alice)).status, 201);
  Response invalid = call("POST", "buckets", R"({"name":"Bad_Name"})", signed_in(alice));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(error_code(invalid), "InvalidBucketName");

  StringSource body("hello");
  vault::PutObjectInput put{"alice-photos", "a.txt", {}, &body, 5, {}};
  put.attributes.owner_id = std::string(64, 'a');
  ASSERT_TRUE(temp_.vault().put_object(put));

  const auto listed =
      boost::json::parse(call("GET", "buckets", {}, signed_in(alice)).body).as_object();
  const auto& buckets = listed.at("buckets").as_array();
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].at("name").as_string(), "alice-photos");
  EXPECT_EQ(buckets[0].at("objects").to_number<uint64_t>(), 1u);
  EXPECT_EQ(buckets[0].at("bytes").to_number<uint64_t>(), 5u);
  EXPECT_TRUE(boost::json::parse(call("GET", "buckets", {}, signed_in(bob)).body)
                  .at("buckets")
                  .as_array()
                  .empty());

  Response not_theirs = call("DELETE", "buckets/alice-photos", {}, signed_in(bob));
  EXPECT_EQ(not_theirs.status, 404);
  Response not_empty = call("DELETE", "buckets/alice-photos", {}, signed_in(alice));
  EXPECT_EQ(not_empty.status, 409);
  EXPECT_EQ(error_code(not_empty), "BucketNotEmpty");
  ASSERT_TRUE(temp_.vault().delete_object("alice-photos", "a.txt"));
  EXPECT_EQ(call("DELETE", "buckets/alice-photos", {}, signed_in(alice)).status, 204);
}

TEST_F(ConsoleApiTest, SignOutEndsTheSessionAndDeletedKeysEndTheirs) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  EXPECT_EQ(call("GET", "session", {}, signed_in(alice)).status, 200);
  Response out = call("DELETE", "session", {}, signed_in(alice));
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers.get("set-cookie").find("Max-Age=0"), std::string_view::npos);
  EXPECT_EQ(call("GET", "session", {}, signed_in(alice)).status, 401);

  const auto bob = sign_in("AKBOB", "bob-secret");
  keys_.keys.erase("AKBOB");
  EXPECT_EQ(call("GET", "buckets", {}, signed_in(bob)).status, 401);
}

TEST_F(ConsoleApiTest, UnknownRoutesAndMethods) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  EXPECT_EQ(call("GET", "nothing-here", {}, signed_in(alice)).status, 404);
  EXPECT_EQ(call("PUT", "buckets", {}, signed_in(alice)).status, 405);
}

TEST(SessionStoreTest, SessionsExpireWhenIdleOrTooOldAndTheOldestMakeRoom) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  SessionStore store(clock, SessionLimits{.idle = std::chrono::seconds(600),
                                          .lifetime = std::chrono::seconds(3600),
                                          .max_sessions = 2});
  const Session first = store.open("u1", "k1");
  clock.advance(minutes(9));
  EXPECT_TRUE(store.find(first.token));  // used: idle time starts again
  clock.advance(minutes(9));
  EXPECT_TRUE(store.find(first.token));
  clock.advance(minutes(11));
  EXPECT_FALSE(store.find(first.token));  // idle too long

  const Session a = store.open("u1", "k1");
  for (int i = 0; i < 6; ++i) {
    clock.advance(minutes(9));
    ASSERT_TRUE(store.find(a.token));
  }
  clock.advance(minutes(9));
  EXPECT_FALSE(store.find(a.token));  // past its lifetime though in use

  const Session b = store.open("u1", "k1");
  clock.advance(std::chrono::seconds(1));
  const Session c = store.open("u2", "k2");
  clock.advance(std::chrono::seconds(1));
  const Session d = store.open("u3", "k3");
  EXPECT_FALSE(store.find(b.token));  // the oldest made room
  EXPECT_TRUE(store.find(c.token));
  EXPECT_TRUE(store.find(d.token));
  store.close_key("k2");
  EXPECT_FALSE(store.find(c.token));
  EXPECT_NE(d.token, d.csrf_token);
  EXPECT_EQ(d.token.size(), 64u);
}

}  // namespace
}  // namespace cv::console
