// RemoteS3Client against a real `cloudvault server` process on loopback.
#include "remote/remote_s3_client.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "remote/resumable_upload.h"
#include "remote_test_support.h"

namespace cv::remote {
namespace {

using testing::CloudVaultProcess;
using testing::PatternSource;
constexpr uint64_t kMiB = 1ull << 20;

class RemoteS3ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::filesystem::path(testing::make_temp_dir("cv-remote-test"));
    server_ = new CloudVaultProcess(*root_);
    ASSERT_EQ(testing::create_bucket(server_->endpoint(), "plain"), 200);
    ASSERT_EQ(testing::create_bucket(server_->endpoint(), "versioned"), 200);
    ASSERT_EQ(testing::enable_versioning(server_->endpoint(), "versioned"), 200);
    ASSERT_EQ(testing::create_bucket(server_->endpoint(), "encrypted"), 200);
    ASSERT_EQ(testing::enable_default_encryption(server_->endpoint(), "encrypted"), 200);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    std::error_code ignored;
    std::filesystem::remove_all(*root_, ignored);
    delete root_;
  }

  static RemoteEndpoint endpoint() {
    return RemoteEndpoint{.url = server_->endpoint(),
                          .access_key = testing::kAccessKey,
                          .secret_key = testing::kSecretKey};
  }
  std::unique_ptr<RemoteS3Client> client(RemoteEndpoint config = endpoint()) {
    auto made = RemoteS3Client::create(std::move(config), clock_);
    EXPECT_TRUE(made) << (made ? "" : describe(made.error()));
    return std::move(*made);
  }

  static std::filesystem::path* root_;
  static CloudVaultProcess* server_;
  SystemClock clock_;
};

std::filesystem::path* RemoteS3ClientTest::root_ = nullptr;
CloudVaultProcess* RemoteS3ClientTest::server_ = nullptr;

std::string value_of(const std::vector<std::pair<std::string, std::string>>& fields,
                     std::string_view name) {
  for (const auto& [field, value] : fields) {
    if (field == name) return value;
  }
  return "<absent>";
}

TEST_F(RemoteS3ClientTest, PutHeadDeleteRoundTripWithMetadataAndTags) {
  auto remote = client();
  StringSource body("hello, remote world");
  const ObjectHeaders headers = {{"Content-Type", "text/plain; charset=utf-8"},
                                 {"Cache-Control", "max-age=60"},
                                 {"Content-Disposition", "attachment; filename=\"a b.txt\""},
                                 {"Content-Language", "en"},
                                 {"x-amz-meta-color", "blue"},
                                 {"X-Amz-Meta-Camel", "Case Value"},
                                 {std::string(kSourceVersionIdHeader), "3HL4kqtJlcpXroDTDmJ"},
                                 {"x-amz-tagging", "project=alpha&team=a%20b"},
                                 {"x-amz-storage-class", "STANDARD"}};
  auto put = remote->put_object("plain", "docs/hello.txt", body, 19, headers);
  ASSERT_TRUE(put) << describe(put.error());
  EXPECT_EQ(put->etag, hex_encode(md5("hello, remote world")));
  EXPECT_EQ(put->bytes_sent, 19u);

  auto head = remote->head_object("plain", "docs/hello.txt");
  ASSERT_TRUE(head) << describe(head.error());
  EXPECT_EQ(head->size, 19u);
  EXPECT_EQ(head->etag, put->etag);
  EXPECT_EQ(head->content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(head->last_modified.has_value());
  EXPECT_EQ(value_of(head->metadata, "color"), "blue");
  EXPECT_EQ(value_of(head->metadata, "camel"), "Case Value");
  EXPECT_EQ(head->source_version_id, "3HL4kqtJlcpXroDTDmJ");
  EXPECT_EQ(head->tag_count, 2u);
  EXPECT_EQ(value_of(head->headers, "cache-control"), "max-age=60");
  EXPECT_EQ(value_of(head->headers, "content-disposition"), "attachment; filename=\"a b.txt\"");
  EXPECT_EQ(value_of(head->headers, "content-language"), "en");

  auto deleted = remote->delete_object("plain", "docs/hello.txt");
  ASSERT_TRUE(deleted) << describe(deleted.error());
  auto gone = remote->head_object("plain", "docs/hello.txt");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().error.code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(gone.error().http_status, 404);
  EXPECT_FALSE(gone.error().retryable);
}

TEST_F(RemoteS3ClientTest, VersionIdsAndDeleteMarkers) {
  auto remote = client();
  StringSource first("one");
  auto put1 = remote->put_object("versioned", "v.txt", first, 3);
  ASSERT_TRUE(put1) << describe(put1.error());
  StringSource second("two!");
  auto put2 = remote->put_object("versioned", "v.txt", second, 4);
  ASSERT_TRUE(put2) << describe(put2.error());
  ASSERT_TRUE(put1->version_id && put2->version_id);
  EXPECT_NE(*put1->version_id, *put2->version_id);

  auto old = remote->head_object("versioned", "v.txt", *put1->version_id);
  ASSERT_TRUE(old) << describe(old.error());
  EXPECT_EQ(old->size, 3u);
  EXPECT_EQ(old->version_id, put1->version_id);

  auto marker = remote->delete_object("versioned", "v.txt");
  ASSERT_TRUE(marker) << describe(marker.error());
  EXPECT_TRUE(marker->delete_marker);
  ASSERT_TRUE(marker->version_id);
  auto removed = remote->delete_object("versioned", "v.txt", *put2->version_id);
  ASSERT_TRUE(removed) << describe(removed.error());
  EXPECT_EQ(removed->version_id, put2->version_id);
}

TEST_F(RemoteS3ClientTest, TrickyKeysRoundTrip) {
  auto remote = client();
  const std::vector<std::string> keys = {"with space",
                                         "unicode-\xc3\xbc-\xe6\x97\xa5\xe6\x9c\xac",
                                         "plus+sign",
                                         "per%cent%20",
                                         "question?mark=1&b",
                                         "hash#tag",
                                         "control\x01\x1f\x7f",
                                         "tilde~star*(paren)'quote'",
                                         "a//double/slash",
                                         "semi;colon,comma:colon@at$dollar!bang",
                                         "dot/./segment/../x",
                                         "~/.hidden",
                                         "brackets[]{}<>|\\^`\""};
  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    StringSource body(key);
    auto put = remote->put_object("plain", key, body, key.size());
    ASSERT_TRUE(put) << describe(put.error());
    auto head = remote->head_object("plain", key);
    ASSERT_TRUE(head) << describe(head.error());
    EXPECT_EQ(head->size, key.size());
    EXPECT_EQ(head->etag, hex_encode(md5(key)));
    ASSERT_TRUE(remote->delete_object("plain", key));
    EXPECT_FALSE(remote->head_object("plain", key));
  }
}

TEST_F(RemoteS3ClientTest, VirtualHostedStyle) {
  RemoteEndpoint config = endpoint();
  config.url = "http://localhost:" + std::to_string(server_->port());
  config.path_style = false;
  auto remote = client(config);
  ASSERT_TRUE(remote->head_bucket("plain")) << describe(remote->head_bucket("plain").error());
  StringSource body("virtual");
  auto put = remote->put_object("plain", "v host/key+1", body, 7);
  ASSERT_TRUE(put) << describe(put.error());
  // The same object through path-style addressing.
  auto head = client()->head_object("plain", "v host/key+1");
  ASSERT_TRUE(head) << describe(head.error());
  EXPECT_EQ(head->size, 7u);
}

// 40 MiB in 5 MiB parts: the first attempt "crashes" after two parts (its source fails);
// a new client resumes the upload from the persisted id and sends only the other six.
TEST_F(RemoteS3ClientTest, MultipartUploadResumesWithoutResendingParts) {
  const uint64_t size = 40 * kMiB;
  const ResumableOptions options{.multipart_threshold = 8 * kMiB, .part_size = 5 * kMiB};
  std::string persisted_id;
  uint64_t bytes_opened = 0;
  ResumableUpload upload{.bucket = "plain",
                         .key = "big/forty.bin",
                         .size = size,
                         .headers = {{"Content-Type", "application/octet-stream"},
                                     {"x-amz-meta-origin", "resume-test"}}};
  upload.on_upload_created = [&](const std::string& id) -> Status {
    persisted_id = id;
    return {};
  };
  upload.open_range = [&](uint64_t offset, uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    if (offset >= 10 * kMiB) return fail(ErrorCode::kInternalError, "crash");
    bytes_opened += length;
    return std::make_unique<PatternSource>(offset, length);
  };
  {
    auto remote = client();
    auto first = put_object_resumable(*remote, upload, options);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().kind, FailureKind::kSource);
    EXPECT_FALSE(first.error().retryable);
  }  // the "crashed" client is gone
  ASSERT_FALSE(persisted_id.empty());
  EXPECT_EQ(bytes_opened, 10 * kMiB);

  auto remote = client();
  auto listed = remote->list_parts("plain", "big/forty.bin", persisted_id);
  ASSERT_TRUE(listed) << describe(listed.error());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].part_number, 1u);
  EXPECT_EQ((*listed)[1].size, 5 * kMiB);
  EXPECT_EQ((*listed)[1].etag, hex_encode(testing::pattern_md5(5 * kMiB, 5 * kMiB)));

  bytes_opened = 0;
  upload.upload_id = persisted_id;
  upload.open_range = [&](uint64_t offset, uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    bytes_opened += length;
    return std::make_unique<PatternSource>(offset, length);
  };
  auto resumed = put_object_resumable(*remote, upload, options);
  ASSERT_TRUE(resumed) << describe(resumed.error());
  EXPECT_TRUE(resumed->multipart);
  EXPECT_EQ(resumed->upload_id, persisted_id);
  EXPECT_EQ(resumed->parts, 8u);
  EXPECT_EQ(resumed->parts_reused, 2u);
  EXPECT_EQ(resumed->put.bytes_sent, 30 * kMiB);
  EXPECT_EQ(bytes_opened, 30 * kMiB);

  // The multipart ETag: MD5 of the parts' MD5s, "-8".
  std::string part_md5s;
  for (uint64_t offset = 0; offset < size; offset += 5 * kMiB) {
    part_md5s += testing::pattern_md5(offset, 5 * kMiB);
  }
  const std::string expected_etag = hex_encode(md5(part_md5s)) + "-8";
  EXPECT_EQ(resumed->put.etag, expected_etag);
  auto head = remote->head_object("plain", "big/forty.bin");
  ASSERT_TRUE(head) << describe(head.error());
  EXPECT_EQ(head->size, size);
  EXPECT_EQ(head->etag, expected_etag);
  EXPECT_EQ(value_of(head->metadata, "origin"), "resume-test");
  EXPECT_EQ(head->content_type, "application/octet-stream");

  // The upload is finished: resuming it again would start afresh.
  auto after = remote->list_parts("plain", "big/forty.bin", persisted_id);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().error.code, ErrorCode::kNoSuchUpload);
  EXPECT_FALSE(after.error().retryable);
  ASSERT_TRUE(remote->delete_object("plain", "big/forty.bin"));
}

TEST_F(RemoteS3ClientTest, SmallObjectsGoInOnePut) {
  auto remote = client();
  uint64_t opened = 0;
  ResumableUpload upload{.bucket = "plain", .key = "small.bin", .size = 3 * kMiB};
  upload.open_range = [&](uint64_t offset, uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    ++opened;
    return std::make_unique<PatternSource>(offset, length);
  };
  auto put = put_object_resumable(*remote, upload);
  ASSERT_TRUE(put) << describe(put.error());
  EXPECT_FALSE(put->multipart);
  EXPECT_EQ(opened, 1u);
  EXPECT_EQ(put->put.etag, hex_encode(testing::pattern_md5(0, 3 * kMiB)));
}

TEST_F(RemoteS3ClientTest, MultipartPrimitivesAndAbort) {
  auto remote = client();
  auto id = remote->create_multipart_upload("plain", "parts/x", {{"Content-Type", "image/png"}});
  ASSERT_TRUE(id) << describe(id.error());
  PatternSource part1(0, 5 * kMiB);
  auto p1 = remote->upload_part("plain", "parts/x", *id, 1, part1, 5 * kMiB);
  ASSERT_TRUE(p1) << describe(p1.error());
  PatternSource part2(5 * kMiB, 1000);
  auto p2 = remote->upload_part("plain", "parts/x", *id, 2, part2, 1000);
  ASSERT_TRUE(p2) << describe(p2.error());
  auto listed = remote->list_parts("plain", "parts/x", *id);
  ASSERT_TRUE(listed) << describe(listed.error());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].size, 1000u);
  EXPECT_EQ((*listed)[1].etag, p2->etag);

  // A wrong ETag: S3's InvalidPart, permanent.
  auto wrong = remote->complete_multipart_upload("plain", "parts/x", *id,
                                                 {*p1, {2, 1000, std::string(32, '0')}});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().error.code, ErrorCode::kInvalidPart);
  EXPECT_FALSE(wrong.error().retryable);

  ASSERT_TRUE(remote->abort_multipart_upload("plain", "parts/x", *id));
  auto gone = remote->list_parts("plain", "parts/x", *id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().error.code, ErrorCode::kNoSuchUpload);
  EXPECT_TRUE(remote->abort_multipart_upload("plain", "parts/x", *id));  // already gone: fine
  EXPECT_FALSE(remote->head_object("plain", "parts/x"));
}

TEST_F(RemoteS3ClientTest, MissingBucketIsPermanentNoSuchBucket) {
  auto remote = client();
  auto head = remote->head_bucket("no-such-bucket");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().error.code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(head.error().kind, FailureKind::kService);
  EXPECT_FALSE(head.error().retryable);

  StringSource body("x");
  auto put = remote->put_object("no-such-bucket", "k", body, 1);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().error.code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(put.error().s3_code, "NoSuchBucket");
  EXPECT_EQ(put.error().http_status, 404);
  EXPECT_FALSE(put.error().retryable);

  PatternSource large(0, 8 * kMiB);
  auto large_put = remote->put_object("no-such-bucket", "k", large, 8 * kMiB);
  ASSERT_FALSE(large_put);
  EXPECT_EQ(large_put.error().error.code, ErrorCode::kNoSuchBucket);
  EXPECT_FALSE(large_put.error().retryable);
}

TEST_F(RemoteS3ClientTest, WrongSecretIsPermanentSignatureDoesNotMatch) {
  RemoteEndpoint config = endpoint();
  config.secret_key = "not-the-secret";
  auto remote = client(config);
  StringSource body("x");
  auto put = remote->put_object("plain", "k", body, 1);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().error.code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(put.error().http_status, 403);
  EXPECT_FALSE(put.error().retryable);

  // A large body is refused before it is sent (Expect: 100-continue), with the same error.
  PatternSource large(0, 8 * kMiB);
  auto large_put = remote->put_object("plain", "k", large, 8 * kMiB);
  ASSERT_FALSE(large_put);
  EXPECT_EQ(large_put.error().error.code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_FALSE(large_put.error().retryable);

  config = endpoint();
  config.access_key = "AKUNKNOWN";
  auto stranger = client(config);
  auto id = stranger->create_multipart_upload("plain", "k");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().error.code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_FALSE(id.error().retryable);
}

TEST_F(RemoteS3ClientTest, BodySourceFailingMidwayStoresNothing) {
  auto remote = client();
  PatternSource failing(0, 8 * kMiB, /*fail_after=*/3 * kMiB);
  auto put = remote->put_object("plain", "broken.bin", failing, 8 * kMiB);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, FailureKind::kSource);
  EXPECT_EQ(put.error().error.message, "disk on fire");
  EXPECT_FALSE(put.error().retryable);

  PatternSource short_source(0, 1000);  // announces more than it has
  auto short_put = remote->put_object("plain", "broken.bin", short_source, 5000);
  ASSERT_FALSE(short_put);
  EXPECT_EQ(short_put.error().kind, FailureKind::kSource);
  EXPECT_EQ(short_put.error().error.code, ErrorCode::kIncompleteBody);

  auto head = remote->head_object("plain", "broken.bin");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().error.code, ErrorCode::kNoSuchKey);
  // The client is still usable after aborted transfers.
  StringSource body("fine");
  EXPECT_TRUE(remote->put_object("plain", "broken.bin", body, 4));
}

TEST_F(RemoteS3ClientTest, RefusesHeadersItDoesNotPassThrough) {
  auto remote = client();
  StringSource body("x");
  auto bad = remote->put_object("plain", "k", body, 1, {{"x-amz-acl", "public-read"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, FailureKind::kArgument);
  auto injected = remote->put_object("plain", "k", body, 1, {{"x-amz-meta-a", "b\r\nHost: evil"}});
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().kind, FailureKind::kArgument);
}

// A bucket that encrypts by default (SSE-S3) still answers MD5 ETags, which the client checks.
TEST_F(RemoteS3ClientTest, DefaultEncryptionBucketPassesTheEtagCheck) {
  auto remote = client();
  PatternSource body(0, 2 * kMiB);
  auto put = remote->put_object("encrypted", "sealed.bin", body, 2 * kMiB);
  ASSERT_TRUE(put) << describe(put.error());
  ResumableUpload upload{.bucket = "encrypted", .key = "sealed-multipart.bin", .size = 11 * kMiB};
  upload.open_range = [](uint64_t offset, uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    return std::make_unique<PatternSource>(offset, length);
  };
  auto multipart = put_object_resumable(*remote, upload,
                                        {.multipart_threshold = 8 * kMiB, .part_size = 5 * kMiB});
  ASSERT_TRUE(multipart) << describe(multipart.error());
  EXPECT_EQ(multipart->parts, 3u);
  auto head = remote->head_object("encrypted", "sealed-multipart.bin");
  ASSERT_TRUE(head) << describe(head.error());
  EXPECT_EQ(head->size, 11 * kMiB);
  EXPECT_EQ(value_of(head->headers, "x-amz-server-side-encryption"), "AES256");
}

// An upload id the endpoint no longer knows starts a new upload (and reports its id).
TEST_F(RemoteS3ClientTest, UnknownUploadIdStartsAfresh) {
  auto remote = client();
  std::string created;
  ResumableUpload upload{.bucket = "plain",
                         .key = "fresh.bin",
                         .size = 11 * kMiB,
                         .upload_id = std::string("no-such-upload-id")};
  upload.open_range = [](uint64_t offset, uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    return std::make_unique<PatternSource>(offset, length);
  };
  upload.on_upload_created = [&](const std::string& id) -> Status {
    created = id;
    return {};
  };
  const ResumableOptions options{.multipart_threshold = 8 * kMiB, .part_size = 5 * kMiB};
  auto put = put_object_resumable(*remote, upload, options);
  ASSERT_TRUE(put) << describe(put.error());
  EXPECT_FALSE(created.empty());
  EXPECT_EQ(put->upload_id, created);
  EXPECT_EQ(put->parts_reused, 0u);
  EXPECT_EQ(put->put.bytes_sent, 11 * kMiB);

  // A caller that cannot persist the id stops the upload before any part is sent.
  upload.upload_id.reset();
  upload.key = "unpersisted.bin";
  upload.on_upload_created = [](const std::string&) -> Status {
    return fail(ErrorCode::kInternalError, "database is gone");
  };
  auto refused = put_object_resumable(*remote, upload, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, FailureKind::kSource);
  EXPECT_EQ(refused.error().error.message, "database is gone");
}

// No total timeout: a body that keeps moving, however slowly, outlives the stall window.
TEST_F(RemoteS3ClientTest, SlowButSteadyBodyIsNotTimedOut) {
  RemoteEndpoint config = endpoint();
  config.timeouts.stall = std::chrono::seconds(1);
  auto remote = client(config);
  testing::TrickleSource body(25, std::chrono::milliseconds(100));  // 2.5 s in all
  auto put = remote->put_object("plain", "trickle.txt", body, 25);
  ASSERT_TRUE(put) << describe(put.error());
  EXPECT_EQ(put->etag, hex_encode(md5(std::string(25, 't'))));
}

// One client, many threads at once.
TEST_F(RemoteS3ClientTest, ConcurrentCallsShareOneClient) {
  auto remote = client();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string key = "concurrent/" + std::to_string(t) + "-" + std::to_string(i);
        StringSource body(key);
        if (!remote->put_object("plain", key, body, key.size())) ++failures;
        auto head = remote->head_object("plain", key);
        if (!head || head->size != key.size()) ++failures;
        if (!remote->delete_object("plain", key)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace cv::remote
