// Dictionary and IdIndex: dense indexes in insertion order, exact lookups
// across table growth, and IdIndex's number/text split.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/dictionary.hpp"

using namespace cskpi;

TEST_CASE("Dictionary interns in insertion order and finds exactly") {
  Dictionary d;
  CHECK(d.size() == 0);
  CHECK(d.find("a") == Dictionary::npos);
  CHECK(d.intern("b") == 0);
  CHECK(d.intern("") == 1);  // the empty text is a text like any other
  CHECK(d.intern(std::string_view("x\0y", 3)) == 2);
  CHECK(d.intern("b") == 0);
  CHECK(d.size() == 3);
  CHECK(d.name(0) == "b");
  CHECK(d.name(1).empty());
  CHECK(d.name(2) == std::string_view("x\0y", 3));
  CHECK(d.find("") == 1);
  CHECK(d.find("x") == Dictionary::npos);
  CHECK(d.names() == std::vector<std::string>{"b", "", std::string("x\0y", 3)});
  // A name converts to std::string where one is expected.
  std::map<std::string, int> m{{"b", 7}};
  CHECK(m.find(d.name(0))->second == 7);
}

TEST_CASE("Dictionary keeps every entry across many table growths") {
  Dictionary d;
  const std::uint32_t n = 200000;
  for (std::uint32_t i = 0; i < n; ++i) REQUIRE(d.intern("id-" + std::to_string(i * 7919u)) == i);
  REQUIRE(d.size() == n);
  for (std::uint32_t i = 0; i < n; i += 97) {
    CHECK(d.find("id-" + std::to_string(i * 7919u)) == i);
    CHECK(d.name(i) == "id-" + std::to_string(i * 7919u));
  }
  CHECK(d.find("id-1") == Dictionary::npos);
  CHECK(d.find("id-") == Dictionary::npos);
}

TEST_CASE("IdIndex: numbers directly, anything else as text, one index space") {
  IdIndex x;
  CHECK(x.find("1") == IdIndex::npos);
  CHECK(x.intern("17") == 0);
  CHECK(x.intern("017") == 1);         // not the number 17: another id
  CHECK(x.intern("a-17") == 2);
  CHECK(x.intern("0") == 3);
  CHECK(x.intern("99999999999") == 4);  // beyond any direct range: text
  CHECK(x.intern("4000000000") == 5);
  CHECK(x.intern("") == 6);
  CHECK(x.intern("+5") == 7);
  for (auto [id, index] : std::map<std::string, std::uint32_t>{
           {"17", 0}, {"017", 1}, {"a-17", 2}, {"0", 3}, {"99999999999", 4}, {"4000000000", 5}, {"", 6}, {"+5", 7}}) {
    CHECK(x.find(id) == index);
    CHECK(x.intern(id) == index);
  }
  CHECK(x.find("5") == IdIndex::npos);
  CHECK(x.find("18") == IdIndex::npos);
  CHECK(x.size() == 8);
}

TEST_CASE("IdIndex: a number added out of the direct range is still found once the range grows") {
  IdIndex x;
  const std::uint64_t far = (std::uint64_t{1} << 22) + 5;  // beyond the first range
  CHECK(x.intern(std::to_string(far)) == 0);
  for (std::uint32_t i = 1; i <= 1200000; ++i) REQUIRE(x.intern(std::to_string(i)) == i);
  CHECK(x.find(std::to_string(far)) == 0);
  CHECK(x.intern(std::to_string(far)) == 0);
  CHECK(x.find("1200000") == 1200000);
  CHECK(x.find("1200001") == IdIndex::npos);
  CHECK(x.size() == 1200001);
  x.release();
  CHECK(x.size() == 1200001);
}
