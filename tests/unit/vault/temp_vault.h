// A Vault over a fresh folder of its own, for tests: a SQLite store and tiered local blob
// stores (STANDARD in the folder, STANDARD_IA in ia/, GLACIER in glacier/), all removed on
// destruction. The folder is named after the running test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "blob/local/local_blob_store.h"
#include "blob/tiered_blob_store.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "vault/vault.h"

namespace cv::vault::testing {

class TempVault {
 public:
  explicit TempVault(const Clock& clock, VaultOptions options = {}, std::string master_key = {}) {
    dir_ = std::filesystem::temp_directory_path() /
           ("cv-vault-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "ia");
    std::filesystem::create_directories(dir_ / "glacier");
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    auto tiered =
        std::make_unique<blob::TieredBlobStore>(blob::open_local_blob_store(dir_).value());
    tiered->add_location("STANDARD_IA", blob::open_local_blob_store(dir_ / "ia").value());
    tiered->add_location("GLACIER", blob::open_local_blob_store(dir_ / "glacier").value());
    blobs_ = std::move(tiered);
    vault_ =
        std::make_unique<Vault>(*meta_, *blobs_, clock, std::move(options), std::move(master_key));
  }
  ~TempVault() {
    vault_.reset();
    meta_.reset();
    blobs_.reset();
    std::filesystem::remove_all(dir_);
  }
  TempVault(const TempVault&) = delete;
  TempVault& operator=(const TempVault&) = delete;

  Vault& vault() { return *vault_; }
  meta::MetaStore& meta() { return *meta_; }
  blob::BlobStore& blobs() { return *blobs_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<Vault> vault_;
};

}  // namespace cv::vault::testing
