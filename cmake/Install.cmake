# What `cmake --install` puts in place, by component; each component is one
# Debian package (cmake/Packaging.cmake):
#   libcskpi1      libcskpi.so.1 (and the real file behind it)
#   libcskpi-dev   cskpi.h, the libcskpi.so link, cskpi.pc, the CMake package
#   cskpi          the cskpi command, its man page, the documentation
#   python3-cskpi  the ctypes binding (hosts/python/cskpi.py)
#   tryton-modules-cskpi  the Tryton 6.0 module (hosts/tryton/cskpi), in
#                  trytond's own modules directory
# Every package also gets its Debian copyright and changelog under
# share/doc/<package>/ (Debian policy 12.5 and 12.7).

# Debian's multiarch library directory (lib/x86_64-linux-gnu) for every
# prefix, /usr/local included: both are in ld.so's and pkg-config's default
# search path. GNUInstallDirs picks it only for the /usr prefix.
if(CMAKE_LIBRARY_ARCHITECTURE AND NOT DEFINED CMAKE_INSTALL_LIBDIR)
  set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" CACHE PATH "Object code libraries (lib)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Debian's python3 imports system packages from lib/python3/dist-packages
# (one directory for every python3 version; Debian Python policy 2.5).
set(CSKPI_INSTALL_PYTHONDIR "lib/python3/dist-packages" CACHE PATH
    "Where the Python binding is installed, relative to the prefix")
set(CSKPI_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/cskpi")

# ---- the library and its development files
install(TARGETS cskpi EXPORT cskpiTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libcskpi1 NAMELINK_COMPONENT libcskpi-dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/abi/cskpi.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT libcskpi-dev)

# find_package(cskpi) -> cskpi::cskpi. The targets file is relocatable
# (paths relative to its own directory), so one build serves any prefix.
install(EXPORT cskpiTargets NAMESPACE cskpi:: DESTINATION ${CSKPI_INSTALL_CMAKEDIR} COMPONENT libcskpi-dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cskpiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cskpiConfig.cmake INSTALL_DESTINATION ${CSKPI_INSTALL_CMAKEDIR})
# find_package(cskpi 0.1) accepts any 0.x at least 0.1 (SameMajorVersion).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cskpiConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cskpiConfig.cmake ${PROJECT_BINARY_DIR}/cskpiConfigVersion.cmake
  DESTINATION ${CSKPI_INSTALL_CMAKEDIR} COMPONENT libcskpi-dev)

# pkg-config: the prefix is found from the .pc file's own place (pkgconf's
# ${pcfiledir}), so `cmake --install --prefix DIR` needs no reconfigure.
file(RELATIVE_PATH CSKPI_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/cskpi.pc.in ${PROJECT_BINARY_DIR}/cskpi.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cskpi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT libcskpi-dev)

# ---- the command, its man page (compressed, Debian policy 12.1), the docs
install(TARGETS cskpi_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cskpi)
set(CSKPI_VERSION ${PROJECT_VERSION})
configure_file(${PROJECT_SOURCE_DIR}/hosts/cli/cskpi.1 ${PROJECT_BINARY_DIR}/man/cskpi.1 @ONLY)
find_program(CSKPI_GZIP gzip REQUIRED)
# gzip -n: no name or time stamp inside, so the packages are reproducible.
function(cskpi_gzip input output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CSKPI_GZIP} -9nc ${input} > ${output}
    DEPENDS ${input} VERBATIM)
endfunction()
cskpi_gzip(${PROJECT_BINARY_DIR}/man/cskpi.1 ${PROJECT_BINARY_DIR}/man/cskpi.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/man/cskpi.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cskpi)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cskpi)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT cskpi
  FILES_MATCHING PATTERN "*.md")

# ---- the Python binding: one module, importable by Debian's python3
install(FILES ${PROJECT_SOURCE_DIR}/hosts/python/cskpi.py DESTINATION ${CSKPI_INSTALL_PYTHONDIR} COMPONENT python3-cskpi)

# ---- the Tryton module, where Debian's trytond looks for modules
# (trytond/modules/<name>, as the tryton-modules-* packages install them)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/hosts/tryton/cskpi
  DESTINATION ${CSKPI_INSTALL_PYTHONDIR}/trytond/modules COMPONENT tryton-modules-cskpi
  PATTERN __pycache__ EXCLUDE)

# ---- Debian copyright and changelog of every package
set(CSKPI_PACKAGES libcskpi1 libcskpi-dev cskpi python3-cskpi tryton-modules-cskpi)
set(CSKPI_DEB_RELEASE 1)
set(CSKPI_DEB_VERSION "${PROJECT_VERSION}-${CSKPI_DEB_RELEASE}")
configure_file(${PROJECT_SOURCE_DIR}/packaging/deb/changelog.in ${PROJECT_BINARY_DIR}/deb/changelog.Debian @ONLY)
cskpi_gzip(${PROJECT_BINARY_DIR}/deb/changelog.Debian ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz)
add_custom_target(cskpi_install_files ALL DEPENDS ${PROJECT_BINARY_DIR}/man/cskpi.1.gz ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz)
function(cskpi_package_docs package)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/deb/copyright ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${package})
endfunction()
foreach(package IN LISTS CSKPI_PACKAGES)
  cskpi_package_docs(${package})
endforeach()
