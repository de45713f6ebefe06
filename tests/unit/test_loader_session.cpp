// open_session and connection-string redaction.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include <soci/soci.h>

#include "core/errors.hpp"
#include "source/database.hpp"
#include "support/pg.hpp"

using namespace cskpi;

TEST_CASE("passwords are masked in connection strings") {
  CHECK(redact_connection("host=db user=kpi password=s3cret dbname=erp") ==
        "host=db user=kpi password=*** dbname=erp");
  CHECK(redact_connection("password = 'a b\\'c' host=x") == "password=*** host=x");
  CHECK(redact_connection("postgresql://kpi:s3cret@db.example:5432/erp?sslmode=require") ==
        "postgresql://kpi:***@db.example:5432/erp?sslmode=require");
  CHECK(redact_connection("postgresql://kpi@db/erp?password=s3cret&sslmode=require") ==
        "postgresql://kpi@db/erp?password=***&sslmode=require");
  CHECK(redact_connection("db=/var/erp.sqlite timeout=5") == "db=/var/erp.sqlite timeout=5");
  CHECK(redact_connection("user=passwordless host=x") == "user=passwordless host=x");
}

TEST_CASE("open_session errors name the backend and the redacted connection") {
  CHECK_THROWS_AS(open_session(SourceSettings{"oracle", "db=x", ""}), ConfigError);
  CHECK_THROWS_AS(open_session(SourceSettings{"sqlite3", "", ""}), ConfigError);
  try {
    open_session(SourceSettings{"postgresql", "host=127.0.0.1 port=1 password=hunter2 connect_timeout=2", ""});
    FAIL("connected to port 1?");
  } catch (const SourceError &e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("postgresql") != std::string::npos);
    CHECK(msg.find("port=1") != std::string::npos);
    CHECK(msg.find("hunter2") == std::string::npos);
  }
  try {
    open_session(SourceSettings{"sqlite3", "/nonexistent-dir/erp.sqlite", ""}, OpenMode::write_or_create);
    FAIL("opened a file in a missing directory?");
  } catch (const SourceError &e) {
    CHECK(std::string(e.what()).find("sqlite3") != std::string::npos);
  }
  auto db = open_session(SourceSettings{"sqlite3", ":memory:", ""});
  int one = 0;
  *db << "SELECT 1", soci::into(one);
  CHECK(one == 1);
}

namespace {

// A TCP port on loopback that accepts connections (the kernel completes the
// handshake into the backlog) and never says a word: a hung server.
struct SilentServer {
  int fd = -1;
  int port = 0;
  SilentServer() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), len) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
      throw std::runtime_error("cannot listen on loopback");
    port = ntohs(a.sin_port);
  }
  ~SilentServer() { close(fd); }
};

std::string source_error(const SourceSettings &s) {
  try {
    open_session(s);
  } catch (const SourceError &e) {
    return e.what();
  }
  return "(no SourceError)";
}

}  // namespace

TEST_CASE("connecting to a server that never answers ends after connect_timeout") {
  // Without a default timeout both clients wait for the server's greeting for good.
  SilentServer hung;
  std::string where = "host=127.0.0.1 port=" + std::to_string(hung.port);
  SourceSettings pg{"postgresql", where + " user=x dbname=x", ""};
  pg.connect_timeout = 2;
  std::string msg = source_error(pg);
  INFO(msg);
  CHECK(msg.find("cannot open postgresql database") != std::string::npos);
  CHECK(msg.find("timeout") != std::string::npos);
  SourceSettings my{"mysql", where + " user=x db=x", ""};
  my.connect_timeout = 2;
  msg = source_error(my);
  INFO(msg);
  CHECK(msg.find("cannot open mysql database") != std::string::npos);
}

TEST_CASE("postgresql connection strings: everything libpq accepts, quoting included") {
  auto conn = ::cskpi::test::pg_server();
  if (!conn) {
    WARN("CSKPI_PG_CONNECTION not set: skipped");
    return;
  }
  auto setting = [](soci::session &s, const std::string &name) {
    std::string v;
    s << "SELECT current_setting('" + name + "')", soci::into(v);
    return v;
  };
  // Quoted values with spaces, quotes and backslashes (the test server
  // trusts loopback, so the password is accepted and ignored). SOCI 4.0.3
  // alone splits these at the space: "invalid connection option".
  SourceSettings quoted{"postgresql", *conn + " password='a b' application_name='cskpi \\'q\\' \\\\ x'", ""};
  quoted.lock_timeout = 7;
  auto s = open_session(quoted);
  CHECK(setting(*s, "application_name") == "cskpi 'q' \\ x");
  CHECK(setting(*s, "lock_timeout") == "7s");
  // Spaces around '=' are libpq syntax too.
  CHECK(setting(*open_session(SourceSettings{"postgresql", *conn + " application_name = 'with spaces'", ""}),
                "application_name") == "with spaces");
  // The URI form, percent-encoding included.
  std::smatch port;
  REQUIRE(std::regex_search(*conn, port, std::regex("port=([0-9]+)")));
  auto uri = open_session(SourceSettings{
      "postgresql", "postgresql://postgres@127.0.0.1:" + port[1].str() + "/postgres?application_name=uri%20form", ""});
  CHECK(setting(*uri, "application_name") == "uri form");
  CHECK(setting(*uri, "lock_timeout") == "30s");  // the default
  // What libpq refuses is a configuration error naming the problem.
  try {
    open_session(SourceSettings{"postgresql", *conn + " no_such_option=1", ""});
    FAIL("an unknown libpq option was accepted");
  } catch (const ConfigError &e) {
    CHECK(std::string(e.what()).find("no_such_option") != std::string::npos);
  }
  CHECK_THROWS_AS(open_session(SourceSettings{"postgresql", *conn + " password='unterminated", ""}), ConfigError);
}
