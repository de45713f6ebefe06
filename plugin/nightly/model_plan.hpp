// Whether a nightly run reads its sources in full or brings the saved model
// up to date (docs/nightly.md "Incremental runs"), and the model file's save
// protocol around the snapshot transaction.
#pragma once

#include <functional>
#include <string>

#include "core/settings.hpp"
#include "incremental/model_file.hpp"
#include "nightly/options.hpp"
#include "nightly/target.hpp"
#include "source/profile.hpp"

namespace cskpi {

struct ModelPlan {
  // The profile declares change capture and the model has a place to be
  // saved: the captured sources are read through the model.
  bool through_model = false;
  bool incremental = false;  // the saved model is used (else: read in full, saved anew)
  std::string fallback;      // why a run that could have been incremental is full; "" otherwise
  std::string path;          // the model file
  incremental::Model model;  // the saved one (incremental), else empty with this run's identity
};

// The model file of a run: nightly.model_path, else "<target file>.cskpi-model"
// for an SQLite target; "" for a PostgreSQL target without it.
std::string model_path(const Settings &s);

// Decides how this run reads (the reasons of docs/nightly.md "Fallback
// reasons"), reading the saved model when it may be used. `warn` is told why
// a saved model is unusable. Reads cskpi_run on the target.
ModelPlan plan_model(Target &db, const Settings &s, const Profile &p, const NightlyOptions &o,
                     const std::function<void(const std::string &)> &warn);

// The save protocol, step 1: the new model into "<path>.tmp", fsynced,
// before the snapshot transaction commits; returns its digest (for
// cskpi_run.model_digest, written in that transaction).
std::string save_model_tmp(const ModelPlan &plan);
// Step 2, after the commit: "<path>.tmp" becomes "<path>" (rename, then the
// directory fsynced). A failure here leaves the old file, whose digest no
// longer matches the latest run: the next run is full, never wrong.
void publish_model(const ModelPlan &plan);

}  // namespace cskpi
