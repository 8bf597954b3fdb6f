// ObjectBodySource's file spans (the sendfile path of GET): which bodies are file-backed, spans
// of a range across pieces give exactly the range's bytes, and a span's descriptor stays open
// while the next span is taken (the network sends one while a worker takes the next).
#include "vault/object_body_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "blob/local/local_blob_store.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;

std::string random_text(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator());
  return out;
}

// The bytes a span names, read from its descriptor.
std::string span_bytes(const FileSpan& span) {
  std::string out(span.length, '\0');
  const ssize_t n = ::pread(span.fd, out.data(), out.size(), static_cast<off_t>(span.offset));
  EXPECT_EQ(n, static_cast<ssize_t>(out.size()));
  return out;
}

class ObjectBodySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-body-source-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    blobs_ = blob::open_local_blob_store(dir_).value();
  }
  void TearDown() override {
    blobs_.reset();
    fs::remove_all(dir_);
  }
  // An object whose body is `body` stored in plain blobs of the given piece sizes.
  meta::ObjectVersion object_in_pieces(const std::string& body, std::vector<size_t> sizes) {
    meta::ObjectVersion object;
    object.size = body.size();
    size_t at = 0;
    for (size_t size : sizes) {
      auto writer = blobs_->create().value();
      EXPECT_TRUE(writer->append(std::string_view(body).substr(at, size)));
      object.blobs.push_back(meta::BlobRef{.blob_id = writer->commit().value(), .size = size});
      at += size;
    }
    EXPECT_EQ(at, body.size());
    return object;
  }

  fs::path dir_;
  std::unique_ptr<blob::BlobStore> blobs_;
};

TEST_F(ObjectBodySourceTest, SpansOfARangeAcrossPiecesAreItsBytes) {
  const std::string body = random_text(10000, 1);
  const meta::ObjectVersion object = object_in_pieces(body, {3000, 3000, 4000});
  for (const auto& [offset, length] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 10000}, {1, 9999}, {2999, 2}, {2500, 7000}, {9999, 1}}) {
    auto source = ObjectBodySource::open(*blobs_, object, offset, length).value();
    ASSERT_TRUE(source->file_backed());
    std::string sent;
    std::vector<FileSpan> spans;
    for (;;) {
      auto span = source->take_file_span(1024).value();
      if (!span) break;
      ASSERT_GT(span->length, 0u);
      ASSERT_LE(span->length, 1024u);
      // The span before this one is still readable (its piece may have been left).
      if (!spans.empty()) {
        EXPECT_NE(::fcntl(spans.back().fd, F_GETFD), -1);
        EXPECT_EQ(span_bytes(spans.back()),
                  body.substr(offset + sent.size() - spans.back().length, spans.back().length));
      }
      sent += span_bytes(*span);
      spans.push_back(*span);
    }
    EXPECT_EQ(sent, body.substr(offset, length)) << offset << "+" << length;
  }
}

TEST_F(ObjectBodySourceTest, OnlyPlainBlobBodiesAreFileBacked) {
  const std::string body = random_text(5000, 2);
  meta::ObjectVersion object = object_in_pieces(body, {5000});
  EXPECT_TRUE(ObjectBodySource::open(*blobs_, object, 0, 5000).value()->file_backed());
  // Encrypted (a data key), compressed (a codec) and inline bodies are read, not sent.
  EXPECT_FALSE(ObjectBodySource(*blobs_, object, 0, 5000, std::string(32, 'k')).file_backed());
  meta::ObjectVersion compressed = object;
  compressed.blobs[0].codec = "zstd";
  EXPECT_FALSE(ObjectBodySource(*blobs_, compressed, 0, 5000).file_backed());
  meta::ObjectVersion inline_object;
  inline_object.size = 5;
  inline_object.inline_data = "small";
  EXPECT_FALSE(ObjectBodySource(*blobs_, inline_object, 0, 5).file_backed());
}

}  // namespace
}  // namespace cv::vault
