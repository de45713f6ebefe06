// The load over two connections sharing one snapshot (loader.hpp). The
// PostgreSQL server runs each connection's statements on one backend process
// (one core), and at scale the profile SELECTs of order_lines and invoices are
// most of the load's time; so the caller's thread reads the sources declared
// ReadOn::caller (customers and order_lines, canonical.cpp) on its connection
// while a worker thread reads the others, sequentially in canonical order, on
// a second connection whose transaction imported the first one's snapshot
// (pg_dump -j does the same).
//
// Threads: progress callbacks only ever run on the caller's thread (the
// worker publishes its counts under a mutex); the worker never throws out of
// its thread function (its error is kept and rethrown after joining); and no
// path leaves this file with the worker still running.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "source/load_steps.hpp"

namespace cskpi::source_detail {
namespace {

using namespace std::chrono_literals;

constexpr auto kReportEvery = 100ms;

// ---- merging the worker's part into the caller's Dataset -------------------

// part ids -> into ids, for references that may be `none` (kNoCustomer).
void remap(std::vector<std::uint32_t> &ids, const std::vector<std::uint32_t> &to) {
  for (auto &id : ids)
    if (id != kNoCustomer) id = to[id];
}

// Every customer of the part is implied there (it read no customers). Taken
// in the part's id order, which is first appearance over invoices, tickets,
// feedback and subscriptions, customer_for adds the unknown ones exactly as
// the one-connection load does after order_lines.
std::vector<std::uint32_t> customer_map(Dataset &into, const Dataset &part) {
  std::vector<std::uint32_t> to(part.customers.size());
  for (std::uint32_t i = 0; i < to.size(); ++i) to[i] = into.customer_for(part.customers.ids.name(i), nullptr);
  return to;
}

// The unknown_customer flag the one-connection load gives a source: its kept
// rows whose customer is an implied one.
void flag_unknown(Dataset &d, const std::string &source, const std::vector<std::uint32_t> &customers) {
  std::int64_t n = 0;
  for (auto c : customers) n += c != kNoCustomer && d.customers.known[c] == 0;
  if (n) d.quality.add(source, reason::unknown_customer, false, n);
}

// The worker's sources (ReadOn::worker), each moved in by its declaration
// (canonical.cpp) once its customer references are the caller's.
void merge(Dataset &into, Dataset part) {
  const auto customers = customer_map(into, part);
  for (const auto &src : canonical_sources()) {
    if (src.read_on != ReadOn::worker) continue;
    if (auto *refs = src.rows(part).customer) remap(*refs, customers);
    src.move_into(into, part);
  }
  for (const auto &[key, f] : part.quality.findings()) into.quality.add(key.first, key.second, f.skipped, f.rows);
  for (const auto &src : canonical_sources())
    if (src.read_on == ReadOn::worker && src.refers_to_customers)
      flag_unknown(into, std::string(src.name), *src.rows(into).customer);
  for (auto &r : part.rows_read) into.rows_read.push_back(std::move(r));  // canonical order: the part's come after
  for (const auto &src : canonical_sources())
    if (src.read_on == ReadOn::worker && src.present)
      into.present.*src.present = into.present.*src.present || part.present.*src.present;
  if (into.first_day == kNoDay || (part.first_day != kNoDay && part.first_day < into.first_day))
    into.first_day = part.first_day;
}

// ---- the second connection --------------------------------------------------

struct Worker {
  std::unique_ptr<soci::session> session;
  std::unique_ptr<Backend> backend;
};

void tell(const LoadHooks &hooks, const std::string &why) {
  if (hooks.log) hooks.log("reading every source on one connection: " + why);
}

// The second connection in a transaction on `main`'s snapshot, or nullopt
// (said through hooks.log) with `main`'s transaction still open and unharmed.
std::optional<Worker> open_worker(Backend &main, const LoadHooks &hooks) {
  std::string id;
  try {
    id = main.export_snapshot();
  } catch (const DbFailure &e) {
    // The failed statement aborted the transaction: start it again.
    tell(hooks, std::string("the snapshot could not be exported: ") + e.what());
    main.rollback();
    step(main, "starting the read-only transaction", [&] { main.begin(); });
    return std::nullopt;
  }
  if (id.empty()) return std::nullopt;  // this backend cannot share one
  Worker w;
  try {
    w.session = hooks.second_session();
    if (!w.session) return std::nullopt;
    if (w.session->get_backend_name() != main.name()) {
      tell(hooks, "the second session is " + w.session->get_backend_name() + ", not " + main.name());
      return std::nullopt;
    }
    w.backend = make_backend(main.dialect(), *w.session);
    w.backend->begin_with_snapshot(id);
  } catch (const std::exception &e) {
    if (w.backend) w.backend->rollback();
    tell(hooks, std::string("a second connection could not share the snapshot: ") + e.what());
    return std::nullopt;
  } catch (...) {
    if (w.backend) w.backend->rollback();
    tell(hooks, "a second connection could not share the snapshot");
    return std::nullopt;
  }
  return w;
}

// ---- the two threads --------------------------------------------------------

class SharedSnapshotLoad {
 public:
  SharedSnapshotLoad(Backend &main, Worker worker, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks)
      : main_(main), worker_(std::move(worker)), profile_(p), settings_(s), as_of_(as_of), hooks_(hooks) {}
  SharedSnapshotLoad(const SharedSnapshotLoad &) = delete;
  SharedSnapshotLoad &operator=(const SharedSnapshotLoad &) = delete;
  ~SharedSnapshotLoad() { stop_worker(); }

  // Both transactions are open; both are ended, whatever happens.
  Dataset run() {
    try {
      thread_ = std::thread([this] { worker_main(); });
    } catch (const std::system_error &e) {
      worker_.backend->rollback();
      tell(hooks_, std::string("no worker thread: ") + e.what());
      return load_sequential(main_, profile_, settings_, as_of_, hooks_, true);
    }
    try {
      Dataset data = read_own();
      wait_worker();
      if (error_) std::rethrow_exception(error_);
      merge(data, std::move(part_));
      step(*worker_.backend, "committing the read-only transaction", [&] { worker_.backend->commit(); });
      step(main_, "committing the read-only transaction", [&] { main_.commit(); });
      return data;
    } catch (...) {
      stop_worker();
      worker_.backend->rollback();
      main_.rollback();
      throw;
    }
  }

 private:
  // ---- the caller's thread ----

  Dataset read_own() {
    LoadHooks own;
    if (hooks_.progress)
      own.progress = [this](const std::string &source, std::int64_t rows) {
        if (!hooks_.progress(source, rows)) return false;
        report_worker(false);
        return true;
      };
    return read_sources(main_, profile_, settings_, as_of_, own, ReadOn::caller, true);
  }

  // Passes the worker's counts published since the last call to
  // hooks.progress; `repeat`: the last count again when there is none, so a
  // host can cancel while the worker waits on a long statement.
  void report_worker(bool repeat) {
    if (!hooks_.progress) return;
    std::vector<std::pair<std::string, std::int64_t>> counts;
    {
      std::lock_guard lock(mutex_);
      counts.swap(published_);
    }
    if (counts.empty() && repeat && !last_.first.empty()) counts.push_back(last_);
    for (auto &count : counts) {
      last_ = std::move(count);
      if (!hooks_.progress(last_.first, last_.second))
        throw CancelledError("load cancelled while reading source '" + last_.first + "' (" +
                             std::to_string(last_.second) + " rows read)");
    }
  }

  // Until the worker is done, its counts about every kReportEvery.
  void wait_worker() {
    for (bool done = false; !done;) {
      {
        std::unique_lock lock(mutex_);
        done = done_cv_.wait_for(lock, kReportEvery, [&] { return done_; });
      }
      report_worker(!done);
    }
    thread_.join();
  }

  // Stops and joins a running worker: the flag ends it at its next chunk,
  // cancel() ends the statement it is waiting on (sent again until the
  // worker is done: a cancel that reaches the server between two
  // statements is ignored there).
  void stop_worker() noexcept {
    if (!thread_.joinable()) return;
    stop_ = true;
    for (bool done = false; !done;) {
      worker_.backend->cancel();
      std::unique_lock lock(mutex_);
      done = done_cv_.wait_for(lock, kReportEvery, [&] { return done_; });
    }
    thread_.join();
  }

  // ---- the worker's thread ----

  void worker_main() noexcept {
    std::exception_ptr error;
    try {
      LoadHooks hooks;
      hooks.progress = [this](const std::string &source, std::int64_t rows) { return publish(source, rows); };
      part_ = read_sources(*worker_.backend, profile_, settings_, as_of_, hooks, ReadOn::worker, false);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      error_ = error;
      done_ = true;
    }
    done_cv_.notify_all();
  }

  // One count per source and call of report_worker: the latest.
  bool publish(const std::string &source, std::int64_t rows) {
    if (stop_) return false;  // CancelledError in the worker, which nobody waits for
    std::lock_guard lock(mutex_);
    if (!published_.empty() && published_.back().first == source)
      published_.back().second = rows;
    else
      published_.emplace_back(source, rows);
    return true;
  }

  Backend &main_;
  Worker worker_;
  const Profile &profile_;
  const Settings &settings_;
  Day as_of_;
  const LoadHooks &hooks_;

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable done_cv_;
  // Under mutex_:
  std::vector<std::pair<std::string, std::int64_t>> published_;
  bool done_ = false;
  std::exception_ptr error_;  // written before done_, read after joining
  // The worker's result, read after joining.
  Dataset part_;
  // The caller's thread only: the worker count it reported last.
  std::pair<std::string, std::int64_t> last_;
};

}  // namespace

Dataset load_shared_snapshot(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks) {
  std::optional<Worker> worker;
  try {
    step(backend, "starting the read-only transaction", [&] { backend.begin(); });
    worker = open_worker(backend, hooks);
  } catch (...) {
    backend.rollback();
    throw;
  }
  if (!worker) return load_sequential(backend, p, s, as_of, hooks, true);
  return SharedSnapshotLoad(backend, std::move(*worker), p, s, as_of, hooks).run();
}

}  // namespace cskpi::source_detail
