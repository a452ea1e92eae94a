# Project-wide compile flags: warnings, -Werror, sanitizers.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(CHOSEN_WERROR)
  add_compile_options(-Werror)
endif()
# GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC bug
# 105329), which would break `make run`'s Release build under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-restrict)
endif()
if(CHOSEN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# Beast and Asio use coroutines; spdlog uses the system fmt.
add_compile_definitions(SPDLOG_FMT_EXTERNAL BOOST_ASIO_NO_DEPRECATED)

# chosen_test(NAME SOURCES... LIBS ... [LABELS ...]): a GoogleTest binary
# registered with CTest, each test case labelled LABELS. The label `postgres`
# marks the tests that use CHOSEN_TEST_POSTGRES_URL: `make test` runs them a
# second time against a throwaway PostgreSQL server (ctest -L postgres).
function(chosen_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  include(GoogleTest)
  if(T_LABELS)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300 LABELS "${T_LABELS}")
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
  endif()
endfunction()
