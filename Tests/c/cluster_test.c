/* Clusterer: normal use and bad input to every exported smon_clusterer_* function. */
#include <math.h>
#include <stdint.h>
#include "smon_test.h"

#define N 300
#define D 3

static double X[N * D];

static void make_blobs(void) {
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        int c = i % 3;
        for (int t = 0; t < D; t++) {
            s = s * 1103515245u + 12345u;
            double u = ((s >> 8) & 0xFFFF) / 65536.0 - 0.5;
            X[i * D + t] = c * 10.0 + t + u;
        }
    }
}

int main(void) {
    make_blobs();
    smon_config *cfg = NULL;
    char err[256];
    EXPECT_OK(smon_config_new(&cfg));
    EXPECT_OK(smon_config_set(cfg, "clusterer.algorithm", "kmeans", err, sizeof err));
    EXPECT_OK(smon_config_set(cfg, "clusterer.k", "3", err, sizeof err));
    EXPECT_STATUS(smon_config_set(cfg, "clusterer.algorithm", "magic", err, sizeof err), SMON_CONFIG);
    EXPECT_STATUS(smon_config_set(cfg, "clusterer.k", "-1", err, sizeof err), SMON_CONFIG);

    smon_clusterer *c = NULL;
    EXPECT_OK(smon_clusterer_new(cfg, &c));
    EXPECT_STATUS(smon_clusterer_new(cfg, NULL), SMON_NULL_POINTER);

    /* predict before fit */
    int32_t labels[N];
    double scores[N];
    int32_t types[N];
    EXPECT_STATUS(smon_clusterer_predict(c, X, N, D, labels, scores), SMON_STATE);
    EXPECT_STATUS(smon_clusterer_cut(c, 2, labels, N), SMON_STATE);

    /* fit + predict */
    EXPECT_OK(smon_clusterer_fit(c, X, N, D));
    EXPECT_OK(smon_clusterer_predict(c, X, N, D, labels, scores));
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < N; i++) {
        EXPECT(labels[i] >= 0 && labels[i] < 3);
        EXPECT(scores[i] >= 0 && scores[i] <= 1);
        if (labels[i] >= 0 && labels[i] < 3) counts[labels[i]]++;
    }
    EXPECT(counts[0] == 100 && counts[1] == 100 && counts[2] == 100);
    EXPECT_OK(smon_clusterer_predict(c, X, N, D, NULL, NULL));
    EXPECT_OK(smon_clusterer_score(c, X, N, D, scores));

    /* labels, centroids, metrics */
    size_t n = 0, k = 0, d = 0;
    EXPECT_OK(smon_clusterer_labels(c, NULL, 0, &n));
    EXPECT(n == N);
    EXPECT_OK(smon_clusterer_labels(c, labels, N, &n));
    EXPECT_STATUS(smon_clusterer_labels(c, labels, 10, &n), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_labels(c, labels, N, NULL), SMON_NULL_POINTER);
    double cent[9];
    EXPECT_OK(smon_clusterer_centroids(c, NULL, 0, &k, &d));
    EXPECT(k == 3 && d == D);
    EXPECT_OK(smon_clusterer_centroids(c, cent, 9, &k, &d));
    EXPECT_STATUS(smon_clusterer_centroids(c, cent, 2, &k, &d), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_centroids(c, cent, 9, NULL, &d), SMON_NULL_POINTER);
    smon_cluster_metrics m;
    EXPECT_OK(smon_clusterer_metrics(c, &m));
    EXPECT(m.clusters == 3 && m.points == N && m.silhouette > 0.8);
    EXPECT_STATUS(smon_clusterer_metrics(c, NULL), SMON_NULL_POINTER);

    /* online update and detect */
    EXPECT_OK(smon_clusterer_update(c, X, N, D, labels, scores, types));
    EXPECT_OK(smon_clusterer_update(c, X, N, D, NULL, NULL, NULL));
    double far[D] = {1000, -1000, 1000};
    smon_cluster_detection det;
    char *json = NULL;
    EXPECT_OK(smon_clusterer_detect(c, far, D, "payment-api", 0, &det, &json));
    EXPECT(det.is_anomaly == 1 && det.anomaly_type == SMON_CLUSTER_OUTLIER && det.anomaly_score == 1.0);
    EXPECT(det.impact_category == SMON_IMPACT_REVENUE);
    EXPECT(json != NULL && strstr(json, "recommended_actions") != NULL);
    smon_free(json);
    EXPECT_OK(smon_clusterer_detect(c, X, D, NULL, 0, &det, NULL));
    EXPECT_STATUS(smon_clusterer_detect(c, X, D, NULL, 0, NULL, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_clusterer_detect(c, NULL, D, NULL, 0, &det, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_clusterer_detect(c, X, 0, NULL, 0, &det, NULL), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_detect(c, X, D + 1, NULL, 0, &det, NULL), SMON_INVALID_ARGUMENT);
    const char bad_utf8[] = {(char)0xC3, (char)0x28, 0};
    EXPECT_STATUS(smon_clusterer_detect(c, X, D, bad_utf8, 0, &det, NULL), SMON_INVALID_ARGUMENT);

    /* bad matrices */
    double nanrow[D] = {1, NAN, 2};
    double infrow[D] = {1, INFINITY, 2};
    EXPECT_STATUS(smon_clusterer_fit(c, NULL, N, D), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_clusterer_fit(c, X, 0, D), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_fit(c, X, N, 0), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_fit(c, X, SIZE_MAX, D), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_fit(c, X, (size_t)1 << 40, (size_t)1 << 40), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_fit(c, nanrow, 1, D), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_fit(c, infrow, 1, D), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_fit(c, X, 2, D), SMON_INVALID_ARGUMENT); /* n < k */
    EXPECT_STATUS(smon_clusterer_predict(c, nanrow, 1, D, labels, scores), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_predict(c, X, N, D + 1, labels, scores), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_predict(c, X, SIZE_MAX, D, labels, scores), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_score(c, X, N, D, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_clusterer_score(c, X, 0, D, scores), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_update(c, infrow, 1, D, NULL, NULL, NULL), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_update(c, X, N, 0, NULL, NULL, NULL), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_update(c, NULL, N, D, NULL, NULL, NULL), SMON_NULL_POINTER);
    /* the model survived the failed calls */
    EXPECT_OK(smon_clusterer_predict(c, X, N, D, labels, scores));

    /* snapshot / restore */
    void *snap = NULL;
    size_t size = 0;
    EXPECT_OK(smon_clusterer_snapshot(c, &snap, &size));
    EXPECT(snap != NULL && size > 0);
    smon_clusterer *c2 = NULL;
    EXPECT_OK(smon_clusterer_new(NULL, &c2));
    EXPECT_OK(smon_clusterer_restore(c2, snap, size));
    int32_t labels2[N];
    EXPECT_OK(smon_clusterer_predict(c2, X, N, D, labels2, NULL));
    EXPECT(memcmp(labels, labels2, sizeof labels) == 0);
    ((unsigned char *)snap)[size / 2] ^= 0x5A;
    EXPECT_STATUS(smon_clusterer_restore(c2, snap, size), SMON_CORRUPT);
    EXPECT_STATUS(smon_clusterer_restore(c2, snap, 0), SMON_CORRUPT);
    EXPECT_STATUS(smon_clusterer_restore(c2, NULL, size), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_clusterer_snapshot(c2, NULL, &size), SMON_NULL_POINTER);
    smon_free(snap);

    /* performance, deployments */
    smon_performance perf;
    EXPECT_OK(smon_clusterer_performance(c, &perf));
    EXPECT(perf.count > 0);
    EXPECT_STATUS(smon_clusterer_performance(c, NULL), SMON_NULL_POINTER);
    EXPECT_OK(smon_clusterer_add_deployment(c, "payment-api", 0, 1000));
    EXPECT_OK(smon_clusterer_add_deployment(c, NULL, 0, 1000));
    EXPECT_STATUS(smon_clusterer_add_deployment(c, "x", 10, 5), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_add_deployment(c, bad_utf8, 0, 5), SMON_INVALID_ARGUMENT);

    /* agglomerative: dendrogram cuts */
    smon_config *acfg = NULL;
    EXPECT_OK(smon_config_new(&acfg));
    EXPECT_OK(smon_config_set(acfg, "clusterer.algorithm", "agglomerative", err, sizeof err));
    EXPECT_OK(smon_config_set(acfg, "clusterer.k", "3", err, sizeof err));
    smon_clusterer *a = NULL;
    EXPECT_OK(smon_clusterer_new(acfg, &a));
    EXPECT_OK(smon_clusterer_fit(a, X, N, D));
    EXPECT_OK(smon_clusterer_cut(a, 2, labels, N));
    EXPECT_STATUS(smon_clusterer_cut(a, 0, labels, N), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_clusterer_cut(a, 2, labels, 5), SMON_CAPACITY);
    EXPECT_STATUS(smon_clusterer_cut(a, 2, NULL, N), SMON_NULL_POINTER);

    /* every algorithm on duplicates + a constant column */
    const char *algs[] = {"kmeans", "minibatch", "dbscan", "gmm", "spectral", "agglomerative", "stream"};
    double dup[60 * 2];
    for (int i = 0; i < 60; i++) { dup[2 * i] = i < 50 ? 1 : 5; dup[2 * i + 1] = 3; }
    for (int i = 0; i < 7; i++) {
        smon_config *g = NULL;
        smon_clusterer *h = NULL;
        EXPECT_OK(smon_config_new(&g));
        EXPECT_OK(smon_config_set(g, "clusterer.algorithm", algs[i], err, sizeof err));
        EXPECT_OK(smon_config_set(g, "clusterer.k", "2", err, sizeof err));
        EXPECT_OK(smon_config_set(g, "clusterer.standardize", "true", err, sizeof err));
        EXPECT_OK(smon_clusterer_new(g, &h));
        EXPECT_OK(smon_clusterer_fit(h, dup, 60, 2));
        EXPECT_OK(smon_clusterer_predict(h, dup, 60, 2, labels, scores));
        smon_clusterer_free(h);
        smon_config_free(g);
    }

    /* online before any fit */
    smon_clusterer *o = NULL;
    EXPECT_OK(smon_clusterer_new(NULL, &o));
    EXPECT_OK(smon_clusterer_update(o, X, N, D, labels, scores, types));
    EXPECT_OK(smon_clusterer_centroids(o, NULL, 0, &k, &d));
    EXPECT(k > 0 && d == D);

    /* freed and foreign handles */
    smon_clusterer_free(c);
    EXPECT_STATUS(smon_clusterer_fit(c, X, N, D), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_predict(c, X, N, D, labels, scores), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_score(c, X, N, D, scores), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_update(c, X, N, D, NULL, NULL, NULL), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_detect(c, X, D, NULL, 0, &det, NULL), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_metrics(c, &m), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_labels(c, labels, N, &n), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_centroids(c, cent, 9, &k, &d), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_cut(c, 2, labels, N), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_snapshot(c, &snap, &size), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_restore(c, X, 10), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_performance(c, &perf), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_add_deployment(c, NULL, 0, 1), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_fit((smon_clusterer *)cfg, X, N, D), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_clusterer_fit(NULL, X, N, D), SMON_NULL_POINTER);
    smon_clusterer_free(c); /* double free is a no-op */
    smon_clusterer_free(NULL);

    smon_clusterer_free(c2);
    smon_clusterer_free(a);
    smon_clusterer_free(o);
    smon_config_free(acfg);
    smon_config_free(cfg);
    TEST_DONE("cluster_test");
}
