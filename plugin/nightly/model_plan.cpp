#include "nightly/model_plan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include <soci/soci.h>

#include "core/calendar.hpp"
#include "source/backend.hpp"
#include "source/database.hpp"

namespace cskpi {
namespace {

using incremental::ModelFileError;

// The model_digest of the latest succeeded run: nullopt when there is no
// such run, "" when it saved no model.
std::optional<std::string> last_digest(Target &db) {
  std::string digest;
  soci::indicator ind = soci::i_null;
  long long id = 0;
  db.sql() << "SELECT id, model_digest FROM cskpi_run WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1",
      soci::into(id), soci::into(digest, ind);
  if (!db.sql().got_data()) return std::nullopt;
  return ind == soci::i_null ? std::string() : digest;
}

// Whole UTC days from the day of `utc` ('YYYY-MM-DD HH:MM:SS') to today.
long long days_since(const std::string &utc) {
  const long long then = source_detail::strict_iso_seconds(utc);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  if (then == source_detail::kBadValue) return 1LL << 40;
  return now / 86400 - then / 86400;  // both after 1970
}

// The reason a run reads in full although it could go through the model;
// "" when the saved model in plan is usable. Fills plan.model when it is.
std::string full_reason(Target &db, const Settings &s, const NightlyOptions &o, ModelPlan &plan,
                        const incremental::ModelIdentity &identity,
                        const std::function<void(const std::string &)> &warn) {
  if (o.full) return "forced";
  const auto expected = last_digest(db);
  if (!expected || expected->empty()) return "no_model";
  std::string digest;
  try {
    plan.model = incremental::read_model(plan.path, identity, digest);
  } catch (const ModelFileError &e) {
    if (e.reason != "no_model") warn("nightly: the saved model " + plan.path + " is not used: " + e.what());
    return e.reason + ": " + e.what();
  }
  // A file from a run that did not commit, or one whose rename failed.
  if (digest != *expected) return "model_stale: the file is not the model of the latest succeeded run";
  if (days_since(plan.model.full_read_at) >= s.nightly.full_every_days)
    return "full_every_days: last full run " + plan.model.full_read_at.substr(0, 10);
  return {};
}

void fsync_directory(const std::filesystem::path &dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string model_path(const Settings &s) {
  if (!s.nightly.model_path.empty()) return s.nightly.model_path;
  if (s.target.backend != dialect_name(Dialect::sqlite3)) return {};
  const std::string file = sqlite_file(s.target.connection);
  return file.empty() || file == ":memory:" ? std::string() : file + ".cskpi-model";
}

ModelPlan plan_model(Target &db, const Settings &s, const Profile &p, const NightlyOptions &o,
                     const std::function<void(const std::string &)> &warn) {
  ModelPlan plan;
  if (p.changes.empty()) return plan;  // nothing captured: every run is what a full run is
  if (s.source.backend == dialect_name(Dialect::mysql)) {
    plan.fallback = "unsupported_backend: mysql";
    return plan;
  }
  plan.path = model_path(s);
  if (plan.path.empty()) {
    plan.fallback = "no_model_path";
    return plan;
  }
  plan.through_model = true;
  const auto identity = incremental::model_identity(p, s);
  plan.fallback = full_reason(db, s, o, plan, identity, warn);
  plan.incremental = plan.fallback.empty();
  if (!plan.incremental) plan.model = incremental::Model{};
  plan.model.identity = identity;
  return plan;
}

std::string save_model_tmp(const ModelPlan &plan) {
  return incremental::write_model(plan.model, plan.path + ".tmp");
}

void publish_model(const ModelPlan &plan) {
  if (incremental::model_save_fault) incremental::model_save_fault("rename");
  const std::string tmp = plan.path + ".tmp";
  if (std::rename(tmp.c_str(), plan.path.c_str()) != 0)
    throw std::runtime_error("cannot rename " + tmp + " to " + plan.path + ": " + std::strerror(errno));
  fsync_directory(std::filesystem::path(plan.path).parent_path());
}

}  // namespace cskpi
