// Streaming reader for multipart/form-data bodies (RFC 7578), as browser form uploads send
// them to PostObject. Fields are read into memory; the file part streams.
#pragma once

#include <optional>
#include <string>

#include "core/byte_source.h"

namespace cv::s3 {

struct FormPart {
  std::string name;  // from Content-Disposition
  std::optional<std::string> filename;
  std::string content_type;
};

// Not thread-safe. Reads `raw` incrementally with a buffer of a few times the boundary.
class FormDataReader final : public ByteSource {
 public:
  FormDataReader(ByteSource& raw, std::string boundary);
  // Advances to the next part (skipping what is unread of the current one) and returns its
  // headers, or nullopt after the closing delimiter. MalformedPOSTRequest on bad framing.
  Result<std::optional<FormPart>> next_part();
  // Reads the current part's content; 0 at its end.
  Result<size_t> read(std::span<char> out) override;

 private:
  Status fill(size_t wanted);
  ByteSource& raw_;
  std::string delimiter_;  // "\r\n--" + boundary
  std::string buffer_;
  size_t start_ = 0;  // consumed prefix of buffer_
  bool raw_done_ = false;
  bool in_part_ = false;
  bool finished_ = false;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt.
std::optional<std::string> form_boundary(std::string_view content_type);

}  // namespace cv::s3
