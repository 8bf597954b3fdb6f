// Shared fixtures of the auth unit tests: an in-memory credential store, request building,
// and the example credentials of the AWS S3 documentation.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"

namespace cv::auth::testing {

// The credentials of every SigV4 example in the S3 documentation. (The secret has a '/'
// after MDENG; a '+' there gives other signatures.)
inline constexpr std::string_view kDocAccessKey = "AKIAIOSFODNN7EXAMPLE";
inline constexpr std::string_view kDocSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kDocUser = "doc-user";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

inline TimePoint doc_time() { return *parse_amz_date("20130524T000000Z"); }

class MapCredentialStore final : public CredentialStore {
 public:
  void add(std::string access_key_id, std::string secret, std::string user_id) {
    std::lock_guard lock(mutex_);
    keys_[access_key_id] = Credentials{access_key_id, std::move(secret), std::move(user_id)};
  }
  // Makes every lookup fail with `error` (a database outage).
  void fail_with(Error error) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(error);
  }
  Result<std::optional<Credentials>> find(std::string_view access_key_id) override {
    std::lock_guard lock(mutex_);
    if (failure_) return std::unexpected(*failure_);
    auto it = keys_.find(std::string(access_key_id));
    if (it == keys_.end()) return std::optional<Credentials>();
    return std::optional<Credentials>(it->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Credentials> keys_;
  std::optional<Error> failure_;
};

// A request as the http layer fills it: `target` is split into the raw path and query.
inline Request make_request(std::string method, std::string target,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
  Request request;
  request.method = std::move(method);
  request.target = target;
  const size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  request.params = parse_query(request.query).value_or(QueryParams{});
  for (const auto& [name, value] : headers) request.headers.add(name, value);
  return request;
}

inline SigningRequest signing_request(std::string method, std::string host, std::string path,
                                      QueryParams query = {},
                                      std::vector<std::pair<std::string, std::string>> headers = {},
                                      std::string payload_hash = "UNSIGNED-PAYLOAD") {
  SigningRequest request;
  request.method = std::move(method);
  request.host = std::move(host);
  request.path = std::move(path);
  request.query = std::move(query);
  request.headers = std::move(headers);
  request.payload_hash = std::move(payload_hash);
  return request;
}

}  // namespace cv::auth::testing
