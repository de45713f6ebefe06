// load_dataset: the source layer's entry point (loader.hpp). It checks its
// arguments and hands the load to the one-connection load or to the
// two-connection one (load_steps.hpp), which falls back to the first.
#include "source/loader.hpp"

#include <soci/soci.h>

#include "core/errors.hpp"
#include "source/backend.hpp"
#include "source/load_steps.hpp"

namespace cskpi {

Dataset load_dataset(soci::session &db, Dialect dialect, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks, ModelLoad *through) {
  using namespace source_detail;
  if (db.get_backend_name() != dialect_name(dialect))
    throw ConfigError("the session is a " + db.get_backend_name() + " session, not " + dialect_name(dialect));
  if (as_of == kNoDay) throw ConfigError("as_of is not resolved");
  auto impl = make_backend(dialect, db);
  if (through) return load_sequential(*impl, p, s, as_of, hooks, false, through);
  if (hooks.second_session) return load_shared_snapshot(*impl, p, s, as_of, hooks);
  return load_sequential(*impl, p, s, as_of, hooks, false);
}

Dataset load_dataset(soci::session &db, std::string_view backend, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks, ModelLoad *through) {
  return load_dataset(db, parse_dialect(backend), p, s, as_of, hooks, through);
}

}  // namespace cskpi
