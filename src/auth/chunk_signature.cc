#include "auth/chunk_signature.h"

#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string sign(std::string_view signing_key, std::string_view algorithm,
                 std::string_view amz_date, std::string_view scope,
                 std::string_view previous_signature, std::string_view tail) {
  std::string text;
  text.reserve(algorithm.size() + amz_date.size() + scope.size() + previous_signature.size() +
               tail.size() + 4);
  text += algorithm;
  text.push_back('\n');
  text += amz_date;
  text.push_back('\n');
  text += scope;
  text.push_back('\n');
  text += previous_signature;
  text.push_back('\n');
  text += tail;
  return hex_encode(hmac_sha256(signing_key, text));
}

}  // namespace

std::string chunk_signature(std::string_view signing_key, std::string_view amz_date,
                            std::string_view scope, std::string_view previous_signature,
                            std::string_view data_sha256) {
  std::string tail(kEmptySha256);
  tail.push_back('\n');
  tail += hex_encode(data_sha256);
  return sign(signing_key, "AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous_signature, tail);
}

std::string trailer_signature(std::string_view signing_key, std::string_view amz_date,
                              std::string_view scope, std::string_view previous_signature,
                              std::string_view canonical_trailers) {
  return sign(signing_key, "AWS4-HMAC-SHA256-TRAILER", amz_date, scope, previous_signature,
              hex_encode(sha256(canonical_trailers)));
}

}  // namespace cv::auth
