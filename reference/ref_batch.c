/* reference/ref_batch.c: bv_ref_batch, many elements of one op through the family's
 * apply, split into contiguous ranges over threads. */
#include "ref_internal.h"

#include <errno.h>
#include <pthread.h>

/* Batches smaller than this run on the calling thread: starting threads would cost
 * more than the work. Each started thread gets at least MIN_PER_THREAD elements. */
#define INLINE_BELOW 4096
#define MIN_PER_THREAD 2048
#define MAX_THREADS 256

typedef struct batch_range {
    const bv_ref_family_info *fam;
    const bv_ref_op_info *info;
    uint8_t *out;
    const uint8_t *x, *y;
    size_t count;
} batch_range;

static void run_range(const batch_range *br)
{
    const bv_ref_op_info *in = br->info;
    for (size_t i = 0; i < br->count; i++)
        br->fam->apply(in->op, br->out + i * in->out_bytes, br->x + i * in->in_bytes[0],
                       br->y ? br->y + i * in->in_bytes[1] : NULL);
}

static void *range_thread(void *arg)
{
    run_range(arg);
    return NULL;
}

/* The part of a batch that starts at element `start` and has `len` elements. */
static batch_range slice(const batch_range *all, size_t start, size_t len)
{
    const bv_ref_op_info *in = all->info;
    return (batch_range){all->fam, in, all->out + start * in->out_bytes,
                         all->x + start * in->in_bytes[0],
                         all->y ? all->y + start * in->in_bytes[1] : NULL, len};
}

bv_status bv_ref_batch(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y,
                       size_t count, unsigned threads, bv_error *err)
{
    pthread_t tids[MAX_THREADS];
    batch_range ranges[MAX_THREADS];
    size_t total;
    bv_status st = BV_OK;

    if (!bv_ref_field_valid(f) || !bv_ref_op_valid(op))
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: invalid field %d or op %d", (int)f,
                            (int)op);
    if (!bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: bv_ref_init has not succeeded");
    const bv_ref_op_info *info = bv_ref_family_op(f, op);
    if (!info)
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: %s has no op %s",
                            bv_ref_family_name(f), bv_ref_op_name(op));
    if (count == 0)
        return BV_OK;
    if (!out || !x || (info->arity == 2 && !y))
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: NULL %s for %s.%s",
                            !out ? "output" : !x ? "x" : "y", bv_ref_family_name(f),
                            bv_ref_op_name(op));
    size_t widest = info->out_bytes > info->in_bytes[0] ? info->out_bytes : info->in_bytes[0];
    if (widest < info->in_bytes[1])
        widest = info->in_bytes[1];
    if (bv_size_mul(count, widest, &total) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "bv_ref_batch: %zu elements overflow size_t",
                            count);
    batch_range all = {bv_ref_family(f), info, out, x, info->arity == 2 ? y : NULL, count};

    size_t nt = threads ? threads : bv_cpu_count();
    if (nt > count / MIN_PER_THREAD)
        nt = count / MIN_PER_THREAD;
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    if (count < INLINE_BELOW || nt <= 1) {
        run_range(&all);
        return BV_OK;
    }

    /* Contiguous ranges, the first `rem` one element longer; range 0 runs here. */
    size_t base = count / nt, rem = count % nt, start = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t len = base + (i < rem);
        ranges[i] = slice(&all, start, len);
        start += len;
    }
    size_t started = 0;
    for (size_t i = 1; i < nt; i++, started++) {
        int rc = pthread_create(&tids[i], NULL, range_thread, &ranges[i]);
        if (rc != 0) {
            st = bv_error_set(err, rc == EAGAIN ? BV_ERR_NOMEM : BV_ERR_INTERNAL,
                              "bv_ref_batch: pthread_create for thread %zu of %zu failed "
                              "(error %d%s); the output is incomplete",
                              i + 1, nt, rc, rc == EAGAIN ? ", EAGAIN: out of threads or memory" : "");
            break;
        }
    }
    if (st == BV_OK)
        run_range(&ranges[0]);
    for (size_t i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    return st;
}
