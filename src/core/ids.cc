#include "core/ids.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv {
namespace {
std::string random_from_alphabet(size_t length, std::string_view alphabet) {
  std::vector<unsigned char> raw(length);
  random_bytes(raw);
  std::string out;
  out.reserve(length);
  // 256 % alphabet size bias is irrelevant for identifiers of this length; secrets use a
  // 64-character alphabet where there is none.
  for (unsigned char c : raw) out.push_back(alphabet[c % alphabet.size()]);
  return out;
}
}  // namespace

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  random_bytes(raw);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

void random_id_bytes(std::span<unsigned char> out) {
  struct Pool {
    std::array<unsigned char, 4096> bytes;
    size_t used = sizeof(bytes);
  };
  thread_local Pool pool;
  while (!out.empty()) {
    if (pool.used == pool.bytes.size()) {
      random_bytes(pool.bytes);
      pool.used = 0;
    }
    const size_t n = std::min(out.size(), pool.bytes.size() - pool.used);
    std::memcpy(out.data(), pool.bytes.data() + pool.used, n);
    OPENSSL_cleanse(pool.bytes.data() + pool.used, n);  // each byte is handed out once
    pool.used += n;
    out = out.subspan(n);
  }
}

std::string random_id_hex(size_t bytes) {
  std::array<unsigned char, 64> small{};
  std::vector<unsigned char> large;
  std::span<unsigned char> raw(small.data(), std::min(bytes, small.size()));
  if (bytes > small.size()) {
    large.resize(bytes);
    raw = large;
  }
  random_id_bytes(raw);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string new_request_id() {
  std::string id = random_id_hex(8);
  for (char& c : id) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return id;
}

std::string new_blob_id() { return random_id_hex(16); }

std::string new_upload_id() {
  return random_from_alphabet(43,
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}

std::string new_access_key_id() {
  return "CV" + random_from_alphabet(18, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
}

std::string new_secret_key() {
  return random_from_alphabet(40,
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

}  // namespace cv
