/* common/bv_sha256.h: SHA-256 (FIPS 180-4), for fingerprints of SPIR-V modules, reports
 * and vector files. One-shot only: everything hashed here fits in memory. */
#ifndef BV_SHA256_H
#define BV_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* out = SHA-256(data[0..len)); data may be NULL when len is 0. */
void bv_sha256(uint8_t out[32], const void *data, size_t len);

/* The same digest as 64 lowercase hex digits and a NUL. */
void bv_sha256_hex(char out[65], const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
