/*
 * c-agent: a minimal monitoring agent embedding libspotifymon through its C header.
 *
 * Reads `timestamp_ms,series_key,value` lines from stdin (the shape a collector would push),
 * feeds them to a detector in batches, and prints one line per anomaly with its explanation.
 * At the end it snapshots the detector to a file, restores it into a fresh handle and checks
 * the restored detector scores the next point exactly as the original does.
 *
 *   agent [--batch N] [--snapshot FILE] [--config key=value ...] < metrics.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spotifymon.h"

#define MAX_BATCH 4096
#define MAX_LINE 8192

static int fail(const char *what, smon_status s) {
    fprintf(stderr, "agent: %s: %s (%s)\n", what, smon_status_string(s), smon_last_error());
    return 1;
}

int main(int argc, char **argv) {
    size_t batch = 256;
    const char *snapshot_path = "agent.snapshot";
    smon_config *cfg = NULL;
    smon_status s;
    char err[256];

    if (smon_version_number() != SMON_VERSION_NUMBER) {
        fprintf(stderr, "agent: header %s but library %s\n", SMON_VERSION_STRING, smon_version());
        return 1;
    }
    if ((s = smon_config_new(&cfg)) != SMON_OK) return fail("config", s);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            batch = (size_t)strtoul(argv[++i], NULL, 10);
            if (batch == 0 || batch > MAX_BATCH) batch = MAX_BATCH;
        } else if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) {
            snapshot_path = argv[++i];
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            char *kv = argv[++i], *eq = strchr(kv, '=');
            if (!eq) { fprintf(stderr, "agent: --config wants key=value\n"); return 2; }
            *eq = '\0';
            if (smon_config_set(cfg, kv, eq + 1, err, sizeof err) != SMON_OK) {
                fprintf(stderr, "agent: config: %s\n", err);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: agent [--batch N] [--snapshot FILE] [--config key=value ...] < metrics.csv\n");
            return 2;
        }
    }

    smon_detector *det = NULL;
    if ((s = smon_detector_new(cfg, &det)) != SMON_OK) return fail("detector_new", s);
    smon_config_free(cfg); /* the detector copied it */

    static uint32_t ids[MAX_BATCH];
    static int64_t ts[MAX_BATCH];
    static double values[MAX_BATCH];
    static smon_anomaly out[MAX_BATCH];
    static char line[MAX_LINE];
    size_t n = 0, total = 0, anomalies = 0, rejected = 0;
    uint32_t last_id = 0;
    int64_t last_ts = 0;

    for (int eof = 0; !eof;) {
        eof = fgets(line, sizeof line, stdin) == NULL;
        if (!eof) {
            char *c1 = strchr(line, ','), *c2 = c1 ? strrchr(line, ',') : NULL;
            if (!c1 || c2 == c1) { rejected++; continue; }
            *c1 = '\0'; *c2 = '\0';
            char *endp;
            double v = strtod(c2 + 1, &endp);
            uint32_t id;
            if ((s = smon_detector_series(det, c1 + 1, &id)) != SMON_OK) { rejected++; continue; }
            ids[n] = id; ts[n] = strtoll(line, NULL, 10); values[n] = v; n++;
            last_id = id; last_ts = ts[n - 1];
        }
        if (n == batch || (eof && n > 0)) {
            s = smon_detector_observe_batch(det, n, ids, ts, values, out);
            if (s == SMON_INVALID_ARGUMENT) {
                /* A NaN/Inf in the batch: the whole batch was refused; retry point by point. */
                for (size_t i = 0; i < n; i++)
                    if (smon_detector_observe(det, ids[i], ts[i], values[i], &out[i]) != SMON_OK) {
                        out[i].is_anomaly = 0; rejected++;
                    }
            } else if (s != SMON_OK) {
                return fail("observe_batch", s);
            }
            for (size_t i = 0; i < n; i++) {
                if (!out[i].is_anomaly) continue;
                anomalies++;
                printf("ANOMALY ts=%lld series=%u score=%.3f severity=%d expected=[%.2f,%.2f] value=%.2f impact=%.2f",
                       (long long)ts[i], ids[i], out[i].score, out[i].severity, out[i].expected_low,
                       out[i].expected_high, values[i], out[i].impact_score);
                /* smon_detector_explain describes a series' latest point: attach it when this
                 * anomaly is the series' last point of the batch. */
                int latest = 1;
                for (size_t j = i + 1; j < n && latest; j++) latest = ids[j] != ids[i];
                char *json = NULL;
                if (latest && smon_detector_explain(det, ids[i], &json) == SMON_OK) {
                    printf(" %s", json);
                    smon_free(json);
                }
                printf("\n");
            }
            total += n;
            n = 0;
        }
    }

    smon_performance perf;
    if ((s = smon_detector_performance(det, &perf)) != SMON_OK) return fail("performance", s);
    size_t series = 0;
    smon_detector_series_count(det, &series);
    printf("SUMMARY points=%zu series=%zu anomalies=%zu rejected=%zu events_per_s=%.0f p99_us=%.2f\n",
           total, series, anomalies, rejected, perf.events_per_second, perf.p99_latency_us);

    /* Snapshot to disk, restore into a new handle, and check both agree on the next point. */
    void *buf = NULL;
    size_t size = 0;
    if ((s = smon_detector_snapshot(det, &buf, &size)) != SMON_OK) return fail("snapshot", s);
    FILE *f = fopen(snapshot_path, "wb");
    if (!f || fwrite(buf, 1, size, f) != size) { fprintf(stderr, "agent: cannot write %s\n", snapshot_path); return 1; }
    fclose(f);
    smon_free(buf);

    f = fopen(snapshot_path, "rb");
    if (!f) { fprintf(stderr, "agent: cannot read %s\n", snapshot_path); return 1; }
    void *data = malloc(size);
    if (!data || fread(data, 1, size, f) != size) { fprintf(stderr, "agent: short read\n"); return 1; }
    fclose(f);
    smon_detector *copy = NULL;
    if ((s = smon_detector_new(NULL, &copy)) != SMON_OK) return fail("detector_new", s);
    if ((s = smon_detector_restore(copy, data, size)) != SMON_OK) return fail("restore", s);
    free(data);
    if (total > 0) {
        smon_anomaly a, b;
        if ((s = smon_detector_observe(det, last_id, last_ts + 60000, 42.0, &a)) != SMON_OK) return fail("observe", s);
        if ((s = smon_detector_observe(copy, last_id, last_ts + 60000, 42.0, &b)) != SMON_OK) return fail("observe", s);
        if (a.score != b.score || a.is_anomaly != b.is_anomaly) {
            fprintf(stderr, "agent: restored detector diverged (%.17g vs %.17g)\n", a.score, b.score);
            return 1;
        }
    }
    printf("SNAPSHOT bytes=%zu restored=identical\n", size);
    smon_detector_free(copy);
    smon_detector_free(det);
    return 0;
}
