// The bounds every request XML document must keep before pugixml builds a tree of it, so a
// hostile body cannot make the server spend more than a known amount of memory or accept
// constructs S3 refuses.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace cv::s3 {

struct XmlLimits {
  size_t max_elements = 10'000;  // start tags, counted before parsing
  size_t max_depth = 32;         // S3's deepest request document (lifecycle) nests 6 levels
};

// Contract: a single pass over the raw bytes, no allocation. Fails with MalformedXML when the
// document has
//   - a document type declaration or any other markup declaration (<!DOCTYPE, <!ENTITY ...):
//     S3 refuses DTDs, so entity expansion (billion laughs, external entities) never happens;
//   - an entity reference other than &amp; &lt; &gt; &quot; &apos; or a character reference
//     (&#N; &#xH;) to a character other than NUL, in text or an attribute value;
//   - more than `limits.max_elements` start tags or elements nested deeper than
//     `limits.max_depth`;
//   - an unterminated tag, comment, CDATA section or processing instruction.
// Comments, CDATA sections and processing instructions are skipped as XML defines them.
// Well-formedness beyond this (matching end tags, one root) is left to the parser.
Status check_xml_shape(std::string_view body, const XmlLimits& limits);

}  // namespace cv::s3
