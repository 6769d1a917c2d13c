/* Alert classifier speed through the C struct path (one core).
   Usage: bench_alerts ALERTS.tsv [N]
   ALERTS.tsv: one alert per line, tab-separated: timestamp_ms source metric message severity service
   labels fingerprint value threshold resolved class team fp priority ack_s resolve_s
   Prints JSON: batch classify alerts/s, single-call p50/p99 µs, learn (batch) alerts/s. */
#define _POSIX_C_SOURCE 200809L
#include "spotifymon.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: throughput per core that does not count time other processes
   on a shared machine take from us (wall time is also reported). */
static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s ALERTS.tsv [N]\n", argv[0]); return 2; }
    size_t want = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 2; }
    size_t cap = 1024, n = 0;
    smon_alert *base = malloc(cap * sizeof *base);
    smon_alert_feedback *fb = malloc(cap * sizeof *fb);
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, f) > 0) {
        char *fields[17];
        int k = 0;
        char *save = NULL, *p = strtok_r(line, "\t\n", &save);
        /* strtok skips empty fields: the generator writes "-" for empty. */
        while (p && k < 17) { fields[k++] = p; p = strtok_r(NULL, "\t\n", &save); }
        if (k < 17) continue;
        if (n == cap) {
            cap *= 2;
            base = realloc(base, cap * sizeof *base);
            fb = realloc(fb, cap * sizeof *fb);
        }
        for (int i = 0; i < 17; i++) fields[i] = strcmp(fields[i], "-") == 0 ? NULL : strdup(fields[i]);
        smon_alert *a = &base[n];
        a->alert_id = NULL;
        a->timestamp_ms = fields[0] ? atoll(fields[0]) : 0;
        a->source_system = fields[1]; a->metric_name = fields[2]; a->alert_message = fields[3];
        a->severity_raw = fields[4]; a->service_name = fields[5]; a->labels = fields[6]; a->fingerprint = fields[7];
        a->current_value = fields[8] ? atof(fields[8]) : NAN;
        a->threshold_violated = fields[9] ? atof(fields[9]) : NAN;
        a->resolved = fields[10] ? atoi(fields[10]) : 0;
        smon_alert_feedback *b = &fb[n];
        b->true_class = fields[11]; b->resolved_by = fields[12];
        b->false_positive = fields[13] ? atoi(fields[13]) : -1;
        b->priority = fields[14] ? atoi(fields[14]) : 0;
        b->time_to_ack_s = fields[15] ? atof(fields[15]) : NAN;
        b->time_to_resolve_s = fields[16] ? atof(fields[16]) : NAN;
        n++;
    }
    fclose(f);
    free(line);
    if (n == 0) { fprintf(stderr, "no alerts\n"); return 2; }
    /* Repeat the stream up to `want` alerts, shifting time so it keeps moving forward. */
    int64_t span = base[n - 1].timestamp_ms - base[0].timestamp_ms + 60000;
    smon_alert *al = malloc(want * sizeof *al);
    smon_alert_feedback *fbs = malloc(want * sizeof *fbs);
    for (size_t i = 0; i < want; i++) {
        al[i] = base[i % n];
        al[i].timestamp_ms += (int64_t)(i / n) * span;
        fbs[i] = fb[i % n];
    }
    smon_alert_result *out = malloc(want * sizeof *out);
    smon_classifier *h = NULL;
    if (smon_classifier_new(NULL, &h) != SMON_OK) { fprintf(stderr, "%s\n", smon_last_error()); return 1; }

    /* Learn throughput (batch), which also trains the model used below. */
    size_t B = 1024;
    double t0 = cpu();
    for (size_t i = 0; i < want; i += B) {
        size_t m = want - i < B ? want - i : B;
        if (smon_classifier_learn_batch(h, al + i, fbs + i, m) != SMON_OK) { fprintf(stderr, "%s\n", smon_last_error()); return 1; }
    }
    double learn_s = cpu() - t0;

    /* Classify throughput through the struct batch call. */
    double w0 = now();
    t0 = cpu();
    for (size_t i = 0; i < want; i += B) {
        size_t m = want - i < B ? want - i : B;
        if (smon_classifier_classify_batch(h, al + i, m, out + i) != SMON_OK) { fprintf(stderr, "%s\n", smon_last_error()); return 1; }
    }
    double batch_s = cpu() - t0, batch_wall = now() - w0;
    /* A second pass (time shifted): the steady state once the impact/ownership caches are warm. */
    for (size_t i = 0; i < want; i++) al[i].timestamp_ms += 20 * span;
    t0 = cpu();
    for (size_t i = 0; i < want; i += B) {
        size_t m = want - i < B ? want - i : B;
        if (smon_classifier_classify_batch(h, al + i, m, out + i) != SMON_OK) { fprintf(stderr, "%s\n", smon_last_error()); return 1; }
    }
    double batch2_s = cpu() - t0;
    long checksum = 0;
    for (size_t i = 0; i < want; i++) checksum += out[i].priority + out[i].suppressed;

    /* Single-call latency. */
    size_t L = want < 100000 ? want : 100000;
    double *lat = malloc(L * sizeof *lat);
    for (size_t i = 0; i < L; i++) {
        smon_alert a = al[i];
        a.timestamp_ms += 40 * span;
        double s = now();
        smon_classifier_classify(h, &a, &out[i]);
        lat[i] = (now() - s) * 1e6;
    }
    qsort(lat, L, sizeof *lat, cmp);
    printf("{\"alerts\": %zu, \"distinct\": %zu, \"classify_batch_per_s\": %.0f, \"classify_batch_wall_per_s\": %.0f, \"classify_batch_second_pass_per_s\": %.0f, \"learn_batch_per_s\": %.0f, "
           "\"single_p50_us\": %.3f, \"single_p99_us\": %.3f, \"single_p999_us\": %.3f, \"checksum\": %ld}\n",
           want, n, want / batch_s, want / batch_wall, want / batch2_s, want / learn_s, lat[L / 2], lat[(size_t)(L * 0.99)], lat[(size_t)(L * 0.999)], checksum);
    smon_classifier_free(h);
    return 0;
}
