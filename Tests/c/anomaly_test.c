/* C test of the anomaly detector: normal use, then bad input to every exported function. */
#include <math.h>
#include <stdint.h>
#include "smon_test.h"

/* Callback state: every pushed event, and a call back into the handle from inside. */
struct pushed {
    smon_detector *d;
    int count;
    uint32_t ids[64];
    double scores[64];
    int explained;
};

static void on_event(void *user, const smon_anomaly *e) {
    struct pushed *p = user;
    if (p->count < 64) { p->ids[p->count] = e->series_id; p->scores[p->count] = e->score; }
    p->count++;
    char *json = NULL;
    if (smon_detector_explain(p->d, e->series_id, &json) == SMON_OK && json && strstr(json, "recommended_actions"))
        p->explained++;
    smon_free(json);
}

/* Push delivery: the callback sees exactly the anomalies and drifts the batch returns, in order. */
static void callback_test(void) {
    smon_detector *d = NULL;
    EXPECT_OK(smon_detector_new(NULL, &d));
    uint32_t ids[2];
    EXPECT_OK(smon_detector_series(d, "cpu_utilization{host=\"a\"}", &ids[0]));
    EXPECT_OK(smon_detector_series(d, "cpu_utilization{host=\"b\"}", &ids[1]));
    struct pushed p = {d, 0, {0}, {0}, 0};
    EXPECT_OK(smon_detector_set_callback(d, on_event, &p));
    enum { N = 4000 };
    static uint32_t bid[N];
    static int64_t ts[N];
    static double vals[N];
    static smon_anomaly out[N];
    for (int i = 0; i < N; i++) {
        bid[i] = ids[i % 2];
        ts[i] = 1700000000000LL + (int64_t)(i / 2) * 60000;
        vals[i] = 40 + 3 * sin(i / 50.0) + (i % 7) * 0.2 + ((i > 3000 && i < 3010 && i % 2 == 0) ? 60 : 0);
    }
    EXPECT_OK(smon_detector_observe_batch(d, N, bid, ts, vals, out));
    int notable = 0, matched = 1;
    for (int i = 0; i < N; i++) {
        if (!(out[i].is_anomaly || out[i].drift)) continue;
        if (notable < 64 && (p.ids[notable] != out[i].series_id || p.scores[notable] != out[i].score)) matched = 0;
        notable++;
    }
    EXPECT(notable > 0 && p.count == notable && matched);
    EXPECT(p.explained == p.count);
    /* The single-point path pushes too; clearing the callback stops it. */
    int before = p.count;
    smon_anomaly a;
    EXPECT_OK(smon_detector_observe(d, ids[0], 1700000000000LL + N * 60000LL, 500, &a));
    EXPECT(a.is_anomaly ? p.count == before + 1 : p.count == before);
    EXPECT_OK(smon_detector_set_callback(d, NULL, NULL));
    before = p.count;
    EXPECT_OK(smon_detector_observe(d, ids[0], 1700000000000LL + (N + 1) * 60000LL, 900, &a));
    EXPECT(p.count == before);
    /* Bad handles. */
    EXPECT_STATUS(smon_detector_set_callback(NULL, on_event, &p), SMON_NULL_POINTER);
    smon_detector_free(d);
    EXPECT_STATUS(smon_detector_set_callback(d, on_event, &p), SMON_BAD_HANDLE);
}

int main(void) {
    callback_test();
    smon_detector *d = NULL;
    smon_config *cfg = NULL;
    char err[256];
    EXPECT_OK(smon_config_new(&cfg));
    EXPECT_OK(smon_config_set(cfg, "detector.warmup", "200", err, sizeof err));
    EXPECT_STATUS(smon_config_set(cfg, "detector.members", "robust,telepathy", err, sizeof err), SMON_CONFIG);
    EXPECT_STATUS(smon_config_set(cfg, "detector.threshold", "1.5", err, sizeof err), SMON_CONFIG);
    EXPECT_OK(smon_detector_new(cfg, &d));
    EXPECT(d != NULL);

    /* Normal use: a calm series, then a spike. */
    uint32_t id = 99, id2 = 99;
    EXPECT_OK(smon_detector_series(d, "http_latency_ms{service=\"api\",region=\"eu\"}", &id));
    EXPECT_OK(smon_detector_series(d, "http_latency_ms{region=\"eu\",service=\"api\"}", &id2));
    EXPECT(id == id2);
    smon_anomaly a;
    double maxCalm = 0;
    for (int i = 0; i < 1500; i++) {
        double v = 100.0 + 5.0 * sin(i * 0.3) + (i % 7) * 0.5;
        EXPECT_OK(smon_detector_observe(d, id, 1700000000000LL + i * 60000LL, v, &a));
        if (i > 1000 && a.score > maxCalm) maxCalm = a.score;
        EXPECT(a.score >= 0 && a.score <= 1);
        EXPECT(a.series_id == id);
    }
    int flagged = 0;
    for (int i = 0; i < 5; i++) {
        EXPECT_OK(smon_detector_observe(d, id, 1700000000000LL + (1500 + i) * 60000LL, 400.0 + i, &a));
        if (i == 0) EXPECT(a.score > maxCalm);
        if (a.is_anomaly) flagged = 1;
    }
    EXPECT(flagged);
    EXPECT(!a.is_anomaly || (a.severity >= SMON_SEVERITY_LOW && a.severity <= SMON_SEVERITY_CRITICAL));
    EXPECT(a.impact_category == SMON_IMPACT_USER_EXPERIENCE);
    char *json = NULL;
    EXPECT_OK(smon_detector_explain(d, id, &json));
    EXPECT(json != NULL && strstr(json, "recommended_actions") != NULL && strstr(json, "expected_range") != NULL);
    smon_free(json);
    json = NULL;
    EXPECT_OK(smon_detector_correlations(d, &json));
    EXPECT(json != NULL && json[0] == '[');
    smon_free(json);

    /* Batch. */
    enum { N = 1000 };
    static uint32_t ids[N];
    static int64_t ts[N];
    static double vals[N];
    static smon_anomaly out[N];
    uint32_t other = 0;
    EXPECT_OK(smon_detector_series(d, "cpu_usage{host=\"h1\"}", &other));
    for (int i = 0; i < N; i++) { ids[i] = (i % 2) ? id : other; ts[i] = 1700100000000LL + i * 1000LL; vals[i] = 50 + (i % 5); }
    EXPECT_OK(smon_detector_observe_batch(d, N, ids, ts, vals, out));
    EXPECT(out[N - 1].score >= 0 && out[N - 1].score <= 1);
    size_t count = 0;
    EXPECT_OK(smon_detector_series_count(d, &count));
    EXPECT(count == 2);

    /* Snapshot / restore continue identically. */
    void *snap = NULL; size_t snapSize = 0;
    EXPECT_OK(smon_detector_snapshot(d, &snap, &snapSize));
    smon_detector *d2 = NULL;
    EXPECT_OK(smon_detector_new(cfg, &d2));
    EXPECT_OK(smon_detector_restore(d2, snap, snapSize));
    smon_anomaly a1, a2;
    for (int i = 0; i < 50; i++) {
        double v = 60 + (i % 9) * 3.0;
        EXPECT_OK(smon_detector_observe(d, other, 1700200000000LL + i, v, &a1));
        EXPECT_OK(smon_detector_observe(d2, other, 1700200000000LL + i, v, &a2));
        EXPECT(a1.score == a2.score && a1.raw_score == a2.raw_score);
    }
    /* Corrupt snapshot: flip a byte. */
    ((unsigned char *)snap)[snapSize / 2] ^= 0x5a;
    EXPECT_STATUS(smon_detector_restore(d2, snap, snapSize), SMON_CORRUPT);
    EXPECT_STATUS(smon_detector_restore(d2, snap, 10), SMON_CORRUPT);
    EXPECT_STATUS(smon_detector_restore(d2, snap, 0), SMON_CORRUPT);
    EXPECT_STATUS(smon_detector_restore(d2, NULL, 10), SMON_NULL_POINTER);
    smon_free(snap);

    smon_performance perf;
    EXPECT_OK(smon_detector_performance(d, &perf));
    EXPECT(perf.count > 0 && perf.events_per_second > 0);
    EXPECT_OK(smon_detector_add_deployment(d, "api", 0, 10));
    EXPECT_OK(smon_detector_add_deployment(d, NULL, 0, 10));

    /* Bad input to every function. */
    EXPECT_STATUS(smon_detector_new(NULL, NULL), SMON_NULL_POINTER);
    smon_detector *dx = NULL;
    EXPECT_STATUS(smon_detector_new((const smon_config *)(void *)&a, &dx), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_detector_series(NULL, "x", &id), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_series(d, NULL, &id), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_series(d, "x", NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_series(d, "", &id), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_series(d, "m{a=\"b\"", &id), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_series(d, "\xff\xfe", &id), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_observe(NULL, id, 0, 1, &a), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe(d, id, 0, 1, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe(d, 12345, 0, 1, &a), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_detector_observe(d, id, 0, NAN, &a), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_observe(d, id, 0, INFINITY, &a), SMON_INVALID_ARGUMENT);
    EXPECT_OK(smon_detector_observe(d, id, 0, 1e300, &a)); /* huge: clamped, defined */
    EXPECT_OK(smon_detector_observe(d, id, 5, 100, &a));
    EXPECT(a.score >= 0 && a.score <= 1 && !isnan(a.score));
    EXPECT_STATUS(smon_detector_observe_batch(NULL, 1, ids, ts, vals, out), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe_batch(d, 0, ids, ts, vals, out), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_observe_batch(d, (size_t)1 << 40, ids, ts, vals, out), SMON_CAPACITY);
    EXPECT_STATUS(smon_detector_observe_batch(d, N, NULL, ts, vals, out), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe_batch(d, N, ids, NULL, vals, out), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe_batch(d, N, ids, ts, NULL, out), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_observe_batch(d, N, ids, ts, vals, NULL), SMON_NULL_POINTER);
    vals[10] = NAN;
    EXPECT_STATUS(smon_detector_observe_batch(d, N, ids, ts, vals, out), SMON_INVALID_ARGUMENT);
    vals[10] = 1; ids[20] = 777;
    EXPECT_STATUS(smon_detector_observe_batch(d, N, ids, ts, vals, out), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_detector_explain(NULL, id, &json), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_explain(d, id, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_explain(d, 4242, &json), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_detector_correlations(NULL, &json), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_correlations(d, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_series_count(NULL, &count), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_series_count(d, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_snapshot(NULL, &snap, &snapSize), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_snapshot(d, NULL, &snapSize), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_snapshot(d, &snap, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_restore(NULL, "x", 1), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_restore(d, "not a snapshot at all, no, no, no", 33), SMON_CORRUPT);
    EXPECT_STATUS(smon_detector_performance(NULL, &perf), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_performance(d, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_add_deployment(NULL, "api", 0, 1), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_detector_add_deployment(d, "api", 10, 1), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_detector_add_deployment(d, "\xc3\x28", 0, 1), SMON_INVALID_ARGUMENT);

    /* Freed handle. */
    smon_detector_free(d2);
    EXPECT_STATUS(smon_detector_observe(d2, id, 0, 1, &a), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_detector_series(d2, "x", &id), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_detector_observe_batch(d2, 1, ids, ts, vals, out), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_detector_explain(d2, 0, &json), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_detector_snapshot(d2, &snap, &snapSize), SMON_BAD_HANDLE);
    smon_detector_free(d2); /* double free: no-op */
    smon_detector_free(NULL);

    /* Capacity. */
    smon_config *small = NULL;
    EXPECT_OK(smon_config_new(&small));
    EXPECT_OK(smon_config_set(small, "series.max", "1", err, sizeof err));
    smon_detector *d3 = NULL;
    EXPECT_OK(smon_detector_new(small, &d3));
    EXPECT_OK(smon_detector_series(d3, "a", &id));
    EXPECT_STATUS(smon_detector_series(d3, "b", &id), SMON_CAPACITY);
    smon_detector_free(d3);
    smon_config_free(small);

    smon_detector_free(d);
    smon_config_free(cfg);
    TEST_DONE("anomaly_test");
}
