/*
 * spotifymon.h — the C interface of libspotifymon, an embeddable monitoring-intelligence
 * library: real-time anomaly detection, alert classification, forecasting and clustering,
 * in-process, with no server.
 *
 * Conventions (read once, they hold for every function below)
 * -----------------------------------------------------------
 * Status.   Every function that can fail returns an smon_status: SMON_OK (0) or an error
 *           code. On error, smon_last_error() returns a message for the calling thread,
 *           and out-parameters are left unspecified unless the function says otherwise.
 *           No input makes the library abort the host process: NULL pointers, NaN/Inf,
 *           bad sizes, invalid UTF-8, freed or foreign handles and corrupt snapshots all
 *           return a status.
 * Handles.  Opaque pointers (smon_config, smon_detector, smon_classifier, smon_forecaster,
 *           smon_clusterer) created by *_new and released by *_free. A freed, foreign, or
 *           wrongly typed handle is detected and reported as SMON_BAD_HANDLE (a stale
 *           pointer whose address was reused by a new handle of the same type cannot be
 *           told apart: do not use handles after freeing them).
 * Memory.   Arrays passed in are caller-owned and only read during the call. Results go
 *           into caller-owned structs and arrays of the documented size. Anything the
 *           library allocates for the caller (JSON text, snapshot buffers) is returned
 *           through a `char **` / `void **` out-parameter and must be released with
 *           smon_free(). Strings are NUL-terminated UTF-8.
 * Threads.  Every function is thread-safe unless noted. Engine handles may be shared by
 *           many threads: per-series state is sharded behind mutexes, so calls on
 *           different series rarely contend. The fastest path is one handle per thread.
 * Time.     Timestamps are int64 milliseconds since the Unix epoch (UTC).
 * Config.   String key/value pairs, validated when set (librdkafka style): unknown keys and
 *           bad values are errors with a message. smon_config_describe() lists every key
 *           with its default and documentation. An engine copies its config when created.
 */
#ifndef SPOTIFYMON_H
#define SPOTIFYMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------- */
/* Version                                                                             */
/* ---------------------------------------------------------------------------------- */

#define SMON_VERSION_MAJOR 0
#define SMON_VERSION_MINOR 1
#define SMON_VERSION_PATCH 0
#define SMON_VERSION_STRING "0.1.0"
/** MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with smon_version_number(). */
#define SMON_VERSION_NUMBER 1000

/** The library's version text, e.g. "0.1.0". Static storage: never free it. */
const char *smon_version(void);
/** The library's SMON_VERSION_NUMBER, to check at run time against the header's. */
int smon_version_number(void);

/* ---------------------------------------------------------------------------------- */
/* Status codes and errors                                                             */
/* ---------------------------------------------------------------------------------- */

typedef int smon_status;
enum {
    SMON_OK = 0,               /* success */
    SMON_INVALID_ARGUMENT = 1, /* a value out of its domain: NaN, zero size, bad text */
    SMON_NULL_POINTER = 2,     /* a required pointer is NULL */
    SMON_BAD_HANDLE = 3,       /* handle freed, foreign or of another type */
    SMON_CONFIG = 4,           /* unknown config key or bad value */
    SMON_NOT_FOUND = 5,        /* unknown id, key or name */
    SMON_CAPACITY = 6,         /* a limit reached: too many series, buffer too small, size too large */
    SMON_CORRUPT = 7,          /* snapshot fails its version, checksum or structure checks */
    SMON_STATE = 8,            /* call not valid in the current state (e.g. predict before fit) */
    SMON_NUMERIC = 9,          /* a numeric routine failed (e.g. LAPACK) */
    SMON_OUT_OF_MEMORY = 10,   /* allocation failed */
    SMON_INTERNAL = 11         /* a bug: please report it with smon_last_error() */
};

/** A fixed English text for a status code. Static storage: never free it. */
const char *smon_status_string(smon_status status);
/**
 * The message of the last failed call on the calling thread ("" if none), naming the
 * function and the reason. Thread-local storage owned by the library: valid until the
 * calling thread's next failing call; never free it. Successful calls do not clear it.
 */
const char *smon_last_error(void);
/** Releases memory the library allocated for the caller (JSON text, snapshot buffers). NULL is a no-op. */
void smon_free(void *p);

/* ---------------------------------------------------------------------------------- */
/* Configuration                                                                       */
/* ---------------------------------------------------------------------------------- */

typedef struct smon_config smon_config;

/** Creates an empty configuration (every key at its default) in *out. Free with smon_config_free. */
smon_status smon_config_new(smon_config **out);
/**
 * Sets key to value after validating both. On error, a message is also copied into
 * errbuf (if not NULL, truncated to errlen bytes, NUL-terminated); on success errbuf
 * becomes "". key and value are read during the call only.
 * Thread-safe, but setting one config from several threads at once is rarely meaningful.
 */
smon_status smon_config_set(smon_config *cfg, const char *key, const char *value, char *errbuf, size_t errlen);
/**
 * Copies the current value of key (set or default) into buf of buflen bytes. If needed is
 * not NULL it receives the size the value needs, NUL included; with buf NULL only that size
 * is reported. SMON_CAPACITY if buflen is too small.
 */
smon_status smon_config_get(const smon_config *cfg, const char *key, char *buf, size_t buflen, size_t *needed);
/** Every known key as a JSON array of {key, default, doc}; *json_out is freed with smon_free. */
smon_status smon_config_describe(char **json_out);
/** Releases a config. Engines created from it are unaffected. NULL is a no-op. */
void smon_config_free(smon_config *cfg);

/* ---------------------------------------------------------------------------------- */
/* Shared types                                                                        */
/* ---------------------------------------------------------------------------------- */

/** Latency and throughput of one engine handle, as get_performance_metrics reports them. */
typedef struct smon_performance {
    uint64_t count;            /* events handled (observations, alerts, points, forecasts) */
    double events_per_second;  /* events per second of the calls' own processing time */
    double mean_latency_us;    /* mean latency per event, microseconds */
    double p50_latency_us;     /* median latency per event */
    double p95_latency_us;     /* 95th percentile */
    double p99_latency_us;     /* 99th percentile */
    double uptime_seconds;     /* seconds since the handle was created */
} smon_performance;

/** Business impact categories (context.impact_rules maps series onto them). */
enum {
    SMON_IMPACT_REVENUE = 0,
    SMON_IMPACT_USER_EXPERIENCE = 1,
    SMON_IMPACT_OPERATIONAL = 2,
    SMON_IMPACT_SECURITY = 3
};

/** Severity levels shared by the engines. */
enum {
    SMON_SEVERITY_NONE = 0,
    SMON_SEVERITY_LOW = 1,
    SMON_SEVERITY_MEDIUM = 2,
    SMON_SEVERITY_HIGH = 3,
    SMON_SEVERITY_CRITICAL = 4
};

/* ==== BEGIN DETECTOR (issue 3) ==== */
/* ---------------------------------------------------------------------------------- */
/* Real-time anomaly detector                                                          */
/* ---------------------------------------------------------------------------------- */
/*
 * One smon_detector holds the streaming state of up to `series.max` series (about 3.4 KB
 * each, key registry included: 1,000,000 series in about 3.2 GiB). Series are named once by a Prometheus-style key (`metric{tag="v",...}`) and then
 * addressed by the small integer id smon_detector_series() returns. Each observation is
 * scored from the series' past only (causal), then learned. Config keys: `detector.*`
 * (members, threshold, warmup, likelihood windows, drift, actions...), `context.*`
 * (peak hours, deployments, impact rules), `series.max`, `threads.shards`, `seed`.
 * All functions are thread-safe; one handle may be shared by many threads.
 */
typedef struct smon_detector smon_detector;

/** Drift flags of smon_anomaly.drift. */
enum {
    SMON_DRIFT_NONE = 0,
    SMON_DRIFT_PAGE_HINKLEY = 1, /* Page-Hinkley change in the residual mean */
    SMON_DRIFT_ADWIN = 2         /* ADWIN change in the standardised level */
};

/** The result of one observation (caller-owned; filled by observe / observe_batch). */
typedef struct smon_anomaly {
    double score;              /* calibrated anomaly score in [0, 1] */
    int32_t is_anomaly;        /* 1 if score reached the threshold (peak/deployment adjusted) */
    int32_t severity;          /* SMON_SEVERITY_NONE (0) .. SMON_SEVERITY_CRITICAL (4); 0 if not an anomaly */
    double raw_score;          /* ensemble score before calibration, [0, 1] */
    double expected;           /* expected value (baseline) */
    double expected_low;       /* plausible range, low end */
    double expected_high;      /* plausible range, high end */
    double impact_score;       /* business impact in [0, 1] (0 if not an anomaly) */
    int32_t impact_category;   /* SMON_IMPACT_* of the series (from context.impact_rules) */
    int32_t drift;             /* SMON_DRIFT_* flags: a concept drift was detected at this point */
    uint32_t series_id;        /* the series observed */
    uint32_t group_id;         /* correlation group of an anomaly (0: none); see smon_detector_correlations */
} smon_anomaly;

/** Creates a detector from cfg (NULL: all defaults) in *out. Free with smon_detector_free. */
smon_status smon_detector_new(const smon_config *cfg, smon_detector **out);
/**
 * The id of the series named key (Prometheus form, UTF-8, at most 4096 bytes), registering
 * it on first use (SMON_CAPACITY past series.max). The same key (tags in any order) always
 * gives the same id. key is read during the call only.
 */
smon_status smon_detector_series(smon_detector *d, const char *key, uint32_t *id_out);
/**
 * Scores one point of series id at ts_ms and learns from it; the result goes to *out.
 * SMON_NOT_FOUND for an unregistered id, SMON_INVALID_ARGUMENT for a NaN/Inf value (the
 * series state is left untouched). Values beyond +-1e100 are clamped. Out-of-order or
 * repeated timestamps are accepted and processed in call order.
 */
smon_status smon_detector_observe(smon_detector *d, uint32_t id, int64_t ts_ms, double value, smon_anomaly *out);
/**
 * Scores n points (parallel caller-owned arrays of n entries) in order, one result per
 * point into out[0..n-1]. Every input is validated first: on error nothing is applied.
 * 1 <= n <= 2^28.
 */
smon_status smon_detector_observe_batch(smon_detector *d, size_t n, const uint32_t *ids, const int64_t *ts_ms,
                                        const double *values, smon_anomaly *out);
/**
 * JSON explaining the last observation of series id: member scores and which fired,
 * expected range, deviation, drift, business impact, correlated series with the leading
 * one, metric kind and recommended actions. *json_out is freed with smon_free.
 */
smon_status smon_detector_explain(smon_detector *d, uint32_t id, char **json_out);
/** JSON array of the recent correlation groups {group_id, leading_series, series[]}; free with smon_free. */
smon_status smon_detector_correlations(smon_detector *d, char **json_out);
/** Number of registered series in *count_out. */
smon_status smon_detector_series_count(smon_detector *d, size_t *count_out);
/** The whole detector state as a buffer in *data_out (*size_out bytes); free with smon_free. */
smon_status smon_detector_snapshot(smon_detector *d, void **data_out, size_t *size_out);
/** Replaces the state with a snapshot's (same detector.members config); on error nothing changes. */
smon_status smon_detector_restore(smon_detector *d, const void *data, size_t size);
/** Latency and throughput of this handle's observe calls. */
smon_status smon_detector_performance(smon_detector *d, smon_performance *out);
/** Announces a deployment window of service (NULL or "*": every service); series tagged service="..." get more sensitive. */
smon_status smon_detector_add_deployment(smon_detector *d, const char *service, int64_t start_ms, int64_t end_ms);
/** Releases a detector. NULL or an already freed handle is a no-op. */
void smon_detector_free(smon_detector *d);
/* ==== END DETECTOR ==== */

/* ==== BEGIN CLASSIFIER (issue 6) ==== */
/* ==== END CLASSIFIER ==== */

/* ==== BEGIN FORECASTER (issue 4) ==== */
/* ==== END FORECASTER ==== */

/* ==== BEGIN CLUSTERER (issue 5) ==== */
/* ==== END CLUSTERER ==== */

#ifdef __cplusplus
}
#endif

#endif /* SPOTIFYMON_H */
