# ws_library(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One static library per folder; everything includes headers as "folder/x.h".
function(ws_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# ws_tests(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
function(ws_tests name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    WASMSHIP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    WASMSHIP_BINARY="$<TARGET_FILE:wasmship>")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
