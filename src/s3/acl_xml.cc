#include "s3/acl_xml.h"

#include "s3/xml.h"

namespace cv::s3 {
namespace {

std::unexpected<Error> malformed(std::string message = {}) {
  return fail(ErrorCode::kMalformedACLError, std::move(message));
}

// The value of the grantee's xsi:type attribute, whatever prefix the document bound the
// XML Schema instance namespace to.
std::string_view grantee_type(const pugi::xml_node& grantee) {
  for (const auto attribute : grantee.attributes()) {
    std::string_view name = attribute.name();
    const size_t colon = name.find(':');
    if (colon != std::string_view::npos && name.substr(colon + 1) == "type") {
      return attribute.value();
    }
  }
  return {};
}

Result<Grantee> parse_grantee(const pugi::xml_node& node) {
  const std::string_view type = grantee_type(node);
  Grantee grantee;
  if (type == "CanonicalUser") {
    grantee = Grantee::user(child_text(node, "ID"));
    grantee.display_name = child_text(node, "DisplayName");
    if (grantee.id.empty()) return malformed("A CanonicalUser grantee needs an ID");
  } else if (type == "Group") {
    const std::string uri = child_text(node, "URI");
    if (uri.empty()) return malformed("A Group grantee needs a URI");
    if (!is_known_group(uri)) return fail(ErrorCode::kInvalidArgument, "Invalid group uri", uri);
    grantee = Grantee::group(uri);
  } else if (type == "AmazonCustomerByEmail") {
    grantee = Grantee::by_email(child_text(node, "EmailAddress"));
    if (grantee.email.empty())
      return malformed("An AmazonCustomerByEmail grantee needs an EmailAddress");
  } else {
    return malformed("Unknown grantee type");
  }
  return grantee;
}

}  // namespace

Result<AccessControlList> parse_access_control_policy(std::string_view body) {
  pugi::xml_document doc;
  auto root = parse_xml(doc, body, "AccessControlPolicy");
  if (!root) return malformed();
  AccessControlList acl;
  const auto owner = child(*root, "Owner");
  acl.owner_id = child_text(owner, "ID");
  acl.owner_display_name = child_text(owner, "DisplayName");
  if (acl.owner_id.empty()) return malformed("The ACL needs an Owner with an ID");
  const auto list = child(*root, "AccessControlList");
  for (const auto node : list.children()) {
    if (node.type() != pugi::node_element) continue;
    if (local_name(node) != "Grant") return malformed();
    const auto grantee_node = child(node, "Grantee");
    if (!grantee_node) return malformed("A Grant needs a Grantee");
    const auto permission = parse_permission(child_text(node, "Permission"));
    if (!permission) return malformed("A Grant needs a Permission");
    acl.grants.push_back({CV_TRY(parse_grantee(grantee_node)), *permission});
    if (acl.grants.size() > kMaxAclGrants) return malformed("An ACL has at most 100 grants");
  }
  return acl;
}

std::string write_access_control_policy(const AccessControlList& acl,
                                        const DisplayNames& display_name) {
  XmlWriter xml("AccessControlPolicy");
  auto owner = xml.root().append_child("Owner");
  add_text(owner, "ID", acl.owner_id);
  if (display_name) add_text(owner, "DisplayName", display_name(acl.owner_id));
  auto list = xml.root().append_child("AccessControlList");
  for (const Grant& grant : acl.grants) {
    auto node = list.append_child("Grant");
    auto grantee = node.append_child("Grantee");
    grantee.append_attribute("xmlns:xsi") = std::string(kXsiNamespace).c_str();
    switch (grant.grantee.type) {
      case GranteeType::kCanonicalUser:
        grantee.append_attribute("xsi:type") = "CanonicalUser";
        add_text(grantee, "ID", grant.grantee.id);
        if (display_name) add_text(grantee, "DisplayName", display_name(grant.grantee.id));
        break;
      case GranteeType::kGroup:
        grantee.append_attribute("xsi:type") = "Group";
        add_text(grantee, "URI", grant.grantee.uri);
        break;
      case GranteeType::kEmail:
        grantee.append_attribute("xsi:type") = "AmazonCustomerByEmail";
        add_text(grantee, "EmailAddress", grant.grantee.email);
        break;
    }
    add_text(node, "Permission", permission_name(grant.permission));
  }
  return xml.str();
}

}  // namespace cv::s3
