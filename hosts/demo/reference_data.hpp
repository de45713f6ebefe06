// The demo ERP's reference data: customer segments and their behaviour
// models, the product catalogue, helpdesk stages, channels and categories,
// surveys, and the names companies and contacts are made of; also how its
// codes and amounts are spelled.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "table_writer.hpp"

namespace cskpi::demo {

// Segments: index 0..2 = partner_segment ids 1..3; 3 = not classified (NULL).
enum Segment { kSmb = 0, kMid = 1, kEnt = 2, kNoSegment = 3 };
inline constexpr const char *kSegmentCode[] = {"smb", "mid_market", "enterprise"};
inline constexpr const char *kSegmentName[] = {"Small business", "Mid-market", "Enterprise"};

struct SegmentModel {
  double order_value;     // typical order, EUR
  double ticket_factor;   // tickets relative to the base rate
  double lifetime_years;  // mean time until churn
  double subscription_p;  // share with a subscription
  int contacts_min, contacts_max;
};
inline constexpr SegmentModel kSegments[] = {
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

// The product catalogue: families, their leaf categories and five products each.
const std::vector<Family> &families();
inline constexpr int kFamilies = 6;

inline constexpr const char *kChannels[] = {"Email", "Phone", "Chat", "Portal"};
inline constexpr const char *kTicketCategories[] = {"Billing", "Delivery", "Product defect", "How-to", "Account access", "Returns"};
inline constexpr const char *kTicketSubjects[][3] = {
    {"Question about invoice", "Wrong VAT on invoice", "Payment not registered"},
    {"Order not delivered yet", "Delivery arrived damaged", "Wrong delivery address"},
    {"Device does not start", "Defective item received", "Screen flickers"},
    {"How do I set this up?", "Need help with configuration", "Where is the user manual?"},
    {"Cannot log in to the portal", "Password reset", "Add a user to our account"},
    {"Request a return", "Return label missing", "Refund status"},
};
// helpdesk_stage ids
inline constexpr int kStageNew = 1, kStageProgress = 2, kStageWaiting = 3, kStageSolved = 4, kStageClosed = 5;
// survey_survey ids
inline constexpr int kSurveyNps = 1, kSurveyCsat = 2, kSurveyCes = 3, kSurveyResearch = 4;

inline constexpr const char *kNamePrefix[] = {"Alpen", "Nord", "Blue", "Silver", "Green", "Rhein", "Atlas", "Nova", "Delta", "Orion",
                                   "Summit", "Harbor", "Linden", "Falcon", "Iris", "Vista", "Cedar", "Polar", "Sonne", "Terra",
                                   "Aurora", "Kestrel", "Meridian", "Oak", "Pioneer", "Quartz", "Riviera", "Sierra", "Tulip", "Zenith"};
inline constexpr const char *kNameCore[] = {"Logistics", "Systems", "Foods", "Retail", "Consulting", "Dental", "Architects", "Motors", "Media", "Pharma",
                                 "Textiles", "Solar", "Bakery", "Legal", "Clinic", "Hotels", "Engineering", "Print", "Travel", "Labs",
                                 "Software", "Imports", "Garden", "Fitness", "Insurance", "Capital", "Robotics", "Studio", "Freight", "Optics"};
struct Country {
  const char *code;
  const char *form;
  double weight;
};
inline constexpr Country kCountries[] = {{"DE", "GmbH", 30}, {"FR", "SAS", 18}, {"NL", "B.V.", 12}, {"ES", "S.L.", 10},
                              {"IT", "S.r.l.", 10}, {"AT", "GmbH", 6}, {"BE", "SRL", 6}, {"US", "Inc.", 8}};
inline constexpr const char *kFirstNames[] = {"Anna", "Lukas", "Marie", "Jonas", "Sophie", "Paul", "Emma", "Louis", "Lea", "Hugo",
                                   "Sara", "Marco", "Julia", "Pablo", "Eva", "Tom", "Nina", "Luca", "Clara", "Daan"};
inline constexpr const char *kLastNames[] = {"Schmidt", "Martin", "de Vries", "Garcia", "Rossi", "Huber", "Peeters", "Miller", "Weber", "Bernard",
                                  "Jansen", "Lopez", "Bianchi", "Wagner", "Dubois", "Bakker", "Moreno", "Ricci", "Fischer", "Smith"};

// The lower-case letters and digits of s ("Nova Labs B.V." -> "novalabsbv"):
// e-mail domains and local parts.
std::string lower_alnum(const std::string &s);
// prefix + n zero-padded to width digits ("S", 42, 5 -> "S00042").
std::string padded(const char *prefix, std::int64_t n, int width);
// Amounts: cents, halves away from zero as decimal arithmetic rounds.
inline double round2(double v) { return decimal_round(v, 2); }

// Company currency (EUR) per USD on a day: drifts slowly around 0.92.
inline double eur_per_usd(std::int64_t day) {
  return std::round((0.92 + 0.03 * std::sin(static_cast<double>(day) / 180.0)) * 1e6) / 1e6;
}

}  // namespace cskpi::demo
