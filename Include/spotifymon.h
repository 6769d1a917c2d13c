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
/* ==== END DETECTOR ==== */

/* ==== BEGIN CLASSIFIER (issue 6) ==== */

/*
 * Intelligent alert classifier. For each alert: root-cause class, priority P1-P4 with a
 * score, confidence, recommended team, false-positive probability, group (incident) id,
 * suppression with a reason, SLA deadlines and risk, escalation timing. Online models over
 * hashed features (message words, bigrams and character n-grams, categorical fields,
 * value/threshold ratio, time of day, the fingerprint's own history) learn from feedback
 * (smon_classifier_learn*); keyword rules and ownership rules from config serve the cold start.
 *
 * Threads: every function is thread-safe; calls on one handle are serialised by a mutex
 * (classify updates the alert histories and groups). For throughput use one handle per
 * thread, or the batch calls (one lock per batch).
 * Strings in smon_alert are NUL-terminated and only read during the call; NULL means
 * "missing". Text need not be valid UTF-8 (it is hashed as bytes); only the first
 * classifier.max_text_bytes bytes of a message are read, so megabyte messages cost the same.
 */
typedef struct smon_classifier smon_classifier;

/** One alert (the seed's AlertFeatures fields plus service, labels, fingerprint, status). */
typedef struct smon_alert {
    const char *alert_id;        /* optional; echoed in JSON outputs */
    int64_t timestamp_ms;        /* ms since the epoch; <= 0: the newest time the handle has seen */
    const char *source_system;   /* prometheus, datadog, synthetic-probe, ... */
    const char *metric_name;     /* metric or alert rule name */
    const char *alert_message;   /* free text */
    const char *severity_raw;    /* critical, high, warning, low, info, P1..P4, ... */
    const char *service_name;    /* the service concerned (else the labels' service=) */
    const char *labels;          /* "key=value,key=value": team=/owner= (ownership), depends_on=a|b
                                    (topology), cluster=/namespace= (context), maintenance=true */
    const char *fingerprint;     /* optional; NULL: derived from metric, service and labels */
    double current_value;        /* NaN: unknown */
    double threshold_violated;   /* NaN: unknown */
    int32_t resolved;            /* 0: firing; 1: a resolved notification of an earlier alert */
} smon_alert;

/** What an operator learned about an alert afterwards. Unknown parts: NULL / -1 / 0 / NaN. */
typedef struct smon_alert_feedback {
    const char *true_class;      /* root-cause class; a new name is added (up to classifier.max_classes) */
    const char *resolved_by;     /* the team that resolved it; new names are added (classifier.max_teams) */
    int32_t false_positive;      /* 1 yes, 0 no, -1 unknown */
    int32_t priority;            /* 1..4 (P1..P4), 0 unknown */
    double time_to_ack_s;        /* NaN: unknown */
    double time_to_resolve_s;    /* NaN: unknown */
} smon_alert_feedback;

/** Suppression reasons (smon_alert_result.suppress_reason). */
enum {
    SMON_SUPPRESS_NONE = 0,           /* surfaced */
    SMON_SUPPRESS_DUPLICATE = 1,      /* its group already has a surfaced alert at least as urgent */
    SMON_SUPPRESS_FALSE_POSITIVE = 2, /* false-positive probability >= classifier.fp_suppress_threshold */
    SMON_SUPPRESS_FLAPPING = 3,       /* the fingerprint keeps firing and resolving */
    SMON_SUPPRESS_MAINTENANCE = 4,    /* maintenance window of the service (or maintenance=true label) */
    SMON_SUPPRESS_DEPLOYMENT = 5,     /* low priority during a deployment of the service */
    SMON_SUPPRESS_RESOLVED = 6        /* a resolved notification: history updated, nothing to page */
};
/* An alert the model rates real (false-positive probability < classifier.real_threshold) is
   never suppressed while its group has no surfaced alert. */

/** The decisions about one alert, in a caller-owned struct. */
typedef struct smon_alert_result {
    int32_t alert_class;               /* class index: smon_classifier_label_name(h, 0, index, ...) */
    int32_t priority;                  /* 1 (P1, most urgent) .. 4 */
    double priority_score;             /* [0,1], higher is more urgent */
    double confidence;                 /* [0,1], of the class */
    int32_t team;                      /* team index: smon_classifier_label_name(h, 1, index, ...) */
    double false_positive_probability; /* [0,1] */
    uint64_t group_id;                 /* group (incident) id, >= 1 */
    int32_t new_group;                 /* 1 if this alert opened the group */
    int32_t suppressed;                /* 1 suppressed, 0 surfaced */
    int32_t suppress_reason;           /* SMON_SUPPRESS_* */
    int32_t impact_category;           /* SMON_IMPACT_* from context.impact_rules */
    int32_t sla_at_risk;               /* 1 if the team's learned ack time makes the target unlikely */
    int64_t ack_deadline_ms;           /* timestamp + ack target of the priority */
    int64_t resolve_deadline_ms;       /* timestamp + resolve target of the priority */
    int32_t escalation_levels;         /* 3 (on-call, secondary, incident commander) or 2 (on-call, lead) */
    double escalation_after_min[3];    /* minutes after the alert each level is paged ([0] = 0) */
} smon_alert_result;

/** Creates a classifier (cfg NULL: defaults; cfg is copied). Free with smon_classifier_free. */
smon_status smon_classifier_new(const smon_config *cfg, smon_classifier **out);
/** Releases a classifier. NULL is a no-op; a freed handle is detected by later calls. */
void smon_classifier_free(smon_classifier *h);

/** Classifies one alert into *out (hot path: no allocation once warm). Updates the alert's
    history, its group and the counters. */
smon_status smon_classifier_classify(smon_classifier *h, const smon_alert *alert, smon_alert_result *out);
/** Classifies alerts[0..n) in order into out[0..n) (caller-owned, n entries). n in 1..2^26.
    A NULL alerts/out is SMON_NULL_POINTER; nothing is classified then. */
smon_status smon_classifier_classify_batch(smon_classifier *h, const smon_alert *alerts, size_t n, smon_alert_result *out);
/**
 * Classifies the alerts of a JSON text: one AlertFeatures object (the smon classify line
 * format), an array of them, or a Prometheus Alertmanager webhook payload (version 4).
 * *json_out receives a JSON array with one result object per alert (the CLI's fields);
 * free it with smon_free. Malformed JSON: SMON_INVALID_ARGUMENT, nothing classified.
 */
smon_status smon_classifier_classify_json(smon_classifier *h, const char *json, char **json_out);

/** Learns from feedback about one alert (classified before or not). */
smon_status smon_classifier_learn(smon_classifier *h, const smon_alert *alert, const smon_alert_feedback *feedback);
/** Learns from n alerts and their feedback (parallel arrays of n entries). */
smon_status smon_classifier_learn_batch(smon_classifier *h, const smon_alert *alerts, const smon_alert_feedback *feedback, size_t n);
/** Learns from JSON: objects (or an array) with the alert fields and label_class, label_team,
    label_false_positive, label_priority, time_to_ack_s, time_to_resolve_s. */
smon_status smon_classifier_learn_json(smon_classifier *h, const char *json);

/** Why the classifier decides what it does for `alert`, as JSON (class and team
    probabilities, top features, history, priority components, context), without changing
    any state. *json_out is freed with smon_free. */
smon_status smon_classifier_explain(smon_classifier *h, const smon_alert *alert, char **json_out);
/** Counters as JSON: classified, suppressed by reason, groups, feedback, SLA per priority
    (targets, surfaced, at risk, breaches), class and team names. Freed with smon_free. */
smon_status smon_classifier_stats(smon_classifier *h, char **json_out);
/** Copies the name of class (kind 0) or team (kind 1) `index` into buf (NUL-terminated,
    truncated to buflen). SMON_NOT_FOUND for an unknown index. */
smon_status smon_classifier_label_name(smon_classifier *h, int kind, int32_t index, char *buf, size_t buflen);
/** Announces a maintenance window (service NULL or "*": all services). */
smon_status smon_classifier_add_maintenance(smon_classifier *h, const char *service, int64_t start_ms, int64_t end_ms);

/** The whole state as a snapshot in *data (freed with smon_free) of *size bytes. */
smon_status smon_classifier_snapshot(smon_classifier *h, void **data, size_t *size);
/** Replaces the state with a snapshot's (same hash_bits/max_classes/max_teams/max_fingerprints);
    on error the classifier is unchanged. */
smon_status smon_classifier_restore(smon_classifier *h, const void *data, size_t size);
/** Latency and throughput of this handle's classify/learn calls. */
smon_status smon_classifier_performance(smon_classifier *h, smon_performance *out);
/** Announces a deployment window of a service (NULL or "*": all) for context rules. */
smon_status smon_classifier_add_deployment(smon_classifier *h, const char *service, int64_t start_ms, int64_t end_ms);

/* ==== END CLASSIFIER ==== */

/* ==== BEGIN FORECASTER (issue 4) ==== */
/* ==== END FORECASTER ==== */

/* ==== BEGIN CLUSTERER (issue 5) ==== */
/* ==== END CLUSTERER ==== */

#ifdef __cplusplus
}
#endif

#endif /* SPOTIFYMON_H */
