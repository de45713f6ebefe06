#include "core/text.hpp"

namespace cskpi {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), 0 when it is not one.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const std::size_t left = text.size() - i;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && continuation(b(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !continuation(b(1)) || !continuation(b(2))) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !continuation(b(1)) || !continuation(b(2)) || !continuation(b(3))) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool text_is_clean(std::string_view text) {
  if (text.size() > kMaxTextBytes) return false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

unsigned repair_text(std::string_view text, std::string &out) {
  unsigned what = kTextOk;
  out.clear();
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(text, i);
    std::string_view piece = text.substr(i, n);
    if (n == 0) {
      what |= kTextInvalid;
      piece = kReplacement;
      n = 1;  // one replacement per byte that starts no valid sequence
    } else if (text[i] == '\0') {
      what |= kTextInvalid;
      piece = {};
    }
    if (out.size() + piece.size() > kMaxTextBytes) {
      what |= kTextTruncated;
      break;
    }
    out.append(piece);
    i += n;
  }
  return what;
}

}  // namespace cskpi
