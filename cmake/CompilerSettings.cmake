# One INTERFACE target carries the flags every target of the project builds with.
add_library(atvm_common_config INTERFACE)

target_compile_definitions(atvm_common_config INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
)

target_compile_options(atvm_common_config INTERFACE
    -Wall
    -Wextra
    -pedantic
    -Wold-style-cast
    -Wshadow
    -Wnon-virtual-dtor
    -Woverloaded-virtual
    -Wformat=2
)

option(ATVM_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" ON)
if(ATVM_WARNINGS_AS_ERRORS)
    target_compile_options(atvm_common_config INTERFACE -Werror)
endif()
