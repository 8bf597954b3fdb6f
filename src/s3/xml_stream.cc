#include "s3/xml_stream.h"

#include "s3/xml.h"

namespace cv::s3 {

XmlStream::XmlStream(std::string_view root_name, bool with_namespace) : root_name_(root_name) {
  out_.reserve(4096);
  out_ += R"(<?xml version="1.0" encoding="UTF-8"?><)";
  out_ += root_name;
  if (with_namespace) {
    out_ += R"( xmlns=")";
    out_ += kS3Namespace;
    out_ += '"';
  }
  out_ += '>';
  open_end_ = out_.size();
}

XmlStream& XmlStream::open(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  open_end_ = out_.size();
  return *this;
}

XmlStream& XmlStream::close(std::string_view name) {
  if (open_end_ == out_.size()) {
    out_.back() = '/';  // an element without children, as pugixml writes it
    out_ += '>';
  } else {
    out_ += "</";
    out_ += name;
    out_ += '>';
  }
  open_end_ = std::string::npos;
  return *this;
}

XmlStream& XmlStream::text(std::string_view name, std::string_view text) {
  open(name);
  escape(text);
  open_end_ = std::string::npos;  // a text child, even empty: <name></name>
  return close(name);
}

std::string XmlStream::finish() && {
  close(root_name_);
  return std::move(out_);
}

void XmlStream::escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool special = byte == '&' || byte == '<' || byte == '>' ||
                         (byte < 0x20 && byte != '\t' && byte != '\n');
    if (!special) continue;
    out_.append(text.data() + plain_from, i - plain_from);
    plain_from = i + 1;
    switch (byte) {
      case '&': out_ += "&amp;"; break;
      case '<': out_ += "&lt;"; break;
      case '>': out_ += "&gt;"; break;
      default:
        out_ += "&#x";
        if (byte >= 0x10) out_ += kHex[byte >> 4];
        out_ += kHex[byte & 0xF];
        out_ += ';';
    }
  }
  out_.append(text.data() + plain_from, text.size() - plain_from);
}

}  // namespace cv::s3
