# Finds blsvk's dependencies, all from Debian's packages, and names the package to
# install when one is missing.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

find_package(Vulkan)
if(NOT Vulkan_FOUND)
  message(FATAL_ERROR "Vulkan loader and headers not found: apt-get install libvulkan-dev")
endif()

pkg_check_modules(GMP IMPORTED_TARGET gmp)
if(NOT GMP_FOUND)
  message(FATAL_ERROR "GMP not found: apt-get install libgmp-dev")
endif()

find_package(Threads REQUIRED)
find_package(glslang CONFIG QUIET)
if(NOT glslang_FOUND)
  message(FATAL_ERROR "glslang's CMake package not found: apt-get install glslang-dev")
endif()

find_package(SPIRV-Tools CONFIG QUIET)
if(NOT SPIRV-Tools_FOUND)
  message(FATAL_ERROR "SPIRV-Tools' CMake package not found: apt-get install spirv-tools")
endif()

find_program(GLSLANG_VALIDATOR glslangValidator)
if(NOT GLSLANG_VALIDATOR)
  message(FATAL_ERROR "glslangValidator not found: apt-get install glslang-tools")
endif()
find_program(SPIRV_VAL spirv-val)
if(NOT SPIRV_VAL)
  message(FATAL_ERROR "spirv-val not found: apt-get install spirv-tools")
endif()
find_program(SPIRV_OPT spirv-opt)

if(BLSVK_BUILD_TESTS)
  pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "cmocka not found: apt-get install libcmocka-dev (or -DBLSVK_BUILD_TESTS=OFF)")
  endif()
endif()
