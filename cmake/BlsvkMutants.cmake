# cmake/BlsvkMutants.cmake: builds the mutants of suites/mutants/mutants.json, deliberately broken
# variants of the built-in kernels. Each mutant is a copy of kernels/include and kernels/src (with
# its subfolders: src/fp2/) with a few exact-text edits applied (made at configure time, so that an edit whose text is no longer in
# the real source stops the configure with the mutant's name instead of silently building an
# unmutated kernel), compiled and validated by the same rule as the built-in kernels into
# <OUT_DIR>/<mutant>/<field>.<op>.<limbs>.spv: a folder that `blsvk run --kernel-dir` takes.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/BlsvkShaders.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/BlsvkKernelFamilies.cmake)

# Sets out_var to the number of times `needle` occurs in `text` (non-overlapping).
function(_bv_count_occurrences out_var text needle)
  set(_n 0)
  string(LENGTH "${needle}" _nl)
  while(TRUE)
    string(FIND "${text}" "${needle}" _at)
    if(_at EQUAL -1)
      break()
    endif()
    math(EXPR _n "${_n} + 1")
    math(EXPR _from "${_at} + ${_nl}")
    string(SUBSTRING "${text}" ${_from} -1 text)
  endwhile()
  set(${out_var} ${_n} PARENT_SCOPE)
endfunction()

# The JSON array at `json` member `key` as a CMake list, or `default` when the member is absent.
function(_bv_json_list out_var json key default)
  string(JSON _type ERROR_VARIABLE _err TYPE "${json}" ${key})
  if(_err)
    set(${out_var} ${default} PARENT_SCOPE)
    return()
  endif()
  if(NOT _type STREQUAL "ARRAY")
    message(FATAL_ERROR "mutants: '${key}' must be an array")
  endif()
  set(_list)
  string(JSON _n LENGTH "${json}" ${key})
  if(_n GREATER 0)
    math(EXPR _last "${_n} - 1")
    foreach(_i RANGE ${_last})
      string(JSON _v GET "${json}" ${key} ${_i})
      list(APPEND _list ${_v})
    endforeach()
  endif()
  set(${out_var} ${_list} PARENT_SCOPE)
endfunction()

# Writes `content` to `path` only when it differs, so that a reconfigure does not rebuild every
# mutant.
function(_bv_write_if_changed path content)
  if(EXISTS ${path})
    file(READ ${path} _old)
    if(_old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE ${path} "${content}")
endfunction()

# The start of a mutants table: configure again when the table (A_TABLE, read into _table) or a
# source (_sources under A_KERNEL_DIR) changes, which re-applies the edits; the format checked;
# _last the last entry's index. A macro, as the next: they set the caller's variables.
macro(_bv_mutant_table)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${A_TABLE})
  foreach(_s IN LISTS _sources)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${A_KERNEL_DIR}/${_s})
  endforeach()
  string(JSON _format GET "${_table}" format)
  if(NOT _format STREQUAL "blsvk-mutants/1")
    message(FATAL_ERROR "${A_TABLE}: format is '${_format}', not blsvk-mutants/1")
  endif()
  string(JSON _count LENGTH "${_table}" mutants)
  math(EXPR _last "${_count} - 1")
endmacro()

# Entry _m of the table: _mj its JSON, _name its name (lowercase letters, digits and dashes, not
# one of _names, to which it is added).
macro(_bv_mutant_entry)
  string(JSON _mj GET "${_table}" mutants ${_m})
  string(JSON _name GET "${_mj}" name)
  if(NOT _name MATCHES "^[a-z0-9][a-z0-9-]*$")
    message(FATAL_ERROR "${A_TABLE}: mutant name '${_name}' is not lowercase letters, digits and dashes")
  endif()
  if(_name IN_LIST _names)
    message(FATAL_ERROR "${A_TABLE}: mutant '${_name}' twice")
  endif()
  list(APPEND _names ${_name})
endmacro()

# Sets _text_<id> in the caller's scope for every file of _sources (paths under A_KERNEL_DIR; <id>
# the path as a C identifier) to its text with the edits of mutant _mj (named _name, from table
# A_TABLE) applied, each `from` exactly once in its file or the configure stops. A macro: the
# texts are the caller's variables.
macro(_bv_mutant_texts)
  foreach(_s IN LISTS _sources)
    file(READ ${A_KERNEL_DIR}/${_s} _text)
    string(MAKE_C_IDENTIFIER "${_s}" _id)
    set(_text_${_id} "${_text}")
  endforeach()
  string(JSON _nedits LENGTH "${_mj}" edits)
  if(_nedits EQUAL 0)
    message(FATAL_ERROR "${A_TABLE}: mutant '${_name}' has no edits")
  endif()
  math(EXPR _elast "${_nedits} - 1")
  foreach(_e RANGE ${_elast})
    string(JSON _file GET "${_mj}" edits ${_e} file)
    string(JSON _from GET "${_mj}" edits ${_e} from)
    string(JSON _to GET "${_mj}" edits ${_e} to)
    if(NOT _file IN_LIST _sources)
      message(FATAL_ERROR "${A_TABLE}: mutant '${_name}': no kernel source '${_file}'")
    endif()
    string(MAKE_C_IDENTIFIER "${_file}" _id)
    _bv_count_occurrences(_n "${_text_${_id}}" "${_from}")
    if(NOT _n EQUAL 1)
      message(FATAL_ERROR "${A_TABLE}: mutant '${_name}': the text to replace occurs ${_n} times in "
                          "kernels/${_file}, not once:\n${_from}")
    endif()
    string(REPLACE "${_from}" "${_to}" _text_${_id} "${_text_${_id}}")
  endforeach()
endmacro()

# bv_add_mutants(TABLE <mutants.json> KERNEL_DIR <kernels/> OUT_DIR <dir>
#                GENERATED_INCLUDE_DIR <dir of bv_constants.glsl> GENERATED_INCLUDES <file>...
#                TARGET <name> [DEPENDS_TARGETS <target>...] [DEFINES <macro>...])
# Adds target TARGET (built by default) that builds every mutant, and copies the table to
# <OUT_DIR>/mutants.json for `blsvk mutants`. DEFINES are added to every module's own (the f64
# mutants' exact software fma, BV_F64_SOFT_FMA, for a build that runs where the fma is not fused).
function(bv_add_mutants)
  cmake_parse_arguments(A "" "TABLE;KERNEL_DIR;OUT_DIR;GENERATED_INCLUDE_DIR;TARGET"
                        "GENERATED_INCLUDES;DEPENDS_TARGETS;DEFINES" ${ARGN})
  file(READ ${A_TABLE} _table)
  file(GLOB _sources RELATIVE ${A_KERNEL_DIR} ${A_KERNEL_DIR}/include/*.glsl)
  file(GLOB_RECURSE _comps RELATIVE ${A_KERNEL_DIR} ${A_KERNEL_DIR}/src/*.comp)
  list(APPEND _sources ${_comps})
  list(SORT _sources)
  _bv_mutant_table()
  set(_all_spvs)
  set(_names)
  foreach(_m RANGE ${_last})
    _bv_mutant_entry()
    _bv_json_list(_ops "${_mj}" ops "")
    _bv_json_list(_fields "${_mj}" fields "fp;fr")
    _bv_json_list(_limbs "${_mj}" limbs "u32;u64")
    if(NOT _ops)
      message(FATAL_ERROR "${A_TABLE}: mutant '${_name}' lists no ops")
    endif()

    # The mutant's copy of the kernel sources, with its edits applied.
    set(_src ${A_OUT_DIR}/src/${_name})
    _bv_mutant_texts()
    foreach(_s IN LISTS _sources)
      string(MAKE_C_IDENTIFIER "${_s}" _id)
      _bv_write_if_changed(${_src}/${_s} "${_text_${_id}}")
    endforeach()

    # Modules of ops the entry no longer lists would make the folder disagree with the table:
    # the build only ever adds files, so the configure step removes them.
    set(_expected)
    foreach(_f IN LISTS _fields)
      foreach(_op IN LISTS _ops)
        foreach(_l IN LISTS _limbs)
          list(APPEND _expected ${A_OUT_DIR}/${_name}/${_f}.${_op}.${_l}.spv)
        endforeach()
      endforeach()
    endforeach()
    file(GLOB _existing ${A_OUT_DIR}/${_name}/*.spv)
    foreach(_e IN LISTS _existing)
      if(NOT _e IN_LIST _expected)
        file(REMOVE ${_e})
      endif()
    endforeach()

    foreach(_f IN LISTS _fields)
      foreach(_op IN LISTS _ops)
        foreach(_l IN LISTS _limbs)
          if(NOT _f IN_LIST BV_KERNEL_FAMILIES OR NOT _op IN_LIST BV_KERNEL_OPS_${_f}
             OR NOT _l IN_LIST BV_KERNEL_LIMBS)
            message(FATAL_ERROR "${A_TABLE}: mutant '${_name}': no kernel ${_f}.${_op}.${_l}")
          endif()
          string(TOUPPER ${_l} _L)
          set(_spv ${A_OUT_DIR}/${_name}/${_f}.${_op}.${_l}.spv)
          bv_add_spirv(OUTPUT ${_spv}
            SOURCE ${_src}/${BV_KERNEL_SRC_${_f}}/${_op}.comp
            DEFINES ${BV_KERNEL_DEFINES_${_f}} BV_LIMBS_${_L} ${A_DEFINES}
            INCLUDE_DIRS ${_src}/include ${A_GENERATED_INCLUDE_DIR}
            DEPENDS ${A_GENERATED_INCLUDES}
            OBJ_DIR ${A_OUT_DIR}/obj/${_name})
          list(APPEND _all_spvs ${_spv})
        endforeach()
      endforeach()
    endforeach()
  endforeach()

  configure_file(${A_TABLE} ${A_OUT_DIR}/mutants.json COPYONLY)
  add_custom_target(${A_TARGET} ALL DEPENDS ${_all_spvs})
  if(A_DEPENDS_TARGETS)
    add_dependencies(${A_TARGET} ${A_DEPENDS_TARGETS})
  endif()
endfunction()

# bv_add_workload_mutants(TABLE <mutants_workload.json> KERNEL_DIR <kernels/> OUT_DIR <dir>)
# The workloads' mutants: each a folder <OUT_DIR>/<mutant>/ that `blsvk run --kernel-dir` takes as
# a user's workloads, made at configure time: the manifests of the workloads the entry lists
# (<field>.<op>.json for its fields and ops), the stage modules they name (.comp: blsvk compiles
# them when it runs), the workloads' include files and any built-in include the entry edits, with
# the entry's edits (files under kernels/workloads/ or kernels/include/, each `from` exactly once)
# applied. Copies the table to <OUT_DIR>/mutants.json.
function(bv_add_workload_mutants)
  cmake_parse_arguments(A "" "TABLE;KERNEL_DIR;OUT_DIR" "" ${ARGN})
  file(READ ${A_TABLE} _table)
  file(GLOB _sources RELATIVE ${A_KERNEL_DIR} ${A_KERNEL_DIR}/workloads/* ${A_KERNEL_DIR}/include/*.glsl)
  list(SORT _sources)
  _bv_mutant_table()
  set(_names)
  foreach(_m RANGE ${_last})
    _bv_mutant_entry()
    _bv_json_list(_ops "${_mj}" ops "")
    _bv_json_list(_fields "${_mj}" fields "fr")
    _bv_mutant_texts()
    # The files of the folder: the listed manifests, their modules, every include file of the
    # workloads, and a built-in include (kernels/include/) where the mutant edits it: the
    # folder's copy is found before the built-in one.
    set(_files)
    foreach(_s IN LISTS _sources)
      if(_s MATCHES "^workloads/.*\\.glsl$")
        list(APPEND _files ${_s})
      endif()
    endforeach()
    math(EXPR _elast "${_nedits} - 1")
    foreach(_e RANGE ${_elast})
      string(JSON _file GET "${_mj}" edits ${_e} file)
      if(_file MATCHES "^include/")
        list(APPEND _files ${_file})
      endif()
    endforeach()
    foreach(_f IN LISTS _fields)
      foreach(_op IN LISTS _ops)
        set(_mf workloads/${_f}.${_op}.json)
        if(NOT _mf IN_LIST _sources)
          message(FATAL_ERROR "${A_TABLE}: mutant '${_name}': no workload ${_f}.${_op}")
        endif()
        list(APPEND _files ${_mf})
        string(MAKE_C_IDENTIFIER "${_mf}" _id)
        string(JSON _ns LENGTH "${_text_${_id}}" stages)
        math(EXPR _slast "${_ns} - 1")
        foreach(_k RANGE ${_slast})
          string(JSON _mod GET "${_text_${_id}}" stages ${_k} module)
          list(APPEND _files workloads/${_mod}.comp)
        endforeach()
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES _files)
    set(_expected)
    foreach(_s IN LISTS _files)
      string(MAKE_C_IDENTIFIER "${_s}" _id)
      get_filename_component(_base ${_s} NAME)
      _bv_write_if_changed(${A_OUT_DIR}/${_name}/${_base} "${_text_${_id}}")
      list(APPEND _expected ${A_OUT_DIR}/${_name}/${_base})
    endforeach()
    file(GLOB _existing ${A_OUT_DIR}/${_name}/*)
    foreach(_e IN LISTS _existing)
      if(NOT _e IN_LIST _expected)
        file(REMOVE ${_e})
      endif()
    endforeach()
  endforeach()
  configure_file(${A_TABLE} ${A_OUT_DIR}/mutants.json COPYONLY)
endfunction()
