# Tests of harness/ that need the blsvk command and a Vulkan device (lavapipe in CI).
if(TARGET blsvk)
  bv_add_test(test_harness bv_run)
  add_test(NAME test_cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_cli.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME test_hostile COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_hostile.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_hostile PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME test_reduce COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_reduce.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_reduce PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME test_poison COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_poison.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_poison PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
  # The quick suite, one test per limb width and mode so that ctest can run them in parallel.
  foreach(limbs u32 u64)
    foreach(mode oneshot persistent pipelined)
      add_test(NAME quick_${limbs}_${mode}
        COMMAND blsvk run --suite quick --filter "*.${limbs}.${mode}.*" --quiet
                --report-dir ${CMAKE_BINARY_DIR}/test-reports --pipeline-cache ${CMAKE_BINARY_DIR}/pipeline-cache)
      set_tests_properties(quick_${limbs}_${mode} PROPERTIES TIMEOUT 600)
    endforeach()
  endforeach()
endif()
if(TARGET blsvk)
  # Pipelined mode's queues, semaphores and ownership transfers under synchronization validation.
  add_test(NAME validate_pipelined COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_validate.sh $<TARGET_FILE:blsvk> "*.pipelined.*")
  set_tests_properties(validate_pipelined PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
# A kernel that never finishes: Timeout in each mode, the device recreated, the run goes on.
if(TARGET blsvk)
  add_test(NAME test_hang COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_hang.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  # Timing-bound tests (timeouts, stalls, slowdown verdicts) run alone under ctest -j.
  set_tests_properties(test_hang PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL ON)
endif()
# Reports: every file of a run against its schema, shards merged, a killed run resumed,
# baselines and flakes; and report.html in a headless Chromium (skipped without one), its
# screenshots kept in the build folder's test-artifacts/.
if(TARGET blsvk)
  add_executable(schema_check ${CMAKE_CURRENT_SOURCE_DIR}/schema_check.c)
  target_link_libraries(schema_check PRIVATE bv_warnings bv_common)
  add_test(NAME test_report_cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_report.sh $<TARGET_FILE:blsvk>
    ${CMAKE_SOURCE_DIR} $<TARGET_FILE:schema_check>)
  set_tests_properties(test_report_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME test_report_html COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_report_html.sh $<TARGET_FILE:blsvk>
    ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/test-artifacts)
  set_tests_properties(test_report_html PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME test_compare COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_compare.sh $<TARGET_FILE:blsvk>
    ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_compare PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL ON)
endif()
# The spirv-opt recipes and their case names.
if(TARGET blsvk)
  bv_add_test(test_opt bv_run)
endif()
if(TARGET blsvk)
  # blsvk bench, briefly, on whatever device there is: every figure it prints is checked
  # against the reference, so exit 0 also means the timed kernels gave right results.
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/test-artifacts)
  add_test(NAME bench_smoke COMMAND blsvk bench --sizes 1024 --stream-sizes 4096 --jobs 1,3 --chain 4
           --reps 2 --warmup 0 --out ${CMAKE_BINARY_DIR}/test-artifacts/bench-smoke.json)
  set_tests_properties(bench_smoke PROPERTIES TIMEOUT 300)
endif()
# Jobs too large for the device's memory are refused with the sizes.
if(TARGET blsvk)
  bv_add_test(test_resources bv_run)
endif()
# The layers call only down: includes, the link graph and the calls between a module's files.
if(TARGET blsvk)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_FOUND)
    add_test(NAME check_layers COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/check_layers.py
             ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR})
  endif()
endif()
# run --isolate: a worker that crashes or stops answering costs its case, not the run.
if(TARGET blsvk)
  add_test(NAME test_isolate COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_isolate.sh $<TARGET_FILE:blsvk>)
  set_tests_properties(test_isolate PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL ON)
endif()
# examples/slurm on a one-node Slurm cluster the test starts in a temporary folder: a slice of
# the quick suite (its u64 one-shot cases: the shards and the merge do not depend on which cases)
# as a 4-task array job, merged by a dependent job (root only; skipped without slurm-wlm and munge).
if(TARGET blsvk)
  add_test(NAME test_slurm COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_slurm.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_slurm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
    ENVIRONMENT "BLSVK_SLURM_FILTER=*.u64.oneshot.*")
endif()

# deqp-runner's conventions: case lists, skips, flakes, baselines from runs, recipe globs,
# results.csv and latest, the fingerprint, a merge missing a shard, failures grouped by cause.
if(TARGET blsvk)
  add_test(NAME test_runner COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_runner.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_runner PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()

# blsvk qualify: an archive made, checked, tampered with and refused; must-pass cases failing and
# waived (the quick suite filtered to two cases: seconds on lavapipe).
if(TARGET blsvk)
  add_test(NAME test_qualify COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_qualify.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_qualify PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

# The f64 variant: constants, NotSupported without a fused fma, the software-fma kernels passing.
if(TARGET blsvk)
  add_test(NAME test_workload COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_workload.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_workload PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
  add_test(NAME test_f64 COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_f64.sh $<TARGET_FILE:blsvk> ${CMAKE_SOURCE_DIR})
  set_tests_properties(test_f64 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
