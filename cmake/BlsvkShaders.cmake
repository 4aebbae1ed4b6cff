# cmake/BlsvkShaders.cmake: the rule that turns a GLSL compute shader into a validated SPIR-V
# module: glslangValidator with a depfile (an include change rebuilds every module that uses
# it), then spirv-val, whose failure fails the build.
include_guard(GLOBAL)

# bv_add_spirv(OUTPUT <path.spv> SOURCE <path.comp>
#              [DEFINES NAME[=VALUE]...] [INCLUDE_DIRS dir...] [DEPENDS file...] [OBJ_DIR dir])
# The module is compiled into OBJ_DIR (default <current binary dir>/spirv-obj/; rules that
# build modules of the same name, such as mutants, each need their own) and copied to OUTPUT only after
# spirv-val accepts it, so that an invalid module never appears at OUTPUT and the build keeps
# failing until it is fixed. DEPENDS names generated includes, which must exist before the
# first compile writes the depfile.
function(bv_add_spirv)
  cmake_parse_arguments(A "" "OUTPUT;SOURCE;OBJ_DIR" "DEFINES;INCLUDE_DIRS;DEPENDS" ${ARGN})
  if(NOT A_OUTPUT OR NOT A_SOURCE)
    message(FATAL_ERROR "bv_add_spirv: OUTPUT and SOURCE are required")
  endif()
  get_filename_component(_name ${A_OUTPUT} NAME)
  get_filename_component(_out_dir ${A_OUTPUT} DIRECTORY)
  set(_obj_dir ${CMAKE_CURRENT_BINARY_DIR}/spirv-obj)
  if(A_OBJ_DIR)
    set(_obj_dir ${A_OBJ_DIR})
  endif()
  set(_obj ${_obj_dir}/${_name})
  set(_flags)
  foreach(_d IN LISTS A_DEFINES)
    list(APPEND _flags -D${_d})
  endforeach()
  foreach(_i IN LISTS A_INCLUDE_DIRS)
    list(APPEND _flags -I${_i})
  endforeach()
  # Absolute source and include paths, so that the depfile names absolute paths.
  add_custom_command(OUTPUT ${_obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_obj_dir}
    COMMAND ${GLSLANG_VALIDATOR} -V --target-env vulkan1.1 ${_flags}
            --depfile ${_obj}.d -o ${_obj} ${A_SOURCE}
    DEPENDS ${A_SOURCE} ${A_DEPENDS}
    DEPFILE ${_obj}.d
    COMMENT "Compiling ${_name}"
    VERBATIM)
  add_custom_command(OUTPUT ${A_OUTPUT}
    COMMAND ${SPIRV_VAL} --target-env vulkan1.1 ${_obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_out_dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${_obj} ${A_OUTPUT}
    DEPENDS ${_obj}
    COMMENT "Validating ${_name}"
    VERBATIM)
endfunction()
