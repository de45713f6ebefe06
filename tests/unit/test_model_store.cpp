// The incremental nightly run's saved model (plugin/incremental): raw rows
// grouped by document in canonical order, changes applied to them, replayed
// as a read would deliver them, and the model file with every way it can be
// unusable (docs/nightly.md "Incremental runs"). Expectations by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "incremental/model_file.hpp"
#include "incremental/raw_rows.hpp"
#include "source/profile.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
using namespace cskpi::incremental;
using source_detail::Chunk;
using source_detail::Wire;

namespace {

// An order line as the store keeps it: order_id (the key), customer_id, amount.
struct Line {
  std::optional<std::string> order;
  std::string customer;
  double amount;
  int live = 1;  // changes rows only
  bool operator==(const Line &o) const {
    return order == o.order && customer == o.customer && amount == o.amount;
  }
};

const std::vector<Wire> kWires = {Wire::text, Wire::text, Wire::real};

Chunk chunk_of(const std::vector<Line> &lines, bool with_live) {
  Chunk c;
  for (Wire w : kWires) c.cols.emplace_back().wire = w;
  if (with_live) c.cols.emplace_back().wire = Wire::int64;
  c.reserve_rows();
  for (std::size_t r = 0; r < lines.size(); ++r) {
    c.cols[0].ind[r] = lines[r].order ? soci::i_ok : soci::i_null;
    if (lines[r].order) c.cols[0].text[r] = *lines[r].order;
    c.cols[1].ind[r] = soci::i_ok;
    c.cols[1].text[r] = lines[r].customer;
    c.cols[2].ind[r] = soci::i_ok;
    c.cols[2].reals[r] = lines[r].amount;
    if (with_live) {
      c.cols[3].ind[r] = soci::i_ok;
      c.cols[3].ints[r] = lines[r].live;
    }
  }
  c.rows = lines.size();
  return c;
}

// Appended a chunk of at most kChunkRows rows at a time, as a read delivers them.
void append_all(RawRows &rows, const std::vector<Line> &lines, bool with_live) {
  for (std::size_t at = 0; at < lines.size(); at += source_detail::kChunkRows) {
    const auto end = lines.begin() + static_cast<std::ptrdiff_t>(std::min(lines.size(), at + source_detail::kChunkRows));
    rows.append(chunk_of(std::vector<Line>(lines.begin() + static_cast<std::ptrdiff_t>(at), end), with_live));
  }
}

RawRows full_read(const std::vector<Line> &lines) {
  RawRows rows(kWires);
  append_all(rows, lines, false);
  rows.sort_documents();
  return rows;
}

RawRows changes_of(const std::vector<Line> &lines) {
  std::vector<Wire> wires = kWires;
  wires.push_back(Wire::int64);
  RawRows rows(wires);
  append_all(rows, lines, true);
  return rows;
}

// What a replay delivers, row by row.
std::vector<Line> replayed(const RawRows &rows) {
  Chunk c;
  for (Wire w : kWires) c.cols.emplace_back().wire = w;
  std::vector<Line> out;
  rows.replay(c, [&](Chunk &ch) {
    for (std::size_t r = 0; r < ch.rows; ++r)
      out.push_back({ch.null(0, r) ? std::nullopt : std::optional<std::string>(std::string(ch.text(0, r))),
                     std::string(ch.text(1, r)), ch.real(2, r)});
  });
  return out;
}

void apply(RawRows &rows, const std::vector<Line> &changes, const std::vector<std::string> &documents) {
  auto exists = rows.no_documents();
  for (const auto &d : documents) rows.mark_document(exists, d);
  rows.apply(changes_of(changes), exists);
}

const std::vector<Line> kBase = {
    {"o2", "c1", 20}, {"o1", "c1", 10}, {"o2", "c1", 21}, {std::nullopt, "c3", 99}, {"o10", "c2", 100}, {"o3", "c2", 30},
};
const std::vector<std::string> kBaseDocuments = {"o1", "o2", "o3", "o10"};

}  // namespace

TEST_CASE("raw rows: grouped by document key bytes, null keys first, a document's rows in database order") {
  RawRows rows = full_read(kBase);
  CHECK(rows.rows() == 6);
  // "o10" < "o2": bytes, not numbers.
  CHECK(replayed(rows) == std::vector<Line>{{std::nullopt, "c3", 99}, {"o1", "c1", 10}, {"o10", "c2", 100},
                                            {"o2", "c1", 20}, {"o2", "c1", 21}, {"o3", "c2", 30}});
}

TEST_CASE("raw rows: a replay spans chunks of kChunkRows rows") {
  std::vector<Line> many;
  for (int i = 0; i < 25000; ++i) many.push_back({"o" + std::to_string(i % 7), "c", static_cast<double>(i)});
  RawRows rows = full_read(many);
  std::size_t chunks = 0, total = 0;
  Chunk c;
  for (Wire w : kWires) c.cols.emplace_back().wire = w;
  rows.replay(c, [&](Chunk &ch) {
    ++chunks;
    total += ch.rows;
  });
  CHECK(chunks == 3);  // 10000 + 10000 + 5000
  CHECK(total == 25000);
  // o0's rows are i = 0, 7, 14, ... in that order.
  const auto out = replayed(rows);
  CHECK(out[0].amount == 0);
  CHECK(out[1].amount == 7);
  CHECK(*out[0].order == "o0");
}

TEST_CASE("applying changes: a replaced order, a cancelled one, a deletion, a re-assigned customer, a backdated order") {
  RawRows rows = full_read(kBase);
  apply(rows,
        {
            {"o2", "c1", 25},            // o2 edited: its one line now (both old lines leave)
            {"o3", "c2", 30, 0},         // o3 cancelled: a live = 0 row only says it changed
            {"o1", "c9", 10},            // o1 re-assigned to customer c9
            {"o0", "c4", 5},             // a backdated new order: sorts before o1
            {"o4", "c4", 1, 0},          // a new draft order: not live, not kept
        },
        {"o0", "o1", "o2", "o3", "o4"});  // o10 was hard-deleted
  CHECK(replayed(rows) == std::vector<Line>{{std::nullopt, "c3", 99},
                                            {"o0", "c4", 5},
                                            {"o1", "c9", 10},
                                            {"o2", "c1", 25}});
}

TEST_CASE("applying changes equals a full read of the same final state, row for row") {
  RawRows incremental = full_read(kBase);
  apply(incremental, {{"o2", "c1", 22}, {"o2", "c5", 23}, {"o5", "c5", 50}, {"o5", "c5", 51}},
        {"o1", "o2", "o3", "o5"});
  // The same ERP read in full after those edits (o10 deleted), in another database order.
  RawRows full = full_read({{"o5", "c5", 50}, {"o3", "c2", 30}, {"o2", "c1", 22}, {std::nullopt, "c3", 99},
                            {"o1", "c1", 10}, {"o2", "c5", 23}, {"o5", "c5", 51}});
  CHECK(replayed(incremental) == replayed(full));
  CHECK(replayed(full).size() == 7);
}

TEST_CASE("applying no changes to existing documents keeps every row") {
  RawRows rows = full_read(kBase);
  const auto before = replayed(rows);
  apply(rows, {}, kBaseDocuments);
  CHECK(replayed(rows) == before);
}

namespace {

Settings settings_with(const std::string &timezone) {
  return parse_settings(R"({"source": {"backend": "sqlite3", "connection": "db=erp.sqlite"}, "timezone": ")" + timezone +
                        "\"}");
}

Model model_of(const Profile &p, const Settings &s) {
  Model m;
  m.identity = model_identity(p, s);
  m.sources["order_lines"].rows = full_read(kBase);
  m.sources["order_lines"].watermark = "2026-12-01 02:30:00";
  return m;
}

std::string reason_reading(const std::string &path, const ModelIdentity &expect) {
  std::string digest;
  try {
    read_model(path, expect, digest);
  } catch (const ModelFileError &e) {
    return e.reason + ": " + e.what();
  }
  return "(read)";
}

std::string bytes_of(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_CASE("model file: a round trip gives the same rows, watermark and digest") {
  cskpi::test::TempDir dir;
  const std::string path = (dir.path / "m").string();
  const Profile p = load_profile("canonical", "sqlite3");
  const Settings s = settings_with("UTC");
  const Model m = model_of(p, s);
  const std::string digest = write_model(m, path);
  CHECK(digest.rfind("crc32:", 0) == 0);
  std::string read_digest;
  Model back = read_model(path, model_identity(p, s), read_digest);
  CHECK(read_digest == digest);
  REQUIRE(back.sources.size() == 1);
  CHECK(back.sources.at("order_lines").watermark == "2026-12-01 02:30:00");
  CHECK(replayed(back.sources.at("order_lines").rows) == replayed(m.sources.at("order_lines").rows));
  // Another model has another digest.
  Model other = model_of(p, s);
  other.sources["order_lines"].watermark = "2026-12-02 02:30:00";
  CHECK(write_model(other, (dir.path / "other").string()) != digest);
}

TEST_CASE("model file: every corruption is a ModelFileError with its reason, never a crash") {
  cskpi::test::TempDir dir;
  const std::string path = (dir.path / "m").string();
  const Profile p = load_profile("canonical", "sqlite3");
  const Settings s = settings_with("UTC");
  const ModelIdentity id = model_identity(p, s);
  write_model(model_of(p, s), path);
  const std::string good = bytes_of(path);
  REQUIRE(good.size() > 100);
  auto reason_with = [&](std::string bytes) {
    write_bytes(path, bytes);
    return reason_reading(path, id);
  };
  using cskpi::test::contains;
  CHECK(reason_with(good) == "(read)");
  // Flip one byte of the payload (its end holds the amounts), of the header.
  std::string flipped = good;
  flipped[good.size() - 10] ^= 0x01;
  CHECK(contains(reason_with(flipped), "model_corrupt: payload checksum mismatch"));
  flipped = good;
  flipped[30] ^= 0x40;  // inside the library version / profile name
  CHECK(contains(reason_with(flipped), "model_corrupt"));
  // Truncated anywhere.
  for (std::size_t keep : {std::size_t(0), std::size_t(5), std::size_t(40), good.size() / 2, good.size() - 1}) {
    INFO(keep);
    CHECK(contains(reason_with(good.substr(0, keep)), "model_corrupt"));
  }
  CHECK(contains(reason_with(good + "x"), "model_corrupt"));
  // Another format version (bytes 8..11, little-endian).
  std::string v2 = good;
  v2[8] = 2;
  CHECK(contains(reason_with(v2), "model_version: format 2"));
  // A foreign file.
  CHECK(contains(reason_with("SQLite format 3\0 and then some more bytes of a database file"), "not a cskpi model"));
  // Nothing there.
  std::filesystem::remove(path);
  CHECK(contains(reason_reading(path, id), "no_model"));
  // A directory where the file should be.
  std::filesystem::create_directory(path);
  CHECK(contains(reason_reading(path, id), "model_corrupt"));
}

TEST_CASE("model file: built with another profile, profile SQL, parameters or settings: not used") {
  cskpi::test::TempDir dir;
  const std::string path = (dir.path / "m").string();
  const Profile p = load_profile("canonical", "sqlite3");
  const Settings s = settings_with("UTC");
  write_model(model_of(p, s), path);
  using cskpi::test::contains;
  CHECK(contains(reason_reading(path, model_identity(load_profile("demo", "sqlite3"), s)), "profile_changed"));
  Profile edited = p;
  edited.sql["order_lines"] += " WHERE 1 = 1";
  CHECK(contains(reason_reading(path, model_identity(edited, s)), "profile_changed"));
  CHECK(contains(reason_reading(path, model_identity(p, settings_with("America/Sao_Paulo"))), "settings_changed"));
  Settings other_db = s;
  other_db.source.connection = "db=other.sqlite";
  CHECK(contains(reason_reading(path, model_identity(p, other_db)), "settings_changed"));
  ModelIdentity newer = model_identity(p, s);
  newer.library_version = "99.0.0";
  CHECK(contains(reason_reading(path, newer), "library_changed"));
}
