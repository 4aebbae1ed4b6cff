/* common/bv_common.h: the status type and error record shared by every blsvk module.
 * Functions that can fail return 0 or a negative bv_status and fill a bv_error. */
#ifndef BV_COMMON_H
#define BV_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define BV_NODISCARD __attribute__((warn_unused_result))
#define BV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BV_NODISCARD
#define BV_PRINTF(f, a)
#endif

/* Drops a status on purpose (best-effort cleanup); a (void) cast does not silence
 * warn_unused_result in gcc. */
#define BV_IGNORE(expr) \
    do {                \
        if (expr) {     \
        }               \
    } while (0)

typedef enum bv_status {
    BV_OK = 0,
    BV_ERR_NOMEM = -1,       /* an allocation failed */
    BV_ERR_ARG = -2,         /* a caller passed something invalid (bad usage) */
    BV_ERR_IO = -3,          /* a file could not be opened, read or written */
    BV_ERR_PARSE = -4,       /* a file is malformed (bad JSON, bad header, bad checksum) */
    BV_ERR_VALUE = -5,       /* a value is well-formed but not acceptable (not below the modulus, unknown op) */
    BV_ERR_OVERFLOW = -6,    /* a size computation would overflow or exceed a limit */
    BV_ERR_VULKAN = -7,      /* a Vulkan call failed; the error names the call and its VkResult */
    BV_ERR_UNSUPPORTED = -8, /* the device lacks a feature the case needs */
    BV_ERR_TIMEOUT = -9,     /* a wait on the device timed out */
    BV_ERR_DEVICE_LOST = -10,/* the device was lost */
    BV_ERR_SHADER = -11,     /* a shader failed to compile or validate */
    BV_ERR_NO_DEVICE = -12,  /* no usable Vulkan device */
    BV_ERR_INTERNAL = -13,   /* a bug in blsvk or an unexpected state */
    BV_STATUS_MIN = -13
} bv_status;

/* What went wrong, for the command layer to print. vk_call and vk_result are set
 * only for BV_ERR_VULKAN / BV_ERR_TIMEOUT / BV_ERR_DEVICE_LOST. */
typedef struct bv_error {
    bv_status status;
    char msg[1024];
    const char *vk_call; /* static string: the Vulkan function that failed */
    int32_t vk_result;   /* its VkResult */
} bv_error;

/* The status's short stable name, e.g. "parse-error". Never NULL. */
const char *bv_status_name(bv_status s);

/* Records an error (err may be NULL) and returns s, so that callers can write
 * `return bv_error_set(err, BV_ERR_PARSE, "%s: ...", path);`. */
bv_status bv_error_set(bv_error *err, bv_status s, const char *fmt, ...) BV_PRINTF(3, 4);

/* Prepends "prefix: " to an error's message, keeping its status. */
void bv_error_prefix(bv_error *err, const char *fmt, ...) BV_PRINTF(2, 3);

void bv_error_clear(bv_error *err);

/* Overflow-checked size arithmetic: return 0 and set *out, or BV_ERR_OVERFLOW. */
BV_NODISCARD bv_status bv_size_mul(size_t a, size_t b, size_t *out);
BV_NODISCARD bv_status bv_size_add(size_t a, size_t b, size_t *out);

/* Room for `need` elements of `elem` bytes in a growable array: arrayp points to the array's
 * pointer (any element type), *cap is its capacity in elements. Grows by doubling (from 16),
 * with overflow checks; on failure the array is left as it was. */
BV_NODISCARD bv_status bv_array_reserve(void *arrayp, size_t *cap, size_t need, size_t elem, bv_error *err);

/* FNV-1a 64 of n bytes, continuing from h (start with BV_FNV_OFFSET): a fast hash for cache
 * keys and file checksums, not for anything an adversary chooses. */
#define BV_FNV_OFFSET 0xcbf29ce484222325ull
uint64_t bv_fnv1a64(uint64_t h, const void *data, size_t n);

/* splitmix64: bv_splitmix64_mix is its finaliser, bv_splitmix64 advances state by the golden-ratio
 * gamma and returns the mix. Seeded patterns that every platform reproduces bit for bit; not for
 * anything an adversary chooses. */
#define BV_SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ull
uint64_t bv_splitmix64_mix(uint64_t z);
uint64_t bv_splitmix64(uint64_t *state);

/* Length (1 to 4) of the well-formed UTF-8 sequence at s, of the n bytes there, or 0 when the
 * bytes there are not one: an overlong form, a surrogate, a code point past U+10FFFF, a stray
 * continuation byte, or a sequence cut short by n. */
size_t bv_utf8_len(const unsigned char *s, size_t n);

/* Number of online CPU cores (at least 1). */
unsigned bv_cpu_count(void);

/* Monotonic clock in nanoseconds. */
uint64_t bv_time_ns(void);

/* File reads. Every read has a size cap (a larger file is refused with BV_ERR_OVERFLOW and a
 * message naming the cap) and refuses what is not a regular file (a device, a directory, a FIFO)
 * with BV_ERR_IO, unless the caller passes BV_FILE_STREAM: then a pipe, FIFO or socket is read
 * too, and "-" is standard input. A FIFO that is refused is never opened, so it cannot block. */
#define BV_FILE_STREAM 1u
/* The cap of bv_file_read_all: reports, logs, baselines, tables. */
#define BV_FILE_MAX_DEFAULT ((size_t)1 << 30)

/* Reads a whole file of at most max bytes into a NUL-terminated malloc'ed buffer; `what` names
 * the kind of file in the message about the cap (e.g. "a kernel file"; NULL: "a file"). */
BV_NODISCARD bv_status bv_file_read(const char *path, size_t max, unsigned flags, const char *what, char **data,
                                    size_t *len, bv_error *err);
/* bv_file_read with BV_FILE_MAX_DEFAULT and no streams. */
BV_NODISCARD bv_status bv_file_read_all(const char *path, char **data, size_t *len, bv_error *err);
/* Opens path for reading under the rules above; *regular says whether it is a regular file
 * (whose size fstat gives) or a stream. */
BV_NODISCARD bv_status bv_file_open_read(const char *path, unsigned flags, FILE **out, bool *regular,
                                         bv_error *err);
/* Reads what is left of f after the nprefix bytes already read from it (prefix), so a reader
 * that looked at a file's first bytes never reads it twice; at most max bytes in all. */
BV_NODISCARD bv_status bv_file_read_rest(FILE *f, const char *path, size_t max, const char *what,
                                         const void *prefix, size_t nprefix, char **data, size_t *len,
                                         bv_error *err);
/* The error for a file past its cap: "<path>: larger than the limit of <max> for <what>". */
bv_status bv_file_too_large(const char *path, size_t max, const char *what, bv_error *err);

/* A file written under a temporary name and renamed into place on commit, so that a
 * crash or an error never leaves a half-written file where a good one was. */
typedef struct bv_atomic_file {
    FILE *f;
    bool is_stdout; /* path "-": written to standard output, no temporary file */
    char path[4096];
    char tmp_path[4096 + 32];
} bv_atomic_file;

/* path "-" writes to standard output. Anything at path but a regular file (a device, a FIFO, a
 * directory, a symbolic link) is refused, never replaced. */
BV_NODISCARD bv_status bv_atomic_open(bv_atomic_file *af, const char *path, bv_error *err);
/* Flushes, closes and renames; on failure the temporary file is removed. */
BV_NODISCARD bv_status bv_atomic_commit(bv_atomic_file *af, bv_error *err);
/* Drops the temporary file; safe on a file that was never opened or already committed. */
void bv_atomic_abort(bv_atomic_file *af);

/* What a message calls path: "standard input" or "standard output" for "-", else path. */
const char *bv_file_label(const char *path, bool writing);

/* Creates a directory and its parents (like mkdir -p). */
BV_NODISCARD bv_status bv_mkdir_p(const char *path, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
