// CRC64/NVME (S3's x-amz-checksum-crc64nvme) and CRC combination for S3's full-object
// multipart checksums: the CRC of A||B from crc(A), crc(B) and len(B), without the bytes.
// (CRC32 and CRC32C hashers are in core/hash.h.) Pure functions and single-threaded hashers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cv {

// CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659, init and final xor all ones
// (check value of "123456789": 0xAE8B14860A799888). Slice-by-8 tables.
class Crc64Nvme {
 public:
  void update(std::string_view bytes);
  uint64_t value() const { return ~state_; }

 private:
  uint64_t state_ = ~uint64_t{0};
};

// Big-endian bytes of a 64-bit CRC, as S3 base64-encodes them.
std::string crc64_bytes(uint64_t crc);

// The reflected CRCs S3 combines (each with init and final xor all ones, as zlib's crc32).
enum class CrcKind { kCrc32, kCrc32c, kCrc64Nvme };

// crc(A || B) from crc1 = crc(A), crc2 = crc(B) and len2 = len(B) in bytes, in O(log len2)
// (zlib's crc32_combine method: multiply crc1 by x^(8*len2) modulo the polynomial). For
// 32-bit kinds the values are in the low 32 bits.
uint64_t crc_combine(CrcKind kind, uint64_t crc1, uint64_t crc2, uint64_t len2);

}  // namespace cv
