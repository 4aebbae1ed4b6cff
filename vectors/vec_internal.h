/* vectors/vec_internal.h: what the vector module's files share and its users need not see. */
#ifndef BV_VEC_INTERNAL_H
#define BV_VEC_INTERNAL_H

#include <stdio.h>

#include "bv_vec.h"

/* Case names in messages are cut to this many characters. */
#define VEC_MSG_NAME 80

/* Reads a JSON vector file already in memory (vec_json.c). */
BV_NODISCARD bv_status vec_json_read(const char *path, const char *text, size_t len,
                                     bv_vec_set **out, bv_error *err);
/* Reads a binary vector file from f, positioned at its start (vec_bin.c). */
BV_NODISCARD bv_status vec_bin_read(const char *path, FILE *f, bv_vec_set **out, bv_error *err);

#endif
