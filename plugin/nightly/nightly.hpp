// The nightly job (docs/nightly.md): compute every table for as_of and write
// the snapshot into the target database in one transaction.
#pragma once

#include <string>

#include "core/table.hpp"
#include "engine/engine.hpp"

namespace cskpi {

// Runs the job with the options JSON of cskpi_nightly (abi/cskpi.h) and
// returns the one-row run summary. Throws BusyError when another run holds
// the lock, CancelledError when the progress callback stops it, SourceError /
// ProfileError / ConfigError otherwise; nothing is written unless the whole
// snapshot is.
Table run_nightly(Engine &engine, const std::string &options_json);

}  // namespace cskpi
