// open_session and connection-string redaction.
#include <catch2/catch.hpp>

#include <soci/soci.h>

#include "core/errors.hpp"
#include "source/database.hpp"

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
    open_session(SourceSettings{"sqlite3", "/nonexistent-dir/erp.sqlite", ""}, true);
    FAIL("opened a file in a missing directory?");
  } catch (const SourceError &e) {
    CHECK(std::string(e.what()).find("sqlite3") != std::string::npos);
  }
  auto db = open_session(SourceSettings{"sqlite3", ":memory:", ""});
  int one = 0;
  *db << "SELECT 1", soci::into(one);
  CHECK(one == 1);
}
