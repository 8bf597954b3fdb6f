#include "vault/checksum.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/encoding.h"

namespace cv::vault {
namespace {

TEST(ChecksumNamesTest, Crc64NvmeIsKnown) {
  EXPECT_EQ(parse_checksum_name("crc64nvme"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(parse_checksum_name("CRC64NVME"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(checksum_name(ChecksumAlgorithm::kCrc64Nvme), "CRC64NVME");
  EXPECT_FALSE(parse_checksum_name("crc64").has_value());
  EXPECT_EQ(base64_encode(compute_checksum(ChecksumAlgorithm::kCrc64Nvme, "Hello world")),
            "OOJZ0D8xKts=");
}

TEST(ChecksumTypeTest, FullObjectOnlyForCrcsCompositeForAllButCrc64Nvme) {
  for (auto algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    EXPECT_TRUE(checksum_type_allowed(algorithm, kFullObject)) << checksum_name(algorithm);
  }
  for (auto algorithm : {ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    EXPECT_FALSE(checksum_type_allowed(algorithm, kFullObject)) << checksum_name(algorithm);
    EXPECT_TRUE(checksum_type_allowed(algorithm, kComposite)) << checksum_name(algorithm);
  }
  EXPECT_TRUE(checksum_type_allowed(ChecksumAlgorithm::kCrc32, kComposite));
  EXPECT_FALSE(checksum_type_allowed(ChecksumAlgorithm::kCrc64Nvme, kComposite));
  EXPECT_FALSE(checksum_type_allowed(ChecksumAlgorithm::kNone, kComposite));
  EXPECT_FALSE(checksum_type_allowed(ChecksumAlgorithm::kCrc32, "full_object"));
}

TEST(ChecksumTypeTest, DefaultsAsS3) {
  EXPECT_EQ(default_checksum_type(ChecksumAlgorithm::kCrc64Nvme), kFullObject);
  EXPECT_EQ(default_checksum_type(ChecksumAlgorithm::kCrc32), kComposite);
  EXPECT_EQ(default_checksum_type(ChecksumAlgorithm::kSha256), kComposite);
  EXPECT_EQ(default_checksum_type(ChecksumAlgorithm::kNone), "");
}

std::vector<std::string> split(const std::string& body, std::vector<size_t> sizes) {
  std::vector<std::string> parts;
  size_t offset = 0;
  for (size_t size : sizes) {
    parts.push_back(body.substr(offset, size));
    offset += size;
  }
  return parts;
}

TEST(MultipartChecksumTest, FullObjectIsTheChecksumOfTheWholeBody) {
  std::string body;
  for (int i = 0; i < 5000; ++i) body += static_cast<char>((i * 131 + 7) & 0xff);
  const auto parts = split(body, {1234, 3000, 766});
  for (auto algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    std::vector<PartChecksum> checksums;
    for (const auto& part : parts) {
      checksums.push_back({compute_checksum(algorithm, part), part.size()});
    }
    auto combined = multipart_checksum(algorithm, kFullObject, checksums);
    ASSERT_TRUE(combined) << combined.error().message;
    EXPECT_EQ(*combined, compute_checksum(algorithm, body)) << checksum_name(algorithm);
  }
}

TEST(MultipartChecksumTest, CompositeHashesTheConcatenatedPartChecksums) {
  const auto parts = split("abcdefghij", {3, 3, 4});
  for (auto algorithm : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kSha256}) {
    std::vector<PartChecksum> checksums;
    std::string concatenated;
    for (const auto& part : parts) {
      checksums.push_back({compute_checksum(algorithm, part), part.size()});
      concatenated += checksums.back().raw;
    }
    auto composite = multipart_checksum(algorithm, kComposite, checksums);
    ASSERT_TRUE(composite);
    EXPECT_EQ(*composite, compute_checksum(algorithm, concatenated));
  }
}

TEST(MultipartChecksumTest, FullObjectRefusesShaAndDamagedParts) {
  EXPECT_EQ(multipart_checksum(ChecksumAlgorithm::kSha256, kFullObject, {}).error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(
      multipart_checksum(ChecksumAlgorithm::kCrc32, kFullObject, {{"toolong!", 3}}).error().code,
      ErrorCode::kInternalError);
}

}  // namespace
}  // namespace cv::vault
