#include "core/merkle.h"

#include <gtest/gtest.h>

#include "core/encoding.h"

namespace cv {
namespace {

// Certificate Transparency's reference leaves and the roots of their first 1..8 (RFC 6962
// test data, as the CT implementations test against).
const std::vector<std::string> kLeafHex = {"",
                                           "00",
                                           "10",
                                           "2021",
                                           "3031",
                                           "40414243",
                                           "5051525354555657",
                                           "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kRootHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<std::string> leaf_hashes(size_t n) {
  std::vector<std::string> hashes;
  for (size_t i = 0; i < n; ++i) hashes.push_back(merkle_leaf_hash(*hex_decode(kLeafHex[i])));
  return hashes;
}

TEST(Merkle, RootsMatchCertificateTransparency) {
  EXPECT_EQ(hex_encode(merkle_root({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (size_t n = 1; n <= kRootHex.size(); ++n) {
    EXPECT_EQ(hex_encode(merkle_root(leaf_hashes(n))), kRootHex[n - 1]) << n << " leaves";
  }
}

TEST(Merkle, EveryLeafsPathVerifiesAndNothingElseDoes) {
  for (size_t n = 1; n <= 19; ++n) {
    std::vector<std::string> hashes;
    for (size_t i = 0; i < n; ++i) hashes.push_back(merkle_leaf_hash("event-" + std::to_string(i)));
    const std::string root = merkle_root(hashes);
    for (size_t i = 0; i < n; ++i) {
      const auto path = merkle_inclusion_path(hashes, i);
      EXPECT_TRUE(verify_merkle_inclusion(hashes[i], i, n, path, root)) << i << " of " << n;
      EXPECT_FALSE(verify_merkle_inclusion(merkle_leaf_hash("forged"), i, n, path, root));
      if (n > 1) {
        EXPECT_FALSE(verify_merkle_inclusion(hashes[i], (i + 1) % n, n, path, root));
        auto altered = path;
        altered[0][5] ^= 1;
        EXPECT_FALSE(verify_merkle_inclusion(hashes[i], i, n, altered, root));
      }
    }
  }
}

}  // namespace
}  // namespace cv
