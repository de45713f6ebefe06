// Text as cskpi keeps and outputs it (docs/kpis.md §11): valid UTF-8, no NUL
// byte, at most kMaxTextBytes bytes. ERP text is not always that: Latin-1
// names in an old database, a NUL from a C client, a 1 MB pasted name. Any of
// them would make the JSON output invalid, break a UTF-8 consumer (Python
// decodes strictly) or fail a PostgreSQL target, so text is repaired where it
// enters the model and the repair is counted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cskpi {

inline constexpr std::size_t kMaxTextBytes = 500;

// What repair_text changed (bits).
enum TextRepair : unsigned {
  kTextOk = 0,
  kTextInvalid = 1,    // an invalid UTF-8 sequence (each replaced by U+FFFD) or a NUL (removed)
  kTextTruncated = 2,  // longer than kMaxTextBytes: cut at the last character boundary before it
};

// True when text needs no repair (the common case: checked without copying).
bool text_is_clean(std::string_view text);
// The repaired text in out; returns what was repaired.
unsigned repair_text(std::string_view text, std::string &out);

}  // namespace cskpi
