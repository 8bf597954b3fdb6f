// The remote client's pieces that need no S3 server: addressing, documents, error
// classification; and answers CloudVault never gives, from a canned loopback server.
#include <gtest/gtest.h>

#include "remote/endpoint.h"
#include "remote/remote_s3_client.h"
#include "remote/s3_documents.h"
#include "remote_test_support.h"

namespace cv::remote {
namespace {

TEST(RemoteEndpointTest, ParsesHttpAndHttpsEndpoints) {
  auto aws = parse_endpoint("https://s3.eu-west-1.amazonaws.com");
  ASSERT_TRUE(aws);
  EXPECT_EQ(aws->scheme, "https");
  EXPECT_EQ(aws->host_header, "s3.eu-west-1.amazonaws.com");
  auto local = parse_endpoint("http://127.0.0.1:9000/");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->host_header, "127.0.0.1:9000");
  auto default_port = parse_endpoint("HTTP://Example.COM:80");
  ASSERT_TRUE(default_port);
  EXPECT_EQ(default_port->host_header, "example.com");
  for (const char* bad : {"ftp://host", "http://user@host", "http://host/prefix", "host:9000",
                          "http://host?x=1", "http://"}) {
    SCOPED_TRACE(bad);
    auto parsed = parse_endpoint(bad);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind, FailureKind::kArgument);
  }
}

TEST(RemoteEndpointTest, AddressesPathAndVirtualHostedStyle) {
  const EndpointAddress endpoint = *parse_endpoint("http://127.0.0.1:9000");
  const RequestTarget path =
      address(endpoint, true, "bkt", "a b/c+d%e?#\x01", {{"uploads", ""}, {"partNumber", "2"}});
  EXPECT_EQ(path.host, "127.0.0.1:9000");
  EXPECT_EQ(path.path, "/bkt/a%20b/c%2Bd%25e%3F%23%01");
  EXPECT_EQ(path.url, "http://127.0.0.1:9000/bkt/a%20b/c%2Bd%25e%3F%23%01?uploads&partNumber=2");
  const EndpointAddress aws = *parse_endpoint("https://s3.amazonaws.com");
  const RequestTarget hosted = address(aws, false, "bkt", "k/\xc3\xbc", {{"versionId", "a+b"}});
  EXPECT_EQ(hosted.host, "bkt.s3.amazonaws.com");
  EXPECT_EQ(hosted.path, "/k/%C3%BC");
  EXPECT_EQ(hosted.url, "https://bkt.s3.amazonaws.com/k/%C3%BC?versionId=a%2Bb");
  EXPECT_EQ(address(aws, false, "bkt", "", {}).path, "/");
  EXPECT_EQ(address(aws, true, "bkt", "", {}).path, "/bkt");
}

TEST(RemoteDocumentsTest, ParsesErrorDocuments) {
  auto error = parse_error_document(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>NoSuchBucket</Code>"
      "<Message>The specified bucket does not exist</Message><Resource>/b</Resource>"
      "<RequestId>R1</RequestId></Error>");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "NoSuchBucket");
  EXPECT_EQ(error->request_id, "R1");
  EXPECT_FALSE(parse_error_document("<CompleteMultipartUploadResult/>"));
  EXPECT_FALSE(parse_error_document("not xml <"));
  EXPECT_FALSE(parse_error_document(""));
  // No DTD processing: an entity defined in a DOCTYPE is not expanded.
  auto entity = parse_error_document(
      "<!DOCTYPE Error [<!ENTITY x \"expanded\">]><Error><Code>&x;</Code></Error>");
  EXPECT_TRUE(!entity || entity->code.find("expanded") == std::string::npos);
}

TEST(RemoteDocumentsTest, ParsesListPartsPages) {
  auto page = parse_parts_page(
      R"(<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>
      <NextPartNumberMarker>2</NextPartNumberMarker><IsTruncated>true</IsTruncated>
      <Part><PartNumber>1</PartNumber><ETag>"aa"</ETag><Size>5242880</Size></Part>
      <Part><PartNumber>2</PartNumber><ETag>&quot;bb&quot;</ETag><Size>7</Size></Part>
      </ListPartsResult>)");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_marker, 2u);
  ASSERT_EQ(page->parts.size(), 2u);
  EXPECT_EQ(page->parts[0].etag, "aa");
  EXPECT_EQ(page->parts[0].size, 5242880u);
  EXPECT_EQ(page->parts[1].etag, "bb");
  EXPECT_FALSE(
      parse_parts_page("<ListPartsResult><Part><PartNumber>x</PartNumber></Part>"
                       "</ListPartsResult>"));
  EXPECT_FALSE(parse_parts_page("<Error/>"));
}

TEST(RemoteDocumentsTest, WritesTaggingDocument) {
  EXPECT_EQ(tagging_document({{"stage", "a&b"}, {"k", ""}}),
            "<?xml version=\"1.0\"?><Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<TagSet><Tag><Key>stage</Key><Value>a&amp;b</Value></Tag>"
            "<Tag><Key>k</Key><Value></Value></Tag></TagSet></Tagging>");
  EXPECT_EQ(tagging_document({}),
            "<?xml version=\"1.0\"?><Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<TagSet/></Tagging>");
}

TEST(RemoteDocumentsTest, WritesCompleteDocument) {
  EXPECT_EQ(complete_document({{1, 0, "abc"}, {2, 0, "d<e"}}),
            "<?xml version=\"1.0\"?><CompleteMultipartUpload "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><PartNumber>1</PartNumber><ETag>\"abc\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"d&lt;e\"</ETag></Part>"
            "</CompleteMultipartUpload>");
  EXPECT_EQ(parse_complete_etag("<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag>"
                                "</CompleteMultipartUploadResult>"),
            "x-2");
}

TEST(RemoteErrorTest, ClassifiesAnswers) {
  EXPECT_TRUE(is_retryable_answer(500, "InternalError"));
  EXPECT_TRUE(is_retryable_answer(503, "SlowDown"));
  EXPECT_TRUE(is_retryable_answer(400, "RequestTimeout"));
  EXPECT_TRUE(is_retryable_answer(403, "RequestTimeTooSkewed"));
  EXPECT_TRUE(is_retryable_answer(429, ""));
  EXPECT_TRUE(is_retryable_answer(502, ""));
  EXPECT_FALSE(is_retryable_answer(404, "NoSuchBucket"));
  EXPECT_FALSE(is_retryable_answer(403, "AccessDenied"));
  EXPECT_FALSE(is_retryable_answer(403, "SignatureDoesNotMatch"));
  EXPECT_FALSE(is_retryable_answer(400, "InvalidPart"));
  EXPECT_FALSE(is_retryable_answer(301, "PermanentRedirect"));

  const RemoteError slow = answer_error(503, "SlowDown", "", "/b/k", "R");
  EXPECT_EQ(slow.error.code, ErrorCode::kSlowDown);
  EXPECT_TRUE(slow.retryable);
  const RemoteError unknown = answer_error(409, "SomethingNew", "m", "", "");
  EXPECT_EQ(unknown.error.code, ErrorCode::kBadRequest);
  EXPECT_EQ(unknown.s3_code, "SomethingNew");
  EXPECT_EQ(answer_error(404, "", "", "", "", ErrorCode::kNoSuchBucket).error.code,
            ErrorCode::kNoSuchBucket);
  EXPECT_EQ(answer_error(403, "", "", "", "").error.code, ErrorCode::kAccessDenied);
  EXPECT_EQ(error_code_from_name("InvalidAccessKeyId"), ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(error_code_from_name("Nope"), std::nullopt);
}

class RemoteCannedTest : public ::testing::Test {
 protected:
  std::unique_ptr<RemoteS3Client> client(const std::string& url,
                                         std::chrono::seconds stall = std::chrono::seconds(60)) {
    RemoteEndpoint endpoint{.url = url, .access_key = "AK", .secret_key = "SK"};
    endpoint.timeouts.stall = stall;
    endpoint.timeouts.complete_stall = stall;
    return std::move(*RemoteS3Client::create(endpoint, clock_));
  }
  SystemClock clock_;
};

TEST_F(RemoteCannedTest, ConnectionRefusedIsRetryable) {
  int port = 0;
  {
    testing::CannedHttpServer closed("");  // a port that was just free, now closed again
    port = std::stoi(closed.endpoint().substr(closed.endpoint().rfind(':') + 1));
  }
  auto remote = client("http://127.0.0.1:" + std::to_string(port));
  auto head = remote->head_bucket("b");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().kind, FailureKind::kNetwork);
  EXPECT_EQ(head.error().http_status, 0);
  EXPECT_TRUE(head.error().retryable);
}

TEST_F(RemoteCannedTest, CompleteAnsweringErrorWith200IsAnError) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n   <Error><Code>InternalError</Code>"
      "<Message>We encountered an internal error.</Message><RequestId>R9</RequestId></Error>";
  testing::CannedHttpServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  auto remote = client(server.endpoint());
  auto done = remote->complete_multipart_upload("b", "k", "u1", {{1, 5, "etag"}});
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().error.code, ErrorCode::kInternalError);
  EXPECT_EQ(done.error().http_status, 200);
  EXPECT_EQ(done.error().request_id, "R9");
  EXPECT_TRUE(done.error().retryable);
}

TEST_F(RemoteCannedTest, SlowDownIsRetryable) {
  const std::string body =
      "<Error><Code>SlowDown</Code><Message>Reduce your request rate."
      "</Message></Error>";
  testing::CannedHttpServer server(
      "HTTP/1.1 503 Slow Down\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nx-amz-request-id: R7\r\nConnection: close\r\n\r\n" + body);
  auto remote = client(server.endpoint());
  StringSource source("abc");
  auto put = remote->put_object("b", "k", source, 3);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().error.code, ErrorCode::kSlowDown);
  EXPECT_EQ(put.error().request_id, "R7");
  EXPECT_TRUE(put.error().retryable);
}

TEST_F(RemoteCannedTest, EtagThatIsNotTheBodysMd5IsRetryableBadDigest) {
  testing::CannedHttpServer server(
      "HTTP/1.1 200 OK\r\nETag: \"00000000000000000000000000000000\"\r\n"
      "Content-Length: 0\r\nConnection: close\r\n\r\n");
  auto remote = client(server.endpoint());
  StringSource source("abc");
  auto put = remote->put_object("b", "k", source, 3);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().error.code, ErrorCode::kBadDigest);
  EXPECT_EQ(put.error().kind, FailureKind::kProtocol);
  EXPECT_TRUE(put.error().retryable);
}

TEST_F(RemoteCannedTest, SilentServerStallsIntoARetryableTimeout) {
  testing::CannedHttpServer server("");  // reads the request, never answers
  auto remote = client(server.endpoint(), std::chrono::seconds(1));
  auto head = remote->head_object("b", "k");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().kind, FailureKind::kNetwork);
  EXPECT_EQ(head.error().error.code, ErrorCode::kRequestTimeout);
  EXPECT_TRUE(head.error().retryable);
}

TEST_F(RemoteCannedTest, OversizedResponseBodyIsRefused) {
  const std::string body(2 << 20, 'x');
  testing::CannedHttpServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body);
  auto remote = client(server.endpoint());
  auto parts = remote->list_parts("b", "k", "u");
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().kind, FailureKind::kProtocol);
  EXPECT_EQ(parts.error().error.code, ErrorCode::kMaxMessageLengthExceeded);
}

TEST_F(RemoteCannedTest, CreateRefusesBadConfiguration) {
  SystemClock clock;
  auto no_keys = RemoteS3Client::create({.url = "http://127.0.0.1:1"}, clock);
  ASSERT_FALSE(no_keys);
  EXPECT_EQ(no_keys.error().kind, FailureKind::kArgument);
  auto bad_url =
      RemoteS3Client::create({.url = "s3://bucket", .access_key = "a", .secret_key = "b"}, clock);
  ASSERT_FALSE(bad_url);
  EXPECT_EQ(bad_url.error().kind, FailureKind::kArgument);
}

}  // namespace
}  // namespace cv::remote
