// PutBucketReplication, GetBucketReplication, DeleteBucketReplication.
#include "s3/call.h"
#include "s3/replication_xml.h"
#include "s3/request_body.h"

namespace cv::s3 {

Result<Response> put_bucket_replication(const Services& services, Call& call) {
  // S3 requires Content-MD5 (or an x-amz-checksum-*) on PutBucketReplication.
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kRequired));
  const auto config = CV_TRY(parse_replication_configuration(body));
  static const vault::NoReplicationRemotes kNoRemotes;
  const vault::ReplicationRemoteCatalog& remotes = services.options.replication_remotes != nullptr
                                                       ? *services.options.replication_remotes
                                                       : kNoRemotes;
  CV_TRY(services.vault.put_replication(call.route.bucket, config, remotes));
  return empty_response(200);
}

Result<Response> get_bucket_replication(const Services& services, Call& call) {
  const auto config = CV_TRY(services.vault.replication(call.route.bucket));
  if (!config) {
    return fail(ErrorCode::kReplicationConfigurationNotFoundError,
                "The replication configuration was not found", call.route.bucket);
  }
  return xml_response(replication_configuration_xml(*config));
}

Result<Response> delete_bucket_replication(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_replication(call.route.bucket));
  return empty_response(204);
}

}  // namespace cv::s3
