/* common/bv_record.h: the Vulkan-free records that travel from the harness to the reports:
 * what blsvk records of a device, timing statistics, and the execution mode and memory
 * placement of a case, with their names and their one JSON form. */
#ifndef BV_RECORD_H
#define BV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"
#include "bv_json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bv_mode { BV_MODE_ONESHOT = 0, BV_MODE_PERSISTENT, BV_MODE_PIPELINED, BV_MODE_COUNT } bv_mode;
/* auto: host-visible memory for a job up to the context's crossover, device memory above (the
 * kernel on host-visible memory wins a small round trip, copies win a large one). */
typedef enum bv_memory { BV_MEMORY_DEVICE = 0, BV_MEMORY_HOST, BV_MEMORY_AUTO, BV_MEMORY_COUNT } bv_memory;

/* The limb width a kernel variant reads its elements as: 32-bit words (runs everywhere) or
 * 64-bit words (needs shaderInt64); f64 reads them as 64-bit words too and multiplies on
 * double-precision FMAs (needs shaderInt64, shaderFloat64 and a fused fma). */
typedef enum bv_limbs { BV_LIMBS_U32 = 0, BV_LIMBS_U64 = 1, BV_LIMBS_F64 = 2, BV_LIMBS_COUNT } bv_limbs;

/* Where a case's inputs come from and how they are laid out. inplace: random inputs, output
 * bound to input x's buffer; samein: random x, both inputs bound to one buffer (y = x);
 * split: random inputs run as dispatches of one workgroup each, so that every dispatch but
 * the first has a non-zero base. Pipelined mode only: multi: several jobs of unequal sizes
 * with a chunk that divides none of them; chunk1: chunks of one element; manybuf: more buffer
 * sets than chunks. */
typedef enum bv_case_set {
    BV_SET_EDGE = 0,
    BV_SET_RANDOM,
    BV_SET_INPLACE,
    BV_SET_SAMEIN,
    BV_SET_SPLIT,
    BV_SET_MULTI,
    BV_SET_CHUNK1,
    BV_SET_MANYBUF,
    BV_SET_COUNT
} bv_case_set;

/* "u32", "u64"; "edge", "random", ...; "oneshot", "persistent", "pipelined"; "device",
 * "host". "?" for an invalid value; parsing is exact. */
const char *bv_limbs_name(bv_limbs l);
BV_NODISCARD bv_status bv_limbs_parse(const char *name, bv_limbs *out);
const char *bv_case_set_name(bv_case_set s);
BV_NODISCARD bv_status bv_case_set_parse(const char *name, bv_case_set *out);
const char *bv_mode_name(bv_mode m);
BV_NODISCARD bv_status bv_mode_parse(const char *name, bv_mode *out);
const char *bv_memory_name(bv_memory m);
BV_NODISCARD bv_status bv_memory_parse(const char *name, bv_memory *out);

/* Device types in VkPhysicalDeviceType's order, so the harness can store the driver's value. */
enum { BV_DEVICE_TYPE_OTHER = 0, BV_DEVICE_TYPE_INTEGRATED, BV_DEVICE_TYPE_DISCRETE, BV_DEVICE_TYPE_VIRTUAL,
       BV_DEVICE_TYPE_CPU, BV_DEVICE_TYPE_COUNT };
/* "other", "integrated-gpu", "discrete-gpu", "virtual-gpu", "cpu" (out of range: "other"). */
const char *bv_device_type_name(uint32_t type);

/* What blsvk records of a physical device (for selection, NotSupported decisions and every
 * report). */
typedef struct bv_device_info {
    uint32_t index;
    char name[256];
    uint32_t vendor_id, device_id;
    uint32_t device_type; /* BV_DEVICE_TYPE_* (VkPhysicalDeviceType) */
    const char *device_type_name;
    uint32_t api_version, driver_version;
    char api_version_str[32], driver_version_str[64];
    char driver_name[256], driver_info[256];
    uint8_t uuid[16];
    char uuid_str[37];
    bool shader_int64;
    bool timeline_semaphore;
    bool host_query_reset;         /* vkResetQueryPool from the host (Vulkan 1.2) */
    float timestamp_period;        /* ns per tick */
    uint32_t timestamp_valid_bits; /* of the compute queue chosen; 0: no kernel timing */
    uint32_t max_workgroup_size[3];
    uint32_t max_workgroup_invocations;
    uint32_t max_shared_bytes; /* maxComputeSharedMemorySize: a workgroup's shared memory */
    uint32_t max_workgroup_count[3];
    uint64_t max_storage_buffer_range;
    uint64_t min_storage_buffer_offset_alignment;
    uint32_t heap_count;
    uint64_t heap_size[16];
    bool heap_device_local[16];
    uint32_t compute_queue_family;
    int32_t transfer_queue_family; /* a transfer-only family, or -1 */
    uint32_t transfer_timestamp_valid_bits;
    uint32_t transfer_queue_count; /* queues in the transfer-only family */
    bool pipeline_executable_info;  /* VK_KHR_pipeline_executable_properties */
    uint32_t subgroup_size;
    /* Doubles, for the f64 variant: shaderFloat64; VK_KHR_shader_fma offered (OpFmaKHR, fused by
     * definition); the float controls for 64 bits (Vulkan 1.2): round-to-nearest-even settable,
     * denormals preservable, flushable, and signed zeros, infinities and NaNs preservable. */
    bool shader_float64, shader_fma_khr;
    bool fp64_rte, fp64_denorm_preserve, fp64_denorm_flush, fp64_signed_zero_inf_nan;
    /* The fma probe (bv_vk_probe_fma): "" not run; "fused" (every case gave the correctly
     * rounded fused result), "not fused" (every case where the two differ gave the product and
     * the sum rounded apart), "inexact" (anything else), "not supported" (no shaderFloat64). */
    char fma_f64[16];
    uint32_t fma_f64_cases, fma_f64_fused; /* cases run, and cases with the fused result */
    bool fma_f64_subnormal_flushed;        /* a subnormal result came back as zero */
} bv_device_info;

/* The device record's members (the caller opens and closes the object, so that a verb can
 * add members of its own), as docs/report-format.md describes them. */
void bv_device_write_json(bv_json_writer *w, const bv_device_info *d);
/* Reads what bv_device_write_json wrote; lenient: a member a writer left out reads as 0 (or
 * -1 for the transfer family). */
void bv_device_read_json(const bv_json *o, bv_device_info *d);

/* The repetitions a bv_stats keeps one by one (the first ones, in the order they ran). */
#define BV_STATS_MAX_SAMPLES 64

/* Median, 10th and 90th percentiles and minimum of n samples, and the first samples themselves
 * (up to BV_STATS_MAX_SAMPLES, in the order they were taken), so that two runs can be compared
 * with a rank test (bv_report_compare). nsamples is 0 in records of older blsvk and where only
 * one figure was measured. */
typedef struct bv_stats {
    uint32_t n;
    double median, p10, p90, min;
    uint32_t nsamples;
    double samples[BV_STATS_MAX_SAMPLES];
} bv_stats;

/* Keeps the first BV_STATS_MAX_SAMPLES of v, then sorts v in place and summarises it (all zero
 * for n == 0). */
void bv_stats_of(double *v, uint32_t n, bv_stats *s);
/* {"median":..,"p10":..,"p90":..,"min":..,"n":..,"samples":[..]} under key ("samples" left out
 * when none were kept). Reading takes files without "samples" (older blsvk): nsamples 0. */
void bv_stats_write_json(bv_json_writer *w, const char *key, const bv_stats *s);
void bv_stats_read_json(const bv_json *o, bv_stats *s);

#ifdef __cplusplus
}
#endif
#endif
