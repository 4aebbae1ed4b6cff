# The blsvk version and git revision, baked into the binary for every report's fingerprint.
set(BLSVK_GIT_REVISION "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE _rev ERROR_QUIET
    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _rev)
    set(BLSVK_GIT_REVISION "${_rev}")
  endif()
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/bv_version.h.in ${CMAKE_BINARY_DIR}/generated/bv_version.h @ONLY)
