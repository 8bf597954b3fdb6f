// S3BlobStore: the BlobStore conformance suite against a real `cloudvault server` process on
// loopback (each test under a prefix of its own in one bucket), then what is specific to a
// store on an S3 endpoint: multipart bodies, retries, error mapping, the URL.
#include "remote/s3_blob_store.h"

#include <gtest/gtest.h>

#include <atomic>

#include "blob/blob_store_conformance.h"
#include "core/ids.h"
#include "remote_test_support.h"

namespace cv::remote {
namespace {

constexpr const char* kBucket = "blobs";
constexpr uint64_t kMiB = 1ull << 20;

// The endpoint the tests store blobs on: $CV_BLOB_TEST_ENDPOINT with $CV_BLOB_TEST_ACCESS_KEY
// and $CV_BLOB_TEST_SECRET_KEY when set (`make test-rgw` points them at Ceph RGW), else one
// `cloudvault server` for the whole binary. The bucket is made once.
struct TestEndpoint {
  std::string url;
  std::string access_key;
  std::string secret_key;
};

const TestEndpoint& test_endpoint() {
  static const TestEndpoint endpoint = [] {
    const char* url = std::getenv("CV_BLOB_TEST_ENDPOINT");
    if (url && *url) {
      const char* access = std::getenv("CV_BLOB_TEST_ACCESS_KEY");
      const char* secret = std::getenv("CV_BLOB_TEST_SECRET_KEY");
      return TestEndpoint{url, access ? access : "", secret ? secret : ""};
    }
    static const std::filesystem::path root = testing::make_temp_dir("cv-s3-blob-test");
    static testing::CloudVaultProcess server(root);
    return TestEndpoint{server.endpoint(), testing::kAccessKey, testing::kSecretKey};
  }();
  static const int created = testing::create_bucket(
      endpoint.url, kBucket, auth::SigningCredentials{endpoint.access_key, endpoint.secret_key});
  EXPECT_EQ(created, 200) << "creating the test bucket on " << endpoint.url;
  return endpoint;
}

std::shared_ptr<RemoteS3Client> client_for(const std::string& endpoint, const Clock& clock,
                                           const std::string& access_key = testing::kAccessKey,
                                           const std::string& secret_key = testing::kSecretKey) {
  auto made = RemoteS3Client::create(
      RemoteEndpoint{.url = endpoint, .access_key = access_key, .secret_key = secret_key}, clock);
  EXPECT_TRUE(made) << (made ? "" : describe(made.error()));
  return std::shared_ptr<RemoteS3Client>(std::move(*made));
}

std::shared_ptr<RemoteS3Client> test_client(const Clock& clock) {
  const TestEndpoint& endpoint = test_endpoint();
  return client_for(endpoint.url, clock, endpoint.access_key, endpoint.secret_key);
}

std::string fresh_prefix() {
  static std::atomic<int> next{0};
  return "t" + std::to_string(::getpid()) + "-" + std::to_string(next++) + "/";
}

class S3Harness final : public blob::conformance::BlobStoreHarness {
 public:
  S3Harness()
      : client_(test_client(clock_)),
        prefix_(fresh_prefix()),
        store_(client_, kBucket, prefix_, S3BlobStoreOptions{.part_size = 5 * kMiB}) {}

  blob::BlobStore& store() override { return store_; }

  size_t count_incomplete() override {
    auto page = client_->list_multipart_uploads(kBucket, prefix_);
    EXPECT_TRUE(page) << (page ? "" : describe(page.error()));
    return page ? page->uploads.size() : 0;
  }

  // A killed writer leaves its multipart upload with the parts it sent.
  void simulate_crashed_writer() override {
    const std::string key = prefix_ + new_blob_id();
    auto upload = client_->create_multipart_upload(kBucket, key);
    ASSERT_TRUE(upload) << describe(upload.error());
    StringSource part(std::string(1000, 'p'));
    ASSERT_TRUE(client_->upload_part(kBucket, key, *upload, 1, part, 1000));
  }

 private:
  SystemClock clock_;
  std::shared_ptr<RemoteS3Client> client_;
  std::string prefix_;
  S3BlobStore store_;
};

using blob::conformance::BlobStoreConformanceTest;
INSTANTIATE_TEST_SUITE_P(S3, BlobStoreConformanceTest,
                         ::testing::Values(blob::conformance::BlobStoreImplementation{
                             "S3", [] { return std::make_unique<S3Harness>(); }}),
                         blob::conformance::conformance_test_name);

class S3BlobStoreTest : public ::testing::Test {
 protected:
  S3BlobStoreTest() : client_(test_client(clock_)) {}

  SystemClock clock_;
  std::shared_ptr<RemoteS3Client> client_;
  std::string prefix_ = fresh_prefix();
};

TEST_F(S3BlobStoreTest, BlobsAreObjectsUnderThePrefix) {
  S3BlobStore store(client_, kBucket, prefix_);
  auto writer = store.create();
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->append("hello, bucket"));
  auto id = (*writer)->commit();
  ASSERT_TRUE(id) << id.error().message;
  auto head = client_->head_object(kBucket, prefix_ + *id);
  ASSERT_TRUE(head) << describe(head.error());
  EXPECT_EQ(head->size, 13u);
  // Not files: the http layer must stream it with read(), not sendfile.
  EXPECT_FALSE(store.serves_files(*id));
  auto reader = store.open(*id);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->file_descriptor(), -1);
  // A store under another prefix of the same bucket sees none of them.
  S3BlobStore other(client_, kBucket, fresh_prefix());
  auto listed = other.list();
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(S3BlobStoreTest, LongBodiesGoUpInPartsOfThePartSize) {
  S3BlobStore store(client_, kBucket, prefix_, S3BlobStoreOptions{.part_size = 5 * kMiB});
  auto writer = store.create();
  ASSERT_TRUE(writer);
  const std::string chunk(kMiB, 'x');
  for (int i = 0; i < 11; ++i) ASSERT_TRUE((*writer)->append(chunk));
  // Two full parts went up while writing; the third waits for commit().
  auto uploads = client_->list_multipart_uploads(kBucket, prefix_);
  ASSERT_TRUE(uploads);
  ASSERT_EQ(uploads->uploads.size(), 1u);
  auto parts = client_->list_parts(kBucket, uploads->uploads[0].key, uploads->uploads[0].upload_id);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].size, 5 * kMiB);
  auto id = (*writer)->commit();
  ASSERT_TRUE(id) << id.error().message;
  auto head = client_->head_object(kBucket, prefix_ + *id);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 11 * kMiB);
  EXPECT_NE(head->etag.find("-3"), std::string::npos) << head->etag;  // a 3-part upload
  uploads = client_->list_multipart_uploads(kBucket, prefix_);
  ASSERT_TRUE(uploads);
  EXPECT_TRUE(uploads->uploads.empty());
}

TEST_F(S3BlobStoreTest, AnUncommittedLongWriterAbortsItsUpload) {
  S3BlobStore store(client_, kBucket, prefix_, S3BlobStoreOptions{.part_size = 5 * kMiB});
  {
    auto writer = store.create();
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->append(std::string(6 * kMiB, 'y')));
    auto uploads = client_->list_multipart_uploads(kBucket, prefix_);
    ASSERT_TRUE(uploads);
    EXPECT_EQ(uploads->uploads.size(), 1u);
  }
  auto uploads = client_->list_multipart_uploads(kBucket, prefix_);
  ASSERT_TRUE(uploads);
  EXPECT_TRUE(uploads->uploads.empty());
}

TEST_F(S3BlobStoreTest, AMissingBucketIsReportedByTheReachabilityCheck) {
  S3BlobStore store(client_, "no-such-bucket", prefix_);
  auto reached = store.check_reachable();
  ASSERT_FALSE(reached);
  EXPECT_EQ(reached.error().code, ErrorCode::kInternalError);
  EXPECT_NE(reached.error().message.find("no-such-bucket"), std::string::npos);
  S3BlobStore good(client_, kBucket, prefix_);
  EXPECT_TRUE(good.check_reachable());
}

TEST_F(S3BlobStoreTest, WrongKeysAreRefused) {
  auto made = RemoteS3Client::create(RemoteEndpoint{.url = test_endpoint().url,
                                                    .access_key = test_endpoint().access_key,
                                                    .secret_key = "not-the-secret"},
                                     clock_);
  ASSERT_TRUE(made);
  S3BlobStore store(std::shared_ptr<RemoteS3Client>(std::move(*made)), kBucket, prefix_);
  auto reached = store.check_reachable();
  ASSERT_FALSE(reached);
  EXPECT_EQ(reached.error().code, ErrorCode::kInternalError);
}

TEST_F(S3BlobStoreTest, MalformedIdsNeverLeaveThePrefix) {
  S3BlobStore store(client_, kBucket, prefix_);
  for (const char* id : {"", "../x", "a/b", "a b", "%2e%2e"}) {
    auto reader = store.open(id);
    ASSERT_FALSE(reader) << id;
    EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
    EXPECT_FALSE(store.remove(id)) << id;
  }
}

// Answers from a canned endpoint: what CloudVault itself never says.
std::string answer(int status, std::string_view reason, std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/xml\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body);
}
const std::string kSlowDown = answer(
    503, "Slow Down", "<Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>");
const std::string kNoContent = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

S3BlobStoreOptions fast_retries(int attempts) {
  return S3BlobStoreOptions{.max_attempts = attempts,
                            .first_retry_delay = std::chrono::milliseconds(1),
                            .max_retry_delay = std::chrono::milliseconds(4)};
}

TEST_F(S3BlobStoreTest, ThrottlingIsRetriedUntilItPasses) {
  testing::CannedHttpServer endpoint(std::vector<std::string>{kSlowDown, kSlowDown, kNoContent});
  S3BlobStore store(client_for(endpoint.endpoint(), clock_), kBucket, prefix_, fast_retries(5));
  EXPECT_TRUE(store.remove("abc123"));
  EXPECT_EQ(endpoint.requests(), 3);
}

TEST_F(S3BlobStoreTest, RetriesStopAtMaxAttemptsWithSlowDown) {
  testing::CannedHttpServer endpoint(kSlowDown);
  S3BlobStore store(client_for(endpoint.endpoint(), clock_), kBucket, prefix_, fast_retries(3));
  auto removed = store.remove("abc123");
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kSlowDown);
  EXPECT_NE(removed.error().message.find("SlowDown"), std::string::npos);
  EXPECT_EQ(endpoint.requests(), 3);
}

TEST_F(S3BlobStoreTest, PermanentErrorsAreNotRetried) {
  testing::CannedHttpServer endpoint(answer(
      403, "Forbidden", "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"));
  S3BlobStore store(client_for(endpoint.endpoint(), clock_), kBucket, prefix_, fast_retries(5));
  auto removed = store.remove("abc123");
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kInternalError);
  EXPECT_NE(removed.error().message.find("AccessDenied"), std::string::npos);
  EXPECT_EQ(endpoint.requests(), 1);
}

TEST(S3BlobUrlTest, ParsesEveryPart) {
  auto url = parse_s3_blob_url(
      "s3://cv-bodies/site/a?endpoint=http://127.0.0.1:9000&region=eu-west-1&path_style=false");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->bucket, "cv-bodies");
  EXPECT_EQ(url->prefix, "site/a/");
  EXPECT_EQ(url->endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(url->region, "eu-west-1");
  EXPECT_FALSE(url->path_style);
  EXPECT_EQ(to_string(*url),
            "s3://cv-bodies/site/a/?endpoint=http://127.0.0.1:9000&region=eu-west-1"
            "&path_style=false");
}

TEST(S3BlobUrlTest, DefaultsToAwsAndNoPrefix) {
  auto url = parse_s3_blob_url("s3://cv-bodies?region=eu-central-1");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->prefix, "");
  EXPECT_EQ(url->endpoint, "https://s3.eu-central-1.amazonaws.com");
  EXPECT_TRUE(url->path_style);
  auto bare = parse_s3_blob_url("s3://cv-bodies/p/");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->prefix, "p/");
  EXPECT_EQ(bare->region, "us-east-1");
  auto encoded = parse_s3_blob_url("s3://cv-bodies/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->endpoint, "http://127.0.0.1:9000");
}

TEST(S3BlobUrlTest, RefusesWhatIsNotAStore) {
  for (const char* text :
       {"", "http://bucket/p", "s3://", "s3://Upper/p", "s3://ab/p", "s3://bucket-/p",
        "s3://user@bucket/p", "s3://bucket:9000/p", "s3://bucket/a//b", "s3://bucket/a/../b",
        "s3://bucket/p?endpoint=ftp://x", "s3://bucket/p?endpoint=http://h/path",
        "s3://bucket/p?colour=blue", "s3://bucket/p?region=", "s3://bucket/p?path_style=yes",
        "s3://bucket/p?region=a&region=b"}) {
    auto url = parse_s3_blob_url(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(url.error().message.find("blob store URL"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace cv::remote
