/* Two (or more) builds of libspotifymon.so side by side in one process, for before/after
   measurements on a machine whose speed drifts by 10-40% between runs: each library is
   loaded with dlopen (RTLD_LOCAL: each keeps its own symbols and its own static Swift
   runtime), trained on the same stream, then the libraries take turns classifying the whole
   stream (through smon_classifier_classify_batch, batches of 1024, one reused result buffer),
   ROUNDS times, so that drift hits every library alike.
   Usage: bench_alerts_ab ALERTS.tsv ROUNDS LIB.so [LIB.so ...]   (see bench_alerts_ab.py)
   Prints per round and in all the classify alerts/s of each library (CPU time of the thread),
   and a checksum of the results (equal when the builds decide alike). */
#define _GNU_SOURCE
#include "alerts_tsv.h"
#include <dlfcn.h>

typedef smon_status (*new_fn)(const smon_config *, smon_classifier **);
typedef smon_status (*learn_fn)(smon_classifier *, const smon_alert *, const smon_alert_feedback *, size_t);
typedef smon_status (*classify_fn)(smon_classifier *, const smon_alert *, size_t, smon_alert_result *);
typedef void (*free_fn)(smon_classifier *);

enum { MAX_LIBS = 8, BATCH = 1024, ALERTS = 400000 };

int main(int argc, char **argv) {
    if (argc < 4 || argc - 3 > MAX_LIBS) { fprintf(stderr, "usage: %s ALERTS.tsv ROUNDS LIB.so [LIB.so ...] (up to %d)\n", argv[0], MAX_LIBS); return 2; }
    int rounds = atoi(argv[2]), libs = argc - 3;
    smon_alert *al;
    smon_alert_feedback *fb;
    size_t distinct;
    int64_t span;
    if (tsv_load(argv[1], ALERTS, &al, &fb, &distinct, &span) != 0) return 2;
    smon_alert_result *out = calloc(BATCH, sizeof *out);
    smon_classifier *h[MAX_LIBS];
    classify_fn classify[MAX_LIBS];
    free_fn release[MAX_LIBS];
    for (int l = 0; l < libs; l++) {
        void *d = dlopen(argv[3 + l], RTLD_NOW | RTLD_LOCAL);
        if (!d) { fprintf(stderr, "%s\n", dlerror()); return 2; }
        new_fn create = (new_fn)dlsym(d, "smon_classifier_new");
        learn_fn learn = (learn_fn)dlsym(d, "smon_classifier_learn_batch");
        classify[l] = (classify_fn)dlsym(d, "smon_classifier_classify_batch");
        release[l] = (free_fn)dlsym(d, "smon_classifier_free");
        if (!create || !learn || !classify[l] || !release[l] || create(NULL, &h[l]) != SMON_OK) {
            fprintf(stderr, "%s: not a spotifymon library\n", argv[3 + l]);
            return 2;
        }
        for (size_t i = 0; i < ALERTS; i += BATCH) learn(h[l], al + i, fb + i, ALERTS - i < BATCH ? ALERTS - i : BATCH);
    }
    double total[MAX_LIBS] = {0};
    long checksum[MAX_LIBS] = {0};
    printf("{\"alerts\": %d, \"distinct\": %zu, \"rounds\": [", ALERTS, distinct);
    for (int r = 0; r < rounds; r++) {
        /* Every round is later stream time for every library. */
        for (size_t i = 0; i < ALERTS; i++) al[i].timestamp_ms += 20 * span;
        printf(r ? ", [" : "[");
        for (int l = 0; l < libs; l++) {
            double t0 = tsv_cpu_seconds();
            for (size_t i = 0; i < ALERTS; i += BATCH) {
                size_t m = ALERTS - i < BATCH ? ALERTS - i : BATCH;
                if (classify[l](h[l], al + i, m, out) != SMON_OK) { fprintf(stderr, "classify failed in %s\n", argv[3 + l]); return 1; }
                for (size_t j = 0; j < m; j++) checksum[l] += out[j].priority + out[j].suppressed;
            }
            double dt = tsv_cpu_seconds() - t0;
            total[l] += dt;
            printf(l ? ", %.0f" : "%.0f", ALERTS / dt);
        }
        printf("]");
    }
    printf("], \"mean_per_s\": [");
    for (int l = 0; l < libs; l++) printf(l ? ", %.0f" : "%.0f", rounds * (double)ALERTS / total[l]);
    printf("], \"checksum\": [");
    for (int l = 0; l < libs; l++) { printf(l ? ", %ld" : "%ld", checksum[l]); release[l](h[l]); }
    printf("]}\n");
    return 0;
}
