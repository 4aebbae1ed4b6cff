/* common/record.c: names and the JSON form of the records in bv_record.h, written and read in
 * one place for results.json, the case log, eval, bench and `blsvk devices --json`. */
#include "bv_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const limbs_names[] = {"u32", "u64", "f64"};
_Static_assert(sizeof(limbs_names) / sizeof(limbs_names[0]) == BV_LIMBS_COUNT, "one name per limb width");
static const char *const set_names[] = {"edge", "random", "inplace", "samein", "split", "multi", "chunk1", "manybuf"};
_Static_assert(sizeof(set_names) / sizeof(set_names[0]) == BV_SET_COUNT, "one name per set");
static const char *const mode_names[] = {"oneshot", "persistent", "pipelined"};
_Static_assert(sizeof(mode_names) / sizeof(mode_names[0]) == BV_MODE_COUNT, "one name per mode");
static const char *const memory_names[] = {"device", "host", "auto"};
_Static_assert(sizeof(memory_names) / sizeof(memory_names[0]) == BV_MEMORY_COUNT, "one name per memory");
static const char *const type_names[] = {"other", "integrated-gpu", "discrete-gpu", "virtual-gpu", "cpu"};
_Static_assert(sizeof(type_names) / sizeof(type_names[0]) == BV_DEVICE_TYPE_COUNT, "one name per type");

const char *bv_limbs_name(bv_limbs l) { return (unsigned)l < BV_LIMBS_COUNT ? limbs_names[l] : "?"; }
const char *bv_case_set_name(bv_case_set s) { return (unsigned)s < BV_SET_COUNT ? set_names[s] : "?"; }
const char *bv_mode_name(bv_mode m) { return (unsigned)m < BV_MODE_COUNT ? mode_names[m] : "?"; }
const char *bv_memory_name(bv_memory m) { return (unsigned)m < BV_MEMORY_COUNT ? memory_names[m] : "?"; }
const char *bv_device_type_name(uint32_t type) { return type < BV_DEVICE_TYPE_COUNT ? type_names[type] : type_names[0]; }

static bv_status parse_name(const char *const *names, unsigned n, const char *name, unsigned *out)
{
    for (unsigned i = 0; i < n; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = i;
            return BV_OK;
        }
    return BV_ERR_VALUE;
}

bv_status bv_limbs_parse(const char *name, bv_limbs *out)
{
    unsigned i;
    bv_status st = parse_name(limbs_names, BV_LIMBS_COUNT, name, &i);
    if (!st)
        *out = (bv_limbs)i;
    return st;
}

bv_status bv_case_set_parse(const char *name, bv_case_set *out)
{
    unsigned i;
    bv_status st = parse_name(set_names, BV_SET_COUNT, name, &i);
    if (!st)
        *out = (bv_case_set)i;
    return st;
}

bv_status bv_mode_parse(const char *name, bv_mode *out)
{
    unsigned i;
    bv_status st = parse_name(mode_names, BV_MODE_COUNT, name, &i);
    if (!st)
        *out = (bv_mode)i;
    return st;
}

bv_status bv_memory_parse(const char *name, bv_memory *out)
{
    unsigned i;
    bv_status st = parse_name(memory_names, BV_MEMORY_COUNT, name, &i);
    if (!st)
        *out = (bv_memory)i;
    return st;
}

void bv_device_write_json(bv_json_writer *w, const bv_device_info *d)
{
    bv_json_key(w, "index"); bv_json_u64(w, d->index);
    bv_json_key(w, "name"); bv_json_str(w, d->name);
    bv_json_key(w, "type"); bv_json_str(w, bv_device_type_name(d->device_type));
    bv_json_key(w, "vendor_id"); bv_json_u64(w, d->vendor_id);
    bv_json_key(w, "device_id"); bv_json_u64(w, d->device_id);
    bv_json_key(w, "uuid"); bv_json_str(w, d->uuid_str);
    bv_json_key(w, "api_version"); bv_json_str(w, d->api_version_str);
    bv_json_key(w, "driver_version"); bv_json_str(w, d->driver_version_str);
    bv_json_key(w, "driver_version_raw"); bv_json_u64(w, d->driver_version);
    bv_json_key(w, "driver_name"); bv_json_str(w, d->driver_name);
    bv_json_key(w, "driver_info"); bv_json_str(w, d->driver_info);
    bv_json_key(w, "shader_int64"); bv_json_bool_write(w, d->shader_int64);
    bv_json_key(w, "timeline_semaphore"); bv_json_bool_write(w, d->timeline_semaphore);
    bv_json_key(w, "timestamp_period_ns"); bv_json_num(w, d->timestamp_period);
    bv_json_key(w, "timestamp_valid_bits"); bv_json_u64(w, d->timestamp_valid_bits);
    bv_json_key(w, "transfer_timestamp_valid_bits"); bv_json_u64(w, d->transfer_timestamp_valid_bits);
    bv_json_key(w, "subgroup_size"); bv_json_u64(w, d->subgroup_size);
    bv_json_key(w, "max_workgroup_size");
    bv_json_arr_begin(w);
    for (int i = 0; i < 3; i++)
        bv_json_u64(w, d->max_workgroup_size[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "max_workgroup_invocations"); bv_json_u64(w, d->max_workgroup_invocations);
    bv_json_key(w, "max_workgroup_count");
    bv_json_arr_begin(w);
    for (int i = 0; i < 3; i++)
        bv_json_u64(w, d->max_workgroup_count[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "max_storage_buffer_range"); bv_json_u64(w, d->max_storage_buffer_range);
    bv_json_key(w, "min_storage_buffer_offset_alignment"); bv_json_u64(w, d->min_storage_buffer_offset_alignment);
    bv_json_key(w, "memory_heaps");
    bv_json_arr_begin(w);
    for (uint32_t i = 0; i < d->heap_count && i < 16; i++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "size"); bv_json_u64(w, d->heap_size[i]);
        bv_json_key(w, "device_local"); bv_json_bool_write(w, d->heap_device_local[i]);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "compute_queue_family"); bv_json_u64(w, d->compute_queue_family);
    bv_json_key(w, "transfer_queue_family"); bv_json_int(w, d->transfer_queue_family);
    bv_json_key(w, "shader_float64"); bv_json_bool_write(w, d->shader_float64);
    bv_json_key(w, "shader_fma_khr"); bv_json_bool_write(w, d->shader_fma_khr);
    bv_json_key(w, "float64_controls");
    bv_json_obj_begin(w);
    bv_json_key(w, "rounding_rte"); bv_json_bool_write(w, d->fp64_rte);
    bv_json_key(w, "denorm_preserve"); bv_json_bool_write(w, d->fp64_denorm_preserve);
    bv_json_key(w, "denorm_flush_to_zero"); bv_json_bool_write(w, d->fp64_denorm_flush);
    bv_json_key(w, "signed_zero_inf_nan_preserve"); bv_json_bool_write(w, d->fp64_signed_zero_inf_nan);
    bv_json_obj_end(w);
    if (d->fma_f64[0]) {
        bv_json_key(w, "fma_f64");
        bv_json_obj_begin(w);
        bv_json_key(w, "verdict"); bv_json_str(w, d->fma_f64);
        bv_json_key(w, "cases"); bv_json_u64(w, d->fma_f64_cases);
        bv_json_key(w, "fused"); bv_json_u64(w, d->fma_f64_fused);
        bv_json_key(w, "subnormal_flushed"); bv_json_bool_write(w, d->fma_f64_subnormal_flushed);
        bv_json_obj_end(w);
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void bv_device_read_json(const bv_json *o, bv_device_info *d)
{
    const char *type = bv_json_string(bv_json_get(o, "type"));
    memset(d, 0, sizeof *d);
    d->index = (uint32_t)bv_json_get_u64(o, "index");
    bv_json_get_str(o, "name", d->name, sizeof d->name);
    d->device_type = BV_DEVICE_TYPE_OTHER;
    for (uint32_t i = 0; type && i < BV_DEVICE_TYPE_COUNT; i++)
        if (strcmp(type, type_names[i]) == 0)
            d->device_type = i;
    d->device_type_name = bv_device_type_name(d->device_type);
    d->vendor_id = (uint32_t)bv_json_get_u64(o, "vendor_id");
    d->device_id = (uint32_t)bv_json_get_u64(o, "device_id");
    bv_json_get_str(o, "uuid", d->uuid_str, sizeof d->uuid_str);
    for (size_t i = 0, k = 0; d->uuid_str[i] && k < 16; i++) {
        if (d->uuid_str[i] == '-')
            continue;
        int hi = hexval(d->uuid_str[i]), lo = d->uuid_str[i + 1] ? hexval(d->uuid_str[i + 1]) : -1;
        if (hi < 0 || lo < 0)
            break;
        d->uuid[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    bv_json_get_str(o, "api_version", d->api_version_str, sizeof d->api_version_str);
    bv_json_get_str(o, "driver_version", d->driver_version_str, sizeof d->driver_version_str);
    d->driver_version = (uint32_t)bv_json_get_u64(o, "driver_version_raw");
    bv_json_get_str(o, "driver_name", d->driver_name, sizeof d->driver_name);
    bv_json_get_str(o, "driver_info", d->driver_info, sizeof d->driver_info);
    d->shader_int64 = bv_json_bool(bv_json_get(o, "shader_int64"));
    d->timeline_semaphore = bv_json_bool(bv_json_get(o, "timeline_semaphore"));
    d->timestamp_period = (float)bv_json_get_num(o, "timestamp_period_ns");
    d->timestamp_valid_bits = (uint32_t)bv_json_get_u64(o, "timestamp_valid_bits");
    d->transfer_timestamp_valid_bits = (uint32_t)bv_json_get_u64(o, "transfer_timestamp_valid_bits");
    d->subgroup_size = (uint32_t)bv_json_get_u64(o, "subgroup_size");
    for (size_t i = 0; i < 3; i++) {
        uint64_t v = 0;
        if (bv_json_uint(bv_json_at(bv_json_get(o, "max_workgroup_size"), i), &v) == BV_OK)
            d->max_workgroup_size[i] = (uint32_t)v;
        if (bv_json_uint(bv_json_at(bv_json_get(o, "max_workgroup_count"), i), &v) == BV_OK)
            d->max_workgroup_count[i] = (uint32_t)v;
    }
    d->max_workgroup_invocations = (uint32_t)bv_json_get_u64(o, "max_workgroup_invocations");
    d->max_storage_buffer_range = bv_json_get_u64(o, "max_storage_buffer_range");
    d->min_storage_buffer_offset_alignment = bv_json_get_u64(o, "min_storage_buffer_offset_alignment");
    const bv_json *heaps = bv_json_get(o, "memory_heaps");
    for (size_t i = 0; i < bv_json_len(heaps) && i < 16; i++) {
        d->heap_size[i] = bv_json_get_u64(bv_json_at(heaps, i), "size");
        d->heap_device_local[i] = bv_json_bool(bv_json_get(bv_json_at(heaps, i), "device_local"));
        d->heap_count = (uint32_t)i + 1;
    }
    d->compute_queue_family = (uint32_t)bv_json_get_u64(o, "compute_queue_family");
    const bv_json *tq = bv_json_get(o, "transfer_queue_family");
    d->transfer_queue_family = bv_json_type_of(tq) == BV_JSON_NUMBER ? (int32_t)bv_json_number(tq) : -1;
    d->shader_float64 = bv_json_bool(bv_json_get(o, "shader_float64"));
    d->shader_fma_khr = bv_json_bool(bv_json_get(o, "shader_fma_khr"));
    const bv_json *fc = bv_json_get(o, "float64_controls");
    d->fp64_rte = bv_json_bool(bv_json_get(fc, "rounding_rte"));
    d->fp64_denorm_preserve = bv_json_bool(bv_json_get(fc, "denorm_preserve"));
    d->fp64_denorm_flush = bv_json_bool(bv_json_get(fc, "denorm_flush_to_zero"));
    d->fp64_signed_zero_inf_nan = bv_json_bool(bv_json_get(fc, "signed_zero_inf_nan_preserve"));
    const bv_json *fma = bv_json_get(o, "fma_f64");
    bv_json_get_str(fma, "verdict", d->fma_f64, sizeof d->fma_f64);
    d->fma_f64_cases = (uint32_t)bv_json_get_u64(fma, "cases");
    d->fma_f64_fused = (uint32_t)bv_json_get_u64(fma, "fused");
    d->fma_f64_subnormal_flushed = bv_json_bool(bv_json_get(fma, "subnormal_flushed"));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void bv_stats_of(double *v, uint32_t n, bv_stats *s)
{
    memset(s, 0, sizeof *s);
    if (n == 0)
        return;
    s->nsamples = n < BV_STATS_MAX_SAMPLES ? n : BV_STATS_MAX_SAMPLES;
    memcpy(s->samples, v, s->nsamples * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    s->n = n;
    s->min = v[0];
    s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s->p10 = v[(size_t)((n - 1) * 0.10 + 0.5)];
    s->p90 = v[(size_t)((n - 1) * 0.90 + 0.5)];
}

void bv_stats_write_json(bv_json_writer *w, const char *key, const bv_stats *s)
{
    bv_json_key(w, key);
    bv_json_obj_begin(w);
    bv_json_key(w, "median"); bv_json_num(w, s->median);
    bv_json_key(w, "p10"); bv_json_num(w, s->p10);
    bv_json_key(w, "p90"); bv_json_num(w, s->p90);
    bv_json_key(w, "min"); bv_json_num(w, s->min);
    bv_json_key(w, "n"); bv_json_u64(w, s->n);
    if (s->nsamples) {
        bv_json_key(w, "samples");
        bv_json_arr_begin(w);
        for (uint32_t i = 0; i < s->nsamples; i++)
            bv_json_num(w, s->samples[i]);
        bv_json_arr_end(w);
    }
    bv_json_obj_end(w);
}

void bv_stats_read_json(const bv_json *o, bv_stats *s)
{
    memset(s, 0, sizeof *s);
    s->median = bv_json_get_num(o, "median");
    s->p10 = bv_json_get_num(o, "p10");
    s->p90 = bv_json_get_num(o, "p90");
    s->min = bv_json_get_num(o, "min");
    s->n = (uint32_t)bv_json_get_u64(o, "n");
    const bv_json *v = bv_json_get(o, "samples");
    size_t k = bv_json_type_of(v) == BV_JSON_ARRAY ? bv_json_len(v) : 0;
    for (size_t i = 0; i < k && s->nsamples < BV_STATS_MAX_SAMPLES; i++)
        if (bv_json_type_of(bv_json_at(v, i)) == BV_JSON_NUMBER)
            s->samples[s->nsamples++] = bv_json_number(bv_json_at(v, i));
}
