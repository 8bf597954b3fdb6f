// ACLs (s3/acl.h, acl_headers.h, acl_xml.h, object_ownership.h): canned expansion, grant
// headers, the AccessControlPolicy document (vectors from AWS's API pages), and the pure
// questions the authorizer asks.
#include "s3/acl.h"

#include <gtest/gtest.h>

#include <string>

#include "s3/acl_headers.h"
#include "s3/acl_xml.h"
#include "s3/object_ownership.h"

namespace cv::s3 {
namespace {

const std::string kOwner = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
const std::string kBucketOwner = "852b113e7a2f25102679df27bb0ae12b3f85be6f290b936c4393484be31bebcc";
const std::string kOther = "0000000000000000000000000000000000000000000000000000000000000abc";

Grant user_grant(const std::string& id, AclPermission permission) {
  return {Grantee::user(id), permission};
}
Grant group_grant(std::string_view uri, AclPermission permission) {
  return {Grantee::group(uri), permission};
}

// --- canned ACLs ------------------------------------------------------------------------

TEST(CannedAcl, ParsesS3NamesOnly) {
  EXPECT_EQ(parse_canned_acl("private"), CannedAcl::kPrivate);
  EXPECT_EQ(parse_canned_acl("public-read-write"), CannedAcl::kPublicReadWrite);
  EXPECT_EQ(parse_canned_acl("bucket-owner-full-control"), CannedAcl::kBucketOwnerFullControl);
  EXPECT_EQ(parse_canned_acl("log-delivery-write"), CannedAcl::kLogDeliveryWrite);
  EXPECT_FALSE(parse_canned_acl("Private"));
  EXPECT_FALSE(parse_canned_acl("public"));
  EXPECT_FALSE(parse_canned_acl(""));
}

TEST(CannedAcl, ExpandsAsS3Documents) {
  const Grant owner_full = user_grant(kOwner, AclPermission::kFullControl);
  EXPECT_EQ(expand_canned_acl(CannedAcl::kPrivate, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kPublicRead, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full, group_grant(kAllUsersGroup, AclPermission::kRead)}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kPublicReadWrite, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full, group_grant(kAllUsersGroup, AclPermission::kRead),
                                group_grant(kAllUsersGroup, AclPermission::kWrite)}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kAuthenticatedRead, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full,
                                group_grant(kAuthenticatedUsersGroup, AclPermission::kRead)}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kBucketOwnerRead, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full, user_grant(kBucketOwner, AclPermission::kRead)}));
  EXPECT_EQ(
      expand_canned_acl(CannedAcl::kBucketOwnerFullControl, kOwner, kBucketOwner).grants,
      (std::vector<Grant>{owner_full, user_grant(kBucketOwner, AclPermission::kFullControl)}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kLogDeliveryWrite, kOwner, kBucketOwner).grants,
            (std::vector<Grant>{owner_full, group_grant(kLogDeliveryGroup, AclPermission::kWrite),
                                group_grant(kLogDeliveryGroup, AclPermission::kReadAcp)}));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kPublicRead, kOwner, kBucketOwner).owner_id, kOwner);
}

TEST(CannedAcl, BucketOwnerAclsAddNothingForTheBucketOwnerItself) {
  // On a bucket, or an object the bucket owner writes, S3 ignores them.
  EXPECT_EQ(expand_canned_acl(CannedAcl::kBucketOwnerFullControl, kOwner, kOwner),
            owner_full_control(kOwner));
  EXPECT_EQ(expand_canned_acl(CannedAcl::kBucketOwnerRead, kOwner, kOwner),
            owner_full_control(kOwner));
}

// --- grant headers ----------------------------------------------------------------------

Headers headers_of(std::initializer_list<std::pair<std::string, std::string>> fields) {
  Headers headers;
  for (const auto& [name, value] : fields) headers.add(name, value);
  return headers;
}

TEST(GrantHeaders, NoneMeansNoAcl) {
  auto requested = acl_from_headers(headers_of({{"content-type", "text/plain"}}));
  ASSERT_TRUE(requested);
  EXPECT_FALSE(requested->has_value());
}

TEST(GrantHeaders, ParsesAwsExamples) {
  // PutObjectAcl's example headers.
  auto requested = acl_from_headers(headers_of({
      {"x-amz-grant-write",
       "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\", emailAddress=\"xyz@amazon.com\""},
      {"x-amz-grant-full-control", "id=\"" + kOther + "\""},
      {"x-amz-grant-read", "emailAddress=\"xyz@amazon.com\",emailAddress=\"abc@amazon.com\""},
  }));
  ASSERT_TRUE(requested && requested->has_value()) << requested.error().message;
  EXPECT_FALSE((*requested)->canned);
  const std::vector<Grant> expected = {
      {Grantee::by_email("xyz@amazon.com"), AclPermission::kRead},
      {Grantee::by_email("abc@amazon.com"), AclPermission::kRead},
      {Grantee::group(kLogDeliveryGroup), AclPermission::kWrite},
      {Grantee::by_email("xyz@amazon.com"), AclPermission::kWrite},
      {Grantee::user(kOther), AclPermission::kFullControl},
  };
  EXPECT_EQ((*requested)->grants, expected);
  const auto acl = requested_acl_for(**requested, kOwner, kBucketOwner);
  EXPECT_EQ(acl.owner_id, kOwner);
  EXPECT_EQ(acl.grants, expected);  // exactly the explicit grants
}

TEST(GrantHeaders, EveryPermissionHeader) {
  auto requested = acl_from_headers(headers_of({
      {"x-amz-grant-read-acp", "id=" + kOther},  // quotes are optional
      {"x-amz-grant-write-acp", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""},
  }));
  ASSERT_TRUE(requested && requested->has_value());
  EXPECT_EQ((*requested)->grants,
            (std::vector<Grant>{user_grant(kOther, AclPermission::kReadAcp),
                                group_grant(kAllUsersGroup, AclPermission::kWriteAcp)}));
}

TEST(GrantHeaders, CannedAcl) {
  auto requested = acl_from_headers(headers_of({{"x-amz-acl", "public-read"}}));
  ASSERT_TRUE(requested && requested->has_value());
  EXPECT_EQ((*requested)->canned, CannedAcl::kPublicRead);
  EXPECT_EQ(requested_acl_for(**requested, kOwner, kBucketOwner),
            expand_canned_acl(CannedAcl::kPublicRead, kOwner, kBucketOwner));
}

TEST(GrantHeaders, Refusals) {
  auto both = acl_from_headers(
      headers_of({{"x-amz-acl", "private"}, {"x-amz-grant-read", "id=\"" + kOther + "\""}}));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidRequest);
  for (const std::string& bad :
       {std::string("nobody"), std::string("id=\"\""), std::string("name=\"x\""),
        std::string("id=\"a\"b\""), std::string("uri=\"http://acs.amazonaws.com/groups/x\""),
        std::string("id=\"a\",")}) {
    auto parsed = acl_from_headers(headers_of({{"x-amz-grant-read", bad}}));
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  auto unknown = acl_from_headers(headers_of({{"x-amz-acl", "everyone"}}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

// --- the AccessControlPolicy document ---------------------------------------------------

// GetBucketAcl's example response.
constexpr std::string_view kGetBucketAclExample = R"(<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy>
  <Owner>
    <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
    <DisplayName>CustomersName@amazon.com</DisplayName>
  </Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
			xsi:type="CanonicalUser">
        <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
        <DisplayName>CustomersName@amazon.com</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>)";

// PutObjectAcl's example request body.
constexpr std::string_view kPutObjectAclExample =
    R"(<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner>
    <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
    <DisplayName>CustomersName@amazon.com</DisplayName>
  </Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
        <DisplayName>CustomerName@amazon.com</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="AmazonCustomerByEmail">
        <EmailAddress>xyz@amazon.com</EmailAddress>
      </Grantee>
      <Permission>WRITE_ACP</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">
        <URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>
      </Grantee>
      <Permission>READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>)";

TEST(AclXml, ParsesAwsExamples) {
  auto bucket_acl = parse_access_control_policy(kGetBucketAclExample);
  ASSERT_TRUE(bucket_acl) << bucket_acl.error().message;
  EXPECT_EQ(bucket_acl->owner_id, kOwner);
  EXPECT_EQ(bucket_acl->owner_display_name, "CustomersName@amazon.com");
  ASSERT_EQ(bucket_acl->grants.size(), 1u);
  EXPECT_EQ(bucket_acl->grants[0].grantee.id, kOwner);
  EXPECT_EQ(bucket_acl->grants[0].permission, AclPermission::kFullControl);

  auto object_acl = parse_access_control_policy(kPutObjectAclExample);
  ASSERT_TRUE(object_acl) << object_acl.error().message;
  ASSERT_EQ(object_acl->grants.size(), 3u);
  EXPECT_EQ(object_acl->grants[1].grantee, Grantee::by_email("xyz@amazon.com"));
  EXPECT_EQ(object_acl->grants[1].permission, AclPermission::kWriteAcp);
  EXPECT_EQ(object_acl->grants[2], group_grant(kAllUsersGroup, AclPermission::kRead));
}

TEST(AclXml, WritesS3sDocumentAndRoundTrips) {
  AccessControlList acl = owner_full_control(kOwner);
  acl.grants.push_back(group_grant(kAllUsersGroup, AclPermission::kRead));
  acl.grants.push_back({Grantee::by_email("xyz@amazon.com"), AclPermission::kWriteAcp});
  const std::string written = write_access_control_policy(
      acl, [](std::string_view id) { return "name-" + std::string(id.substr(0, 4)); });
  EXPECT_EQ(written,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Owner><ID>" +
                kOwner +
                "</ID><DisplayName>name-75aa</DisplayName></Owner>"
                "<AccessControlList>"
                "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:type=\"CanonicalUser\"><ID>" +
                kOwner +
                "</ID><DisplayName>name-75aa</DisplayName>"
                "</Grantee><Permission>FULL_CONTROL</Permission></Grant>"
                "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>"
                "</Grantee><Permission>READ</Permission></Grant>"
                "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>xyz@amazon.com</EmailAddress>"
                "</Grantee><Permission>WRITE_ACP</Permission></Grant>"
                "</AccessControlList></AccessControlPolicy>");
  // The stored form has no display names and reads back as it was.
  const std::string stored = write_access_control_policy(acl);
  EXPECT_EQ(stored.find("DisplayName"), std::string::npos);
  auto back = parse_access_control_policy(stored);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, acl);
}

TEST(AclXml, AnyPrefixForTheSchemaInstanceNamespace) {
  auto acl = parse_access_control_policy(
      "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>"
      "<Grantee xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:type=\"CanonicalUser\">"
      "<ID>u</ID></Grantee><Permission>READ_ACP</Permission></Grant></AccessControlList>"
      "</AccessControlPolicy>");
  ASSERT_TRUE(acl) << acl.error().message;
  EXPECT_EQ(acl->grants, (std::vector<Grant>{user_grant("u", AclPermission::kReadAcp)}));
}

TEST(AclXml, MalformedDocuments) {
  auto grant = [](std::string_view grantee, std::string_view permission = "READ") {
    return "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>" +
           std::string(grantee) + "<Permission>" + std::string(permission) +
           "</Permission></Grant></AccessControlList></AccessControlPolicy>";
  };
  const std::string user =
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:type=\"CanonicalUser\"><ID>u</ID></Grantee>";
  ASSERT_TRUE(parse_access_control_policy(grant(user)));
  const std::vector<std::string> malformed = {
      "not xml",
      "<Other/>",
      "<AccessControlPolicy><AccessControlList/></AccessControlPolicy>",  // no owner
      grant(user, "EVERYTHING"),
      grant(user, ""),
      grant("<Grantee><ID>u</ID></Grantee>"),  // no xsi:type
      grant("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:type=\"Robot\"><ID>u</ID></Grantee>"),
      grant("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:type=\"CanonicalUser\"></Grantee>"),
      grant("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:type=\"AmazonCustomerByEmail\"><ID>u</ID></Grantee>"),
      "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>"
      "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
  };
  for (const std::string& body : malformed) {
    auto parsed = parse_access_control_policy(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedACLError) << body;
  }
  auto unknown_group = parse_access_control_policy(grant(
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/Robots</URI></Grantee>"));
  ASSERT_FALSE(unknown_group);
  EXPECT_EQ(unknown_group.error().code, ErrorCode::kInvalidArgument);

  std::string many = "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList>";
  for (int i = 0; i <= 100; ++i) many += "<Grant>" + user + "<Permission>READ</Permission></Grant>";
  many += "</AccessControlList></AccessControlPolicy>";
  auto too_many = parse_access_control_policy(many);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::kMalformedACLError);
}

// --- the authorizer's questions ---------------------------------------------------------

TEST(AclPermits, GrantsByUserGroupAndFullControl) {
  AccessControlList acl = owner_full_control(kOwner);
  acl.grants.push_back(user_grant(kOther, AclPermission::kRead));
  const AclCaller owner = AclCaller::user(kOwner);
  const AclCaller other = AclCaller::user(kOther);
  const AclCaller stranger = AclCaller::user(kBucketOwner);
  const AclCaller nobody = AclCaller::nobody();
  for (auto permission : {AclPermission::kRead, AclPermission::kWrite, AclPermission::kReadAcp,
                          AclPermission::kWriteAcp, AclPermission::kFullControl}) {
    EXPECT_TRUE(acl_permits(acl, owner, permission));
    EXPECT_FALSE(acl_permits(acl, stranger, permission));
    EXPECT_FALSE(acl_permits(acl, nobody, permission));
  }
  EXPECT_TRUE(acl_permits(acl, other, AclPermission::kRead));
  EXPECT_FALSE(acl_permits(acl, other, AclPermission::kWrite));
  EXPECT_FALSE(acl_permits(acl, other, AclPermission::kReadAcp));

  acl.grants.push_back(group_grant(kAuthenticatedUsersGroup, AclPermission::kWrite));
  EXPECT_TRUE(acl_permits(acl, stranger, AclPermission::kWrite));
  EXPECT_FALSE(acl_permits(acl, nobody, AclPermission::kWrite));
  acl.grants.push_back(group_grant(kAllUsersGroup, AclPermission::kReadAcp));
  EXPECT_TRUE(acl_permits(acl, nobody, AclPermission::kReadAcp));
  EXPECT_FALSE(acl_permits(acl, nobody, AclPermission::kRead));
  // LogDelivery and unresolved e-mail grantees are nobody's callers.
  AccessControlList log = owner_full_control(kOwner);
  log.grants.push_back(group_grant(kLogDeliveryGroup, AclPermission::kFullControl));
  log.grants.push_back({Grantee::by_email("x@example.com"), AclPermission::kFullControl});
  EXPECT_FALSE(acl_permits(log, stranger, AclPermission::kRead));
  EXPECT_FALSE(acl_permits(log, nobody, AclPermission::kRead));
}

TEST(AclPermits, TheOwnerMayAlwaysReadAndWriteTheAcl) {
  AccessControlList acl;
  acl.owner_id = kOwner;
  acl.grants.push_back(user_grant(kOther, AclPermission::kFullControl));
  EXPECT_TRUE(acl_permits(acl, AclCaller::user(kOwner), AclPermission::kReadAcp));
  EXPECT_TRUE(acl_permits(acl, AclCaller::user(kOwner), AclPermission::kWriteAcp));
  EXPECT_FALSE(acl_permits(acl, AclCaller::user(kOwner), AclPermission::kRead));
  EXPECT_TRUE(acl_permits(acl, AclCaller::user(kOther), AclPermission::kWrite));
}

TEST(AclIsPublic, AllUsersOrAuthenticatedUsers) {
  EXPECT_FALSE(acl_is_public(owner_full_control(kOwner)));
  EXPECT_TRUE(acl_is_public(expand_canned_acl(CannedAcl::kPublicRead, kOwner, "")));
  EXPECT_TRUE(acl_is_public(expand_canned_acl(CannedAcl::kAuthenticatedRead, kOwner, "")));
  EXPECT_FALSE(acl_is_public(expand_canned_acl(CannedAcl::kLogDeliveryWrite, kOwner, "")));
  EXPECT_FALSE(
      acl_is_public(expand_canned_acl(CannedAcl::kBucketOwnerFullControl, kOwner, kBucketOwner)));
}

TEST(AclPermissionFor, S3sMapping) {
  struct Case {
    std::string_view action;
    bool on_object;
    std::optional<AclPermission> permission;
  };
  const Case cases[] = {
      {"s3:ListBucket", false, AclPermission::kRead},
      {"s3:ListBucketVersions", false, AclPermission::kRead},
      {"s3:ListBucketMultipartUploads", false, AclPermission::kRead},
      {"s3:PutObject", false, AclPermission::kWrite},
      {"s3:DeleteObject", false, AclPermission::kWrite},
      {"s3:DeleteObjectVersion", false, AclPermission::kWrite},
      {"s3:GetBucketAcl", false, AclPermission::kReadAcp},
      {"s3:PutBucketAcl", false, AclPermission::kWriteAcp},
      {"s3:GetObject", true, AclPermission::kRead},
      {"s3:GetObjectVersion", true, AclPermission::kRead},
      {"s3:GetObjectAcl", true, AclPermission::kReadAcp},
      {"s3:GetObjectVersionAcl", true, AclPermission::kReadAcp},
      {"s3:PutObjectAcl", true, AclPermission::kWriteAcp},
      {"s3:PutObjectVersionAcl", true, AclPermission::kWriteAcp},
      // Not through the other resource's ACL, and never configuration calls.
      {"s3:GetObject", false, std::nullopt},
      {"s3:PutObject", true, std::nullopt},
      {"s3:ListBucket", true, std::nullopt},
      {"s3:PutBucketPolicy", false, std::nullopt},
      {"s3:PutBucketOwnershipControls", false, std::nullopt},
      {"s3:PutObjectTagging", true, std::nullopt},
      {"s3:*", false, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(acl_permission_for(c.action, c.on_object), c.permission) << c.action;
  }
}

TEST(AclIsBucketOwnerFullControl, WhatBucketOwnerEnforcedAccepts) {
  EXPECT_TRUE(acl_is_bucket_owner_full_control(owner_full_control(kBucketOwner), kBucketOwner));
  EXPECT_TRUE(acl_is_bucket_owner_full_control(
      expand_canned_acl(CannedAcl::kBucketOwnerFullControl, kOwner, kBucketOwner), kBucketOwner));
  // private from another writer leaves the bucket owner out.
  EXPECT_FALSE(acl_is_bucket_owner_full_control(owner_full_control(kOwner), kBucketOwner));
  EXPECT_FALSE(acl_is_bucket_owner_full_control(
      expand_canned_acl(CannedAcl::kBucketOwnerRead, kOwner, kBucketOwner), kBucketOwner));
  EXPECT_FALSE(acl_is_bucket_owner_full_control(
      expand_canned_acl(CannedAcl::kPublicRead, kBucketOwner, kBucketOwner), kBucketOwner));
}

// --- ownership controls -----------------------------------------------------------------

TEST(OwnershipControls, ParseAndWrite) {
  for (auto ownership : {ObjectOwnership::kBucketOwnerEnforced,
                         ObjectOwnership::kBucketOwnerPreferred, ObjectOwnership::kObjectWriter}) {
    auto parsed = parse_ownership_controls(write_ownership_controls(ownership));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, ownership);
  }
  EXPECT_EQ(write_ownership_controls(ObjectOwnership::kObjectWriter),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OwnershipControls "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ObjectOwnership>"
            "ObjectWriter</ObjectOwnership></Rule></OwnershipControls>");
  for (const std::string& bad :
       {std::string("<OwnershipControls/>"),
        std::string("<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule>"
                    "</OwnershipControls>"),
        std::string("<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership>"
                    "</Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"
                    "</OwnershipControls>")}) {
    auto parsed = parse_ownership_controls(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedXML);
  }
}

}  // namespace
}  // namespace cv::s3
