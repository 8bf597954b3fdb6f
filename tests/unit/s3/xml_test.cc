#include "s3/xml.h"

#include <gtest/gtest.h>

#include "core/http_message.h"
#include "s3/error_response.h"

namespace cv::s3 {
namespace {

TEST(Xml, WriterEscapesTextAndCarriesNamespace) {
  XmlWriter xml("ListBucketResult");
  add_text(xml.root(), "Key", "a<b>&\"c\"");
  const std::string out = xml.str();
  EXPECT_NE(out.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), std::string::npos);
  EXPECT_NE(out.find("xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""), std::string::npos);
  EXPECT_NE(out.find("<Key>a&lt;b&gt;&amp;\"c\"</Key>"), std::string::npos);
  pugi::xml_document doc;
  auto root = parse_xml(doc, out, "ListBucketResult");
  ASSERT_TRUE(root);
  EXPECT_EQ(child_text(*root, "Key"), "a<b>&\"c\"");
}

TEST(Xml, ParsingRejectsMalformedAndWrongRoot) {
  pugi::xml_document doc;
  EXPECT_EQ(parse_xml(doc, "<Delete><Object>", "Delete").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_xml(doc, "", "Delete").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_xml(doc, "<Other/>", "Delete").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_xml(doc, "not xml at all", "Delete").error().code, ErrorCode::kMalformedXML);
}

TEST(Xml, ChildLookupIgnoresNamespacePrefixes) {
  pugi::xml_document doc;
  auto root = parse_xml(doc,
                        "<s3:Tagging xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        "<s3:TagSet><s3:Tag><s3:Key>k</s3:Key></s3:Tag></s3:TagSet></s3:Tagging>",
                        "Tagging");
  ASSERT_TRUE(root);
  EXPECT_EQ(child_text(child(child(*root, "TagSet"), "Tag"), "Key"), "k");
}

TEST(ErrorResponse, CarriesCodeStatusResourceAndRequestId) {
  Request request;
  request.method = "GET";
  request.request_id = "REQ123";
  const Response response =
      error_response(Error{ErrorCode::kNoSuchKey, {}, "photos/cat.jpg"}, request);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("<Code>NoSuchKey</Code>"), std::string::npos);
  EXPECT_NE(response.body.find("<Key>photos/cat.jpg</Key>"), std::string::npos);
  EXPECT_NE(response.body.find("<RequestId>REQ123</RequestId>"), std::string::npos);
  EXPECT_EQ(response.headers.get("content-type"), "application/xml");
  request.method = "HEAD";
  const Response head = error_response(Error{ErrorCode::kNoSuchKey, {}, "k"}, request);
  EXPECT_EQ(head.status, 404);
  EXPECT_TRUE(head.body.empty());
}

TEST(ErrorResponse, CodeTableMatchesS3) {
  EXPECT_EQ(error_http_status(ErrorCode::kAccessDenied), 403);
  EXPECT_EQ(error_http_status(ErrorCode::kBucketNotEmpty), 409);
  EXPECT_EQ(error_http_status(ErrorCode::kInvalidRange), 416);
  EXPECT_EQ(error_http_status(ErrorCode::kNotImplemented), 501);
  EXPECT_EQ(error_http_status(ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(error_code_name(ErrorCode::kXAmzContentSHA256Mismatch), "XAmzContentSHA256Mismatch");
}

}  // namespace
}  // namespace cv::s3
