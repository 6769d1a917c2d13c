/* Version, status, error and config functions: normal use and bad input. */
#include "smon_test.h"

/* 1 if s is well-formed UTF-8 (no sequence cut short). */
static int utf8_valid(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2 : (*p >> 3) == 30 ? 3 : -1;
        if (extra < 0) return 0;
        p++;
        for (int i = 0; i < extra; i++, p++) if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

int main(void) {
    /* Version */
    EXPECT(smon_version_number() == SMON_VERSION_NUMBER);
    EXPECT(strcmp(smon_version(), SMON_VERSION_STRING) == 0);

    /* Status strings exist for every code and for unknown ones. */
    for (int s = -5; s < 20; s++) EXPECT(smon_status_string(s) != NULL && smon_status_string(s)[0] != '\0');

    /* smon_free(NULL) is a no-op. */
    smon_free(NULL);

    /* Config: normal use. */
    smon_config *cfg = NULL;
    EXPECT_OK(smon_config_new(&cfg));
    char err[256] = "x";
    EXPECT_OK(smon_config_set(cfg, "seed", "7", err, sizeof err));
    EXPECT(err[0] == '\0');
    char buf[64];
    size_t needed = 0;
    EXPECT_OK(smon_config_get(cfg, "seed", buf, sizeof buf, &needed));
    EXPECT(strcmp(buf, "7") == 0 && needed == 2);
    EXPECT_OK(smon_config_get(cfg, "seed", NULL, 0, &needed));
    EXPECT(needed == 2);

    /* Config: bad input. */
    EXPECT_STATUS(smon_config_new(NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_config_set(NULL, "seed", "1", err, sizeof err), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_config_set(cfg, NULL, "1", err, sizeof err), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_config_set(cfg, "seed", NULL, err, sizeof err), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_config_set(cfg, "no.such.key", "1", err, sizeof err), SMON_CONFIG);
    EXPECT(strstr(err, "no.such.key") != NULL);
    EXPECT_STATUS(smon_config_set(cfg, "seed", "banana", err, sizeof err), SMON_CONFIG);
    EXPECT(err[0] != '\0');
    EXPECT_STATUS(smon_config_set(cfg, "seed", "banana", NULL, 0), SMON_CONFIG);
    char tiny[4];
    EXPECT_STATUS(smon_config_set(cfg, "seed", "banana", tiny, sizeof tiny), SMON_CONFIG);
    EXPECT(strlen(tiny) == 3);
    /* Truncated messages end on a UTF-8 character boundary, in every buffer size. */
    for (size_t len = 1; len < 48; len++) {
        char small[48];
        EXPECT_STATUS(smon_config_set(cfg, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac.\xe2\x82\xac", "1",
                                      small, len), SMON_CONFIG);
        EXPECT(strlen(small) < len && utf8_valid(small));
    }
    EXPECT_STATUS(smon_config_set(cfg, "\xff\xfe", "1", err, sizeof err), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_config_set(cfg, "seed", "\xc3\x28", err, sizeof err), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_config_get(cfg, "no.such.key", buf, sizeof buf, NULL), SMON_CONFIG);
    EXPECT_STATUS(smon_config_get(cfg, NULL, buf, sizeof buf, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_config_get(cfg, "seed", buf, 1, &needed), SMON_CAPACITY);
    EXPECT(needed == 2);
    EXPECT_STATUS(smon_config_describe(NULL), SMON_NULL_POINTER);
    /* The failed set left the earlier value alone. */
    EXPECT_OK(smon_config_get(cfg, "seed", buf, sizeof buf, NULL));
    EXPECT(strcmp(buf, "7") == 0);

    char *json = NULL;
    EXPECT_OK(smon_config_describe(&json));
    EXPECT(json != NULL && json[0] == '[' && strstr(json, "\"seed\"") != NULL);
    smon_free(json);

    /* A freed config is detected, and a foreign pointer too. */
    smon_config_free(cfg);
    EXPECT_STATUS(smon_config_set(cfg, "seed", "1", err, sizeof err), SMON_BAD_HANDLE);
    int not_a_config = 0;
    EXPECT_STATUS(smon_config_get((smon_config *)&not_a_config, "seed", buf, sizeof buf, NULL), SMON_BAD_HANDLE);
    smon_config_free(cfg);  /* double free: a no-op */
    smon_config_free(NULL);

    TEST_DONE("core_test");
}
