#include "app/trail_service.h"

#include <spdlog/spdlog.h>

namespace cv::app {

TrailService::TrailService(TrailSetup setup, const Config& config)
    : setup_(std::move(setup)), flush_requests_(config.data_dir) {}

Result<std::unique_ptr<TrailService>> TrailService::start(
    const Config& config, vault::Vault& vault, meta::MetaStore& meta,
    const std::string& root_user_id, const Clock& clock,
    decltype(audit::TrailWriterOptions::on_roll) on_roll) {
  auto setup = CV_TRY(trail_setup(config));
  std::unique_ptr<TrailService> service(new TrailService(std::move(setup), config));
  if (!config.trail.bucket.empty()) {
    service->bucket_ = CV_TRY(VaultTrailBucket::open(vault, config.trail.bucket, root_user_id));
  }
  audit::TrailWriterOptions options = trail_writer_options(config, service->setup_);
  options.on_roll = std::move(on_roll);
  service->writer_ = std::make_unique<audit::TrailWriter>(
      meta, clock, service->setup_.key, service->bucket_.get(), std::move(options));
  CV_TRY(service->writer_->start());
  TrailService* self = service.get();
  service->answering_.emplace(std::chrono::milliseconds(100), [self] {
    if (auto request = self->flush_requests_.pending()) {
      const Status flushed = self->writer_->flush();
      if (!flushed) spdlog::error("trail flush failed: {}", flushed.error().message);
      self->flush_requests_.answer(*request, flushed);
    }
  });
  return service;
}

TrailService::~TrailService() {
  answering_.reset();
  if (writer_) writer_->stop();
}

}  // namespace cv::app
