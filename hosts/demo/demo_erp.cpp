// The demo ERP generator. A discrete-event simulation of a small B2B
// trading company: customers are created over time, buy at their own
// cadence, grow or shrink, expand into new product families, churn and
// sometimes come back; orders are invoiced and paid (or not), some goods
// come back, customers open tickets, answer surveys and run subscriptions.
//
// Why events: every row is written when its business event happens, in
// time order (a heap of pending events), so ids grow with dates exactly as
// in a real ERP, the rows stream to the database in chunks (memory stays
// flat at 100k customers) and nothing must be sorted or renumbered.
//
// Determinism: one std::mt19937_64 (its output is fixed by the standard)
// drives everything, in event order; every distribution is computed here
// from uniform doubles (std:: distributions differ between standard
// libraries). Ties in time are broken by scheduling order, itself
// deterministic. So the same options give the same rows everywhere.
#include "demo_erp.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <soci/soci.h>

#include "table_writer.hpp"

namespace cskpi::demo {

namespace {

// ------------------------------------------------------------------ time

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;
// "Never" and "long ago" sentinels, far enough from the int64 limits that
// differences with real times cannot overflow.
constexpr std::int64_t kNever = std::int64_t{1} << 60;
constexpr std::int64_t kLongAgo = -(std::int64_t{1} << 60);

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

struct Civil {
  int y, m, d;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = static_cast<int>(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(yoe + era * 400) + (m <= 2), m, d};
}

std::int64_t parse_date(const std::string &s, const char *what) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31)
    throw std::invalid_argument(std::string("demo: ") + what + " must be YYYY-MM-DD, got '" + s + "'");
  const std::int64_t z = days_from_civil(y, m, d);
  const Civil c = civil_from_days(z);
  if (c.y != y || c.m != m || c.d != d)
    throw std::invalid_argument(std::string("demo: ") + what + " is not a calendar date: '" + s + "'");
  return z;
}

std::int64_t day_of(std::int64_t t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday).
int weekday(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

void put2(char *p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// A formatted date or timestamp, held in place: millions are written, and
// a std::string per value (19 chars: past the small-string buffer) cost a
// heap allocation each.
struct Stamp {
  char b[20];
  std::size_t n;
  operator std::string_view() const { return {b, n}; }
  std::string str() const { return std::string(b, n); }
};

Stamp fmt_date(std::int64_t day) {
  const Civil c = civil_from_days(day);
  Stamp s{};
  put2(s.b, c.y / 100);
  put2(s.b + 2, c.y % 100);
  s.b[4] = '-';
  put2(s.b + 5, c.m);
  s.b[7] = '-';
  put2(s.b + 8, c.d);
  s.n = 10;
  return s;
}

Stamp fmt_ts(std::int64_t t) {
  const std::int64_t day = day_of(t);
  const int sec = static_cast<int>(t - day * kDay);
  Stamp s = fmt_date(day);
  s.b[10] = ' ';
  put2(s.b + 11, sec / 3600);
  s.b[13] = ':';
  put2(s.b + 14, sec / 60 % 60);
  s.b[16] = ':';
  put2(s.b + 17, sec % 60);
  s.n = 19;
  return s;
}

// The same day-of-month `months` later, clamped to the month's end.
std::int64_t add_months(std::int64_t day, int months) {
  const Civil c = civil_from_days(day);
  int m0 = c.m - 1 + months;
  const int y = c.y + m0 / 12;
  m0 %= 12;
  const std::int64_t first = days_from_civil(y, m0 + 1, 1);
  const std::int64_t next = m0 == 11 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m0 + 2, 1);
  return first + std::min<std::int64_t>(c.d, next - first) - 1;
}

std::int64_t month_last_day(std::int64_t day) {
  const Civil c = civil_from_days(day);
  return (c.m == 12 ? days_from_civil(c.y + 1, 1, 1) : days_from_civil(c.y, c.m + 1, 1)) - 1;
}

// ------------------------------------------------------------------ randomness

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double u() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): safe for log().
  double u_open() { return (static_cast<double>(g_() >> 11) + 0.5) * 0x1.0p-53; }
  bool chance(double p) { return u() < p; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * u(); }
  // Integer uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(u() * (hi - lo + 1)); }
  // Standard normal (Box-Muller; the second value is dropped for simplicity).
  double normal() { return std::sqrt(-2.0 * std::log(u_open())) * std::cos(6.283185307179586 * u()); }
  // Long-tailed positive values: median and log-space spread.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  double exponential(double mean) { return -mean * std::log(u_open()); }
  // Index drawn with the given (not necessarily normalised) weights.
  template <std::size_t N>
  int pick(const std::array<double, N> &w) {
    double total = 0;
    for (double x : w) total += x;
    double v = u() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (v < w[i]) return static_cast<int>(i);
      v -= w[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  std::mt19937_64 g_;
};

// ------------------------------------------------------------------ reference data

// Segments: index 0..2 = partner_segment ids 1..3; 3 = not classified (NULL).
enum Segment { kSmb = 0, kMid = 1, kEnt = 2, kNoSegment = 3 };
const char *const kSegmentCode[] = {"smb", "mid_market", "enterprise"};
const char *const kSegmentName[] = {"Small business", "Mid-market", "Enterprise"};

struct SegmentModel {
  double order_value;     // typical order, EUR
  double ticket_factor;   // tickets relative to the base rate
  double lifetime_years;  // mean time until churn
  double subscription_p;  // share with a subscription
  int contacts_min, contacts_max;
};
const SegmentModel kSegments[] = {
    {420, 0.8, 3.0, 0.15, 0, 1},
    {1700, 1.2, 5.0, 0.30, 1, 2},
    {6500, 2.0, 9.0, 0.45, 2, 3},
    {420, 0.8, 3.0, 0.10, 0, 1},
};

struct Leaf {
  const char *name;
  double price_lo, price_hi;
  const char *type;  // product | service
  std::array<const char *, 5> products;
};
struct Family {
  const char *name;
  double popularity;
  std::vector<Leaf> leaves;
};
const std::vector<Family> &families() {
  static const std::vector<Family> f = {
      {"Hardware", 25, {{"Laptops", 650, 2200, "product", {"Laptop Pro 14", "Laptop Air 13", "Laptop Work 15", "Rugged Laptop 14", "Laptop Studio 16"}},
                        {"Monitors", 140, 650, "product", {"Monitor 24\" FHD", "Monitor 27\" QHD", "Monitor 32\" 4K", "Portable Monitor 15\"", "Curved Monitor 34\""}},
                        {"Peripherals", 12, 140, "product", {"Wireless Mouse", "Mechanical Keyboard", "USB-C Dock", "Webcam HD", "Headset Pro"}}}},
      {"Software", 18, {{"Licences", 60, 900, "service", {"Office Suite Licence", "Antivirus Licence", "CAD Licence", "Accounting Licence", "Design Suite Licence"}},
                        {"Cloud services", 20, 320, "service", {"Cloud Backup 1 TB", "Hosted Email Box", "VPN Seat", "Cloud Storage 5 TB", "Managed Firewall"}}}},
      {"Supplies", 30, {{"Paper & print", 4, 45, "product", {"Copy Paper A4 (box)", "Toner Black", "Toner Colour Set", "Label Rolls", "Ink Cartridge"}},
                        {"Office supplies", 2, 30, "product", {"Ballpoint Pens (50)", "Sticky Notes (12)", "Binders (10)", "Stapler", "Whiteboard Markers"}}}},
      {"Furniture", 10, {{"Desks", 220, 950, "product", {"Desk 160x80", "Standing Desk", "Meeting Table", "Corner Desk", "Reception Desk"}},
                         {"Chairs", 110, 620, "product", {"Task Chair", "Ergonomic Chair", "Visitor Chair", "Stool", "Executive Chair"}}}},
      {"Services", 12, {{"Installation", 75, 160, "service", {"On-site Installation (h)", "Remote Setup (h)", "Network Cabling (h)", "Data Migration (h)", "Workstation Rollout (h)"}},
                        {"Maintenance", 180, 1250, "service", {"Hardware Care Pack", "Printer Maintenance", "Server Health Check", "Extended Warranty", "Preventive Maintenance"}}}},
      {"Training", 5, {{"Courses", 290, 1500, "service", {"Office Basics Course", "Security Awareness Course", "Advanced Spreadsheets", "Admin Certification", "Onboarding Workshop"}}}},
  };
  return f;
}
constexpr int kFamilies = 6;

const char *const kChannels[] = {"Email", "Phone", "Chat", "Portal"};
const char *const kTicketCategories[] = {"Billing", "Delivery", "Product defect", "How-to", "Account access", "Returns"};
const char *const kTicketSubjects[][3] = {
    {"Question about invoice", "Wrong VAT on invoice", "Payment not registered"},
    {"Order not delivered yet", "Delivery arrived damaged", "Wrong delivery address"},
    {"Device does not start", "Defective item received", "Screen flickers"},
    {"How do I set this up?", "Need help with configuration", "Where is the user manual?"},
    {"Cannot log in to the portal", "Password reset", "Add a user to our account"},
    {"Request a return", "Return label missing", "Refund status"},
};
// helpdesk_stage ids
constexpr int kStageNew = 1, kStageProgress = 2, kStageWaiting = 3, kStageSolved = 4, kStageClosed = 5;
// survey_survey ids
constexpr int kSurveyNps = 1, kSurveyCsat = 2, kSurveyCes = 3, kSurveyResearch = 4;

const char *const kNamePrefix[] = {"Alpen", "Nord", "Blue", "Silver", "Green", "Rhein", "Atlas", "Nova", "Delta", "Orion",
                                   "Summit", "Harbor", "Linden", "Falcon", "Iris", "Vista", "Cedar", "Polar", "Sonne", "Terra",
                                   "Aurora", "Kestrel", "Meridian", "Oak", "Pioneer", "Quartz", "Riviera", "Sierra", "Tulip", "Zenith"};
const char *const kNameCore[] = {"Logistics", "Systems", "Foods", "Retail", "Consulting", "Dental", "Architects", "Motors", "Media", "Pharma",
                                 "Textiles", "Solar", "Bakery", "Legal", "Clinic", "Hotels", "Engineering", "Print", "Travel", "Labs",
                                 "Software", "Imports", "Garden", "Fitness", "Insurance", "Capital", "Robotics", "Studio", "Freight", "Optics"};
struct Country {
  const char *code;
  const char *form;
  double weight;
};
const Country kCountries[] = {{"DE", "GmbH", 30}, {"FR", "SAS", 18}, {"NL", "B.V.", 12}, {"ES", "S.L.", 10},
                              {"IT", "S.r.l.", 10}, {"AT", "GmbH", 6}, {"BE", "SRL", 6}, {"US", "Inc.", 8}};
const char *const kFirstNames[] = {"Anna", "Lukas", "Marie", "Jonas", "Sophie", "Paul", "Emma", "Louis", "Lea", "Hugo",
                                   "Sara", "Marco", "Julia", "Pablo", "Eva", "Tom", "Nina", "Luca", "Clara", "Daan"};
const char *const kLastNames[] = {"Schmidt", "Martin", "de Vries", "Garcia", "Rossi", "Huber", "Peeters", "Miller", "Weber", "Bernard",
                                  "Jansen", "Lopez", "Bianchi", "Wagner", "Dubois", "Bakker", "Moreno", "Ricci", "Fischer", "Smith"};

std::string lower_alnum(const std::string &s) {
  std::string o;
  for (char c : s)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) o += c;
    else if (c >= 'A' && c <= 'Z') o += static_cast<char>(c - 'A' + 'a');
  return o;
}

// prefix + n zero-padded to width digits ("S", 42, 5 -> "S00042").
std::string padded(const char *prefix, std::int64_t n, int width) {
  char digits[24];
  int k = 0;
  auto v = static_cast<unsigned long long>(n < 0 ? -n : n);
  do {
    digits[k++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  std::string out(prefix);
  if (n < 0) out += '-';
  for (int i = k; i < width; ++i) out += '0';
  while (k > 0) out += digits[--k];
  return out;
}

double round2(double v) { return decimal_round(v, 2); }

// ------------------------------------------------------------------ the simulation

enum class Kind : std::uint8_t {
  customer_created,
  prospect_created,
  prospect_quote,
  order,
  invoice,
  payment,
  product_return,
  ticket,
  ticket_closed,
  nps,
  subscription_start,
  subscription_billing,
  month_end,
  anonymous_ticket,
  bad_rows,
};

struct Event {
  std::int64_t t;
  std::uint64_t seq;  // scheduling order: the deterministic tie-break
  std::uint32_t cust = 0;
  Kind kind{};
  std::int32_t a = 0, a2 = 0;
  std::int64_t b = 0, b2 = 0;
  double x = 0, x2 = 0;
};

struct Later {
  bool operator()(const Event &l, const Event &r) const { return l.t != r.t ? l.t > r.t : l.seq > r.seq; }
};

// Pending events in (time, scheduling order). A calendar queue: one bucket
// per day of the horizon, and a small heap for the day being simulated.
// Same order as one big heap, but the big heap's sift-downs over a few
// hundred thousand 64-byte events missed the cache and took a third of the
// run time; a day's heap holds a few thousand. Events after the horizon
// never happen and are dropped on arrival.
class EventQueue {
 public:
  EventQueue(std::int64_t first_day, std::int64_t days)
      : first_day_(first_day), buckets_(static_cast<std::size_t>(days)) {}

  void push(const Event &e) {
    const std::int64_t d = day_of(e.t) - first_day_;
    if (d >= static_cast<std::int64_t>(buckets_.size())) return;
    if (d < 0) throw std::logic_error("demo: event before the first day");
    if (d <= current_) {
      today_.push_back(e);
      std::push_heap(today_.begin(), today_.end(), Later());
    } else {
      buckets_[static_cast<std::size_t>(d)].push_back(e);
    }
  }

  bool pop(Event &out) {
    while (today_.empty()) {
      if (++current_ >= static_cast<std::int64_t>(buckets_.size())) return false;
      auto &b = buckets_[static_cast<std::size_t>(current_)];
      today_.swap(b);
      std::vector<Event>().swap(b);
      std::make_heap(today_.begin(), today_.end(), Later());
    }
    std::pop_heap(today_.begin(), today_.end(), Later());
    out = today_.back();
    today_.pop_back();
    return true;
  }

 private:
  std::int64_t first_day_;
  std::int64_t current_ = -1;
  std::vector<std::vector<Event>> buckets_;
  std::vector<Event> today_;
};

enum class Cadence : std::uint8_t { weekly, monthly, quarterly, occasional };
enum class Payer : std::uint8_t { punctual, late, bad };

struct Customer {
  std::int64_t partner = 0;  // company partner id; contacts are partner+1 .. partner+contacts
  int contacts = 0;
  int number = 0;            // customer number (ref)
  Segment segment = kSmb;
  bool usd = false;
  Cadence cadence = Cadence::monthly;
  double gap_days = 30;
  double value = 400;        // typical order value at creation, EUR
  double growth = 0;         // log growth of order value per year
  double expand_p = 0.01;    // chance per order to buy a new product family
  std::uint32_t families = 0;
  std::int64_t created = 0;
  std::int64_t churn_at = kNever;  // stops buying from then on
  bool gone = false;               // churned for good
  Payer payer = Payer::punctual;
  int pay_term = 30;
  double ticket_rate = 0.5;        // tickets per year
  bool ticket_chain = false;
  std::int64_t last_order_t = kLongAgo;
  std::int64_t last_order_id = 0;
  std::array<std::int64_t, 6> recent_tickets{};
  std::uint8_t recent_pos = 0;
  std::int64_t sub_until = kLongAgo;  // a subscription runs until (exclusive)
};

class Generator {
 public:
  Generator(AsyncWriter &writer, const DemoOptions &o, std::int64_t first_day, std::int64_t last_day)
      : o_(o),
        rng_(o.seed),
        first_day_(first_day),
        last_day_(last_day),
        begin_(first_day * kDay),
        end_((last_day + 1) * kDay),
        queue_(first_day, last_day - first_day + 1),
        segment_(sink_table(writer, "partner_segment", {{"id", ColType::integer}, {"code", ColType::text}, {"name", ColType::text}})),
        partner_(sink_table(writer, "res_partner",
                            {{"id", ColType::integer}, {"name", ColType::text}, {"ref", ColType::text},
                             {"is_company", ColType::integer}, {"parent_id", ColType::integer},
                             {"is_customer", ColType::integer}, {"is_supplier", ColType::integer},
                             {"segment_id", ColType::integer}, {"email", ColType::text},
                             {"country_code", ColType::text}, {"currency_code", ColType::text},
                             {"active", ColType::integer}, {"create_date", ColType::text}})),
        category_(sink_table(writer, "product_category", {{"id", ColType::integer}, {"name", ColType::text}, {"parent_id", ColType::integer}})),
        product_(sink_table(writer, "product_product",
                            {{"id", ColType::integer}, {"default_code", ColType::text}, {"name", ColType::text},
                             {"categ_id", ColType::integer}, {"list_price", ColType::real}, {"type", ColType::text},
                             {"active", ColType::integer}})),
        order_(sink_table(writer, "sale_order",
                          {{"id", ColType::integer}, {"name", ColType::text}, {"partner_id", ColType::integer},
                           {"date_order", ColType::text}, {"state", ColType::text}, {"currency_code", ColType::text},
                           {"currency_rate", ColType::real, 6}, {"amount_untaxed", ColType::real},
                           {"amount_tax", ColType::real}, {"origin", ColType::text}, {"create_date", ColType::text}})),
        line_(sink_table(writer, "sale_order_line",
                         {{"id", ColType::integer}, {"order_id", ColType::integer}, {"sequence", ColType::integer},
                          {"display_type", ColType::text}, {"product_id", ColType::integer}, {"name", ColType::text},
                          {"product_uom_qty", ColType::real, 3}, {"price_unit", ColType::real},
                          {"discount", ColType::real}})),
        invoice_(sink_table(writer, "account_invoice",
                            {{"id", ColType::integer}, {"name", ColType::text}, {"move_type", ColType::text},
                             {"state", ColType::text}, {"partner_id", ColType::integer},
                             {"invoice_date", ColType::text}, {"invoice_date_due", ColType::text},
                             {"currency_code", ColType::text}, {"currency_rate", ColType::real, 6},
                             {"amount_untaxed", ColType::real}, {"amount_tax", ColType::real},
                             {"amount_total", ColType::real}, {"invoice_origin", ColType::text},
                             {"sale_order_id", ColType::integer}, {"subscription_id", ColType::integer},
                             {"reversed_entry_id", ColType::integer}, {"create_date", ColType::text}})),
        payment_(sink_table(writer, "account_payment",
                            {{"id", ColType::integer}, {"invoice_id", ColType::integer}, {"partner_id", ColType::integer},
                             {"payment_type", ColType::text}, {"payment_date", ColType::text},
                             {"amount", ColType::real}, {"state", ColType::text}})),
        stage_(sink_table(writer, "helpdesk_stage", {{"id", ColType::integer}, {"name", ColType::text}, {"sequence", ColType::integer}, {"fold", ColType::integer}})),
        channel_(sink_table(writer, "helpdesk_channel", {{"id", ColType::integer}, {"name", ColType::text}})),
        ticket_category_(sink_table(writer, "helpdesk_ticket_category", {{"id", ColType::integer}, {"name", ColType::text}})),
        ticket_(sink_table(writer, "helpdesk_ticket",
                           {{"id", ColType::integer}, {"name", ColType::text}, {"partner_id", ColType::integer},
                            {"partner_email", ColType::text}, {"stage_id", ColType::integer},
                            {"channel_id", ColType::integer}, {"category_id", ColType::integer},
                            {"priority", ColType::text}, {"sale_order_id", ColType::integer},
                            {"create_date", ColType::text}, {"first_response_date", ColType::text},
                            {"close_date", ColType::text}, {"reopen_count", ColType::integer},
                            {"active", ColType::integer}})),
        survey_(sink_table(writer, "survey_survey", {{"id", ColType::integer}, {"title", ColType::text}, {"survey_type", ColType::text}})),
        answer_(sink_table(writer, "survey_answer",
                           {{"id", ColType::integer}, {"survey_id", ColType::integer}, {"partner_id", ColType::integer},
                            {"ticket_id", ColType::integer}, {"state", ColType::text}, {"create_date", ColType::text},
                            {"answered_at", ColType::text}, {"score", ColType::integer}})),
        subscription_(sink_table(writer, "sale_subscription",
                                 {{"id", ColType::integer}, {"code", ColType::text}, {"partner_id", ColType::integer},
                                  {"template", ColType::text}, {"date_start", ColType::text}, {"date_end", ColType::text},
                                  {"recurring_rule_type", ColType::text}, {"recurring_total", ColType::real},
                                  {"currency_code", ColType::text}, {"currency_rate", ColType::real, 6},
                                  {"state", ColType::text}, {"close_reason", ColType::text}})),
        expense_(sink_table(writer, "cs_expense",
                            {{"id", ColType::integer}, {"date", ColType::text}, {"expense_type", ColType::text},
                             {"description", ColType::text}, {"total_amount", ColType::real}, {"state", ColType::text}})) {}

  DemoStats run() {
    reference_data();
    schedule_population();
    Event e;
    while (queue_.pop(e)) handle(e);
    for (TableBuffer *t : all_tables()) t->flush();
    return DemoStats{customers_written_, order_.written(),   line_.written(),         invoice_.written(),
                     ticket_.written(),  answer_.written(),  subscription_.written()};
  }

 private:
  static TableBuffer sink_table(AsyncWriter &writer, const char *name, std::vector<ColumnSpec> cols) {
    return TableBuffer(name, std::move(cols), writer);
  }

  std::vector<TableBuffer *> all_tables() {
    return {&segment_, &partner_, &category_, &product_, &order_, &line_, &invoice_, &payment_, &stage_, &channel_,
            &ticket_category_, &ticket_, &survey_, &answer_, &subscription_, &expense_};
  }

  void push(std::int64_t t, Kind k, std::uint32_t cust, Event e = {}) {
    e.t = t;
    e.seq = ++seq_;
    e.kind = k;
    e.cust = cust;
    queue_.push(e);
  }

  // A time of day during office hours (08:00-18:00 UTC) on the first
  // weekday on or after `day`: orders, calls and chats happen then.
  std::int64_t office_time(std::int64_t day) {
    while (weekday(day) >= 6) ++day;
    return day * kDay + 8 * kHour + static_cast<std::int64_t>(rng_.u() * 10 * kHour);
  }

  // t plus `hours` of office time (Monday-Friday 08:00-18:00 UTC): when
  // agents answer and work on tickets.
  static std::int64_t add_office_hours(std::int64_t t, double hours) {
    std::int64_t left = static_cast<std::int64_t>(hours * kHour);
    for (;;) {
      const std::int64_t day = day_of(t);
      const std::int64_t open = day * kDay + 8 * kHour, close = day * kDay + 18 * kHour;
      if (weekday(day) >= 6 || t >= close) {
        t = (day + 1) * kDay + 8 * kHour;
        continue;
      }
      if (t < open) t = open;
      if (t + left <= close) return t + left;
      left -= close - t;
      t = (day + 1) * kDay + 8 * kHour;
    }
  }

  // Company currency (EUR) per USD on a day: drifts slowly around 0.92.
  static double usd_rate(std::int64_t day) {
    return std::round((0.92 + 0.03 * std::sin(static_cast<double>(day) / 180.0)) * 1e6) / 1e6;
  }
  double rate_of(const Customer &c, std::int64_t day) const { return c.usd ? usd_rate(day) : 1.0; }
  static const char *currency_of(const Customer &c) { return c.usd ? "USD" : "EUR"; }
  // Price lists: USD prices are the EUR list price x 1.09.
  static double price_in(const Customer &c, double eur) { return c.usd ? round2(eur * 1.09) : eur; }
  static double tax_rate(const Customer &c) { return c.usd ? 0.0 : 0.20; }  // exports carry no VAT

  // ---------------------------------------------------------------- static data

  void reference_data() {
    for (int s = 0; s < 3; ++s) segment_.i(s + 1).s(kSegmentCode[s]).s(kSegmentName[s]).end_row();

    // Product families and categories; products with list prices drawn once.
    std::int64_t cat_id = 0, prod_id = 0;
    for (int f = 0; f < kFamilies; ++f) {
      const Family &fam = families()[static_cast<std::size_t>(f)];
      const std::int64_t fam_id = ++cat_id;
      category_.i(fam_id).s(fam.name).null().end_row();
      for (const Leaf &leaf : fam.leaves) {
        const std::int64_t leaf_id = ++cat_id;
        category_.i(leaf_id).s(leaf.name).i(fam_id).end_row();
        for (std::size_t p = 0; p < leaf.products.size(); ++p) {
          const double price = round2(std::exp(rng_.uniform(std::log(leaf.price_lo), std::log(leaf.price_hi))));
          ++prod_id;
          product_.i(prod_id).s(padded("SKU-", prod_id, 5)).s(leaf.products[p]).i(leaf_id).r(price).s(leaf.type)
              .i(p == 4 && f == 0 ? 0 : 1)  // one discontinued laptop model, archived
              .end_row();
          family_products_[static_cast<std::size_t>(f)].push_back({prod_id, price, leaf.products[p]});
        }
      }
    }

    const char *const stages[] = {"New", "In Progress", "Waiting on Customer", "Solved", "Closed"};
    for (int s = 0; s < 5; ++s) stage_.i(s + 1).s(stages[s]).i((s + 1) * 10).i(s >= 3 ? 1 : 0).end_row();
    for (int c = 0; c < 4; ++c) channel_.i(c + 1).s(kChannels[c]).end_row();
    for (int c = 0; c < 6; ++c) ticket_category_.i(c + 1).s(kTicketCategories[c]).end_row();
    survey_.i(kSurveyNps).s("How likely are you to recommend us?").s("nps").end_row();
    survey_.i(kSurveyCsat).s("How satisfied were you with our support?").s("csat").end_row();
    survey_.i(kSurveyCes).s("How easy was it to get your issue solved?").s("ces").end_row();
    survey_.i(kSurveyResearch).s("Product research 2024").s("research").end_row();

    // The company itself and its suppliers, created at go-live.
    const Stamp golive = fmt_ts(begin_ + 6 * kHour);
    partner_.i(++partner_id_).s("Demo Trading GmbH").null().i(1).null().i(0).i(0).null().s("info@demotrading.example")
        .s("DE").s("EUR").i(1).s(golive).end_row();
    const char *const suppliers[] = {"Pacific Components Ltd.", "EuroPaper Mills AG", "Contoso Distribution B.V.",
                                     "Fabrikam Furniture S.p.A.", "Northwind Software GmbH", "Alpine Logistics AG"};
    for (const char *s : suppliers) {
      partner_.i(++partner_id_).s(s).null().i(1).null().i(0).i(1).null().s("ap@" + lower_alnum(s) + ".example")
          .s("DE").s("EUR").i(1).s(golive).end_row();
      suppliers_.push_back(partner_id_);
    }
  }

  // Creation times of customers and prospects, and the global event chains.
  void schedule_population() {
    const double span_days = static_cast<double>(last_day_ - first_day_ + 1);
    customers_.resize(static_cast<std::size_t>(o_.customers));
    for (int i = 0; i < o_.customers; ++i) {
      std::int64_t t;
      if (rng_.chance(0.30)) {
        // Imported at go-live from the previous system.
        t = begin_ + 7 * kHour + i;
      } else {
        // Acquired over time, the business growing: more sign-ups later.
        const double d = span_days * std::pow(rng_.u(), 0.8);
        t = office_time(first_day_ + static_cast<std::int64_t>(d));
      }
      push(t, Kind::customer_created, static_cast<std::uint32_t>(i));
    }
    // Prospects: partners that got a quotation but never became customers.
    const int prospects = o_.customers * 15 / 100;
    for (int i = 0; i < prospects; ++i)
      push(office_time(first_day_ + static_cast<std::int64_t>(span_days * rng_.u())), Kind::prospect_created, 0);

    push(month_last_day(first_day_) * kDay + 18 * kHour, Kind::month_end, 0);
    if (o_.customers > 0) push(next_anonymous(begin_), Kind::anonymous_ticket, 0);
    push(office_time(first_day_ + static_cast<std::int64_t>(span_days * 0.6)), Kind::bad_rows, 0);
  }

  std::int64_t next_anonymous(std::int64_t from) {
    // About 4% of the ticket volume arrives from unknown e-mail addresses.
    const double per_day = std::max(0.01, 0.02 * o_.customers / 365.0);
    return from + static_cast<std::int64_t>(rng_.exponential(kDay / per_day));
  }

  void handle(const Event &e) {
    switch (e.kind) {
      case Kind::customer_created: customer_created(e); break;
      case Kind::prospect_created: prospect_created(e); break;
      case Kind::prospect_quote: prospect_quote(e); break;
      case Kind::order: order(e); break;
      case Kind::invoice: invoice(e); break;
      case Kind::payment: payment(e); break;
      case Kind::product_return: product_return(e); break;
      case Kind::ticket: ticket(e); break;
      case Kind::ticket_closed: ticket_closed(e); break;
      case Kind::nps: nps(e); break;
      case Kind::subscription_start: subscription_start(e); break;
      case Kind::subscription_billing: subscription_billing(e); break;
      case Kind::month_end: month_end(e); break;
      case Kind::anonymous_ticket: anonymous_ticket(e); break;
      case Kind::bad_rows: bad_rows(e); break;
    }
  }

  // ---------------------------------------------------------------- customers

  std::string company_name(const Country &country) {
    return std::string(kNamePrefix[rng_.range(0, 29)]) + " " + kNameCore[rng_.range(0, 29)] + " " + country.form;
  }

  const Country &draw_country() {
    std::array<double, 8> w{};
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = kCountries[i].weight;
    return kCountries[rng_.pick(w)];
  }

  void customer_created(const Event &e) {
    Customer &c = customers_[e.cust];
    c.created = e.t;
    c.number = ++customer_number_;
    c.segment = static_cast<Segment>(rng_.pick(std::array<double, 4>{58, 25, 9, 8}));
    const SegmentModel &sm = kSegments[c.segment];
    const Country &country = draw_country();
    c.usd = country.code[0] == 'U';

    const std::string name = company_name(country);
    const std::string domain = lower_alnum(name) + ".example";
    c.partner = ++partner_id_;
    if (first_partner_ == 0) first_partner_ = c.partner;
    partner_.i(c.partner).s(name).s(padded("C", c.number, 6)).i(1).null().i(1).i(0)
        .i_or_null(c.segment != kNoSegment, c.segment + 1).s("office@" + domain).s(country.code)
        .s(currency_of(c)).i(rng_.chance(0.02) ? 0 : 1).s(fmt_ts(e.t)).end_row();
    ++customers_written_;
    c.contacts = rng_.range(sm.contacts_min, sm.contacts_max);
    for (int k = 0; k < c.contacts; ++k) {
      const char *first = kFirstNames[rng_.range(0, 19)];
      const char *last = kLastNames[rng_.range(0, 19)];
      partner_.i(++partner_id_).s(std::string(first) + " " + last).null().i(0).i(c.partner).i(0).i(0).null()
          .s(lower_alnum(first) + "." + lower_alnum(last) + "@" + domain).s(country.code).s(currency_of(c)).i(1)
          .s(fmt_ts(e.t + 60 + k)).end_row();
    }

    // Buying behaviour.
    c.cadence = static_cast<Cadence>(rng_.pick(std::array<double, 4>{7, 27, 30, 36}));
    static constexpr double kGap[] = {7, 28, 84, 180};
    static constexpr double kValueFactor[] = {0.35, 0.8, 1.3, 1.5};
    c.gap_days = kGap[static_cast<int>(c.cadence)];
    c.value = sm.order_value * kValueFactor[static_cast<int>(c.cadence)] * rng_.lognormal(1.0, 0.5);
    const double g = rng_.u();
    c.growth = g < 0.25 ? rng_.uniform(0.15, 0.45) : g < 0.35 ? rng_.uniform(-0.25, -0.05) : rng_.uniform(-0.03, 0.05);
    c.expand_p = rng_.chance(0.3) ? 0.07 : 0.012;
    std::array<double, kFamilies> pop{};
    for (int f = 0; f < kFamilies; ++f) pop[static_cast<std::size_t>(f)] = families()[static_cast<std::size_t>(f)].popularity;
    c.families = 1u << rng_.pick(pop);
    if (rng_.chance(0.35)) c.families |= 1u << rng_.pick(pop);
    c.churn_at = e.t + static_cast<std::int64_t>(rng_.exponential(sm.lifetime_years * 365.0) * kDay);

    const double p = rng_.u();
    c.payer = p < 0.62 ? Payer::punctual : p < 0.90 ? Payer::late : Payer::bad;
    c.pay_term = c.segment == kEnt ? (rng_.chance(0.5) ? 45 : 60) : c.segment == kMid ? 30 : (rng_.chance(0.5) ? 15 : 30);

    // Support: some customers need much more help than others.
    c.ticket_rate = 0.55 * sm.ticket_factor * rng_.lognormal(0.75, 0.75);

    // First order: most buy within days, some take months, a few never.
    const double a = rng_.u();
    if (a < 0.85)
      push(office_time(day_of(e.t) + static_cast<std::int64_t>(rng_.lognormal(6.0, 0.9))), Kind::order, e.cust);
    else if (a < 0.95)
      push(office_time(day_of(e.t) + rng_.range(31, 150)), Kind::order, e.cust);

    c.ticket_chain = true;
    push(e.t + static_cast<std::int64_t>(rng_.exponential(365.0 / c.ticket_rate) * kDay) + kHour, Kind::ticket, e.cust);
    push(next_campaign(e.t + 45 * kDay) + e.cust % 7200, Kind::nps, e.cust);
    if (rng_.chance(sm.subscription_p))
      push(office_time(day_of(e.t) + rng_.range(0, 90)), Kind::subscription_start, e.cust);
  }

  void prospect_created(const Event &e) {
    const Country &country = draw_country();
    const std::string name = company_name(country);
    const std::int64_t id = ++partner_id_;
    partner_.i(id).s(name).null().i(1).null().i(0).i(0).null().s("info@" + lower_alnum(name) + ".example")
        .s(country.code).s(country.code[0] == 'U' ? "USD" : "EUR").i(1).s(fmt_ts(e.t)).end_row();
    if (rng_.chance(0.4)) {
      Event q;
      q.b = id;
      q.a = country.code[0] == 'U' ? 1 : 0;
      push(office_time(day_of(e.t) + rng_.range(1, 20)), Kind::prospect_quote, 0, q);
    }
  }

  // A quotation to a prospect, never confirmed.
  void prospect_quote(const Event &e) {
    Customer tmp;  // a throwaway model for the quotation's lines
    tmp.usd = e.a == 1;
    tmp.value = 600 * rng_.lognormal(1.0, 0.6);
    tmp.families = 1u << rng_.range(0, kFamilies - 1);
    write_order(tmp, e.b, day_of(e.t), rng_.chance(0.5) ? "sent" : "cancelled", 1.0, false);
  }

  // ---------------------------------------------------------------- orders

  struct Line {
    std::int64_t product;  // 0 = free text
    const char *name;      // a static string: no allocation per line
    double qty, price, discount;
  };

  struct WrittenOrder {
    std::int64_t id;
    double untaxed;
    std::vector<Line> lines;
  };

  // Writes one order with lines drawn from the customer's families.
  WrittenOrder write_order(Customer &c, std::int64_t partner, std::int64_t day, const char *state, double value_mult,
                           bool may_expand) {
    WrittenOrder w;
    w.id = ++order_id_;
    // Lines per order: 1-8, about 3 on average (B2B baskets mix a few
    // products; enterprise orders one more).
    int n = 1 + rng_.pick(std::array<double, 8>{24, 24, 19, 13, 9, 6, 3, 2});
    if (c.segment == kEnt) ++n;
    const double value = c.value * value_mult * rng_.lognormal(1.0, 0.45);

    std::uint32_t fams = c.families;
    int forced = -1;
    if (may_expand && fams != (1u << kFamilies) - 1 && rng_.chance(c.expand_p)) {
      // Expansion: a family never bought before (weighted by popularity).
      std::array<double, kFamilies> pop{};
      for (int f = 0; f < kFamilies; ++f)
        if (!(fams & (1u << f))) pop[static_cast<std::size_t>(f)] = families()[static_cast<std::size_t>(f)].popularity;
      forced = rng_.pick(pop);
      c.families |= 1u << forced;
    }
    std::array<int, kFamilies> owned{};
    int n_owned = 0;
    for (int f = 0; f < kFamilies; ++f)
      if (fams & (1u << f)) owned[static_cast<std::size_t>(n_owned++)] = f;

    w.lines.reserve(static_cast<std::size_t>(n) + 1);
    for (int k = 0; k < n; ++k) {
      const int f = (k == 0 && forced >= 0) ? forced : owned[static_cast<std::size_t>(rng_.range(0, n_owned - 1))];
      const auto &prods = family_products_[static_cast<std::size_t>(f)];
      const int n_prods = static_cast<int>(prods.size());
      const Product *pp = &prods[static_cast<std::size_t>(rng_.range(0, n_prods - 1))];
      // A product already on the order is drawn again (twice at most): an
      // order rarely lists the same article on two lines.
      for (int retry = 0; retry < 2 && std::any_of(w.lines.begin(), w.lines.end(),
                                                    [&](const Line &l) { return l.product == pp->id; });
           ++retry)
        pp = &prods[static_cast<std::size_t>(rng_.range(0, n_prods - 1))];
      const Product &p = *pp;
      const double qty = std::clamp(std::round(value / n / p.price * rng_.lognormal(1.0, 0.3)), 1.0, 500.0);
      double discount = 0;
      if (c.segment == kEnt) discount = 12;  // framework contract
      else if (c.segment == kMid && rng_.chance(0.4)) discount = 5;
      if (rng_.chance(0.06)) discount = std::max(discount, 10.0 + 5.0 * rng_.range(0, 2));  // promotion
      w.lines.push_back({p.id, p.name, qty, price_in(c, p.price), discount});
    }
    if (rng_.chance(0.02)) w.lines.push_back({0, "Express delivery surcharge", 1, price_in(c, 15.0 + 5 * rng_.range(0, 9)), 0});

    double untaxed = 0;
    std::int64_t seq = 0;
    if (rng_.chance(0.02)) {
      line_.i(++line_id_).i(w.id).i(seq += 10).s("line_section").null().s("Equipment").r(0).r(0).r(0).end_row();
    }
    for (const Line &l : w.lines) {
      untaxed += round2(l.qty * l.price * (100 - l.discount) / 100);
      line_.i(++line_id_).i(w.id).i(seq += 10).null().i_or_null(l.product != 0, l.product).s(l.name).r(l.qty).r(l.price)
          .r(l.discount).end_row();
    }
    if (rng_.chance(0.04)) {
      line_.i(++line_id_).i(w.id).i(seq += 10).s("line_note").null().s("Deliver to the back entrance, weekdays only")
          .r(0).r(0).r(0).end_row();
    }
    w.untaxed = untaxed;
    const double rate = rate_of(c, day);
    order_.i(w.id).s(padded("S", w.id, 5)).i(partner).s(fmt_date(day)).s(state).s(currency_of(c)).r(rate).r(untaxed)
        .r(round2(untaxed * tax_rate(c))).null().s(fmt_ts(day * kDay + 8 * kHour + rng_.range(0, 36000))).end_row();
    return w;
  }

  std::int64_t order_partner(const Customer &c) {
    // Orders are often placed by a contact person of the customer.
    if (c.contacts > 0 && rng_.chance(0.5)) return c.partner + rng_.range(1, c.contacts);
    return c.partner;
  }

  void order(const Event &e) {
    Customer &c = customers_[e.cust];
    if (c.gone) return;
    if (e.t >= c.churn_at) {
      // Churned: stops buying. Some come back after a long pause.
      if (rng_.chance(0.3)) {
        const std::int64_t back = office_time(std::max(day_of(e.t), day_of(c.churn_at) + rng_.range(100, 450)));
        c.churn_at = back + static_cast<std::int64_t>(rng_.exponential(kSegments[c.segment].lifetime_years * 365.0) * kDay);
        push(back, Kind::order, e.cust);
        if (!c.ticket_chain) {
          c.ticket_chain = true;
          push(back + static_cast<std::int64_t>(rng_.exponential(365.0 / c.ticket_rate) * kDay), Kind::ticket, e.cust);
        }
      } else {
        c.gone = true;
      }
      return;
    }

    const std::int64_t day = day_of(e.t);
    const double years = static_cast<double>(e.t - c.created) / (365.0 * kDay);
    const double growth = std::exp(c.growth * years);
    const std::int64_t partner = order_partner(c);

    // Lost deals: a quotation cancelled (re-quoted) or left open.
    if (rng_.chance(0.05)) write_order(c, partner, day, "cancelled", growth, false);
    if (rng_.chance(0.025)) write_order(c, partner, day, rng_.chance(0.5) ? "draft" : "sent", growth, false);

    // Orders of the last days may still be quotations awaiting the customer.
    const bool pending = day > last_day_ - 4 && rng_.chance(0.4);
    const char *state = pending ? "sent" : (day < last_day_ - 45 && rng_.chance(0.6) ? "done" : "confirmed");
    WrittenOrder w = write_order(c, partner, day, state, growth, true);

    if (!pending) {
      c.last_order_t = e.t;
      c.last_order_id = w.id;
      // Invoiced on the same or one of the next business days.
      const bool will_return = rng_.chance(0.03);
      Event inv;
      inv.b = w.id;
      inv.b2 = partner;
      inv.x = w.untaxed;
      inv.a2 = will_return ? 1 : 0;
      push(office_time(day + rng_.pick(std::array<double, 5>{45, 30, 12, 8, 5})), Kind::invoice, e.cust, inv);
      if (will_return) {
        const Line &l = w.lines[static_cast<std::size_t>(rng_.range(0, static_cast<int>(w.lines.size()) - 1))];
        Event r;
        r.b = w.id;
        r.b2 = l.product;
        r.a = static_cast<std::int32_t>(std::max(1.0, std::round(l.qty * rng_.uniform(0.2, 1.0))));
        r.x = l.price;
        r.x2 = l.discount;
        push(office_time(day + rng_.range(6, 40)), Kind::product_return, e.cust, r);
      }
      // A carrier incident (see incident_window): shipments go wrong.
      if (e.t >= incident_begin() && e.t < incident_begin() + 45 * kDay && rng_.chance(0.25)) {
        Event tk;
        tk.a = 2;  // Delivery
        tk.b = w.id;
        push(e.t + rng_.range(2, 6) * kDay + rng_.range(0, 8) * kHour, Kind::ticket, e.cust, tk);
      }
    }

    // Next purchase: around the cadence, sometimes after a long pause.
    double gap = c.gap_days * rng_.lognormal(1.0, 0.45);
    if (rng_.chance(0.02)) gap += rng_.uniform(95, 240);
    push(office_time(day + std::max<std::int64_t>(1, static_cast<std::int64_t>(std::lround(gap)))), Kind::order, e.cust);
  }

  // The carrier incident: 45 days starting 14 months after go-live (or half
  // way for shorter histories): Delivery tickets spike.
  std::int64_t incident_begin() const {
    const std::int64_t span = last_day_ - first_day_ + 1;
    return (first_day_ + std::min<std::int64_t>(425, span / 2)) * kDay;
  }

  // ---------------------------------------------------------------- invoicing

  struct InvoiceResult {
    std::int64_t id;
    bool posted;
  };

  std::string invoice_number(const char *prefix, std::int64_t day) {
    const int y = civil_from_days(day).y;
    const int k = std::string_view(prefix) == "INV" ? 0 : std::string_view(prefix) == "RINV" ? 1 : 2;
    const std::int64_t n = ++invoice_seq_[static_cast<std::size_t>(k)][y];
    return std::string(prefix) + "/" + std::to_string(y) + "/" + padded("", n, 5);
  }

  // Writes an out_invoice (state drawn) and schedules its payments.
  InvoiceResult write_customer_invoice(Customer &c, std::int64_t partner, std::int64_t t, double untaxed,
                                       const std::string &origin, std::int64_t order_id, std::int64_t sub_id) {
    const std::int64_t day = day_of(t);
    const double rate = rate_of(c, day);
    const double tax = round2(untaxed * tax_rate(c));
    const double total = untaxed + tax;
    // A few are cancelled (wrong data) and re-issued; recent ones may still be drafts.
    if (rng_.chance(0.01)) {
      invoice_.i(++invoice_id_).s(invoice_number("INV", day)).s("out_invoice").s("cancelled").i(partner)
          .s(fmt_date(day)).s(fmt_date(day + c.pay_term)).s(currency_of(c)).r(rate).r(untaxed).r(tax).r(total).s(origin)
          .i_or_null(order_id != 0, order_id).i_or_null(sub_id != 0, sub_id).null().s(fmt_ts(t)).end_row();
    }
    const bool draft = rng_.chance(day > last_day_ - 10 ? 0.3 : 0.015);
    const std::int64_t id = ++invoice_id_;
    invoice_.i(id);
    if (draft) invoice_.null();
    else invoice_.s(invoice_number("INV", day));
    invoice_.s("out_invoice").s(draft ? "draft" : "posted").i(partner).s(fmt_date(day)).s(fmt_date(day + c.pay_term))
        .s(currency_of(c)).r(rate).r(untaxed).r(tax).r(total).s(origin).i_or_null(order_id != 0, order_id)
        .i_or_null(sub_id != 0, sub_id).null().s(fmt_ts(t + 60)).end_row();
    if (!draft) schedule_payments(c, partner, id, day, day + c.pay_term, round2(total));
    return {id, !draft};
  }

  void schedule_payments(Customer &c, std::int64_t partner, std::int64_t invoice_id, std::int64_t day, std::int64_t due,
                         double total) {
    std::int64_t paid;
    switch (c.payer) {
      case Payer::punctual: paid = day + rng_.range(0, static_cast<int>(due - day)); break;
      case Payer::late: paid = due + static_cast<std::int64_t>(rng_.lognormal(10, 0.8)); break;
      case Payer::bad:
      default:
        if (rng_.chance(0.3)) return;  // never pays
        paid = due + rng_.range(30, 150);
        break;
    }
    Event p;
    p.b = invoice_id;
    p.b2 = partner;
    p.a = 0;  // inbound
    if (rng_.chance(0.06)) {
      // Instalments: half now, the rest later.
      const double first = round2(total / 2);
      p.x = first;
      push(std::max(day, paid - 20) * kDay + 10 * kHour, Kind::payment, 0, p);
      p.x = round2(total - first);
      push(paid * kDay + 11 * kHour, Kind::payment, 0, p);
    } else {
      p.x = total;
      push(paid * kDay + 10 * kHour, Kind::payment, 0, p);
    }
  }

  void invoice(const Event &e) {
    Customer &c = customers_[e.cust];
    const InvoiceResult r = write_customer_invoice(c, e.b2, e.t, e.x, padded("S", e.b, 5), e.b, 0);
    if (e.a2 && r.posted) return_invoice_[e.b] = r.id;
  }

  void payment(const Event &e) {
    // One in 200 received payments bounced: booked, then cancelled; it does
    // not count, and a new one follows a week later.
    const bool bounced = e.a == 0 && rng_.chance(0.005);
    payment_.i(++payment_id_).i(e.b).i(e.b2).s(e.a ? "outbound" : "inbound").s(fmt_date(day_of(e.t))).r(e.x)
        .s(bounced ? "cancelled" : "posted").end_row();
    if (bounced) {
      Event again = e;
      push(e.t + 7 * kDay, Kind::payment, e.cust, again);
    }
  }

  // Goods come back: a return order with a negative line and a credit note.
  void product_return(const Event &e) {
    Customer &c = customers_[e.cust];
    const std::int64_t day = day_of(e.t);
    const double qty = -static_cast<double>(e.a);
    const double rate = rate_of(c, day);
    const double sub = round2(qty * e.x * (100 - e.x2) / 100);
    const std::int64_t id = ++order_id_;
    line_.i(++line_id_).i(id).i(10).null().i_or_null(e.b2 != 0, e.b2).s("Return").r(qty).r(e.x).r(e.x2).end_row();
    order_.i(id).s(padded("S", id, 5)).i(c.partner).s(fmt_date(day)).s("confirmed").s(currency_of(c)).r(rate).r(sub)
        .r(round2(sub * tax_rate(c))).s(padded("S", e.b, 5)).s(fmt_ts(e.t)).end_row();

    auto it = return_invoice_.find(e.b);
    if (it == return_invoice_.end()) return;  // the original was never posted
    const std::int64_t original = it->second;
    return_invoice_.erase(it);
    const double untaxed = -sub;
    const double tax = round2(untaxed * tax_rate(c));
    const std::int64_t cn = ++invoice_id_;
    invoice_.i(cn).s(invoice_number("RINV", day)).s("out_refund").s("posted").i(c.partner).s(fmt_date(day))
        .s(fmt_date(day)).s(currency_of(c)).r(rate).r(untaxed).r(tax).r(untaxed + tax).s(padded("S", id, 5)).i(id)
        .null().i(original).s(fmt_ts(e.t + 120)).end_row();
    if (rng_.chance(0.8)) {
      Event p;
      p.b = cn;
      p.b2 = c.partner;
      p.a = 1;  // outbound: money back to the customer
      p.x = round2(untaxed + tax);
      push((day + rng_.range(2, 15)) * kDay + 10 * kHour, Kind::payment, e.cust, p);
    }
  }

  // ---------------------------------------------------------------- helpdesk

  struct TicketPlan {
    std::int64_t partner = 0;  // 0 = anonymous
    std::string email;
    int category = -1;         // forced category index, -1 = draw
    std::int64_t order_id = 0;
    int segment = kSmb;
    bool spam = false;
  };

  void ticket(const Event &e) {
    Customer &c = customers_[e.cust];
    const bool incident = e.a != 0;
    if (!incident) {
      // The regular chain: next ticket, at a higher rate shortly before churn.
      const bool near_churn = c.churn_at - e.t < 120 * kDay;
      const bool silent = e.t - 60 * kDay > c.churn_at;  // left two months ago
      if (c.gone && silent) {
        c.ticket_chain = false;
        return;
      }
      const double rate = c.ticket_rate * (near_churn ? 2.0 : 1.0);
      push(e.t + static_cast<std::int64_t>(rng_.exponential(365.0 / rate) * kDay), Kind::ticket, e.cust);
      if (silent) return;  // dormant: no contact until a comeback
    }
    TicketPlan p;
    p.partner = (c.contacts > 0 && rng_.chance(0.55)) ? c.partner + rng_.range(1, c.contacts) : c.partner;
    p.category = incident ? 1 : -1;
    p.order_id = incident ? e.b : 0;
    p.segment = c.segment;
    write_ticket(e.t, p, &c, e.cust);
  }

  void anonymous_ticket(const Event &e) {
    push(next_anonymous(e.t), Kind::anonymous_ticket, 0);
    TicketPlan p;
    p.email = padded("someone", rng_.range(1, 99999), 5) + "@mail.example";
    p.spam = rng_.chance(0.3);
    write_ticket(e.t, p, nullptr, 0);
  }

  // Writes a ticket opened about t (unless that falls after the horizon).
  void write_ticket(std::int64_t t, const TicketPlan &p, Customer *c, std::uint32_t cust) {
    const int channel = p.partner == 0 ? (rng_.chance(0.8) ? 0 : 3) : rng_.pick(std::array<double, 4>{45, 25, 18, 12});
    // Phone and chat happen in office hours; e-mail and portal any time.
    if (channel == 1 || channel == 2) t = office_time(day_of(t));
    if (t >= end_) return;
    const std::int64_t id = ++ticket_id_;
    int priority = rng_.pick(p.segment == kEnt ? std::array<double, 4>{18, 47, 23, 12} : std::array<double, 4>{26, 50, 18, 6});
    int category = p.category;
    if (category < 0) {
      const int k = rng_.pick(std::array<double, 7>{20, 22, 20, 20, 8, 5, 5});
      category = k == 6 ? -1 : k;
    }
    if (p.spam) {
      category = -1;
      priority = 0;
    }

    // First response: minutes on the phone and in chat (opened in office
    // hours); e-mail and portal wait for the agents' office hours.
    std::int64_t first_response;
    switch (channel) {
      case 1: first_response = t + rng_.range(60, 360); break;
      case 2: first_response = t + static_cast<std::int64_t>(rng_.lognormal(180, 0.8)); break;
      case 0: first_response = add_office_hours(t, rng_.lognormal(1.5, 1.0)); break;
      default: first_response = add_office_hours(t, rng_.lognormal(3.0, 1.0)); break;
    }
    const bool responded = !rng_.chance(0.04);

    // Work until resolution, in office hours, long-tailed (lognormal), by
    // priority; a few tickets get stuck and are never resolved.
    static constexpr double kMedianWork[] = {30, 14, 7, 3};  // office hours: low .. urgent
    const bool stuck = rng_.chance(0.025);
    double work_h = rng_.lognormal(kMedianWork[priority], 1.1);
    std::int64_t close = add_office_hours(first_response, work_h);
    int reopens = 0;
    const double rr = rng_.u();
    if (rr < 0.02) reopens = 2;
    else if (rr < 0.10) reopens = 1;
    int reopens_seen = 0;
    for (int k = 0; k < reopens; ++k) {
      // The customer answers "still broken" a few days later.
      const std::int64_t reopened = close + static_cast<std::int64_t>(rng_.uniform(0.5, 5.0) * kDay);
      if (reopened < end_) ++reopens_seen;
      const double more = rng_.lognormal(4, 1.0);
      work_h += more;
      close = add_office_hours(reopened, more);
    }
    const bool closed = !stuck && !p.spam && close < end_;
    const bool fr_known = responded && first_response < end_;
    const int stage = p.spam ? kStageClosed
                      : closed ? (rng_.chance(0.85) ? kStageSolved : kStageClosed)
                      : !fr_known ? kStageNew
                      : rng_.chance(0.3) ? kStageWaiting
                                         : kStageProgress;
    std::int64_t order_id = p.order_id;
    if (order_id == 0 && c && (category == 1 || category == 5) && c->last_order_id && rng_.chance(0.7))
      order_id = c->last_order_id;

    const std::string subject = p.spam ? "You have won a prize!!!"
                                : category < 0 ? "Question"
                                               : kTicketSubjects[category][rng_.range(0, 2)];
    ticket_.i(id).s(subject).i_or_null(p.partner != 0, p.partner).s_or_null(!p.email.empty(), p.email).i(stage)
        .i(channel + 1).i_or_null(category >= 0, category + 1).s(std::string(1, static_cast<char>('0' + priority)))
        .i_or_null(order_id != 0, order_id).s(fmt_ts(t)).s_or_null(fr_known && !p.spam, fmt_ts(first_response))
        .s_or_null(closed || p.spam, fmt_ts(p.spam ? t + 600 : close)).i(p.spam ? 0 : reopens_seen)
        .i(p.spam ? 0 : 1).end_row();

    if (c) {
      c->recent_tickets[c->recent_pos] = t;
      c->recent_pos = static_cast<std::uint8_t>((c->recent_pos + 1) % c->recent_tickets.size());
    }
    if (closed && p.partner != 0) {
      // How the customer felt: slow (for its priority) and reopened is bad.
      Event ev;
      ev.b = id;
      ev.b2 = p.partner;
      ev.a = channel;
      ev.a2 = priority;
      ev.x = std::log(work_h / kMedianWork[priority]) + 0.8 * reopens;
      ev.x2 = static_cast<double>(close - t) / kHour;
      push(close + 600, Kind::ticket_closed, cust, ev);
    }
  }

  // After closing: CSAT (and for chat/portal CES) invitations, sometimes a
  // goodwill concession when an important ticket took long.
  void ticket_closed(const Event &e) {
    const double bad = e.x;
    {
      const bool answered = rng_.chance(0.20);
      const std::int64_t at = e.t + static_cast<std::int64_t>(rng_.lognormal(5, 1.2) * kHour);
      const int score = std::clamp(static_cast<int>(std::lround(4.3 - 0.6 * bad + 0.8 * rng_.normal())), 1, 5);
      write_answer(kSurveyCsat, e.b2, e.b, e.t, answered && at < end_, at, score);
    }
    if (e.a == 2 || e.a == 3 || rng_.chance(0.1)) {
      const bool answered = rng_.chance(0.15);
      const std::int64_t at = e.t + static_cast<std::int64_t>(rng_.lognormal(6, 1.2) * kHour);
      const int score = std::clamp(static_cast<int>(std::lround(2.5 + 1.2 * bad + 1.3 * rng_.normal())), 1, 10);
      write_answer(kSurveyCes, e.b2, e.b, e.t + 1, answered && at < end_, at, score);
    }
    if (e.a2 >= 2 && e.x2 > 72 && rng_.chance(0.25)) {
      const int seg = customers_.empty() ? 0 : customers_[e.cust].segment;
      const double amount = std::round(rng_.uniform(50, 250) * (seg == kEnt ? 3.0 : seg == kMid ? 1.6 : 1.0));
      const double s = rng_.u();
      expense_.i(++expense_id_).s(fmt_date(day_of(e.t))).s("concession")
          .s("Goodwill credit, ticket #" + std::to_string(e.b)).r(amount)
          .s(s < 0.85 ? "approved" : s < 0.95 ? "draft" : "refused").end_row();
    }
  }

  void write_answer(int survey, std::int64_t partner, std::int64_t ticket, std::int64_t sent, bool answered,
                    std::int64_t at, int score) {
    answer_.i(++answer_id_).i(survey).i_or_null(partner != 0, partner).i_or_null(ticket != 0, ticket)
        .s(answered ? "done" : "new").s(fmt_ts(sent)).s_or_null(answered, fmt_ts(at)).i_or_null(answered, score)
        .end_row();
  }

  // ---------------------------------------------------------------- NPS

  // Relationship NPS campaigns: 15 March and 15 September, 09:00 UTC.
  static std::int64_t next_campaign(std::int64_t t) {
    int y = civil_from_days(day_of(t)).y;
    for (;; ++y) {
      for (int m : {3, 9}) {
        const std::int64_t c = days_from_civil(y, m, 15) * kDay + 9 * kHour;
        if (c >= t) return c;
      }
    }
  }

  void nps(const Event &e) {
    Customer &c = customers_[e.cust];
    push(next_campaign(e.t + kDay) + e.cust % 7200, Kind::nps, e.cust);
    const bool active = (e.t - c.last_order_t < 200 * kDay && e.t < c.churn_at) || c.sub_until > e.t;
    if (!active) return;
    const std::int64_t partner = (c.contacts > 0 && rng_.chance(0.7)) ? c.partner + 1 : c.partner;
    const bool answered = rng_.chance(0.11);
    const std::int64_t at = e.t + static_cast<std::int64_t>(std::min(rng_.lognormal(20, 1.3), 24.0 * 30) * kHour);
    // Mostly promoters; recent tickets and an approaching churn make detractors.
    static constexpr std::array<double, 11> kPmf{1, 1, 2, 3, 4, 5, 7, 11, 18, 24, 24};
    int score = rng_.pick(kPmf);
    int recent = 0;
    for (std::int64_t tt : c.recent_tickets)
      if (tt != 0 && e.t - tt < 180 * kDay && tt <= e.t) ++recent;
    double p_detractor = std::min(0.7, 0.22 * recent);
    if (c.churn_at - e.t < 180 * kDay) p_detractor += 0.25;
    if (rng_.chance(p_detractor)) score = rng_.range(0, 6);
    write_answer(kSurveyNps, partner, 0, e.t, answered && at < end_, at, score);
  }

  // ---------------------------------------------------------------- subscriptions

  void subscription_start(const Event &e) {
    Customer &c = customers_[e.cust];
    if (c.gone || e.t >= c.churn_at) return;
    const std::int64_t day = day_of(e.t);
    const bool addon = e.a == 1;
    const bool upgrade = e.a == 2;

    // Plan and price by segment; upgrades carry the new monthly value in x.
    static const char *const kPlans[] = {"Support Basic", "Support Pro", "Enterprise Care"};
    const int tier = std::min<int>(c.segment == kNoSegment ? 0 : c.segment, 2);
    static constexpr double kMrrLo[] = {49, 290, 1900}, kMrrHi[] = {149, 990, 7900};
    double mrr_eur = upgrade ? e.x : std::exp(rng_.uniform(std::log(kMrrLo[tier]), std::log(kMrrHi[tier])));
    if (addon) mrr_eur *= 0.3;
    const int rule = upgrade ? e.a2 : rng_.pick(tier == 0 ? std::array<double, 3>{100, 0, 0}
                                                : tier == 1 ? std::array<double, 3>{60, 0, 40}
                                                            : std::array<double, 3>{40, 25, 35});
    static constexpr int kMonths[] = {1, 3, 12};
    static const char *const kRule[] = {"monthly", "quarterly", "yearly"};
    const double rate = rate_of(c, day);
    // Prices are agreed in the customer's currency, as a round figure.
    const double total = std::round(mrr_eur / rate * kMonths[rule]);
    const std::string plan = addon ? "Add-on: extra seats" : upgrade ? std::string(kPlans[tier]) + " Plus" : kPlans[tier];

    // Lifetime: an exponential number of months, but not beyond the customer.
    std::int64_t last = day + static_cast<std::int64_t>(rng_.exponential(28 * 30.4)) + 30;
    bool ends_with_churn = false;
    if (c.churn_at != kNever && day_of(c.churn_at) + 60 < last) {
      last = day_of(c.churn_at) + rng_.range(0, 60);
      ends_with_churn = true;
    }
    const bool upgraded = !ends_with_churn && !addon && last < last_day_ && rng_.chance(0.3);
    const std::int64_t id = ++subscription_id_;
    const bool open = last >= last_day_;
    std::string date_end;
    if (!open) date_end = fmt_date(last).str();
    else if (rule == 2) {
      // Yearly contracts run by terms: the current term's last day.
      std::int64_t term_end = add_months(day, 12) - 1;
      while (term_end < last_day_) term_end = add_months(term_end + 1, 12) - 1;
      date_end = fmt_date(term_end).str();
    }
    const char *reason = open ? nullptr : upgraded ? "Upgraded" : ends_with_churn ? "Customer left" : "Cancelled by customer";
    subscription_.i(id).s(padded("SUB", id, 6)).i(c.partner).s(plan).s(fmt_date(day)).s_or_null(!date_end.empty(), date_end)
        .s(kRule[rule]).r(total).s(currency_of(c)).r(rate).s(open ? "in_progress" : "closed")
        .s_or_null(reason != nullptr, reason ? reason : "").end_row();
    c.sub_until = std::max(c.sub_until, (std::min(last, last_day_) + 1) * kDay);

    Event bill;
    bill.b = id;
    bill.a = kMonths[rule];
    bill.a2 = static_cast<std::int32_t>(open ? std::numeric_limits<std::int32_t>::max() : last);
    bill.x = total;
    push(e.t + kHour, Kind::subscription_billing, e.cust, bill);

    if (upgraded) {
      Event up;
      up.a = 2;
      up.a2 = rule;
      up.x = mrr_eur * rng_.uniform(1.2, 1.8);
      push((last + 1) * kDay + 9 * kHour, Kind::subscription_start, e.cust, up);
    }
    if (!addon && !upgrade && rng_.chance(0.12)) {
      Event add;
      add.a = 1;
      push(office_time(day + rng_.range(60, 400)), Kind::subscription_start, e.cust, add);
    }
    // Other quotations for the same customer that never ran.
    if (!upgrade && rng_.chance(0.08)) {
      const std::int64_t q = ++subscription_id_;
      subscription_.i(q).s(padded("SUB", q, 6)).i(c.partner).s(std::string(kPlans[tier]) + " (alternative)")
          .s(fmt_date(day)).null().s("monthly").r(std::round(mrr_eur * 1.2)).s(currency_of(c)).r(rate)
          .s(day > last_day_ - 60 ? "draft" : "cancelled").null().end_row();
    }
  }

  // One invoice per billing period, from the contract start while it runs.
  void subscription_billing(const Event &e) {
    Customer &c = customers_[e.cust];
    const std::int64_t day = day_of(e.t);
    if (day > e.a2) return;
    write_customer_invoice(c, c.partner, e.t, e.x, padded("SUB", e.b, 6), 0, e.b);
    Event next = e;
    push(add_months(day, e.a) * kDay + 8 * kHour, Kind::subscription_billing, e.cust, next);
  }

  // ---------------------------------------------------------------- month end

  // Month-end bookings: CS costs and supplier bills.
  void month_end(const Event &e) {
    const std::int64_t day = day_of(e.t);
    push(month_last_day(day + 1) * kDay + 18 * kHour, Kind::month_end, 0);
    const Civil cv = civil_from_days(day);
    const std::int64_t month_start = days_from_civil(cv.y, cv.m, 1) * kDay;
    int active = 0, created = 0;
    for (const Customer &c : customers_) {
      if (c.created == 0 && c.number == 0) continue;
      if (c.created >= month_start && c.created < e.t) ++created;
      if (e.t - c.last_order_t < 90 * kDay) ++active;
    }
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", cv.y, cv.m);
    const Stamp d = fmt_date(day);
    // About one customer-success manager per 400 active customers.
    expense_.i(++expense_id_).s(d).s("cs_team").s(std::string("CS team payroll ") + month)
        .r(std::round((4200 + 11.5 * active) * (1 + 0.02 * rng_.normal()))).s("approved").end_row();
    if (cv.m % 3 == 0)
      expense_.i(++expense_id_).s(d).s("loyalty").s(std::string("Loyalty programme rewards ") + month)
          .r(std::round(150 + 1.8 * active)).s("approved").end_row();
    if (created > 0)
      expense_.i(++expense_id_).s(d).s("onboarding").s(std::string("Onboarding of new customers ") + month)
          .r(35.0 * created).s("approved").end_row();
    if (rng_.chance(0.1))
      expense_.i(++expense_id_).s(d).s("concession").s("Event tickets for key accounts").r(std::round(rng_.uniform(300, 1500)))
          .s("refused").end_row();

    for (std::int64_t s : suppliers_) {
      const double untaxed = round2(std::exp(rng_.uniform(std::log(800.0), std::log(15000.0))));
      const double tax = round2(untaxed * 0.2);
      const std::int64_t id = ++invoice_id_;
      invoice_.i(id).s(invoice_number("BILL", day)).s("in_invoice").s("posted").i(s).s(d).s(fmt_date(day + 30)).s("EUR")
          .r(1.0).r(untaxed).r(tax).r(untaxed + tax).null().null().null().null().s(fmt_ts(e.t)).end_row();
      Event p;
      p.b = id;
      p.b2 = s;
      p.a = 1;
      p.x = round2(untaxed + tax);
      push((day + 30) * kDay + 9 * kHour, Kind::payment, 0, p);
    }
  }

  // ---------------------------------------------------------------- data quality

  // A few deliberately bad rows, as every real ERP has: cskpi must report
  // them in data quality, never crash or drop them silently.
  void bad_rows(const Event &e) {
    const std::int64_t day = day_of(e.t);
    // 1. An order whose partner was deleted (no FK in the schema).
    const std::int64_t missing_partner = 99999999;
    const std::int64_t oid = ++order_id_;
    const auto &p = family_products_[2][0];
    line_.i(++line_id_).i(oid).i(10).null().i(p.id).s(p.name).r(3).r(p.price).r(0).end_row();
    order_.i(oid).s(padded("S", oid, 5)).i(missing_partner).s(fmt_date(day)).s("confirmed").s("EUR").r(1.0)
        .r(round2(3 * p.price)).r(round2(3 * p.price * 0.2)).null().s(fmt_ts(e.t)).end_row();
    // 2. A ticket closed before it was opened (a clock or import error).
    const std::int64_t partner = first_partner_;
    const std::int64_t tid = ++ticket_id_;
    ticket_.i(tid).s("Imported from the old helpdesk").i_or_null(partner != 0, partner).null().i(kStageSolved).i(1).i(4)
        .s("1").null().s(fmt_ts(e.t)).s(fmt_ts(e.t - 2 * kHour)).s(fmt_ts(e.t - 3 * kHour)).i(0).i(1).end_row();
    // 3. Scores outside their scale (a survey tool misconfigured for a day).
    write_answer(kSurveyNps, partner, 0, e.t, true, e.t + kHour, 11);
    write_answer(kSurveyCsat, partner, 0, e.t, true, e.t + kHour, 7);
  }

  // ---------------------------------------------------------------- state

  struct Product {
    std::int64_t id;
    double price;  // EUR list price
    const char *name;
  };

  const DemoOptions &o_;
  Rng rng_;
  std::int64_t first_day_, last_day_, begin_, end_;
  EventQueue queue_;
  std::uint64_t seq_ = 0;
  std::vector<Customer> customers_;
  std::array<std::vector<Product>, kFamilies> family_products_;
  std::vector<std::int64_t> suppliers_;
  std::unordered_map<std::int64_t, std::int64_t> return_invoice_;  // order id -> posted invoice, for coming returns
  std::array<std::unordered_map<int, std::int64_t>, 3> invoice_seq_;  // INV, RINV, BILL numbers per year

  std::int64_t partner_id_ = 0, order_id_ = 0, line_id_ = 0, invoice_id_ = 0, payment_id_ = 0, ticket_id_ = 0,
               answer_id_ = 0, subscription_id_ = 0, expense_id_ = 0;
  int customer_number_ = 0;
  std::int64_t first_partner_ = 0;  // the first customer company created
  std::int64_t customers_written_ = 0;

  TableBuffer segment_, partner_, category_, product_, order_, line_, invoice_, payment_, stage_, channel_,
      ticket_category_, ticket_, survey_, answer_, subscription_, expense_;
};

// ------------------------------------------------------------------ schema

struct SchemaParts {
  std::vector<std::string> tables;   // CREATE TABLE statements
  std::vector<std::string> indexes;  // CREATE [UNIQUE] INDEX statements
  std::vector<std::string> names;    // table names, in creation order
};

bool starts_with_ci(const std::string &s, const char *prefix) {
  std::size_t i = 0;
  for (; prefix[i]; ++i) {
    if (i >= s.size()) return false;
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Splits schema.sql into statements: comments ('--' to end of line) are
// removed first, then the text is cut at every ';'.
SchemaParts split_schema(const std::string &text) {
  std::string clean;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    clean += text[i++];
  }
  SchemaParts parts;
  std::size_t start = 0;
  while (start < clean.size()) {
    std::size_t semi = clean.find(';', start);
    if (semi == std::string::npos) semi = clean.size();
    std::string stmt = clean.substr(start, semi - start);
    start = semi + 1;
    const std::size_t b = stmt.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    stmt = stmt.substr(b, stmt.find_last_not_of(" \t\r\n") - b + 1);
    if (starts_with_ci(stmt, "CREATE TABLE ")) {
      std::size_t n = 13;
      while (n < stmt.size() && stmt[n] == ' ') ++n;
      std::size_t ne = n;
      while (ne < stmt.size() && stmt[ne] != ' ' && stmt[ne] != '(' && stmt[ne] != '\n') ++ne;
      parts.names.push_back(stmt.substr(n, ne - n));
      parts.tables.push_back(stmt);
    } else if (starts_with_ci(stmt, "CREATE INDEX ") || starts_with_ci(stmt, "CREATE UNIQUE INDEX ")) {
      parts.indexes.push_back(stmt);
    } else {
      throw std::logic_error("demo: unexpected statement in schema.sql: " + stmt.substr(0, 40));
    }
  }
  return parts;
}

}  // namespace

DemoStats generate_demo_erp(soci::session &db, const std::string &backend, const DemoOptions &o) {
  if (backend != "sqlite3" && backend != "postgresql")
    throw std::invalid_argument("demo: backend must be sqlite3 or postgresql, got '" + backend + "'");
  if (db.get_backend_name() != backend)
    throw std::invalid_argument("demo: the session's backend is " + db.get_backend_name() + ", not " + backend);
  if (o.customers < 0) throw std::invalid_argument("demo: customers must be >= 0");
  if (o.last_date.empty()) throw std::invalid_argument("demo: last_date is required");
  const std::int64_t first = parse_date(o.first_date, "first_date");
  const std::int64_t last = parse_date(o.last_date, "last_date");
  if (last < first) throw std::invalid_argument("demo: last_date is before first_date");

  const SchemaParts schema = split_schema(demo_schema_sql());

  // SQLite: a bigger page cache keeps the bulk load and the index builds in
  // memory (the default 2 MB spills and re-reads pages), and no fsync: the
  // demo data can always be regenerated, and the syncs were most of the
  // wall time. Both settings are restored afterwards.
  struct SqliteTuning {
    soci::session &db;
    bool on = false;
    int sync = 2, cache = -2000;
    ~SqliteTuning() {
      if (!on) return;
      try {
        db << ("PRAGMA synchronous = " + std::to_string(sync));
        db << ("PRAGMA cache_size = " + std::to_string(cache));
      } catch (...) {
      }
    }
  } tuning{db};
  if (backend == "sqlite3") {
    db << "PRAGMA synchronous", soci::into(tuning.sync);
    db << "PRAGMA cache_size", soci::into(tuning.cache);
    tuning.on = true;
    db << "PRAGMA synchronous = OFF";
    db << "PRAGMA cache_size = -262144";
  }

  soci::transaction tx(db);
  // PostgreSQL reports each DROP of a missing table as a NOTICE on stderr.
  if (backend == "postgresql") db << "SET LOCAL client_min_messages = warning";
  for (auto it = schema.names.rbegin(); it != schema.names.rend(); ++it)
    db << ("DROP TABLE IF EXISTS " + *it + (backend == "postgresql" ? " CASCADE" : ""));
  for (const auto &s : schema.tables) db << s;

  auto sink = make_sink(db, backend);
  DemoStats stats{};
  {
    AsyncWriter writer(*sink);
    Generator gen(writer, o, first, last);
    try {
      stats = gen.run();
      writer.finish();
    } catch (...) {
      writer.abandon();  // before gen's buffers go away
      throw;
    }
  }
  sink.reset();  // finalizes SQLite's prepared statements before the commit

  // SQLite sorts an index's keys in runs as large as the page cache: one
  // 256 MB run of randomly ordered keys (sale_order_line's product_id) is a
  // merge sort that misses the CPU cache at every step. With 16 MB runs,
  // merged afterwards, that index over the 3.3M lines of 100k customers
  // builds about three times faster, all the indexes together in about half
  // the time. The B-trees are written in key order and need no big cache.
  if (backend == "sqlite3") db << "PRAGMA cache_size = -16384";
  for (const auto &s : schema.indexes) db << s;
  // Fresh statistics, so the profile queries get good plans right away.
  // SQLite: sampled (a full ANALYZE reads every index: seconds at 100k customers).
  if (backend == "sqlite3") db << "PRAGMA analysis_limit = 1000";
  db << "ANALYZE";
  if (backend == "sqlite3") db << "PRAGMA analysis_limit = 0";
  tx.commit();
  return stats;
}

}  // namespace cskpi::demo
