#include "remote/s3_documents.h"

#include <charconv>
#include <pugixml.hpp>
#include <sstream>

namespace cv::remote {
namespace {

bool load(pugi::xml_document& doc, std::string_view body) {
  // parse_default has no DOCTYPE processing and expands only the predefined entities.
  return doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
}

template <class T>
bool to_number(std::string_view text, T& out) {
  return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), out).ptr ==
                              text.data() + text.size();
}

std::string text_of(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().get();
}

}  // namespace

std::string unquote_etag(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

std::optional<ErrorDocument> parse_error_document(std::string_view body) {
  pugi::xml_document doc;
  if (body.empty() || !load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "Error") return std::nullopt;
  return ErrorDocument{text_of(root, "Code"), text_of(root, "Message"), text_of(root, "Resource"),
                       text_of(root, "RequestId")};
}

std::optional<std::string> parse_upload_id(std::string_view body) {
  pugi::xml_document doc;
  if (!load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "InitiateMultipartUploadResult") return std::nullopt;
  std::string id = text_of(root, "UploadId");
  if (id.empty()) return std::nullopt;
  return id;
}

std::optional<PartsPage> parse_parts_page(std::string_view body) {
  pugi::xml_document doc;
  if (!load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "ListPartsResult") return std::nullopt;
  PartsPage page;
  page.truncated = std::string_view(root.child("IsTruncated").text().get()) == "true";
  const std::string next = text_of(root, "NextPartNumberMarker");
  if (!next.empty() && !to_number(next, page.next_marker)) return std::nullopt;
  for (pugi::xml_node part : root.children("Part")) {
    ListedPart listed;
    if (!to_number(std::string_view(part.child("PartNumber").text().get()), listed.part_number) ||
        !to_number(std::string_view(part.child("Size").text().get()), listed.size)) {
      return std::nullopt;
    }
    listed.etag = unquote_etag(part.child("ETag").text().get());
    if (listed.etag.empty()) return std::nullopt;
    page.parts.push_back(std::move(listed));
  }
  return page;
}

std::optional<UploadsPage> parse_uploads_page(std::string_view body) {
  pugi::xml_document doc;
  if (!load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "ListMultipartUploadsResult") return std::nullopt;
  UploadsPage page;
  page.truncated = std::string_view(root.child("IsTruncated").text().get()) == "true";
  page.next_key_marker = text_of(root, "NextKeyMarker");
  page.next_upload_id_marker = text_of(root, "NextUploadIdMarker");
  if (page.truncated && page.next_key_marker.empty()) return std::nullopt;
  for (pugi::xml_node upload : root.children("Upload")) {
    ListedUpload listed{text_of(upload, "Key"), text_of(upload, "UploadId")};
    if (listed.key.empty() || listed.upload_id.empty()) return std::nullopt;
    page.uploads.push_back(std::move(listed));
  }
  return page;
}

std::optional<ObjectsPage> parse_objects_page(std::string_view body) {
  pugi::xml_document doc;
  if (!load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "ListBucketResult") return std::nullopt;
  ObjectsPage page;
  page.truncated = std::string_view(root.child("IsTruncated").text().get()) == "true";
  page.next_continuation_token = text_of(root, "NextContinuationToken");
  if (page.truncated && page.next_continuation_token.empty()) return std::nullopt;
  for (pugi::xml_node object : root.children("Contents")) {
    ListedObject listed;
    listed.key = object.child("Key").text().get();
    if (listed.key.empty() ||
        !to_number(std::string_view(object.child("Size").text().get()), listed.size)) {
      return std::nullopt;
    }
    listed.etag = unquote_etag(object.child("ETag").text().get());
    page.objects.push_back(std::move(listed));
  }
  return page;
}

std::optional<std::string> parse_complete_etag(std::string_view body) {
  pugi::xml_document doc;
  if (!load(doc, body)) return std::nullopt;
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "CompleteMultipartUploadResult") return std::nullopt;
  std::string etag = unquote_etag(root.child("ETag").text().get());
  if (etag.empty()) return std::nullopt;
  return etag;
}

std::string complete_document(const std::vector<ListedPart>& parts) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("CompleteMultipartUpload");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  for (const ListedPart& part : parts) {
    pugi::xml_node node = root.append_child("Part");
    node.append_child("PartNumber").text().set(std::to_string(part.part_number).c_str());
    node.append_child("ETag").text().set(("\"" + part.etag + "\"").c_str());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

std::string tagging_document(const std::vector<std::pair<std::string, std::string>>& tags) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Tagging");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  pugi::xml_node set = root.append_child("TagSet");
  for (const auto& [key, value] : tags) {
    pugi::xml_node tag = set.append_child("Tag");
    tag.append_child("Key").text().set(key.c_str());
    tag.append_child("Value").text().set(value.c_str());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

}  // namespace cv::remote
