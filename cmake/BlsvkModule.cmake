# bv_add_module(<target> <deps...>): a static library of the calling folder's *.c files,
# its folder as the public include path. A folder with no sources yet makes no target.
function(bv_add_module target)
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  if(NOT _src)
    return()
  endif()
  add_library(${target} STATIC ${_src})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE bv_warnings PUBLIC ${ARGN})
endfunction()
