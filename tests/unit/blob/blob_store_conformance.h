// The conformance suite every BlobStore implementation passes (the tests are in
// blob_store_conformance_test.cc). To run it against an implementation, write a harness and
// instantiate the suite in that implementation's test file:
//
//   using conformance::BlobStoreConformanceTest;
//   INSTANTIATE_TEST_SUITE_P(Local, BlobStoreConformanceTest,
//                            ::testing::Values(BlobStoreImplementation{"Local", make_harness}),
//                            conformance_test_name);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "blob/blob_store.h"

namespace cv::blob::conformance {

// Owns one fresh, empty store for one test and knows its implementation's notion of an
// incomplete (uncommitted) blob.
class BlobStoreHarness {
 public:
  virtual ~BlobStoreHarness() = default;
  virtual BlobStore& store() = 0;
  // How many incomplete temporaries the store currently holds.
  virtual size_t count_incomplete() = 0;
  // Leaves behind what a process killed in the middle of writing a blob would leave.
  virtual void simulate_crashed_writer() = 0;
};

struct BlobStoreImplementation {
  std::string name;
  std::function<std::unique_ptr<BlobStoreHarness>()> make_harness;
};

inline void PrintTo(const BlobStoreImplementation& implementation, std::ostream* out) {
  *out << implementation.name;
}

inline std::string conformance_test_name(
    const ::testing::TestParamInfo<BlobStoreImplementation>& info) {
  return info.param.name;
}

class BlobStoreConformanceTest : public ::testing::TestWithParam<BlobStoreImplementation> {
 protected:
  void SetUp() override { harness_ = GetParam().make_harness(); }
  void TearDown() override { harness_.reset(); }

  BlobStore& store() { return harness_->store(); }
  BlobStoreHarness& harness() { return *harness_; }

 private:
  std::unique_ptr<BlobStoreHarness> harness_;
};

}  // namespace cv::blob::conformance
