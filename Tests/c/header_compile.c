/* The public header compiles cleanly as C99, C11 and C++ with -Wall -Wextra -Werror -pedantic
 * (see the Makefile's c-test target); this file only has to include it and use it a little. */
#include "spotifymon.h"

int smon_header_compiles(void);
int smon_header_compiles(void) {
    smon_performance perf = {0, 0, 0, 0, 0, 0, 0};
    return SMON_VERSION_NUMBER + SMON_OK + (int)perf.count;
}
