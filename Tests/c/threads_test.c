/* Misuse from several threads: one handle of each engine shared by threads that observe,
 * classify, snapshot and restore at once, while another thread frees a second handle that the
 * workers keep using. Nothing may crash, every call returns a status, and the counters add up. */
#include <pthread.h>
#include <math.h>
#include "smon_test.h"

#define THREADS 4
#define ROUNDS 2000

static smon_detector *det;
static smon_classifier *cls;
static smon_forecaster *fc;
static smon_detector *doomed;     /* freed while the workers use it */
static uint32_t ids[THREADS][8];
static int errors[THREADS];

static void *worker(void *arg) {
    int t = (int)(size_t)arg;
    smon_anomaly out;
    smon_alert_result res;
    char msg[64];
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t id = ids[t][r % 8];
        double v = 100 + 10 * sin(r / 10.0) + (r % 97 == 0 ? 80 : 0);
        if (smon_detector_observe(det, id, 1700000000000LL + r * 60000LL, v, &out) != SMON_OK) errors[t]++;
        if (out.score < 0 || out.score > 1 || out.score != out.score) errors[t]++;
        /* Bad input mixed in: must fail cleanly with this thread's own message. */
        if (smon_detector_observe(det, id, 0, NAN, &out) != SMON_INVALID_ARGUMENT) errors[t]++;
        if (smon_last_error()[0] == '\0') errors[t]++;
        /* The doomed handle: ok before the free, SMON_BAD_HANDLE after, never a crash. */
        smon_status s = smon_detector_observe(doomed, 0, 1700000000000LL + r, 1.0, &out);
        if (s != SMON_OK && s != SMON_BAD_HANDLE && s != SMON_NOT_FOUND) errors[t]++;
        snprintf(msg, sizeof msg, "disk full on host h%d", r % 5);
        smon_alert a = {0};
        a.alert_id = "a"; a.timestamp_ms = 1700000000000LL + r * 1000LL; a.source_system = "prometheus";
        a.metric_name = "disk_used"; a.alert_message = msg; a.severity_raw = "warning"; a.service_name = "storage";
        a.labels = "team=sre"; a.current_value = 95; a.threshold_violated = 90;
        if (smon_classifier_classify(cls, &a, &res) != SMON_OK) errors[t]++;
        if (smon_forecaster_observe(fc, ids[t][0], 1700000000000LL + r * 60000LL, v) != SMON_OK) errors[t]++;
        if (r % 250 == 0) {
            void *buf = NULL;
            size_t size = 0;
            if (smon_detector_snapshot(det, &buf, &size) != SMON_OK) { errors[t]++; continue; }
            if (t == 0 && smon_detector_restore(det, buf, size) != SMON_OK) errors[t]++;
            smon_free(buf);
        }
    }
    return NULL;
}

int main(void) {
    EXPECT_OK(smon_detector_new(NULL, &det));
    EXPECT_OK(smon_detector_new(NULL, &doomed));
    EXPECT_OK(smon_classifier_new(NULL, &cls));
    EXPECT_OK(smon_forecaster_new(NULL, &fc));
    uint32_t d0;
    EXPECT_OK(smon_detector_series(doomed, "x", &d0));
    char key[64];
    for (int t = 0; t < THREADS; t++)
        for (int k = 0; k < 8; k++) {
            snprintf(key, sizeof key, "latency_ms{thread=\"%d\",k=\"%d\"}", t, k);
            EXPECT_OK(smon_detector_series(det, key, &ids[t][k]));
            uint32_t fid;
            EXPECT_OK(smon_forecaster_series(fc, key, &fid));
        }
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, worker, (void *)(size_t)t);
    smon_detector_free(doomed);   /* while the workers are using it */
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < THREADS; t++) EXPECT(errors[t] == 0);

    smon_performance p;
    EXPECT_OK(smon_detector_performance(det, &p));
    EXPECT(p.count >= (uint64_t)THREADS * ROUNDS);
    size_t n = 0;
    EXPECT_OK(smon_detector_series_count(det, &n));
    EXPECT(n == THREADS * 8);
    smon_anomaly out;
    EXPECT_STATUS(smon_detector_observe(doomed, 0, 1, 1.0, &out), SMON_BAD_HANDLE);
    smon_detector_free(det);
    smon_classifier_free(cls);
    smon_forecaster_free(fc);
    TEST_DONE("threads_test");
}
