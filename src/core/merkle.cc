#include "core/merkle.h"

#include <bit>

#include "core/hash.h"

namespace cv {
namespace {

std::string node_hash(std::string_view left, std::string_view right) {
  Digest digest(Digest::Algorithm::kSha256);
  digest.update(std::string_view("\x01", 1));
  digest.update(left);
  digest.update(right);
  return digest.finish();
}

// The largest power of two smaller than n (n >= 2).
size_t split_point(size_t n) { return std::bit_floor(n - 1); }

std::string subtree_root(std::span<const std::string> hashes) {
  if (hashes.size() == 1) return hashes[0];
  const size_t k = split_point(hashes.size());
  return node_hash(subtree_root(hashes.first(k)), subtree_root(hashes.subspan(k)));
}

void collect_path(std::span<const std::string> hashes, size_t index,
                  std::vector<std::string>& path) {
  if (hashes.size() <= 1) return;
  const size_t k = split_point(hashes.size());
  if (index < k) {
    collect_path(hashes.first(k), index, path);
    path.push_back(subtree_root(hashes.subspan(k)));
  } else {
    collect_path(hashes.subspan(k), index - k, path);
    path.push_back(subtree_root(hashes.first(k)));
  }
}

}  // namespace

std::string merkle_leaf_hash(std::string_view leaf) {
  Digest digest(Digest::Algorithm::kSha256);
  digest.update(std::string_view("\x00", 1));
  digest.update(leaf);
  return digest.finish();
}

std::string merkle_root(std::span<const std::string> leaf_hashes) {
  if (leaf_hashes.empty()) return sha256("");
  return subtree_root(leaf_hashes);
}

std::vector<std::string> merkle_inclusion_path(std::span<const std::string> leaf_hashes,
                                               size_t index) {
  std::vector<std::string> path;
  if (index < leaf_hashes.size()) collect_path(leaf_hashes, index, path);
  return path;
}

// RFC 9162 section 2.1.3.2.
bool verify_merkle_inclusion(std::string_view leaf_hash, uint64_t index, uint64_t size,
                             std::span<const std::string> path, std::string_view root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : path) {
    if (sn == 0 || p.size() != 32) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace cv
