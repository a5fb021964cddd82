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

# ws_fuzzer(NAME TEST TEST_NAME SEEDS DIR RUNS N SECONDS S SOURCES ... [DEPS ...])
# A libFuzzer target (clang only) over the parsing sources, compiled again with
# AddressSanitizer; the libraries below them (DEPS) are linked as they are.
# The test suite runs it briefly from SEEDS; bench/fuzz runs it for long.
function(ws_fuzzer name)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    return()
  endif()
  cmake_parse_arguments(ARG "" "TEST;SEEDS;RUNS;SECONDS" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address -fno-omit-frame-pointer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address)
  add_test(NAME ${ARG_TEST}
           COMMAND sh -c "rm -rf \"$0\" && mkdir -p \"$0\" && exec \"$1\" -seed=1 -runs=${ARG_RUNS} -max_total_time=${ARG_SECONDS} \"$0\" \"$2\""
                   ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus $<TARGET_FILE:${name}> ${ARG_SEEDS})
endfunction()
