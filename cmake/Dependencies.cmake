# Third-party dependencies, all from Debian packages (scripts/install-deps.sh).

find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json)
find_package(date CONFIG REQUIRED)          # Howard Hinnant's date + tz (libhowardhinnant-date-dev)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
find_package(NLopt CONFIG REQUIRED)     # the CLV model fits (libnlopt-dev; docs/kpis.md §13.5)

# SOCI 4.0.3 ships neither a CMake package nor a pkg-config file: wrap the
# shared libraries (the static ones are not PIC) in imported targets.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
function(cskpi_import_soci target libname)
  find_library(${target}_LIBRARY NAMES ${libname} REQUIRED)
  add_library(SOCI::${target} SHARED IMPORTED)
  set_target_properties(SOCI::${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
endfunction()
cskpi_import_soci(core soci_core)
cskpi_import_soci(sqlite3 soci_sqlite3)
cskpi_import_soci(postgresql soci_postgresql)
set_property(TARGET SOCI::sqlite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core SQLite::SQLite3)
set_property(TARGET SOCI::postgresql APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core PostgreSQL::PostgreSQL)

# MySQL / MariaDB: SOCI's mysql backend header includes <mysql.h> and
# <errmsg.h>, which libmariadb-dev installs in /usr/include/mariadb (no CMake
# package); the client library is libmariadb (libmysqlclient also works).
find_path(CSKPI_MARIADB_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb mysql REQUIRED)
find_library(CSKPI_MARIADB_LIBRARY NAMES mariadb mysqlclient REQUIRED)
add_library(MariaDB::MariaDB SHARED IMPORTED)
set_target_properties(MariaDB::MariaDB PROPERTIES
  IMPORTED_LOCATION "${CSKPI_MARIADB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CSKPI_MARIADB_INCLUDE_DIR}")
cskpi_import_soci(mysql soci_mysql)
set_property(TARGET SOCI::mysql APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core MariaDB::MariaDB)
