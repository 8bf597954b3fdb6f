#include <gtest/gtest.h>

#include "core/byte_source.h"
#include "s3/cors_rules.h"
#include "s3/form_data.h"

namespace cv::s3 {
namespace {

TEST(Cors, WildcardMatch) {
  EXPECT_TRUE(wildcard_match("*", "https://a.example"));
  EXPECT_TRUE(wildcard_match("https://*.example.com", "https://app.example.com"));
  EXPECT_FALSE(wildcard_match("https://*.example.com", "https://example.org"));
  EXPECT_TRUE(wildcard_match("x-amz-*", "x-amz-date"));
  EXPECT_FALSE(wildcard_match("abc", "abcd"));
}

TEST(Cors, ParseAndMatch) {
  const auto rules = parse_cors_configuration(
      "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.test</AllowedOrigin>"
      "<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>"
      "<AllowedHeader>Content-*</AllowedHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>"
      "</CORSConfiguration>");
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ(rules->front().max_age_seconds, 60);
  EXPECT_NE(match_cors_rule(*rules, "https://app.test", "PUT", {"content-type"}), nullptr);
  EXPECT_EQ(match_cors_rule(*rules, "https://app.test", "DELETE", {}), nullptr);
  EXPECT_EQ(match_cors_rule(*rules, "https://evil.test", "GET", {}), nullptr);
  EXPECT_EQ(match_cors_rule(*rules, "https://app.test", "PUT", {"x-custom"}), nullptr);
}

TEST(Cors, RejectsBadConfigurations) {
  EXPECT_EQ(parse_cors_configuration("<CORSConfiguration/>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors_configuration("<CORSConfiguration><CORSRule>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors_configuration(
                "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                "<AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>")
                .error()
                .code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(parse_cors_configuration("<CORSConfiguration><CORSRule><AllowedOrigin>https://*.*.test"
                                     "</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
                                     "</CORSConfiguration>")
                .error()
                .code,
            ErrorCode::kInvalidRequest);
}

// Delivers its data a few bytes at a time, to exercise boundary handling across reads.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  Result<size_t> read(std::span<char> out) override {
    const size_t n = std::min({out.size(), step_, data_.size() - offset_});
    std::copy_n(data_.data() + offset_, n, out.data());
    offset_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t step_;
  size_t offset_ = 0;
};

TEST(FormData, FieldsThenFile) {
  const std::string file(100000, 'z');
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\nabc\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n" +
      file + "\r\n--XyZ--\r\n";
  for (size_t step : {1u, 7u, 65536u}) {
    TrickleSource raw(body, step);
    FormDataReader reader(raw, "XyZ");
    auto part = reader.next_part().value();
    ASSERT_TRUE(part);
    EXPECT_EQ(part->name, "key");
    EXPECT_EQ(read_all(reader, 1000).value(), "uploads/${filename}");
    part = reader.next_part().value();
    ASSERT_TRUE(part);
    EXPECT_EQ(part->name, "policy");
    part = reader.next_part().value();  // skips the unread policy value
    ASSERT_TRUE(part);
    EXPECT_EQ(part->name, "file");
    EXPECT_EQ(part->filename.value(), "a.txt");
    EXPECT_EQ(part->content_type, "text/plain");
    EXPECT_EQ(read_all(reader, 1 << 20).value(), file);
    EXPECT_FALSE(reader.next_part().value());
  }
}

TEST(FormData, TruncatedBodyIsMalformed) {
  TrickleSource raw("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", 3);
  FormDataReader reader(raw, "b");
  ASSERT_TRUE(reader.next_part().value());
  EXPECT_EQ(read_all(reader, 100).error().code, ErrorCode::kMalformedPOSTRequest);
}

TEST(FormData, Boundary) {
  EXPECT_EQ(form_boundary("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(form_boundary("multipart/form-data; boundary=\"a b\"").value(), "a b");
  EXPECT_FALSE(form_boundary("text/plain; boundary=abc"));
  EXPECT_FALSE(form_boundary("multipart/form-data"));
}

}  // namespace
}  // namespace cv::s3
