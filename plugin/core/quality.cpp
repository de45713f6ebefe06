#include "core/quality.hpp"

namespace cskpi {

void DataQuality::add(const std::string &source, const std::string &why, bool skipped, std::int64_t rows) {
  auto &f = findings_[{source, why}];
  f.rows += rows;
  f.skipped = f.skipped || skipped;
}

std::int64_t DataQuality::count(const std::string &source, const std::string &why) const {
  auto it = findings_.find({source, why});
  return it == findings_.end() ? 0 : it->second.rows;
}

}  // namespace cskpi
