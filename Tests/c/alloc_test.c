/*
 * No heap allocation per event on the hot paths: this program interposes malloc and its
 * relatives (the library's statically linked Swift runtime allocates through them), warms
 * each engine up, then counts the allocations made by many events through each hot-path
 * call. Steady-state hot paths must allocate nothing at all; the count printed for each
 * path is what a regression would change.
 */
#include <math.h>
#include <stdint.h>
#include "smon_test.h"

#define TWO_PI 6.283185307179586

/* glibc's own allocator entry points, which the interposers forward to. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static int counting = 0;
static unsigned long allocations = 0;

/* Every counted allocation passes here: `gdb -ex 'break alloc_hit'` shows who allocated. */
__attribute__((noinline)) static void alloc_hit(void) { allocations++; __asm__ volatile(""); }

void *malloc(size_t n) { if (counting) alloc_hit(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { if (counting) alloc_hit(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { if (counting) alloc_hit(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *aligned_alloc(size_t align, size_t n) { if (counting) alloc_hit(); return __libc_memalign(align, n); }
void *memalign(size_t align, size_t n) { if (counting) alloc_hit(); return __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    if (counting) alloc_hit();
    *out = __libc_memalign(align, n);
    return *out ? 0 : 12; /* ENOMEM */
}

static void start(void) { allocations = 0; counting = 1; }
static unsigned long stop(const char *what, unsigned long events) {
    counting = 0;
    printf("alloc_test: %-52s %8lu events, %lu allocations\n", what, events, allocations);
    return allocations;
}

/* Deterministic pseudo-random numbers (xorshift), no allocation. */
static uint64_t rng_state = 88172645463325252ULL;
static double uniform(void) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

enum { SERIES = 500, BATCH = 1000, ROUNDS = 50 };

/* A detector callback that only counts (push delivery must not allocate either). */
static void count_events(void *user, const smon_anomaly *e) { *(int *)user += e->is_anomaly || e->drift; }

static void detector_paths(void) {
    smon_detector *d;
    EXPECT_OK(smon_detector_new(NULL, &d));
    static uint32_t ids[BATCH];
    static int64_t ts[BATCH];
    static double values[BATCH];
    static smon_anomaly out[BATCH];
    char key[64];
    for (int s = 0; s < SERIES; s++) {
        snprintf(key, sizeof key, "cpu_utilization{host=\"h%d\"}", s);
        EXPECT_OK(smon_detector_series(d, key, &ids[s]));
    }
    int64_t t = 1700000000000LL;
    int grouped = 0;
    /* Warm-up: every series past its warm-up, a spike now and then (correlation groups open). */
    for (int round = 0; round < 2 * ROUNDS; round++) {
        for (int i = 0; i < BATCH; i++) {
            ids[i] = (uint32_t)((round * BATCH + i) % SERIES);
            ts[i] = t + (int64_t)(round * BATCH + i) * 1000;
            values[i] = 50 + 5 * uniform() + (uniform() < 0.002 ? 80 : 0);
        }
        EXPECT_OK(smon_detector_observe_batch(d, BATCH, ids, ts, values, out));
    }
    t += (int64_t)2 * ROUNDS * BATCH * 1000;
    int pushed = 0;
    EXPECT_OK(smon_detector_set_callback(d, count_events, &pushed));
    start();
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < BATCH; i++) {
            ids[i] = (uint32_t)((round * BATCH + i) % SERIES);
            ts[i] = t + (int64_t)(round * BATCH + i) * 1000;
            values[i] = 50 + 5 * uniform() + (uniform() < 0.002 ? 80 : 0);
        }
        smon_detector_observe_batch(d, BATCH, ids, ts, values, out);
        for (int i = 0; i < BATCH; i++) grouped += out[i].is_anomaly && out[i].group_id != 0;
    }
    EXPECT(stop("smon_detector_observe_batch", ROUNDS * BATCH) == 0);
    EXPECT(grouped > 0); /* the measured stretch did record anomalies in correlation groups */
    EXPECT(pushed >= grouped); /* ... and pushed them to the callback */
    t += (int64_t)ROUNDS * BATCH * 1000;
    start();
    grouped = 0;
    for (int i = 0; i < ROUNDS * BATCH; i++) {
        double v = 50 + 5 * uniform() + (uniform() < 0.002 ? 80 : 0);
        smon_detector_observe(d, (uint32_t)(i % SERIES), t + (int64_t)i * 1000, v, &out[0]);
        grouped += out[0].is_anomaly && out[0].group_id != 0;
    }
    EXPECT(stop("smon_detector_observe", ROUNDS * BATCH) == 0);
    EXPECT(grouped > 0);
    smon_detector_free(d);
}

static void classifier_paths(void) {
    smon_classifier *c;
    EXPECT_OK(smon_classifier_new(NULL, &c));
    static const char *services[] = {"checkout", "payments", "search", "playback", "auth"};
    static const char *messages[] = {"p99 latency above 2s on %s", "error rate 5%% on %s",
                                     "cpu saturation on %s nodes", "disk almost full on %s"};
    static const char *metrics[] = {"http_latency_p99", "http_error_rate", "cpu_utilization", "disk_used"};
    static char text[64][96], labels[64][96], fps[64][32];
    static smon_alert alerts[BATCH];
    static smon_alert_result results[BATCH];
    static smon_alert_feedback feedback[BATCH];
    /* 64 recurring alert shapes (a steady stream: fingerprints and groups already known). */
    for (int k = 0; k < 64; k++) {
        const char *svc = services[k % 5];
        snprintf(text[k], sizeof text[k], messages[k % 4], svc);
        snprintf(labels[k], sizeof labels[k], "team=team%d,cluster=c%d,instance=i%d", k % 5, k % 3, k);
        snprintf(fps[k], sizeof fps[k], "fp%d", k);
    }
    int64_t t = 1700000000000LL;
    for (int round = 0; round < 3 * ROUNDS; round++) {
        int measured = round >= 2 * ROUNDS;
        for (int i = 0; i < BATCH; i++) {
            int k = (round * BATCH + i) % 64;
            smon_alert a = {0};
            a.alert_id = fps[k];
            a.timestamp_ms = t + (int64_t)(round * BATCH + i) * 200;
            a.source_system = "prometheus";
            a.metric_name = metrics[k % 4];
            a.alert_message = text[k];
            a.severity_raw = (k % 7 == 0) ? "critical" : "warning";
            a.service_name = services[k % 5];
            a.labels = labels[k];
            a.fingerprint = fps[k];
            a.current_value = 10 + uniform();
            a.threshold_violated = 8;
            alerts[i] = a;
            smon_alert_feedback f = {"application", "team0", 0, 2, 60, 600};
            f.resolved_by = (k % 5 == 0) ? "team0" : "team1";
            feedback[i] = f;
        }
        if (measured && round == 2 * ROUNDS) start();
        if (measured) {
            smon_classifier_classify_batch(c, alerts, BATCH, results);
        } else {
            EXPECT_OK(smon_classifier_classify_batch(c, alerts, BATCH, results));
            EXPECT_OK(smon_classifier_learn_batch(c, alerts, feedback, BATCH));
        }
    }
    EXPECT(stop("smon_classifier_classify_batch (steady stream)", ROUNDS * BATCH) == 0);
    start();
    for (int i = 0; i < BATCH; i++) smon_classifier_classify(c, &alerts[i], &results[i]);
    EXPECT(stop("smon_classifier_classify", BATCH) == 0);
    start();
    smon_classifier_learn_batch(c, alerts, feedback, BATCH);
    EXPECT(stop("smon_classifier_learn_batch (known classes and teams)", BATCH) == 0);
    /* Every alert opening a new group (each 11 minutes after the last: its old group has
       closed), once the ring of group slots has gone round. */
    for (int round = 0; round < 3 * 1024 / BATCH + 2; round++) {
        for (int i = 0; i < BATCH; i++) alerts[i].timestamp_ms = t + 86400000LL + (int64_t)(round * BATCH + i) * 660000;
        if (round == 3 * 1024 / BATCH) start();
        smon_classifier_classify_batch(c, alerts, BATCH, results);
    }
    EXPECT(stop("smon_classifier_classify_batch (each alert a new group)", 2 * BATCH) == 0);
    EXPECT(results[BATCH - 1].new_group == 1);
    smon_classifier_free(c);
}

static void forecaster_paths(void) {
    smon_forecaster *f;
    EXPECT_OK(smon_forecaster_new(NULL, &f));
    uint32_t id;
    EXPECT_OK(smon_forecaster_series(f, "requests_per_s{service=\"api\"}", &id));
    int64_t t = 1700000000000LL, step = 3600000;
    int i = 0;
    for (; i < 24 * 30; i++)
        EXPECT_OK(smon_forecaster_observe(f, id, t + i * step, 100 + 20 * sin(i * TWO_PI / 24) + uniform()));
    static double mean[48], lo[48], hi[48];
    EXPECT_OK(smon_forecaster_forecast(f, id, 48, 0.95, mean, lo, hi));
    start();
    for (int k = 0; k < 10000; k++) smon_forecaster_forecast(f, id, 48, 0.95, mean, lo, hi);
    EXPECT(stop("smon_forecaster_forecast (48 steps, fitted model)", 10000) == 0);
    smon_forecast_info info;
    EXPECT_OK(smon_forecaster_info(f, id, &info));
    uint32_t fits = info.fits;
    /* Online observe between refits: count only if no scheduled refit happened in between. */
    start();
    for (int k = 0; k < 12; k++, i++)
        smon_forecaster_observe(f, id, t + i * step, 100 + 20 * sin(i * TWO_PI / 24) + uniform());
    unsigned long n = stop("smon_forecaster_observe (no refit due)", 12);
    EXPECT_OK(smon_forecaster_info(f, id, &info));
    if (info.fits == fits) EXPECT(n == 0);
    smon_forecaster_free(f);
}

static void clusterer_paths(void) {
    smon_clusterer *c;
    EXPECT_OK(smon_clusterer_new(NULL, &c));
    enum { D = 8 };
    static double x[BATCH * D];
    static int32_t labels[BATCH], types[BATCH];
    static double scores[BATCH];
    for (int round = 0; round < 2 * ROUNDS + ROUNDS; round++) {
        for (int i = 0; i < BATCH; i++)
            for (int j = 0; j < D; j++) x[i * D + j] = (i % 4) * 10 + uniform();
        if (round == 2 * ROUNDS) start();
        smon_clusterer_update(c, x, BATCH, D, labels, scores, types);
    }
    EXPECT(stop("smon_clusterer_update (online, d = 8)", ROUNDS * BATCH) == 0);
    EXPECT_OK(smon_clusterer_fit(c, x, BATCH, D));
    start();
    for (int k = 0; k < 20; k++) smon_clusterer_predict(c, x, BATCH, D, labels, scores);
    EXPECT(stop("smon_clusterer_predict (k-means model)", 20 * BATCH) == 0);
    smon_clusterer_free(c);
}

int main(void) {
    detector_paths();
    classifier_paths();
    forecaster_paths();
    clusterer_paths();
    TEST_DONE("alloc_test");
}
