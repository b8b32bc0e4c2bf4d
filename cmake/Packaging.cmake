# Debian package of the service (cpack -G DEB in the build folder). It carries
# the same files as "cmake --install" (see systemd/CMakeLists.txt) plus the
# maintainer scripts in systemd/debian/.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "atvm-watcher-service")
set(CPACK_PACKAGE_VENDOR "ATVM test automation")
set(CPACK_PACKAGE_CONTACT "ATVM test automation <atvm-automation@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")

# The unit's ExecStart= names the binary under CMAKE_INSTALL_PREFIX, so the
# package installs below the same prefix.
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# dpkg-shlibdeps adds the Qt 6 and C++ runtime packages the binaries link to.
# The dashboard brings in Qt GUI, Widgets and Charts; docs/install.md says so.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# systemd runs the units; jq reads state.json in the helpers and the
# dashboard's start requests in process-start-requests.sh.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, jq")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/systemd/debian/conffiles"
    "${PROJECT_SOURCE_DIR}/systemd/debian/postinst"
    "${PROJECT_SOURCE_DIR}/systemd/debian/prerm"
    "${PROJECT_SOURCE_DIR}/systemd/debian/postrm")

include(CPack)
