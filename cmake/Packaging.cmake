# Debian packages with CPack: `cpack -G DEB` in the build tree writes one
# .deb per install component (cmake/Install.cmake), installable with
# `apt install ./*.deb` on Debian bookworm. Dependencies on other Debian
# packages are computed from the binaries by dpkg-shlibdeps; the ones it
# cannot see (our own packages, tzdata read at run time, python3) are
# declared here.
set(CPACK_GENERATOR DEB)
# Installing and packaging never build: `cmake --build` first. cpack then
# only copies (and strips its copies), so packaging a build tree does not
# relink anything the tests running beside it use.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME cskpi)
set(CPACK_PACKAGE_VENDOR "cskpi maintainers")
set(CPACK_PACKAGE_CONTACT "cskpi maintainers <maintainers@users.noreply.h-seed-7ea41ef8.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${CSKPI_PACKAGES})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CSKPI_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcskpi1 registers its SONAME (DEBIAN/shlibs, ldconfig trigger).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The command links libcskpi.so.1 from the libcskpi1 package being built.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/plugin)

# Python packages: byte-compiled on install, their .pyc removed before
# removal (packaging/deb/python, as dh_python3 does).
function(cskpi_python_maintainer_scripts package)
  string(TOUPPER ${package} component)
  set(PACKAGE ${package})
  foreach(script postinst prerm)
    configure_file(${PROJECT_SOURCE_DIR}/packaging/deb/python/${script}.in
      ${PROJECT_BINARY_DIR}/deb/${package}/${script} @ONLY
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  set(CPACK_DEBIAN_${component}_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/deb/${package}/postinst ${PROJECT_BINARY_DIR}/deb/${package}/prerm PARENT_SCOPE)
endfunction()
cskpi_python_maintainer_scripts(python3-cskpi)
cskpi_python_maintainer_scripts(tryton-modules-cskpi)

set(cskpi_exact "libcskpi1 (= ${CSKPI_DEB_VERSION})")
set(cskpi_at_least "libcskpi1 (>= ${CSKPI_DEB_VERSION})")

set(CPACK_DEBIAN_LIBCSKPI1_PACKAGE_NAME libcskpi1)
set(CPACK_DEBIAN_LIBCSKPI1_PACKAGE_SECTION libs)
# ldconfig through a trigger, as debhelper does (lintian: lacks-ldconfig-trigger).
set(CPACK_DEBIAN_LIBCSKPI1_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/deb/libcskpi1/triggers
  ${PROJECT_SOURCE_DIR}/packaging/deb/libcskpi1/postinst
  ${PROJECT_SOURCE_DIR}/packaging/deb/libcskpi1/postrm)
# Time zones are read from the system's zoneinfo at run time (date/tz).
set(CPACK_DEBIAN_LIBCSKPI1_PACKAGE_DEPENDS "tzdata")
set(CPACK_COMPONENT_LIBCSKPI1_DESCRIPTION "customer-success KPIs for ERPs - shared library
libcskpi computes customer-success KPIs (retention, churn, customer flow,
revenue movements, support SLAs, surveys, customer health, cohorts) from an
ERP's own database and writes nightly snapshot tables into it. ERPs load it
into their own process through a stable C ABI.")

set(CPACK_DEBIAN_LIBCSKPI-DEV_PACKAGE_NAME libcskpi-dev)
set(CPACK_DEBIAN_LIBCSKPI-DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBCSKPI-DEV_PACKAGE_DEPENDS "${cskpi_exact}")
set(CPACK_COMPONENT_LIBCSKPI-DEV_DESCRIPTION "customer-success KPIs for ERPs - development files
The C header cskpi.h, the libcskpi.so link, a pkg-config file
(pkg-config --cflags --libs cskpi) and a CMake package
(find_package(cskpi), target cskpi::cskpi) for hosts of libcskpi.")

set(CPACK_DEBIAN_CSKPI_PACKAGE_NAME cskpi)
set(CPACK_DEBIAN_CSKPI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CSKPI_PACKAGE_DEPENDS "${cskpi_exact}")
set(CPACK_COMPONENT_CSKPI_DESCRIPTION "customer-success KPIs for ERPs - command-line tool
The cskpi command computes and prints KPI tables, runs the nightly snapshot
job, checks an ERP profile against a database and generates a demo ERP.
Includes the documentation of every KPI and of the configuration.")

set(CPACK_DEBIAN_PYTHON3-CSKPI_PACKAGE_NAME python3-cskpi)
set(CPACK_DEBIAN_PYTHON3-CSKPI_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON3-CSKPI_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON3-CSKPI_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PYTHON3-CSKPI_PACKAGE_DEPENDS "python3:any, ${cskpi_at_least}")
set(CPACK_COMPONENT_PYTHON3-CSKPI_DESCRIPTION "customer-success KPIs for ERPs - Python 3 binding
The cskpi module (ctypes over libcskpi) for Python ERPs such as Tryton and
for scripts: cskpi.Engine(config).compute(table=...) and .nightly().")

set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_NAME tryton-modules-cskpi)
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_SECTION python)
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_DEPENDS
  "python3:any, python3-cskpi (>= ${CSKPI_DEB_VERSION}), tryton-server (>= 6.0), tryton-server (<< 6.1), tryton-modules-party, tryton-modules-sale")
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_RECOMMENDS "tryton-modules-sale-complaint")
set(CPACK_DEBIAN_TRYTON-MODULES-CSKPI_PACKAGE_SUGGESTS "tryton-modules-sale-subscription")
set(CPACK_COMPONENT_TRYTON-MODULES-CSKPI_DESCRIPTION "customer-success KPIs for ERPs - Tryton module
The cskpi module for Tryton 6.0: a Customer Success menu with KPIs per
period and segment, customer health, detractor follow-ups, ticket
breakdown, cohort retention and customer movements, a health page on the
party form, a KPI report and a scheduled nightly job computing them from
the Tryton database itself.")

include(CPack)
