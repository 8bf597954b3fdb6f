#include "s3/xml_shape.h"

#include <string>

namespace cv::s3 {
namespace {

std::unexpected<Error> malformed(std::string detail) {
  return fail(ErrorCode::kMalformedXML,
              "The XML you provided was not well-formed or did not validate against our "
              "published schema (" +
                  std::move(detail) + ")");
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// `ref` starts just after '&'; returns the length of the reference through ';', or 0 when
// it is not one of the predefined entities or a character reference to a non-NUL character.
size_t reference_length(std::string_view ref) {
  for (std::string_view named : {"amp;", "lt;", "gt;", "quot;", "apos;"}) {
    if (ref.starts_with(named)) return named.size();
  }
  if (!ref.starts_with('#')) return 0;
  const bool hex = ref.size() > 1 && ref[1] == 'x';
  size_t i = hex ? 2 : 1;
  bool nonzero = false;
  const size_t digits_start = i;
  while (i < ref.size() && (hex ? is_hex(ref[i]) : (ref[i] >= '0' && ref[i] <= '9'))) {
    nonzero = nonzero || ref[i] != '0';
    ++i;
  }
  if (i == digits_start || i - digits_start > 8 || !nonzero) return 0;
  if (i >= ref.size() || ref[i] != ';') return 0;
  return i + 1;
}

// Checks the references in `text` (character data or an attribute value).
Status check_references(std::string_view text) {
  for (size_t amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
    if (reference_length(text.substr(amp + 1)) == 0) {
      return malformed("only the predefined entities and character references are allowed");
    }
  }
  return {};
}

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

Status check_xml_shape(std::string_view body, const XmlLimits& limits) {
  size_t elements = 0, depth = 0, pos = 0;
  while (pos < body.size()) {
    const size_t open = body.find('<', pos);
    CV_TRY(check_references(body.substr(pos, open == std::string_view::npos ? body.npos
                                                                            : open - pos)));
    if (open == std::string_view::npos) break;
    const std::string_view rest = body.substr(open);
    if (rest.starts_with("<!--")) {
      const size_t end = body.find("-->", open + 4);
      if (end == std::string_view::npos) return malformed("unterminated comment");
      pos = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = body.find("]]>", open + 9);
      if (end == std::string_view::npos) return malformed("unterminated CDATA section");
      pos = end + 3;
    } else if (rest.starts_with("<!")) {
      return malformed("document type and markup declarations are not allowed");
    } else if (rest.starts_with("<?")) {
      const size_t end = body.find("?>", open + 2);
      if (end == std::string_view::npos) return malformed("unterminated processing instruction");
      pos = end + 2;
    } else if (rest.starts_with("</")) {
      const size_t end = body.find('>', open + 2);
      if (end == std::string_view::npos) return malformed("unterminated end tag");
      if (depth > 0) --depth;
      pos = end + 1;
    } else if (rest.size() > 1 && is_name_start(rest[1])) {
      if (++elements > limits.max_elements) {
        return malformed("more than " + std::to_string(limits.max_elements) + " elements");
      }
      // The tag ends at the first '>' outside a quoted attribute value.
      size_t i = open + 1;
      char quote = 0;
      size_t value_start = 0;
      for (; i < body.size(); ++i) {
        const char c = body[i];
        if (quote) {
          if (c == quote) {
            CV_TRY(check_references(body.substr(value_start, i - value_start)));
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
          value_start = i + 1;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= body.size()) return malformed("unterminated start tag");
      const bool self_closing = body[i - 1] == '/';
      if (!self_closing && ++depth > limits.max_depth) {
        return malformed("elements nested deeper than " + std::to_string(limits.max_depth));
      }
      pos = i + 1;
    } else {
      pos = open + 1;  // a stray '<': the parser reports it
    }
  }
  return {};
}

}  // namespace cv::s3
