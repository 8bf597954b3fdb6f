#include "core/crc.h"

#include <array>

namespace cv {
namespace {

constexpr uint64_t kCrc64NvmeReflected = 0x9A6C9329AC4BC9B5ull;  // 0xAD93D23594C93659 reversed

using Crc64Tables = std::array<std::array<uint64_t, 256>, 8>;

constexpr Crc64Tables make_crc64_tables() {
  Crc64Tables tables{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = crc & 1 ? (crc >> 1) ^ kCrc64NvmeReflected : crc >> 1;
    tables[0][i] = crc;
  }
  for (size_t i = 0; i < 256; ++i) {
    for (size_t t = 1; t < 8; ++t) {
      tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][tables[t - 1][i] & 0xff];
    }
  }
  return tables;
}

constexpr Crc64Tables kCrc64Tables = make_crc64_tables();

struct CrcShape {
  int width;           // bits
  uint64_t reflected;  // polynomial, bit-reversed
};

constexpr CrcShape shape_of(CrcKind kind) {
  switch (kind) {
    case CrcKind::kCrc32:
      return {32, 0xEDB88320ull};
    case CrcKind::kCrc32c:
      return {32, 0x82F63B78ull};
    case CrcKind::kCrc64Nvme:
      return {64, kCrc64NvmeReflected};
  }
  return {32, 0xEDB88320ull};
}

// a * b modulo the polynomial, both in the reflected representation (the top bit is x^0).
uint64_t multiply_mod(const CrcShape& shape, uint64_t a, uint64_t b) {
  uint64_t m = uint64_t{1} << (shape.width - 1);
  uint64_t product = 0;
  while (m != 0) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = b & 1 ? (b >> 1) ^ shape.reflected : b >> 1;
  }
  return product;
}

// x^(8 * bytes) modulo the polynomial: squares of x^8 picked by the bits of `bytes`.
uint64_t x_to_8n_mod(const CrcShape& shape, uint64_t bytes) {
  uint64_t result = uint64_t{1} << (shape.width - 1);  // x^0
  uint64_t power = uint64_t{1} << (shape.width - 9);   // x^8
  while (bytes != 0) {
    if (bytes & 1) result = multiply_mod(shape, power, result);
    power = multiply_mod(shape, power, power);
    bytes >>= 1;
  }
  return result;
}

}  // namespace

void Crc64Nvme::update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint64_t crc = state_;
  const auto& t = kCrc64Tables;
  while (n >= 8) {
    uint64_t word = 0;
    for (int i = 7; i >= 0; --i) word = (word << 8) | p[i];  // little-endian load
    crc ^= word;
    crc = t[7][crc & 0xff] ^ t[6][(crc >> 8) & 0xff] ^ t[5][(crc >> 16) & 0xff] ^
          t[4][(crc >> 24) & 0xff] ^ t[3][(crc >> 32) & 0xff] ^ t[2][(crc >> 40) & 0xff] ^
          t[1][(crc >> 48) & 0xff] ^ t[0][crc >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
  state_ = crc;
}

std::string crc64_bytes(uint64_t crc) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((crc >> (56 - 8 * i)) & 0xff);
  return out;
}

uint64_t crc_combine(CrcKind kind, uint64_t crc1, uint64_t crc2, uint64_t len2) {
  const CrcShape shape = shape_of(kind);
  return multiply_mod(shape, x_to_8n_mod(shape, len2), crc1) ^ crc2;
}

}  // namespace cv
