#include "core/error_document.h"

#include <gtest/gtest.h>

namespace cv {
namespace {

constexpr std::string_view kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

TEST(ErrorDocumentTest, NamesTheKeyOfNoSuchKeyAndDefaultsTheMessage) {
  const std::string xml = error_document(Error{ErrorCode::kNoSuchKey, {}, "photos/cat.jpg"}, "R1");
  EXPECT_EQ(xml, std::string(kDeclaration) +
                     "<Error><Code>NoSuchKey</Code><Message>The specified key does not "
                     "exist.</Message><Key>photos/cat.jpg</Key><Resource>photos/cat.jpg</"
                     "Resource><RequestId>R1</RequestId></Error>");
}

TEST(ErrorDocumentTest, NamesTheBucketAndTheUpload) {
  EXPECT_NE(error_document(Error{ErrorCode::kNoSuchBucket, "gone", "b1"}, "R")
                .find("<BucketName>b1</BucketName><Resource>b1</Resource>"),
            std::string::npos);
  EXPECT_NE(error_document(Error{ErrorCode::kNoSuchLifecycleConfiguration, {}, "b2"}, "R")
                .find("<BucketName>b2</BucketName>"),
            std::string::npos);
  EXPECT_NE(error_document(Error{ErrorCode::kNoSuchUpload, {}, "u1"}, "R")
                .find("<UploadId>u1</UploadId><Resource>u1</Resource>"),
            std::string::npos);
  // Other codes name the resource in <Resource> alone, and omit it when there is none.
  const std::string denied = error_document(Error{ErrorCode::kAccessDenied, {}, "/b/k"}, "R");
  EXPECT_EQ(denied.find("<Key>"), std::string::npos);
  EXPECT_NE(denied.find("<Resource>/b/k</Resource>"), std::string::npos);
  EXPECT_EQ(error_document(Error{ErrorCode::kAccessDenied}, "R").find("<Resource>"),
            std::string::npos);
}

TEST(ErrorDocumentTest, AddsTheDetailsInOrderBeforeTheRequestId) {
  Error error{ErrorCode::kAccessDenied,
              "There were headers present in the request which were "
              "not signed"};
  error.details = {{"HeadersNotSigned", "x-amz-a, x-amz-b"}, {"Extra", "<2>"}};
  const std::string xml = error_document(error, "R9");
  EXPECT_NE(xml.find("<HeadersNotSigned>x-amz-a, x-amz-b</HeadersNotSigned><Extra>&lt;2&gt;</"
                     "Extra><RequestId>R9</RequestId></Error>"),
            std::string::npos);
}

TEST(ErrorDocumentTest, EscapesTextAsS3Does) {
  const std::string xml = error_document("InvalidURI", "a < b & \"c\" > d", "/k\r\x01\tz\n", "ID1");
  EXPECT_NE(xml.find("<Code>InvalidURI</Code>"), std::string::npos);
  EXPECT_NE(xml.find("<Message>a &lt; b &amp; \"c\" &gt; d</Message>"), std::string::npos);
  EXPECT_NE(xml.find("<Resource>/k&#xd;&#x1;\tz\n</Resource>"), std::string::npos);
  EXPECT_NE(xml.find("<RequestId>ID1</RequestId>"), std::string::npos);
  EXPECT_EQ(error_document("X", "m", "", "R").find("<Resource>"), std::string::npos);
}

}  // namespace
}  // namespace cv
