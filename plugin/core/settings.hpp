// The engine configuration, parsed from the JSON text a host passes through
// the ABI (see docs/configuration.md). Every key has the default kpi-spec
// names; unknown keys and bad values are ConfigErrors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/calendar.hpp"

namespace cskpi {

struct SourceSettings {
  std::string backend = "sqlite3";   // a Dialect's name (core/dialect.hpp): sqlite3 | postgresql | mysql
  std::string connection;            // SOCI connection string
  std::string profile = "canonical"; // built-in name or path to a profile directory
  // Seconds (docs/nightly.md "Timeouts"): connecting to a PostgreSQL or
  // MySQL server (unless the connection string sets its own), and waiting
  // for a lock another session holds (PostgreSQL lock_timeout, MySQL
  // lock_wait_timeout, SQLite busy timeout once the run lock is held).
  int connect_timeout = 10;
  int lock_timeout = 30;
};

enum class ActivityMode { orders, subscriptions };
enum class RevenueMode { invoices, subscriptions };

// A local working interval on one weekday, in minutes after midnight.
struct WorkInterval {
  int begin_minute;
  int end_minute;
};

struct WorkCalendar {
  // Index 1..7 = Monday..Sunday (0 unused). Default Mon-Fri 08:00-18:00.
  std::vector<WorkInterval> week[8];
  std::vector<Day> holidays;         // explicit dates from the configuration
  bool brazil_holidays = false;      // the built-in "BR" set
};

struct HealthSettings {
  double w_recency = 0.30, w_frequency = 0.15, w_monetary = 0.15;
  double w_support = 0.15, w_voice = 0.15, w_payment = 0.10;
  double healthy_min = 70, attention_min = 40;
  int support_divisor = 10;          // score = 1 - (n + 2 o) / support_divisor
  double voice_none = 50, voice_passive = 60;
  double w_p_alive = 0;              // the BG/NBD P(alive) component (docs/kpis.md §13); off by default
};

// The customer-base models of docs/kpis.md §13 ("clv" in the configuration).
struct ClvSettings {
  int days_per_unit = 7;             // "time_unit": week (7) or day (1)
  int horizon_days = 90;             // expected purchases over the next horizon_days
  int months = 12;                   // CLV horizon
  double discount_rate = 0.01;       // monthly
  int holdout_days = 180;            // clv_validation: the last holdout_days are the holdout
  int forecast_periods = 12;         // cohort_forecast: periods projected past the last observed
  int min_customers = 100;           // fewer repeat buyers: no fit (converged = false)
  double at_risk_below = 0.3;        // "alive but slipping": P(alive) below this
  bool by_segment = false;           // "fit": overall (default) or segment
  bool sbg_pooled = false;           // "cohorts": each (one sBG per cohort, default) or pooled
};

// The incremental nightly run (docs/nightly.md "Incremental runs",
// docs/configuration.md "nightly").
struct NightlySettings {
  int full_every_days = 7;           // a full run when the last one is this many days old
  int change_overlap_minutes = 60;   // :since = the last watermark minus this
  // The saved model's file; "": beside an SQLite target ("<file>.cskpi-model"),
  // none for a PostgreSQL target (every run full, fallback no_model_path).
  std::string model_path;
};

struct Settings {
  SourceSettings source;
  // "source.parameters": values of the {{name}} placeholders of the source's
  // profile SQL (names and values match ^[A-Za-z0-9_]+$, so a value can never
  // change the shape of a statement). Kept beside `source`, not in it.
  std::map<std::string, std::string> source_parameters;
  // "source.parallel_reads": connections a PostgreSQL source is read over,
  // sharing one snapshot (1: one connection; 2: customers and order_lines on
  // one, the other sources on another). Kept beside `source`, not in it.
  int source_parallel_reads = 2;
  SourceSettings target;             // nightly snapshots; defaults to source
  bool target_given = false;
  std::string timezone = "UTC";      // IANA name
  bool timestamps_local = false;     // "timestamps": "utc" (default) | "local"
  Day as_of = kNoDay;                // kNoDay: yesterday in `timezone`
  Granularity granularity = Granularity::month;
  int inactivity_days = 90;
  int activation_days = 30;
  double upsell_threshold = 0.10;
  int csat_scale = 5;                // 5 or 7
  int ces_scale = 10;
  ActivityMode activity_mode = ActivityMode::orders;
  RevenueMode revenue_mode = RevenueMode::invoices;
  std::map<std::string, double> sla_hours;  // priority -> target hours; "default" key
  WorkCalendar calendar;
  HealthSettings health;
  ClvSettings clv;
  NightlySettings nightly;
};

// Parses the configuration JSON text. Throws ConfigError naming the key.
Settings parse_settings(const std::string &json_text);
// The one place as_of is resolved, for compute requests and nightly runs
// alike: the one the call asks for, else the configured one, else yesterday
// in the configured zone.
Day resolve_as_of(const Settings &s, Day requested = kNoDay);

}  // namespace cskpi
