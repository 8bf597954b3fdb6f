#include "core/error_document.h"

#include <cstdio>

namespace cv {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      default:
        if (const auto byte = static_cast<unsigned char>(c);
            byte < 0x20 && c != '\t' && c != '\n') {
          char reference[8];
          std::snprintf(reference, sizeof reference, "&#x%x;", static_cast<unsigned>(byte));
          out.append(reference);
        } else {
          out.push_back(c);
        }
    }
  }
}

void append_element(std::string& out, std::string_view name, std::string_view text) {
  out.push_back('<');
  out.append(name);
  out.push_back('>');
  append_escaped(out, text);
  out.append("</");
  out.append(name);
  out.push_back('>');
}

// The element S3 names the missing thing in, for the codes that have one.
std::string_view resource_element(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNoSuchBucket:
    case ErrorCode::kNoSuchLifecycleConfiguration:
    case ErrorCode::kNoSuchCORSConfiguration:
    case ErrorCode::kReplicationConfigurationNotFoundError:
    case ErrorCode::kServerSideEncryptionConfigurationNotFoundError:
      return "BucketName";
    case ErrorCode::kNoSuchKey:
      return "Key";
    case ErrorCode::kNoSuchUpload:
      return "UploadId";
    default:
      return {};
  }
}

struct DocumentParts {
  std::string_view code;
  std::string_view message;
  std::string_view resource;
  std::string_view resource_element;  // empty: <Resource> only
  const std::vector<std::pair<std::string, std::string>>* details = nullptr;
  std::string_view request_id;
};

std::string write(const DocumentParts& parts) {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  xml.append("<Error>");
  append_element(xml, "Code", parts.code);
  append_element(xml, "Message", parts.message);
  if (!parts.resource.empty()) {
    if (!parts.resource_element.empty()) {
      append_element(xml, parts.resource_element, parts.resource);
    }
    append_element(xml, "Resource", parts.resource);
  }
  if (parts.details) {
    for (const auto& [name, value] : *parts.details) append_element(xml, name, value);
  }
  append_element(xml, "RequestId", parts.request_id);
  xml.append("</Error>");
  return xml;
}

}  // namespace

std::string error_document(const Error& error, std::string_view request_id) {
  return write({.code = error_code_name(error.code),
                .message = error.message.empty() ? error_default_message(error.code)
                                                 : std::string_view(error.message),
                .resource = error.resource,
                .resource_element = resource_element(error.code),
                .details = &error.details,
                .request_id = request_id});
}

std::string error_document(std::string_view code, std::string_view message,
                           std::string_view resource, std::string_view request_id) {
  return write({.code = code, .message = message, .resource = resource, .request_id = request_id});
}

}  // namespace cv
