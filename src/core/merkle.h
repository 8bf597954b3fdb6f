// A Merkle tree over a list of leaves, as Certificate Transparency defines it (RFC 9162
// section 2.1): leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), a
// list split at the largest power of two below its size. What an activity attestation signs:
// its root commits to every contributing event, and an inclusion path proves one of them
// without the others.
//
// Hashes are raw 32-byte strings. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cv {

std::string merkle_leaf_hash(std::string_view leaf);
// The root over leaf hashes (merkle_leaf_hash of each leaf, in order); SHA-256 of nothing for
// an empty list.
std::string merkle_root(std::span<const std::string> leaf_hashes);
// The inclusion path of leaf `index` (< leaf_hashes.size()): sibling hashes, leaf level first.
std::vector<std::string> merkle_inclusion_path(std::span<const std::string> leaf_hashes,
                                               size_t index);
// Whether `path` proves that `leaf_hash` is leaf `index` of a tree of `size` leaves with `root`.
bool verify_merkle_inclusion(std::string_view leaf_hash, uint64_t index, uint64_t size,
                             std::span<const std::string> path, std::string_view root);

}  // namespace cv
