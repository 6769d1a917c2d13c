/* The benchmark alert stream for the C harnesses (bench_alerts.c, bench_alerts_ab.c): reads
   the TSV that bench_alerts.py writes (one alert per line, tab-separated: timestamp_ms source
   metric message severity service labels fingerprint value threshold resolved class team fp
   priority ack_s resolve_s; "-" for an empty field), and repeats it up to `want` alerts with
   time shifted forward so the stream keeps moving. Header only; the strings are leaked
   (the process exits after the run). */
#ifndef SMON_ALERTS_TSV_H
#define SMON_ALERTS_TSV_H
#include "spotifymon.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread: throughput per core that does not count time other processes
   on a shared machine take from us. */
static double tsv_cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The stream of `path` repeated to `want` alerts, into *alerts and *feedback (malloc'ed);
   *distinct gets the file's alert count and *span the time shift of one repetition.
   Returns 0, or prints why and returns 2. */
static int tsv_load(const char *path, size_t want, smon_alert **alerts, smon_alert_feedback **feedback,
                    size_t *distinct, int64_t *span) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return 2; }
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
    if (n == 0) { fprintf(stderr, "no alerts in %s\n", path); return 2; }
    *span = base[n - 1].timestamp_ms - base[0].timestamp_ms + 60000;
    *alerts = malloc(want * sizeof **alerts);
    *feedback = malloc(want * sizeof **feedback);
    for (size_t i = 0; i < want; i++) {
        (*alerts)[i] = base[i % n];
        (*alerts)[i].timestamp_ms += (int64_t)(i / n) * *span;
        (*feedback)[i] = fb[i % n];
    }
    free(base);
    free(fb);
    *distinct = n;
    return 0;
}

#endif
