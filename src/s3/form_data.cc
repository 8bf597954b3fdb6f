#include "s3/form_data.h"

#include <algorithm>
#include <cstring>

#include "core/encoding.h"

namespace cv::s3 {
namespace {

constexpr size_t kMaxPartHeaderBytes = 16 * 1024;

std::unexpected<Error> malformed(std::string message) {
  return fail(ErrorCode::kMalformedPOSTRequest, std::move(message));
}

// Value of `name="..."` (or unquoted) inside a header value.
std::optional<std::string> header_param(std::string_view header, std::string_view name) {
  const std::string lower = to_lower(header);
  size_t pos = 0;
  while ((pos = lower.find(name, pos)) != std::string::npos) {
    const bool at_start = pos == 0 || lower[pos - 1] == ';' || lower[pos - 1] == ' ';
    const size_t eq = pos + name.size();
    if (at_start && eq < lower.size() && lower[eq] == '=') {
      std::string_view rest = header.substr(eq + 1);
      if (!rest.empty() && rest.front() == '"') {
        const size_t close = rest.find('"', 1);
        if (close == std::string_view::npos) return std::nullopt;
        return std::string(rest.substr(1, close - 1));
      }
      return std::string(trim(rest.substr(0, rest.find(';'))));
    }
    pos = eq;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> form_boundary(std::string_view content_type) {
  if (!to_lower(content_type).starts_with("multipart/form-data")) return std::nullopt;
  auto boundary = header_param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return std::nullopt;
  return boundary;
}

FormDataReader::FormDataReader(ByteSource& raw, std::string boundary)
    : raw_(raw), delimiter_("\r\n--" + boundary), buffer_("\r\n") {}

Status FormDataReader::fill(size_t wanted) {
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  char chunk[65536];
  while (!raw_done_ && buffer_.size() - start_ < wanted) {
    const size_t n = CV_TRY(raw_.read(chunk));
    if (n == 0) {
      raw_done_ = true;
    } else {
      buffer_.append(chunk, n);
    }
  }
  return {};
}

Result<size_t> FormDataReader::read(std::span<char> out) {
  if (!in_part_ || out.empty()) return size_t{0};
  CV_TRY(fill(out.size() + delimiter_.size()));
  const std::string_view available(buffer_.data() + start_, buffer_.size() - start_);
  const size_t hit = available.find(delimiter_);
  size_t n;
  if (hit == std::string_view::npos) {
    if (raw_done_) return malformed("The body ended inside a form field");
    // Keep a tail that could be the start of the delimiter.
    n = std::min(out.size(), available.size() - (delimiter_.size() - 1));
  } else {
    n = std::min(out.size(), hit);
    if (hit == 0) {
      in_part_ = false;
      return size_t{0};
    }
  }
  std::memcpy(out.data(), available.data(), n);
  start_ += n;
  return n;
}

Result<std::optional<FormPart>> FormDataReader::next_part() {
  if (finished_) return std::optional<FormPart>();
  char sink[65536];
  while (in_part_) CV_TRY(read(sink));
  // Expect the delimiter, then "--" (end) or CRLF and the part's headers.
  CV_TRY(fill(delimiter_.size() + 2));
  std::string_view available(buffer_.data() + start_, buffer_.size() - start_);
  if (!available.starts_with(delimiter_)) return malformed("Missing form boundary");
  start_ += delimiter_.size();
  available.remove_prefix(delimiter_.size());
  if (available.starts_with("--")) {
    finished_ = true;
    return std::optional<FormPart>();
  }
  if (!available.starts_with("\r\n")) return malformed("Malformed form boundary line");
  start_ += 2;
  CV_TRY(fill(kMaxPartHeaderBytes));
  available = std::string_view(buffer_.data() + start_, buffer_.size() - start_);
  const size_t end = available.find("\r\n\r\n");
  if (end == std::string_view::npos) return malformed("Form part headers are too long or cut off");
  FormPart part;
  std::string_view headers = available.substr(0, end + 2);
  while (!headers.empty()) {
    const size_t eol = headers.find("\r\n");
    const std::string_view line = headers.substr(0, eol);
    headers.remove_prefix(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = to_lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      part.name = header_param(value, "name").value_or("");
      part.filename = header_param(value, "filename");
    } else if (name == "content-type") {
      part.content_type = value;
    }
  }
  start_ += end + 4;
  in_part_ = true;
  // The delimiter search in read() needs the part to begin after a virtual CRLF-less start:
  // the content runs until the next "\r\n--boundary".
  return std::optional<FormPart>(std::move(part));
}

}  // namespace cv::s3
