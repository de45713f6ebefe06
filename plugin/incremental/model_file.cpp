#include "incremental/model_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>

#include <boost/crc.hpp>

#include "source/database.hpp"

namespace cskpi::incremental {

void (*model_save_fault)(const char *step) = nullptr;

namespace {

constexpr char kMagic[8] = {'C', 'S', 'K', 'P', 'I', 'M', 'D', 'L'};
// No source of a real ERP comes near these; a count beyond them is corrupt.
constexpr std::uint32_t kMaxColumns = 64, kMaxSources = 64;

std::string hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// Bytes appended to a buffer, flushed to a file descriptor; a CRC of
// everything since the last restart_crc().
class FileWriter {
 public:
  explicit FileWriter(const std::string &path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create");
  }
  ~FileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileWriter(const FileWriter &) = delete;
  FileWriter &operator=(const FileWriter &) = delete;

  void bytes(const void *p, std::size_t n) {
    crc_.process_bytes(p, n);
    size_ += n;
    const char *c = static_cast<const char *>(p);
    buf_.insert(buf_.end(), c, c + n);
    if (buf_.size() >= (1u << 20)) flush();
  }
  template <class T>
  void value(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  void text(std::string_view s) {
    value(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  template <class T>
  void array(const std::vector<T> &v) {
    value(static_cast<std::uint64_t>(v.size()));
    bytes(v.data(), v.size() * sizeof(T));
  }
  std::uint32_t take_crc() {
    const std::uint32_t v = crc_.checksum();
    crc_.reset();
    return v;
  }
  // The CRC itself, outside of any CRC.
  void trailer(std::uint32_t crc) {
    const char *c = reinterpret_cast<const char *>(&crc);
    buf_.insert(buf_.end(), c, c + sizeof crc);
    size_ += sizeof crc;
  }
  std::uint64_t size() const { return size_; }
  void close_synced() {
    flush();
    if (::fsync(fd_) != 0) fail("cannot fsync");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot close");
  }

 private:
  void flush() {
    std::size_t done = 0;
    while (done < buf_.size()) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      done += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }
  [[noreturn]] void fail(const char *what) const {
    throw std::runtime_error(std::string(what) + " the model file " + path_ + ": " + std::strerror(errno));
  }

  std::string path_;
  int fd_ = -1;
  std::vector<char> buf_;
  boost::crc_32_type crc_;
  std::uint64_t size_ = 0;
};

// The reader's side: every read is bounded by the bytes left in the file.
class FileReader {
 public:
  explicit FileReader(const std::string &path) : file_(std::fopen(path.c_str(), "rb"), &std::fclose) {
    if (!file_) throw ModelFileError("no_model", "no model file at " + path);
    struct stat st {};
    if (::fstat(::fileno(file_.get()), &st) != 0 || !S_ISREG(st.st_mode))
      throw ModelFileError("model_corrupt", path + " is not a regular file");
    left_ = static_cast<std::uint64_t>(st.st_size);
  }

  void bytes(void *p, std::size_t n) {
    if (n > left_) throw ModelFileError("model_corrupt", "truncated");
    if (n && std::fread(p, 1, n, file_.get()) != n) throw ModelFileError("model_corrupt", "unreadable");
    left_ -= n;
    crc_.process_bytes(p, n);
  }
  template <class T>
  T value() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
  std::string text() {
    const auto n = value<std::uint32_t>();
    check_size(n, 1);
    std::string s(n, '\0');
    bytes(s.data(), n);
    return s;
  }
  template <class T>
  void array(std::vector<T> &v, std::uint64_t expected) {
    const auto n = value<std::uint64_t>();
    if (n != expected) throw ModelFileError("model_corrupt", "a column's length does not match its row count");
    check_size(n, sizeof(T));
    v.resize(n);
    bytes(v.data(), n * sizeof(T));
  }
  void check_size(std::uint64_t count, std::size_t each) const {
    if (count > left_ / each) throw ModelFileError("model_corrupt", "truncated (a length beyond the end of the file)");
  }
  std::uint32_t take_crc() {
    const std::uint32_t v = crc_.checksum();
    crc_.reset();
    return v;
  }
  // A stored CRC must equal the one computed over the bytes before it.
  void check_crc(const char *part, std::uint32_t &computed) {
    computed = take_crc();
    const auto stored = value<std::uint32_t>();
    crc_.reset();
    if (stored != computed) throw ModelFileError("model_corrupt", std::string(part) + " checksum mismatch");
  }
  std::uint64_t left() const { return left_; }

 private:
  std::unique_ptr<FILE, int (*)(FILE *)> file_;
  std::uint64_t left_ = 0;
  boost::crc_32_type crc_;
};

void write_column(FileWriter &w, const RawColumn &c) {
  w.value(static_cast<std::uint8_t>(c.wire));
  w.array(c.null);
  switch (c.wire) {
    case Wire::text:
      w.value(static_cast<std::uint64_t>(c.dict.size()));
      for (std::uint32_t i = 0; i < c.dict.size(); ++i) w.text(c.dict.name(i));
      w.array(c.codes);
      break;
    case Wire::real: w.array(c.reals); break;
    default: w.array(c.ints); break;
  }
}

void read_column(FileReader &r, RawColumn &c, std::uint64_t rows) {
  const auto wire = r.value<std::uint8_t>();
  if (wire > static_cast<std::uint8_t>(Wire::iso_seconds)) throw ModelFileError("model_corrupt", "unknown column type");
  c.wire = static_cast<Wire>(wire);
  r.array(c.null, rows);
  switch (c.wire) {
    case Wire::text: {
      const auto entries = r.value<std::uint64_t>();
      r.check_size(entries, 4);
      for (std::uint64_t i = 0; i < entries; ++i)
        if (c.dict.intern(r.text()) != i) throw ModelFileError("model_corrupt", "a dictionary repeats a value");
      r.array(c.codes, rows);
      for (std::size_t i = 0; i < c.codes.size(); ++i)
        if (!c.null[i] && c.codes[i] >= entries) throw ModelFileError("model_corrupt", "a code beyond its dictionary");
      break;
    }
    case Wire::real: r.array(c.reals, rows); break;
    default: r.array(c.ints, rows); break;
  }
}

void write_identity(FileWriter &w, const ModelIdentity &id) {
  w.text(id.library_version);
  w.text(id.profile);
  w.value(id.profile_hash);
  w.value(id.settings_hash);
}

ModelIdentity read_identity(FileReader &r) {
  ModelIdentity id;
  id.library_version = r.text();
  id.profile = r.text();
  id.profile_hash = r.value<std::uint64_t>();
  id.settings_hash = r.value<std::uint64_t>();
  return id;
}

void check_identity(const ModelIdentity &have, const ModelIdentity &want) {
  if (have.library_version != want.library_version)
    throw ModelFileError("library_changed", "saved by cskpi " + have.library_version + ", this is " + want.library_version);
  if (have.profile != want.profile || have.profile_hash != want.profile_hash)
    throw ModelFileError("profile_changed", "saved with another profile or profile SQL ('" + have.profile + "')");
  if (have.settings_hash != want.settings_hash)
    throw ModelFileError("settings_changed", "saved with another source, time zone or timestamps setting");
}

}  // namespace

ModelIdentity model_identity(const Profile &p, const Settings &s) {
  ModelIdentity id;
  id.library_version = CSKPI_VERSION_STRING;
  id.profile = p.name;
  // Every text with its length: no two different profiles make one string.
  std::string sql;
  auto add = [&](std::string_view part) { sql += std::to_string(part.size()) + ":" + std::string(part); };
  for (const auto *files : {&p.sql, &p.changes, &p.documents})
    for (const auto &[source, text] : *files) add(source), add(text);
  for (const auto &[key, value] : s.source_parameters) add(key), add(value);
  id.profile_hash = hash_text(sql);
  std::string shape;
  auto add_shape = [&](std::string_view part) { shape += std::to_string(part.size()) + ":" + std::string(part); };
  add_shape(s.source.backend);
  add_shape(redact_connection(s.source.connection));
  add_shape(s.timezone);
  add_shape(s.timestamps_local ? "local" : "utc");
  id.settings_hash = hash_text(shape);
  return id;
}

std::size_t Model::bytes() const {
  std::size_t b = 0;
  for (const auto &[name, s] : sources) b += s.rows.bytes();
  return b;
}

std::string write_model(const Model &m, const std::string &path) {
  FileWriter w(path);
  w.bytes(kMagic, sizeof kMagic);
  w.value(kModelFormatVersion);
  write_identity(w, m.identity);
  w.text(m.full_read_at);
  w.value(static_cast<std::uint32_t>(m.sources.size()));
  for (const auto &[name, s] : m.sources) {
    w.text(name);
    w.text(s.watermark);
    w.value(static_cast<std::uint64_t>(s.rows.rows()));
    w.value(static_cast<std::uint32_t>(s.rows.columns().size()));
  }
  const std::uint32_t header_crc = w.take_crc();
  w.trailer(header_crc);
  for (const auto &[name, s] : m.sources)
    for (const auto &c : s.rows.columns()) write_column(w, c);
  const std::uint32_t payload_crc = w.take_crc();
  w.trailer(payload_crc);
  const std::uint64_t size = w.size();
  w.close_synced();
  return "crc32:" + hex32(header_crc) + ":" + hex32(payload_crc) + ":" + std::to_string(size);
}

Model read_model(const std::string &path, const ModelIdentity &expect, std::string &digest) {
  FileReader r(path);
  const std::uint64_t size = r.left();
  char magic[sizeof kMagic];
  r.bytes(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) throw ModelFileError("model_corrupt", "not a cskpi model file");
  const auto version = r.value<std::uint32_t>();
  if (version != kModelFormatVersion)
    throw ModelFileError("model_version", "format " + std::to_string(version) + ", this library reads format " +
                                              std::to_string(kModelFormatVersion));
  Model m;
  m.identity = read_identity(r);
  m.full_read_at = r.text();
  const auto count = r.value<std::uint32_t>();
  if (count > kMaxSources) throw ModelFileError("model_corrupt", "too many sources");
  std::vector<std::pair<std::uint64_t, std::uint32_t>> shapes;  // rows, columns per source
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < count; ++i) {
    names.push_back(r.text());
    auto &s = m.sources[names.back()];
    s.watermark = r.text();
    const auto rows = r.value<std::uint64_t>();
    const auto cols = r.value<std::uint32_t>();
    if (cols == 0 || cols > kMaxColumns) throw ModelFileError("model_corrupt", "bad column count");
    shapes.emplace_back(rows, cols);
  }
  if (m.sources.size() != count) throw ModelFileError("model_corrupt", "a source appears twice");
  std::uint32_t header_crc = 0, payload_crc = 0;
  r.check_crc("header", header_crc);
  check_identity(m.identity, expect);
  for (std::uint32_t i = 0; i < count; ++i) {
    auto &columns = m.sources[names[i]].rows.columns();
    columns.resize(shapes[i].second);
    for (auto &c : columns) read_column(r, c, shapes[i].first);
  }
  r.check_crc("payload", payload_crc);
  if (r.left() != 0) throw ModelFileError("model_corrupt", "bytes after the end of the model");
  digest = "crc32:" + hex32(header_crc) + ":" + hex32(payload_crc) + ":" + std::to_string(size);
  return m;
}

}  // namespace cskpi::incremental
