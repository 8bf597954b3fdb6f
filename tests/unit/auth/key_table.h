// Credentials kept in a map, for tests: a real in-memory CredentialStore.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.h"

namespace cv::auth::testing {

// Not thread-safe while `keys` changes; tests fill it before serving requests.
class KeyTable final : public CredentialStore {
 public:
  Result<std::optional<Credentials>> find(std::string_view id) override {
    auto found = keys.find(std::string(id));
    if (found == keys.end()) return std::optional<Credentials>();
    return std::optional<Credentials>(found->second);
  }
  std::map<std::string, Credentials> keys;
};

}  // namespace cv::auth::testing
