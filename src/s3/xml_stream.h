// An S3 response document written front to back as text, without a tree: for documents of
// many elements (listings), where building pugixml nodes and serializing them cost more than
// the listing's reads. The bytes are exactly what XmlWriter and add_text (s3/xml.h) make of
// the same elements (tests/unit/s3/xml_stream_test.cc compares them): the declaration, the
// root in S3's namespace, text with &, < and > escaped and C0 control characters other than
// TAB and LF as hexadecimal references.
#pragma once

#include <string>
#include <string_view>

namespace cv::s3 {

class XmlStream {
 public:
  explicit XmlStream(std::string_view root_name, bool with_namespace = true);

  // <name>
  XmlStream& open(std::string_view name);
  // </name>, or <name/> when nothing was written since its open(); the caller closes what
  // it opened, innermost first.
  XmlStream& close(std::string_view name);
  // <name>text</name>, text escaped (any bytes, a NUL too).
  XmlStream& text(std::string_view name, std::string_view text);

  // Closes the root and hands the document over; the stream is spent.
  std::string finish() &&;

 private:
  void escape(std::string_view text);

  std::string root_name_;
  std::string out_;
  size_t open_end_ = std::string::npos;  // out_.size() right after the last open tag
};

}  // namespace cv::s3
