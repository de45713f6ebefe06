// The reference data (segments, catalogue, helpdesk and survey set-up) and
// the rows it becomes at go-live, with the company and its suppliers.
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

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

void Generator::reference_data() {
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
      .s("DE").s("EUR").i(1).created(golive).end_row();
  const char *const suppliers[] = {"Pacific Components Ltd.", "EuroPaper Mills AG", "Contoso Distribution B.V.",
                                   "Fabrikam Furniture S.p.A.", "Northwind Software GmbH", "Alpine Logistics AG"};
  for (const char *s : suppliers) {
    partner_.i(++partner_id_).s(s).null().i(1).null().i(0).i(1).null().s("ap@" + lower_alnum(s) + ".example")
        .s("DE").s("EUR").i(1).created(golive).end_row();
    suppliers_.push_back(partner_id_);
  }
}

}  // namespace cskpi::demo
