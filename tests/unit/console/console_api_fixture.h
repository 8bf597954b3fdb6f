// The console API tests' fixture: a real vault (TempVault), two users' keys (alice, bob), a
// session store, the server's notification targets ("hook", "mail") and replication remote
// ("offsite"), and helpers to call routes as a signed-in browser.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/key_table.h"
#include "console/console_api.h"
#include "core/byte_source.h"
#include "core/encoding.h"
#include "vault/temp_vault.h"

namespace cv::console::testing {

using std::chrono::hours;
using std::chrono::minutes;

// The targets and remotes a configuration file would name.
class FixedDestinations final : public DestinationCatalog {
 public:
  bool has_target(std::string_view name) const override { return targets_.contains(name); }
  bool has_remote(std::string_view name) const override { return remotes_.contains(name); }
  std::vector<std::string> notification_target_names() const override {
    return {targets_.begin(), targets_.end()};
  }
  std::vector<std::string> replication_remote_names() const override {
    return {remotes_.begin(), remotes_.end()};
  }

 private:
  std::set<std::string, std::less<>> targets_{"hook", "mail"};
  std::set<std::string, std::less<>> remotes_{"offsite"};
};

// Credentials kept in a map: the store the API looks keys up in.
using auth::testing::KeyTable;

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
    request.path = std::string(kApiPrefix) + path.substr(0, path.find('?'));
    if (const size_t question = path.find('?'); question != std::string::npos) {
      request.query = path.substr(question + 1);
      request.params = parse_query(request.query).value();
    }
    request.headers = std::move(headers);
    request.headers.set("host", "127.0.0.1:9000");
    request.content_length = body.size();
    request.body = &source;
    request.remote_address = "198.51.100.4";
    return handler().handle(request);
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

  // Stores `body` at `key` in `bucket` as alice (her user id), `modified` later than the last.
  meta::ObjectVersion put(const std::string& bucket, const std::string& key,
                          const std::string& body, const std::string& content_type = {}) {
    clock_.advance(std::chrono::seconds(1));
    StringSource source(body);
    vault::PutObjectInput input{bucket, key, {}, &source, body.size(), {}};
    input.attributes.owner_id = std::string(64, 'a');
    input.attributes.content_type = content_type;
    auto stored = temp_.vault().put_object(input);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored.value_or(meta::ObjectVersion{});
  }

  // A signed-in alice with a bucket of her own.
  std::pair<std::string, std::string> alice_with_bucket(const std::string& bucket) {
    auto alice = sign_in("AKALICE", "alice-secret");
    EXPECT_EQ(call("POST", "buckets", R"({"name":")" + bucket + R"("})", signed_in(alice)).status,
              201);
    return alice;
  }

  // The folders and object keys of one listing page, in the order given, and its `next`.
  struct Listed {
    std::vector<std::string> folders;
    std::vector<std::string> keys;
    std::string next;  // "" when null
  };
  Listed listing(const std::pair<std::string, std::string>& session, const std::string& query) {
    Response response = call("GET", "objects?" + query, {}, signed_in(session, false));
    EXPECT_EQ(response.status, 200) << query << ": " << response.body;
    Listed listed;
    if (response.status != 200) return listed;
    const auto body = boost::json::parse(response.body).as_object();
    for (const auto& folder : body.at("folders").as_array()) {
      listed.folders.emplace_back(folder.at("prefix").as_string());
    }
    for (const auto& object : body.at("objects").as_array()) {
      listed.keys.emplace_back(object.at("key").as_string());
    }
    if (body.at("next").is_string()) listed.next = body.at("next").as_string();
    return listed;
  }

  // Every page of a listing followed through its cursors: folders and keys in order.
  Listed all_pages(const std::pair<std::string, std::string>& session, const std::string& query,
                   int* pages = nullptr) {
    Listed all;
    std::string after;
    int count = 0;
    do {
      Listed page = listing(session, query + "&after=" + uri_encode(after, true));
      all.folders.insert(all.folders.end(), page.folders.begin(), page.folders.end());
      all.keys.insert(all.keys.end(), page.keys.begin(), page.keys.end());
      after = page.next;
      EXPECT_LT(++count, 100) << "the cursor does not advance";
    } while (!after.empty() && count < 100);
    if (pages) *pages = count;
    return all;
  }

  // The API call() sends requests to: api_ unless a test fixture serves another.
  virtual RequestHandler& handler() { return api_; }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
  KeyTable keys_;
  SessionStore sessions_{clock_, SessionLimits{.idle = std::chrono::seconds(3600),
                                               .lifetime = std::chrono::seconds(4 * 3600),
                                               .max_sessions = 3}};
  ThumbnailCache thumbnails_{temp_.dir() / "thumbnails"};
  FixedDestinations destinations_;
  ConsoleApi api_{temp_.vault(), keys_, sessions_, thumbnails_,
                  ConsoleOptions{.destinations = &destinations_,
                                 // Requests come from 198.51.100.4 over plain HTTP.
                                 .plain_http_secrets = PlainHttpSecrets::kAlways}};
};

}  // namespace cv::console::testing
