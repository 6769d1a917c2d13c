/* Tiny assertion helpers shared by the C tests (header-only). */
#ifndef SMON_TEST_H
#define SMON_TEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spotifymon.h"

static int smon_test_failures = 0;

/* The call must succeed. */
#define EXPECT_OK(call) do { smon_status s_ = (call); if (s_ != SMON_OK) { \
    fprintf(stderr, "%s:%d: %s -> %d (%s)\n", __FILE__, __LINE__, #call, s_, smon_last_error()); \
    smon_test_failures++; } } while (0)

/* The call must fail with the given status and leave a non-empty message. */
#define EXPECT_STATUS(call, want) do { smon_status s_ = (call); const char *m_ = smon_last_error(); \
    if (s_ != (want) || m_ == NULL || m_[0] == '\0') { \
    fprintf(stderr, "%s:%d: %s -> %d, wanted %d (message: \"%s\")\n", __FILE__, __LINE__, #call, s_, (want), m_ ? m_ : "(null)"); \
    smon_test_failures++; } } while (0)

/* The call must fail (any non-OK status) with a message. */
#define EXPECT_FAIL(call) do { smon_status s_ = (call); const char *m_ = smon_last_error(); \
    if (s_ == SMON_OK || m_ == NULL || m_[0] == '\0') { \
    fprintf(stderr, "%s:%d: %s -> %d, wanted an error (message: \"%s\")\n", __FILE__, __LINE__, #call, s_, m_ ? m_ : "(null)"); \
    smon_test_failures++; } } while (0)

#define EXPECT(cond) do { if (!(cond)) { \
    fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); smon_test_failures++; } } while (0)

#define TEST_DONE(name) do { if (smon_test_failures) { \
    fprintf(stderr, "%s: %d failure(s)\n", name, smon_test_failures); return 1; } \
    printf("%s: ok\n", name); return 0; } while (0)

#endif
