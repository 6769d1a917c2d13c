/* Forecaster C ABI: normal use and bad input to every exported forecaster function. */
#include "smon_test.h"
#include <math.h>
#include <stdint.h>

#define N 480
#define H 48
#define HOUR 3600000LL

static double series_value(int t) {
    return 100.0 + 0.05 * t + 20.0 * sin(2.0 * 3.141592653589793 * (t % 24) / 24.0) + ((t * 7919) % 13) * 0.3;
}

static int all_finite(const double *a, size_t n) {
    for (size_t i = 0; i < n; i++) if (!isfinite(a[i])) return 0;
    return 1;
}

int main(void) {
    double y[N];
    for (int t = 0; t < N; t++) y[t] = series_value(t);
    double mean[H], lo[H], hi[H];

    /* ---- one-shot: normal use */
    EXPECT_OK(smon_forecast_array(NULL, y, N, 24, H, 0.95, mean, lo, hi));
    EXPECT(all_finite(mean, H) && all_finite(lo, H) && all_finite(hi, H));
    for (int s = 0; s < H; s++) EXPECT(lo[s] <= mean[s] && mean[s] <= hi[s]);
    EXPECT_OK(smon_forecast_array(NULL, y, N, 0, H, 0.8, mean, lo, hi)); /* season detected */
    /* with a config */
    smon_config *cfg = NULL;
    EXPECT_OK(smon_config_new(&cfg));
    char err[256];
    EXPECT_OK(smon_config_set(cfg, "forecaster.ensemble_size", "2", err, sizeof err));
    EXPECT_OK(smon_forecast_array(cfg, y, N, 24, H, 0.95, mean, lo, hi));
    /* NaN / Inf inside the series are missing values */
    double gappy[N];
    memcpy(gappy, y, sizeof y);
    gappy[10] = NAN; gappy[200] = INFINITY; gappy[N - 1] = NAN;
    EXPECT_OK(smon_forecast_array(NULL, gappy, N, 24, H, 0.95, mean, lo, hi));
    EXPECT(all_finite(mean, H) && all_finite(lo, H) && all_finite(hi, H));
    /* constant, short, negative */
    double c[50];
    for (int i = 0; i < 50; i++) c[i] = 3.0;
    EXPECT_OK(smon_forecast_array(NULL, c, 50, 0, 10, 0.95, mean, lo, hi));
    EXPECT(fabs(mean[0] - 3.0) < 1e-9 && all_finite(hi, 10));
    EXPECT_OK(smon_forecast_array(NULL, c, 1, 24, 10, 0.95, mean, lo, hi));
    double neg[N];
    for (int t = 0; t < N; t++) neg[t] = y[t] - 110.0;
    EXPECT_OK(smon_forecast_array(NULL, neg, N, 24, H, 0.95, mean, lo, hi));
    EXPECT(all_finite(mean, H) && all_finite(lo, H));

    /* ---- one-shot: bad input */
    EXPECT_STATUS(smon_forecast_array(NULL, NULL, N, 24, H, 0.95, mean, lo, hi), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_array(NULL, y, 0, 24, H, 0.95, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_array(NULL, y, (size_t)-1, 24, H, 0.95, mean, lo, hi), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, 0, 0.95, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, (size_t)1 << 40, 0.95, mean, lo, hi), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, H, NAN, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, H, 95.0, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, H, 0.95, NULL, lo, hi), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, H, 0.95, mean, NULL, hi), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, 24, H, 0.95, mean, lo, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_array(NULL, y, N, (size_t)-1, H, 0.95, mean, lo, hi), SMON_INVALID_ARGUMENT);
    double nans[5] = {NAN, NAN, INFINITY, -INFINITY, NAN};
    EXPECT_STATUS(smon_forecast_array(NULL, nans, 5, 0, 3, 0.95, mean, lo, hi), SMON_INVALID_ARGUMENT);
    int not_a_config = 0;
    EXPECT_STATUS(smon_forecast_array((smon_config *)&not_a_config, y, N, 24, H, 0.95, mean, lo, hi), SMON_BAD_HANDLE);

    /* ---- many series in one call */
    size_t offsets[4] = {0, 200, 480, 480 + 50};
    double all[530];
    memcpy(all, y, sizeof y);
    memcpy(all + 480, c, sizeof c);
    double bm[3 * H], bl[3 * H], bh[3 * H];
    EXPECT_OK(smon_forecast_arrays(NULL, all, offsets, 3, 24, H, 0.95, bm, bl, bh));
    EXPECT(all_finite(bm, 3 * H) && all_finite(bl, 3 * H) && all_finite(bh, 3 * H));
    EXPECT_OK(smon_forecast_array(NULL, y + 200, 280, 24, H, 0.95, mean, lo, hi));
    EXPECT(fabs(mean[0] - bm[H]) < 1e-9); /* series 2 of the batch = y[200..480) */
    size_t bad_off[4] = {0, 200, 200, 530};
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, bad_off, 3, 24, H, 0.95, bm, bl, bh), SMON_INVALID_ARGUMENT);
    size_t bad_first[2] = {5, 10};
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, bad_first, 1, 24, H, 0.95, bm, bl, bh), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, NULL, 3, 24, H, 0.95, bm, bl, bh), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_arrays(NULL, NULL, offsets, 3, 24, H, 0.95, bm, bl, bh), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, offsets, 0, 24, H, 0.95, bm, bl, bh), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, offsets, 3, 24, 0, 0.95, bm, bl, bh), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, offsets, 3, 24, H, 1.5, bm, bl, bh), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_arrays(NULL, all, offsets, 3, 24, H, 0.95, NULL, bl, bh), SMON_NULL_POINTER);
    size_t nan_off[2] = {0, 5};
    EXPECT_STATUS(smon_forecast_arrays(NULL, nans, nan_off, 1, 0, 3, 0.95, bm, bl, bh), SMON_INVALID_ARGUMENT);

    /* ---- exogenous inputs */
    double x[N * 2], xf[H * 2], imp[2];
    double yx[N];
    for (int t = 0; t < N; t++) {
        x[2 * t] = (t % 17 == 0) ? 1.0 : 0.0;
        x[2 * t + 1] = (double)((t * 2654435761u) % 1000) / 1000.0;
        yx[t] = y[t] + 30.0 * x[2 * t];
    }
    memset(xf, 0, sizeof xf);
    xf[2 * 5] = 1.0;
    EXPECT_OK(smon_forecast_exogenous(NULL, yx, N, x, 2, xf, 24, H, 0.95, mean, lo, hi, imp));
    EXPECT(imp[0] > imp[1] && fabs(imp[0] + imp[1] - 1.0) < 1e-9);
    EXPECT(mean[5] > mean[4] + 10.0);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, N, NULL, 2, xf, 24, H, 0.95, mean, lo, hi, imp), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, N, x, 0, xf, 24, H, 0.95, mean, lo, hi, imp), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, N, x, 2, NULL, 24, H, 0.95, mean, lo, hi, imp), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, N, x, 2, xf, 24, H, 0.95, mean, lo, hi, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, N, x, 5000, xf, 24, H, 0.95, mean, lo, hi, imp), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecast_exogenous(NULL, yx, (size_t)-1, x, 2, xf, 24, H, 0.95, mean, lo, hi, imp), SMON_CAPACITY);

    /* ---- streaming handle: normal use */
    smon_forecaster *f = NULL;
    EXPECT_OK(smon_forecaster_new(cfg, &f));
    uint32_t id = 99, id2 = 99;
    EXPECT_OK(smon_forecaster_series(f, "cpu_utilization{service=\"checkout\",host=\"a\"}", &id));
    EXPECT_OK(smon_forecaster_series(f, "cpu_utilization{host=\"a\",service=\"checkout\"}", &id2));
    EXPECT(id == id2);
    int64_t t0 = 1700000000000LL;
    for (int t = 0; t < 300; t++) EXPECT_OK(smon_forecaster_observe(f, id, t0 + t * HOUR, y[t]));
    uint32_t ids[180];
    int64_t ts[180];
    for (int i = 0; i < 180; i++) { ids[i] = id; ts[i] = t0 + (300 + i) * HOUR; }
    EXPECT_OK(smon_forecaster_observe_batch(f, ids, ts, y + 300, 180));
    EXPECT_OK(smon_forecaster_forecast(f, id, H, 0.95, mean, lo, hi));
    EXPECT(all_finite(mean, H) && all_finite(lo, H) && all_finite(hi, H));
    smon_forecast_info info;
    EXPECT_OK(smon_forecaster_info(f, id, &info));
    EXPECT(info.points == 480 && info.step_ms == HOUR && info.period == 24 && info.members >= 1 && info.fits >= 1);
    smon_breach br;
    EXPECT_OK(smon_forecaster_breach(f, id, 1e9, 1, H, &br));
    EXPECT(br.probability == 0.0 && br.risk_level == SMON_SEVERITY_NONE);
    EXPECT_OK(smon_forecaster_breach(f, id, 50.0, 1, H, &br));
    EXPECT(br.probability > 0.9 && br.expected_steps >= 1.0 && br.expected_ms >= HOUR && br.business_impact > 0.0);
    EXPECT_OK(smon_forecaster_breach(f, id, 50.0, 0, H, &br));
    EXPECT(br.probability < 0.05);
    char *json = NULL;
    EXPECT_OK(smon_forecaster_model_json(f, id, &json));
    EXPECT(json != NULL && strstr(json, "\"members\"") != NULL);
    smon_free(json);
    EXPECT_OK(smon_forecaster_refit(f, id));
    smon_performance perf;
    EXPECT_OK(smon_forecaster_performance(f, &perf));
    EXPECT(perf.count >= 481);
    EXPECT_OK(smon_forecaster_add_deployment(f, "checkout", t0, t0 + HOUR));
    EXPECT_OK(smon_forecaster_add_deployment(f, NULL, t0, t0 + HOUR));

    /* snapshot / restore continues identically */
    void *snap = NULL;
    size_t snap_size = 0;
    EXPECT_OK(smon_forecaster_snapshot(f, &snap, &snap_size));
    smon_forecaster *g = NULL;
    EXPECT_OK(smon_forecaster_new(cfg, &g));
    EXPECT_OK(smon_forecaster_restore(g, snap, snap_size));
    double m2[H], l2[H], h2[H];
    EXPECT_OK(smon_forecaster_observe(f, id, t0 + 480 * HOUR, 123.0));
    EXPECT_OK(smon_forecaster_observe(g, id, t0 + 480 * HOUR, 123.0));
    EXPECT_OK(smon_forecaster_forecast(f, id, H, 0.9, mean, lo, hi));
    EXPECT_OK(smon_forecaster_forecast(g, id, H, 0.9, m2, l2, h2));
    EXPECT(memcmp(mean, m2, sizeof mean) == 0 && memcmp(lo, l2, sizeof lo) == 0 && memcmp(hi, h2, sizeof hi) == 0);
    ((unsigned char *)snap)[snap_size / 2] ^= 0x5a;
    EXPECT_STATUS(smon_forecaster_restore(g, snap, snap_size), SMON_CORRUPT);
    EXPECT_STATUS(smon_forecaster_restore(g, snap, 0), SMON_CORRUPT);
    EXPECT_STATUS(smon_forecaster_restore(g, NULL, 10), SMON_NULL_POINTER);
    smon_free(snap);
    EXPECT_OK(smon_forecaster_forecast(g, id, H, 0.9, m2, l2, h2)); /* unchanged by the failed restores */
    EXPECT(memcmp(mean, m2, sizeof mean) == 0);

    /* ---- streaming handle: bad input */
    uint32_t fresh;
    EXPECT_OK(smon_forecaster_series(f, "fresh", &fresh));
    EXPECT_STATUS(smon_forecaster_forecast(f, fresh, H, 0.95, mean, lo, hi), SMON_STATE);
    EXPECT_STATUS(smon_forecaster_breach(f, fresh, 1.0, 1, H, &br), SMON_STATE);
    EXPECT_STATUS(smon_forecaster_new(NULL, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_series(f, NULL, &id2), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_series(f, "x", NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_series(f, "\xff\xfe", &id2), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_series(f, "bad{key", &id2), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_series(NULL, "x", &id2), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_observe(f, id, t0 + 481 * HOUR, NAN), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_observe(f, id, t0 + 481 * HOUR, INFINITY), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_observe(f, id, t0, 1.0), SMON_INVALID_ARGUMENT); /* not after the last */
    EXPECT_STATUS(smon_forecaster_observe(f, 12345, t0 + 482 * HOUR, 1.0), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, NULL, ts, y, 10), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, ids, NULL, y, 10), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, ids, ts, NULL, 10), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, ids, ts, y, 0), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, ids, ts, y, (size_t)-1), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecaster_observe_batch(f, ids, ts, y, 10), SMON_INVALID_ARGUMENT); /* old timestamps */
    EXPECT_STATUS(smon_forecaster_forecast(f, id, 0, 0.95, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_forecast(f, id, (size_t)1 << 40, 0.95, mean, lo, hi), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecaster_forecast(f, id, H, 0.0, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_forecast(f, id, H, INFINITY, mean, lo, hi), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_forecast(f, id, H, 0.95, NULL, lo, hi), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_forecast(f, 777, H, 0.95, mean, lo, hi), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_forecaster_breach(f, id, NAN, 1, H, &br), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_breach(f, id, 1.0, 1, 0, &br), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_breach(f, id, 1.0, 1, (size_t)1 << 40, &br), SMON_CAPACITY);
    EXPECT_STATUS(smon_forecaster_breach(f, id, 1.0, 1, H, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_info(f, id, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_info(f, 777, &info), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_forecaster_model_json(f, id, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_model_json(f, 777, &json), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_forecaster_refit(f, 777), SMON_NOT_FOUND);
    EXPECT_STATUS(smon_forecaster_refit(f, fresh), SMON_STATE);
    EXPECT_STATUS(smon_forecaster_snapshot(f, NULL, &snap_size), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_snapshot(f, &snap, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_performance(f, NULL), SMON_NULL_POINTER);
    EXPECT_STATUS(smon_forecaster_add_deployment(f, "svc", 10, 5), SMON_INVALID_ARGUMENT);
    EXPECT_STATUS(smon_forecaster_add_deployment(f, "\xc3\x28", 1, 5), SMON_INVALID_ARGUMENT);

    /* extreme timestamps and steps: defined results */
    uint32_t ext;
    EXPECT_OK(smon_forecaster_series(f, "extreme", &ext));
    EXPECT_OK(smon_forecaster_observe(f, ext, INT64_MIN + 1, 1.0));
    EXPECT_OK(smon_forecaster_observe(f, ext, 0, 2.0));
    EXPECT_OK(smon_forecaster_observe(f, ext, INT64_MAX / 2, 3.0));
    EXPECT_OK(smon_forecaster_observe(f, ext, INT64_MAX, 4.0));
    EXPECT_OK(smon_forecaster_breach(f, ext, 3.5, 1, 100, &br));
    EXPECT(br.probability >= 0.0 && br.probability <= 1.0 && br.expected_ms >= 0);
    EXPECT_OK(smon_forecaster_forecast(f, ext, 5, 0.5, mean, lo, hi));
    EXPECT(all_finite(mean, 5) && all_finite(lo, 5) && all_finite(hi, 5));
    EXPECT_STATUS(smon_forecaster_observe(f, ext, INT64_MAX, 5.0), SMON_INVALID_ARGUMENT);

    /* freed and foreign handles */
    smon_forecaster_free(g);
    EXPECT_STATUS(smon_forecaster_observe(g, id, t0 + 999 * HOUR, 1.0), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_forecast(g, id, H, 0.95, mean, lo, hi), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_breach(g, id, 1.0, 1, H, &br), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_series(g, "x", &id2), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_observe_batch(g, ids, ts, y, 10), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_info(g, id, &info), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_model_json(g, id, &json), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_refit(g, id), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_snapshot(g, &snap, &snap_size), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_restore(g, y, 16), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_performance(g, &perf), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_add_deployment(g, "x", 1, 2), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_observe((smon_forecaster *)&not_a_config, id, 1, 1.0), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_forecast((smon_forecaster *)cfg, id, H, 0.95, mean, lo, hi), SMON_BAD_HANDLE);
    EXPECT_STATUS(smon_forecaster_observe(NULL, id, 1, 1.0), SMON_NULL_POINTER);
    smon_forecaster_free(g); /* double free: no-op */
    smon_forecaster_free(NULL);
    smon_forecaster_free(f);
    smon_config_free(cfg);
    TEST_DONE("forecast_test");
}
