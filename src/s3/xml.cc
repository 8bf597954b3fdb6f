#include "s3/xml.h"

#include <sys/mman.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <sstream>

namespace cv::s3 {
namespace {

// pugixml stores text NUL-terminated and writes control characters as decimal references
// (&#1;); S3 writes them as hexadecimal references (&#x1;, &#xd;). add_text stores such a
// character as kMarker followed by the character + 0x40 (and a literal kMarker byte as two),
// and XmlWriter::str() turns the pairs into references. 0xFF never occurs in UTF-8, so the
// doubling is only for text that is not UTF-8.
constexpr char kMarker = '\xFF';

bool needs_reference(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n'; }

std::string mark_controls(std::string_view text) {
  std::string marked;
  marked.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (needs_reference(byte)) {
      marked += kMarker;
      marked += static_cast<char>(byte + 0x40);
    } else if (c == kMarker) {
      marked += kMarker;
      marked += kMarker;
    } else {
      marked += c;
    }
  }
  return marked;
}

std::string unmark_controls(const std::string& marked) {
  if (marked.find(kMarker) == std::string::npos) return marked;
  std::string out;
  out.reserve(marked.size() + 16);
  for (size_t i = 0; i < marked.size(); ++i) {
    if (marked[i] != kMarker || i + 1 == marked.size()) {
      out += marked[i];
      continue;
    }
    const char next = marked[++i];
    if (next == kMarker) {
      out += kMarker;
    } else {
      char reference[8];
      std::snprintf(reference, sizeof reference, "&#x%x;", static_cast<unsigned>(next) - 0x40);
      out += reference;
    }
  }
  return out;
}

// pugixml allocates its pages (32 KiB) and its copy of the parsed buffer through these. Blocks
// of kMapThreshold bytes or more are mapped and unmapped on their own, so the memory a parsed
// document took is returned to the system when the document is destroyed instead of staying
// in one of the worker threads' malloc arenas. The header keeps the mapping's size.
constexpr size_t kMapThreshold = 16 * 1024;
constexpr size_t kHeader = alignof(std::max_align_t);

void* allocate_block(size_t size) {
  const size_t total = size + kHeader;
  void* block = nullptr;
  if (total >= kMapThreshold) {
    block = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) return nullptr;
  } else {
    block = std::malloc(total);
    if (!block) return nullptr;
  }
  *static_cast<size_t*>(block) = total;
  return static_cast<char*>(block) + kHeader;
}

void free_block(void* pointer) {
  if (!pointer) return;
  void* block = static_cast<char*>(pointer) - kHeader;
  const size_t total = *static_cast<size_t*>(block);
  if (total >= kMapThreshold) {
    munmap(block, total);
  } else {
    std::free(block);
  }
}

// pugixml's allocation hooks are process-wide; every document goes through this file, which
// sets them before its first document.
void use_mapped_blocks() {
  static std::once_flag once;
  std::call_once(once, [] { pugi::set_memory_management_functions(allocate_block, free_block); });
}

}  // namespace

XmlWriter::XmlWriter(std::string_view root_name, bool with_namespace) {
  use_mapped_blocks();
  auto decl = doc_.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  root_ = doc_.append_child(std::string(root_name).c_str());
  if (with_namespace) root_.append_attribute("xmlns") = std::string(kS3Namespace).c_str();
}

std::string XmlWriter::str() const {
  std::ostringstream out;
  doc_.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return unmark_controls(out.str());
}

pugi::xml_node add_text(pugi::xml_node parent, std::string_view name, std::string_view text) {
  auto node = parent.append_child(std::string(name).c_str());
  node.append_child(pugi::node_pcdata).set_value(mark_controls(text).c_str());
  return node;
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

Result<pugi::xml_node> parse_xml(pugi::xml_document& doc, std::string_view body,
                                 std::string_view root_name, const XmlLimits& limits) {
  use_mapped_blocks();
  CV_TRY(check_xml_shape(body, limits));
  const auto parsed =
      // parse_ws_pcdata_single: an element whose whole text is whitespace keeps it (a key
      // " " is a key); whitespace between elements is still dropped.
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                      pugi::encoding_utf8);
  if (!parsed) return fail(ErrorCode::kMalformedXML);
  auto root = doc.document_element();
  if (!root || local_name(root) != root_name) return fail(ErrorCode::kMalformedXML);
  return root;
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (auto node : parent.children()) {
    if (node.type() == pugi::node_element && local_name(node) == name) return node;
  }
  return {};
}

std::string child_text(const pugi::xml_node& parent, std::string_view name) {
  return child(parent, name).text().get();
}

}  // namespace cv::s3
