/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/common.h - what every numaplace header needs: NP_API, the version and error messages.
 * Include <numaplace.h> for the whole API; the conventions every function follows are
 * written there.
 */
#ifndef NUMAPLACE_COMMON_H
#define NUMAPLACE_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NP_BUILDING_LIB)
#define NP_API __attribute__((visibility("default")))
#else
#define NP_API
#endif

/**
 * np_version() - the library's version string, e.g. "0.1.0".  Static storage.
 */
NP_API const char *np_version(void);

/**
 * np_strerror() - a message for a negative errno returned by this library.
 * @err: a negative (or positive) errno value.
 *
 * Same text as strerror(3) except for codes the parsers give a narrower meaning
 * (-EINVAL "invalid syntax", -ERANGE "out of range", -EOVERFLOW "number too large").
 * Static storage; thread-safe.
 */
NP_API const char *np_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_COMMON_H */
