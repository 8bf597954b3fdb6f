#include "http/request_parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

namespace cv::http {
namespace {

namespace bhttp = boost::beast::http;

// Feeds `wire` to the parser the way http::read does; returns what put() last reported.
boost::beast::error_code feed(RequestParser& parser, std::string& wire) {
  boost::beast::error_code ec;
  while (!wire.empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(wire), ec);
    wire.erase(0, used);
    if (ec) break;
    if (used == 0) break;
  }
  return ec;
}

TEST(RequestParserTest, FillsRequestLineAndLowercaseHeaders) {
  Request request;
  RequestParser parser(request);
  std::string wire =
      "PUT /bucket/key?uploads HTTP/1.1\r\nHost: h\r\nX-Amz-Meta-Color: Blue\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_FALSE(feed(parser, wire));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.target, "/bucket/key?uploads");
  EXPECT_EQ(request.headers.get("x-amz-meta-color"), "Blue");
  EXPECT_EQ(request.headers.get("host"), "h");
  EXPECT_EQ(parser.version(), 11);
  EXPECT_FALSE(parser.expects_continue());
}

TEST(RequestParserTest, DetectsExpectContinue) {
  Request request;
  RequestParser parser(request);
  std::string wire = "PUT /k HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n";
  feed(parser, wire);
  ASSERT_TRUE(parser.is_header_done());
  EXPECT_TRUE(parser.expects_continue());
}

TEST(RequestParserTest, BodyStopsWhenBufferIsFull) {
  Request request;
  RequestParser parser(request);
  parser.eager(true);
  std::string wire = "PUT /k HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
  char first[4];
  parser.set_body_buffer(first);
  EXPECT_EQ(feed(parser, wire), bhttp::error::need_buffer);
  EXPECT_EQ(parser.body_buffer_used(), 4u);
  EXPECT_EQ(std::string(first, 4), "0123");
  char rest[16];
  parser.set_body_buffer(rest);
  EXPECT_FALSE(feed(parser, wire));
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(std::string(rest, parser.body_buffer_used()), "456789");
  EXPECT_EQ(parser.body_bytes_parsed(), 10u);
}

TEST(RequestParserTest, DechunksChunkedBody) {
  Request request;
  RequestParser parser(request);
  parser.eager(true);
  std::string wire =
      "PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
  char body[64];
  parser.set_body_buffer(body);
  EXPECT_FALSE(feed(parser, wire));
  EXPECT_TRUE(parser.is_done());
  EXPECT_TRUE(parser.chunked());
  EXPECT_FALSE(parser.content_length().has_value());
  EXPECT_EQ(std::string(body, parser.body_buffer_used()), "hello world");
}

TEST(RequestParserTest, DiscardCountsWithoutStoring) {
  Request request;
  RequestParser parser(request);
  parser.eager(true);
  std::string wire = "PUT /k HTTP/1.1\r\nContent-Length: 6\r\n\r\nabcdef";
  parser.discard_body();
  EXPECT_FALSE(feed(parser, wire));
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(parser.body_bytes_parsed(), 6u);
  EXPECT_EQ(parser.body_buffer_used(), 0u);
}

TEST(RequestParserTest, RejectsContentLengthWithChunked) {
  Request request;
  RequestParser parser(request);
  std::string wire = "PUT /k HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_TRUE(feed(parser, wire));
}

TEST(RequestParserTest, HeaderLimitApplies) {
  Request request;
  RequestParser parser(request);
  parser.header_limit(64);
  std::string wire = "GET / HTTP/1.1\r\nX-Big: " + std::string(200, 'a') + "\r\n\r\n";
  EXPECT_EQ(feed(parser, wire), bhttp::error::header_limit);
}

}  // namespace
}  // namespace cv::http
