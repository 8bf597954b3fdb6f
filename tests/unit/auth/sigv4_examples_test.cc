// The worked examples of the S3 documentation, "Examples: Signature Calculations in AWS
// Signature Version 4" (sig-v4-header-based-auth.html), "sigv4-query-string-auth.html" and
// "sigv4-streaming.html" / "sigv4-streaming-trailers.html", verified and re-signed.
#include <gtest/gtest.h>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "auth_test_support.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

using testing::doc_time;
using testing::kDocAccessKey;
using testing::kDocSecret;
using testing::kEmptySha256;
using testing::make_request;

constexpr std::string_view kDocScope = "20130524/us-east-1/s3/aws4_request";

std::string doc_authorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
         "aws4_request,SignedHeaders=" +
         std::string(signed_headers) + ",Signature=" + std::string(signature);
}

SigningCredentials doc_credentials() {
  return SigningCredentials{std::string(kDocAccessKey), std::string(kDocSecret), "us-east-1", "s3"};
}

std::string header(const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

class SigV4ExamplesTest : public ::testing::Test {
 protected:
  SigV4ExamplesTest() : clock_(doc_time()), verifier_(store_, clock_, VerifierOptions{}) {
    store_.add(std::string(kDocAccessKey), std::string(kDocSecret), "doc-user");
  }

  testing::MapCredentialStore store_;
  ManualClock clock_;
  SigV4Verifier verifier_;
};

TEST_F(SigV4ExamplesTest, SigningKeyOfTheDocumentation) {
  // The signing key of "Examples of how to derive a signing key for Signature Version 4"
  // (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
  EXPECT_EQ(hex_encode(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                          "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST_F(SigV4ExamplesTest, GetObjectWithRange) {
  const std::string signature = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  const Request request =
      make_request("GET", "/test.txt",
                   {{"Host", "examplebucket.s3.amazonaws.com"},
                    {"Range", "bytes=0-9"},
                    {"x-amz-content-sha256", std::string(kEmptySha256)},
                    {"x-amz-date", "20130524T000000Z"},
                    {"Authorization",
                     doc_authorization("host;range;x-amz-content-sha256;x-amz-date", signature)}});
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_FALSE(identity->anonymous);
  EXPECT_FALSE(identity->presigned);
  EXPECT_EQ(identity->access_key_id, kDocAccessKey);
  EXPECT_EQ(identity->user_id, "doc-user");
  EXPECT_EQ(identity->payload, PayloadKind::kSha256);
  EXPECT_EQ(identity->payload_sha256, kEmptySha256);

  const SigningRequest to_sign =
      testing::signing_request("GET", "examplebucket.s3.amazonaws.com", "/test.txt", {},
                               {{"Range", "bytes=0-9"}}, std::string(kEmptySha256));
  const auto headers = sign_request(to_sign, doc_credentials(), doc_time());
  EXPECT_EQ(header(headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=" +
                signature);
  EXPECT_EQ(header(headers, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(header(headers, "host"), "examplebucket.s3.amazonaws.com");
  EXPECT_EQ(header(headers, "x-amz-content-sha256"), kEmptySha256);
}

TEST_F(SigV4ExamplesTest, PutObject) {
  const std::string signature = "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";
  const std::string body_sha256 = hex_encode(sha256("Welcome to Amazon S3."));
  ASSERT_EQ(body_sha256, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const Request request = make_request(
      "PUT", "/test$file.text",
      {{"Host", "examplebucket.s3.amazonaws.com"},
       {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"x-amz-content-sha256", body_sha256},
       {"Authorization",
        doc_authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                          signature)}});
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->payload, PayloadKind::kSha256);
  EXPECT_EQ(identity->payload_sha256, body_sha256);

  const SigningRequest to_sign = testing::signing_request(
      "PUT", "examplebucket.s3.amazonaws.com", "/test%24file.text", {},
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
      body_sha256);
  const auto headers = sign_request(to_sign, doc_credentials(), doc_time());
  EXPECT_NE(header(headers, "authorization").find("Signature=" + signature), std::string::npos);
}

TEST_F(SigV4ExamplesTest, GetBucketLifecycle) {
  const std::string signature = "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543";
  const Request request = make_request(
      "GET", "/?lifecycle",
      {{"Host", "examplebucket.s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-content-sha256", std::string(kEmptySha256)},
       {"Authorization", doc_authorization("host;x-amz-content-sha256;x-amz-date", signature)}});
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;

  const SigningRequest to_sign =
      testing::signing_request("GET", "examplebucket.s3.amazonaws.com", "/", {{"lifecycle", ""}},
                               {}, std::string(kEmptySha256));
  const auto headers = sign_request(to_sign, doc_credentials(), doc_time());
  EXPECT_NE(header(headers, "authorization").find("Signature=" + signature), std::string::npos);
}

TEST_F(SigV4ExamplesTest, ListObjects) {
  const std::string signature = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
  const Request request = make_request(
      "GET", "/?max-keys=2&prefix=J",
      {{"Host", "examplebucket.s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-content-sha256", std::string(kEmptySha256)},
       {"Authorization", doc_authorization("host;x-amz-content-sha256;x-amz-date", signature)}});
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;

  // The signer sorts the parameters itself.
  const SigningRequest to_sign =
      testing::signing_request("GET", "examplebucket.s3.amazonaws.com", "/",
                               {{"prefix", "J"}, {"max-keys", "2"}}, {}, std::string(kEmptySha256));
  const auto headers = sign_request(to_sign, doc_credentials(), doc_time());
  EXPECT_NE(header(headers, "authorization").find("Signature=" + signature), std::string::npos);
}

TEST_F(SigV4ExamplesTest, PresignedUrl) {
  const std::string query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  const Request request =
      make_request("GET", "/test.txt?" + query, {{"Host", "examplebucket.s3.amazonaws.com"}});
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_TRUE(identity->presigned);
  EXPECT_EQ(identity->payload, PayloadKind::kUnsigned);
  EXPECT_EQ(identity->access_key_id, kDocAccessKey);

  const SigningRequest to_sign =
      testing::signing_request("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
  EXPECT_EQ(presign_query(to_sign, doc_credentials(), doc_time(), std::chrono::seconds(86400)),
            query);

  // Valid up to and including its last second.
  clock_.advance(std::chrono::seconds(86400));
  EXPECT_TRUE(verifier_.verify(request));
  clock_.advance(std::chrono::seconds(1));
  auto expired = verifier_.verify(request);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message, "Request has expired");
}

// The chunked upload example: 65 KiB of 'a' in a 64 KiB and a 1 KiB chunk.
const std::vector<std::pair<std::string, std::string>> kChunkedHeaders = {
    {"Host", "s3.amazonaws.com"},
    {"x-amz-date", "20130524T000000Z"},
    {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
    {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
    {"Content-Encoding", "aws-chunked"},
    {"x-amz-decoded-content-length", "66560"},
    {"Content-Length", "66824"},
};

std::string doc_chunked_body(const std::string (&signatures)[3], std::string_view trailer) {
  std::string body = "10000;chunk-signature=" + signatures[0] + "\r\n";
  body += std::string(65536, 'a');
  body += "\r\n400;chunk-signature=" + signatures[1] + "\r\n";
  body += std::string(1024, 'a');
  body += "\r\n0;chunk-signature=" + signatures[2] + "\r\n";
  body += trailer;
  body += "\r\n";
  return body;
}

TEST_F(SigV4ExamplesTest, ChunkedUpload) {
  const std::string seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  const std::string signatures[3] = {
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};
  auto headers = kChunkedHeaders;
  headers.emplace_back("Authorization",
                       doc_authorization("content-encoding;content-length;host;x-amz-content-"
                                         "sha256;x-amz-date;x-amz-decoded-content-length;x-amz-"
                                         "storage-class",
                                         seed));
  const Request request = make_request("PUT", "/examplebucket/chunkObject.txt", headers);
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->payload, PayloadKind::kStreamingSigned);
  EXPECT_EQ(identity->seed_signature, seed);
  EXPECT_EQ(identity->amz_date, "20130524T000000Z");
  EXPECT_EQ(identity->scope, kDocScope);
  EXPECT_EQ(identity->signing_key, derive_signing_key(kDocSecret, "20130524", "us-east-1", "s3"));

  const std::string body = doc_chunked_body(signatures, "");
  ASSERT_EQ(body.size(), 66824u);
  EXPECT_EQ(encode_aws_chunked(std::string(66560, 'a'), 65536, identity->signing_key,
                               identity->amz_date, identity->scope, seed),
            body);

  StringSource raw(body);
  AwsChunkedSource decoded(raw, *identity, 66560);
  auto payload = read_all(decoded, 1 << 20);
  ASSERT_TRUE(payload) << payload.error().message;
  EXPECT_EQ(*payload, std::string(66560, 'a'));
  EXPECT_TRUE(decoded.trailers().empty());
}

TEST_F(SigV4ExamplesTest, ChunkedUploadWithTrailer) {
  const std::string seed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
  const std::string signatures[3] = {
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"};
  const std::string trailer =
      "x-amz-checksum-crc32c:sOO8/Q==\r\n"
      "x-amz-trailer-signature:"
      "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
  Crc32c crc;
  crc.update(std::string(66560, 'a'));
  ASSERT_EQ(base64_encode(crc_bytes(crc.value())), "sOO8/Q==");

  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"x-amz-trailer", "x-amz-checksum-crc32c"},
      {"Authorization",
       doc_authorization("content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-"
                         "content-length;x-amz-storage-class;x-amz-trailer",
                         seed)}};
  const Request request = make_request("PUT", "/examplebucket/chunkObject.txt", headers);
  auto identity = verifier_.verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->payload, PayloadKind::kStreamingSignedTrailer);

  const std::string body = doc_chunked_body(signatures, trailer);
  EXPECT_EQ(
      encode_aws_chunked(std::string(66560, 'a'), 65536, identity->signing_key, identity->amz_date,
                         identity->scope, seed, {{"x-amz-checksum-crc32c", "sOO8/Q=="}}),
      body);
  StringSource raw(body);
  AwsChunkedSource decoded(raw, *identity, 66560);
  auto payload = read_all(decoded, 1 << 20);
  ASSERT_TRUE(payload) << payload.error().message;
  EXPECT_EQ(payload->size(), 66560u);
  ASSERT_EQ(decoded.trailers().size(), 1u);
  EXPECT_EQ(decoded.trailers()[0].first, "x-amz-checksum-crc32c");
  EXPECT_EQ(decoded.trailers()[0].second, "sOO8/Q==");
}

}  // namespace
}  // namespace cv::auth
