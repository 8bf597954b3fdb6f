#include "http/message_format.h"

#include <gtest/gtest.h>

namespace cv::http {
namespace {

TEST(SplitTargetTest, SplitsPathAndQuery) {
  EXPECT_EQ(split_target("/b/k?x=1&y").path, "/b/k");
  EXPECT_EQ(split_target("/b/k?x=1&y").query, "x=1&y");
  EXPECT_EQ(split_target("/b/k").query, "");
  EXPECT_EQ(split_target("/b/k?").query, "");
  EXPECT_EQ(split_target("/a?b?c").query, "b?c");
}

TEST(CanonicalNameTest, TitleCasesWithS3Spellings) {
  auto canonical = [](std::string_view name) {
    std::string out;
    append_canonical_name(out, name);
    return out;
  };
  EXPECT_EQ(canonical("content-type"), "Content-Type");
  EXPECT_EQ(canonical("etag"), "ETag");
  EXPECT_EQ(canonical("content-md5"), "Content-MD5");
  EXPECT_EQ(canonical("x-amz-version-id"), "x-amz-version-id");
  EXPECT_EQ(canonical("last-modified"), "Last-Modified");
}

TEST(ResponseHeadTest, WritesStatusOwnedFieldsAndHandlerFields) {
  Headers headers;
  headers.add("content-type", "text/plain");
  headers.add("etag", "\"abc\"");
  std::string out;
  append_response_head(out, 404, headers,
                       {"REQID", "Wed, 21 Oct 2015 07:28:00 GMT", 12, ConnectionField::kClose});
  EXPECT_EQ(out,
            "HTTP/1.1 404 Not Found\r\n"
            "Server: CloudVault\r\n"
            "Date: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
            "x-amz-request-id: REQID\r\n"
            "Content-Type: text/plain\r\n"
            "ETag: \"abc\"\r\n"
            "Content-Length: 12\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, HandlerCannotOverrideOwnedFields) {
  Headers headers;
  headers.add("content-length", "999");
  headers.add("Connection", "keep-alive");
  headers.add("transfer-encoding", "chunked");
  headers.add("server", "other");
  std::string out;
  append_response_head(out, 200, headers, {"ID", "D", 5, ConnectionField::kNone});
  EXPECT_EQ(out.find("999"), std::string::npos);
  EXPECT_EQ(out.find("chunked"), std::string::npos);
  EXPECT_EQ(out.find("other"), std::string::npos);
  EXPECT_EQ(out.find("Connection"), std::string::npos);
  EXPECT_NE(out.find("Content-Length: 5\r\n"), std::string::npos);
}

TEST(ResponseHeadTest, ValuesCannotInjectFields) {
  Headers headers;
  headers.add("x-amz-meta-a", "one\r\nSet-Cookie: evil");
  headers.add("bad name", "dropped");
  std::string out;
  append_response_head(out, 200, headers, {"ID", "D", std::nullopt, ConnectionField::kNone});
  EXPECT_NE(out.find("x-amz-meta-a: one  Set-Cookie: evil\r\n"), std::string::npos);
  EXPECT_EQ(out.find("dropped"), std::string::npos);
  EXPECT_EQ(out.find("Content-Length"), std::string::npos);
}

TEST(ResponseHeadTest, UnknownStatusHasPhraseAndInvalidBecomes500) {
  std::string out;
  append_response_head(out, 299, Headers{}, {"ID", "D", 0, ConnectionField::kKeepAlive});
  EXPECT_TRUE(out.starts_with("HTTP/1.1 299 Unknown\r\n"));
  EXPECT_NE(out.find("Connection: keep-alive\r\n"), std::string::npos);
  out.clear();
  append_response_head(out, 42, Headers{}, {"ID", "D", 0, ConnectionField::kNone});
  EXPECT_TRUE(out.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

TEST(StatusTest, BodylessStatuses) {
  EXPECT_TRUE(status_forbids_body(100));
  EXPECT_TRUE(status_forbids_body(204));
  EXPECT_TRUE(status_forbids_body(304));
  EXPECT_FALSE(status_forbids_body(200));
  EXPECT_FALSE(status_forbids_body(404));
}

TEST(ErrorResponseTest, CarriesAnEscapedErrorDocument) {
  const Response response =
      make_error_response(400, "RequestHeaderSectionTooLarge", "a < b & c", "/k<", "ID1");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.error_code, "RequestHeaderSectionTooLarge");
  EXPECT_NE(response.body.find("<Code>RequestHeaderSectionTooLarge</Code>"), std::string::npos);
  EXPECT_NE(response.body.find("<Message>a &lt; b &amp; c</Message>"), std::string::npos);
  EXPECT_NE(response.body.find("<Resource>/k&lt;</Resource>"), std::string::npos);
  EXPECT_NE(response.body.find("<RequestId>ID1</RequestId>"), std::string::npos);
}

TEST(ErrorResponseTest, UsesS3StatusAndDefaultMessage) {
  const Response response = make_error_response(ErrorCode::kNoSuchKey, {}, "/b/k", "ID");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.get("content-type"), "application/xml");
  EXPECT_NE(response.body.find("<Code>NoSuchKey</Code>"), std::string::npos);
  EXPECT_EQ(response.body.find("<Message></Message>"), std::string::npos);
}

TEST(DateCacheTest, FormatsHttpDate) {
  DateCache cache;
  const std::string_view date = cache.now();
  EXPECT_EQ(date.size(), 29u);
  EXPECT_TRUE(date.ends_with(" GMT"));
}

}  // namespace
}  // namespace cv::http
