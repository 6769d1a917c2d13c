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
/**
 * Called with every result that is an anomaly (is_anomaly = 1) or carries a drift flag.
 * event points to a library-owned copy valid during the call only; user is the pointer
 * given to smon_detector_set_callback, passed through untouched.
 */
typedef void (*smon_anomaly_callback)(void *user, const smon_anomaly *event);
/**
 * Registers cb (NULL: none) with user, replacing any earlier callback: observe and
 * observe_batch then push each anomaly or drift to it as well as returning it. cb runs on
 * the thread that called observe / observe_batch, after the series' lock is released, in
 * input order within a batch; it may call any function of this library, on this handle
 * too (the handle stays valid until the observing call returns even if cb frees it). Time
 * spent in cb counts in the batch's latency telemetry. Thread-safe; user must stay valid
 * until the callback is replaced or the detector freed.
 */
smon_status smon_detector_set_callback(smon_detector *d, smon_anomaly_callback cb, void *user);
/** Releases a detector. NULL or an already freed handle is a no-op. */
void smon_detector_free(smon_detector *d);
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
    SMON_SUPPRESS_DUPLICATE = 1,      /* its group already paged at least as urgently (a more urgent
                                         alert re-pages only up to classifier.repage_priority) */
    SMON_SUPPRESS_FALSE_POSITIVE = 2, /* false-positive probability >= classifier.fp_suppress_threshold */
    SMON_SUPPRESS_FLAPPING = 3,       /* the fingerprint keeps firing and resolving */
    SMON_SUPPRESS_MAINTENANCE = 4,    /* maintenance window of the service (or maintenance=true label) */
    SMON_SUPPRESS_DEPLOYMENT = 5,     /* during a deployment of the service, not rated real, and of
                                         priority classifier.deployment_suppress_priority (P4 by
                                         default) or lower */
    SMON_SUPPRESS_RESOLVED = 6        /* a resolved notification: history updated, nothing to page */
};
/* An alert the model rates real (false-positive probability < classifier.real_threshold) is
   never suppressed while its group has no surfaced alert. Once the group has paged, it is
   still surfaced when its own text names a class with confidence >
   classifier.new_root_confidence and its service or that class is new to the group's
   surfaced real alerts (likely another incident's root: "new_root_in_group" in the JSON
   result, counted as "surfaced_new_root" in the stats JSON), or when it is more urgent than
   every alert its group surfaced at its own service (that service got worse:
   "repaged_at_service", counted as "surfaced_service_upgrade"; classifier.repage_per_service,
   up to classifier.repage_priority), or when every alert of the group had resolved before it
   fired (a new episode: "refired_after_resolve", counted as "surfaced_refired").
   Grouping: an alert whose own features rate it a false positive with probability >=
   classifier.isolate_fp_threshold (before any group context) opens a group of its own that no
   other fingerprint joins (counted as "groups_isolated" in the stats JSON); its fingerprint's
   later alerts still join it. */

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
 * A window announcement of that line format, {"type":"deployment"|"maintenance",
 * "service":..., "start_ms":..., "end_ms":...}, is announced (as smon_classifier_add_deployment
 * / _add_maintenance would) and yields no result, so a generated stream's lines can be passed
 * one by one. *json_out receives a JSON array with one result object per alert (the CLI's
 * fields); free it with smon_free. Malformed JSON, or a window with bad times:
 * SMON_INVALID_ARGUMENT, nothing classified nor announced.
 */
smon_status smon_classifier_classify_json(smon_classifier *h, const char *json, char **json_out);

/** Learns from feedback about one alert (classified before or not). */
smon_status smon_classifier_learn(smon_classifier *h, const smon_alert *alert, const smon_alert_feedback *feedback);
/** Learns from n alerts and their feedback (parallel arrays of n entries). */
smon_status smon_classifier_learn_batch(smon_classifier *h, const smon_alert *alerts, const smon_alert_feedback *feedback, size_t n);
/** Learns from JSON: objects (or an array) with the alert fields and label_class, label_team,
    label_false_positive, label_priority, time_to_ack_s, time_to_resolve_s. Window
    announcements are skipped (classify_json announces them). */
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

/** A suppressed alert that kept firing (see smon_classifier_poll_escalations). */
typedef struct smon_alert_escalation {
    uint64_t sequence;        /* which alert: how many alerts the handle had classified before it
                                 (resolved ones included; a batch counts each alert) */
    uint64_t group_id;        /* its group (incident) id */
    int64_t fired_ms;         /* its timestamp */
    int64_t due_ms;           /* fired_ms + classifier.escalate_persisting_s; for an outlived one
                                 (SMON_SUPPRESS_DUPLICATE), classifier.escalate_outlived_s after
                                 its group's last paged alert resolved (or after fired_ms, when
                                 it was folded in later) */
    int32_t suppress_reason;  /* SMON_SUPPRESS_* it had been suppressed for */
    int32_t priority;         /* 1..4, as classified */
    int32_t alert_class;      /* class index, as classified */
    int32_t team;             /* team index, as classified */
} smon_alert_escalation;

/**
 * Escalations of suppressed alerts that kept firing. An alert suppressed while its group had
 * surfaced nothing (likely false positive, flapping, deployment window; not maintenance) that is
 * still firing, not resolved, classifier.escalate_persisting_s after it fired, with nothing
 * surfaced in its group meanwhile, is due: page for it now. So is an alert rated real that was
 * folded as a duplicate into a group that had paged, still firing, not resolved,
 * classifier.escalate_outlived_s after every alert the group paged for resolved, with nothing
 * paged there since (it outlived the incident it was folded into; once per group). Writes the
 * ones due by now_ms (<= 0: the newest alert time the handle has seen), in due order, into out[0..cap)
 * (caller-owned) and their number into *n_out; more due ones stay queued for the next call.
 * Each is handed out once, and its group then counts it as surfaced. Call it as time passes
 * (e.g. before each batch, or once a second). cap in 0..2^26; with cap 0 nothing is written
 * (out may then be NULL). n_out NULL: SMON_NULL_POINTER.
 */
smon_status smon_classifier_poll_escalations(smon_classifier *h, int64_t now_ms, smon_alert_escalation *out,
                                             size_t cap, size_t *n_out);

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
/*
 * Forecaster: automatic multi-horizon forecasts with calibrated prediction intervals.
 *
 * Models: seasonal naive, ETS (A/M error, N/A/Ad trend, N/A/M season) by maximum likelihood,
 * Theta and damped ETS on seasonally adjusted data, MSTL-style daily+weekly decomposition,
 * robust linear trend. Each series is fitted automatically: season detected (or
 * forecaster.season), every suitable family scored by rolling-origin validation on the end
 * of the history, the best k combined (median by default), intervals calibrated from the
 * ensemble's own backtest errors (empirical/conformal, any level).
 *
 * Streaming: a handle keeps per-series state (history ring, fitted model updated online
 * with each point, CUSUM drift monitor that triggers re-selection, scheduled refits).
 * Fits happen inside observe calls when scheduled (a few ms for 1000 points); forecasts
 * from a fitted model take microseconds.
 *
 * Levels are fractions in (0, 1), e.g. 0.95. Horizons are counts of sampling steps, at
 * most 1000000 (100000 for breach estimates). Output arrays are caller-owned and must
 * hold `horizon` doubles (n_series * horizon for smon_forecast_arrays); outputs are
 * always finite. Series with no negative value get non-negative forecasts and bounds.
 * Thread safety: every function is thread-safe; calls on one series serialise on its
 * shard lock.
 */
typedef struct smon_forecaster smon_forecaster;

/** Breach risk of a series for a threshold within a horizon. */
typedef struct smon_breach {
    double probability;       /* P(the series crosses the threshold at least once within the horizon) */
    double expected_steps;    /* expected first-crossing step given a crossing (1-based); 0 if none */
    int64_t expected_ms;      /* expected_steps x the sampling step, ms after the last point; 0 if unknown */
    int32_t mean_cross_step;  /* first step where the point forecast itself crosses; 0 if it never does */
    int32_t risk_level;       /* SMON_SEVERITY_NONE ... SMON_SEVERITY_CRITICAL */
    double business_impact;   /* 0..1: impact weight (context.impact_rules) x probability x peak/deployment sensitivity */
} smon_breach;

/** Facts about one series of a forecaster. */
typedef struct smon_forecast_info {
    uint64_t points;          /* points absorbed (observed + imputed into gaps) */
    int64_t step_ms;          /* sampling step inferred from the timestamps; 0 if unknown */
    int64_t last_ts_ms;       /* last timestamp; 0 before the first point */
    uint32_t period;          /* seasonal period of the current model (1: none; 0: no model yet) */
    uint32_t members;         /* models combined in the current ensemble */
    uint32_t fits;            /* model selections so far */
    uint32_t drift_refits;    /* of which triggered by detected drift */
} smon_forecast_info;

/** Creates a forecaster (cfg may be NULL: defaults; it is copied) in *out. Free with smon_forecaster_free. */
smon_status smon_forecaster_new(const smon_config *cfg, smon_forecaster **out);
/** Releases a forecaster. NULL or an already freed handle is a no-op. Not concurrent with other calls on it. */
void smon_forecaster_free(smon_forecaster *f);
/** The id of a series key (`metric{tag="v",...}`), created on first use. key is read during the call. */
smon_status smon_forecaster_series(smon_forecaster *f, const char *key, uint32_t *id_out);
/**
 * Absorbs one point. Timestamps of a series must increase; the sampling step is inferred,
 * missing steps are imputed from the model (up to forecaster.max_gap, else the series
 * restarts). value must be finite (SMON_INVALID_ARGUMENT otherwise). May refit (ms).
 */
smon_status smon_forecaster_observe(smon_forecaster *f, uint32_t id, int64_t ts_ms, double value);
/** Absorbs n points (parallel arrays) in order; stops at the first bad row (earlier rows are kept; the message names the row). */
smon_status smon_forecaster_observe_batch(smon_forecaster *f, const uint32_t *ids, const int64_t *ts_ms,
                                          const double *values, size_t n);
/**
 * Forecast of series id for steps 1..horizon after its last point: point forecast in mean,
 * central interval at level in lo/hi (each array `horizon` doubles, caller-owned).
 * SMON_STATE if the series has no point yet (the first forecast may fit a model).
 */
smon_status smon_forecaster_forecast(smon_forecaster *f, uint32_t id, size_t horizon, double level,
                                     double *mean, double *lo, double *hi);
/**
 * Probability that series id crosses threshold (upward if above != 0, downward otherwise)
 * within horizon steps, expected time to the crossing, risk level and business impact
 * (by simulation of 400 paths from the calibrated error distribution; deterministic).
 */
smon_status smon_forecaster_breach(smon_forecaster *f, uint32_t id, double threshold, int above, size_t horizon,
                                   smon_breach *out);
/** Facts about series id into *out. */
smon_status smon_forecaster_info(smon_forecaster *f, uint32_t id, smon_forecast_info *out);
/** The series' model as JSON (members, parameters, validation scores, leaderboard); free *json_out with smon_free. */
smon_status smon_forecaster_model_json(smon_forecaster *f, uint32_t id, char **json_out);
/** Re-selects and refits series id now on its history. */
smon_status smon_forecaster_refit(smon_forecaster *f, uint32_t id);
/** The whole forecaster state (series, histories, models); free *data_out with smon_free. */
smon_status smon_forecaster_snapshot(const smon_forecaster *f, void **data_out, size_t *size_out);
/** Replaces the state with a snapshot's (SMON_CORRUPT on a bad one; the forecaster is then unchanged). */
smon_status smon_forecaster_restore(smon_forecaster *f, const void *data, size_t size);
/** Latency/throughput of observe and forecast calls. */
smon_status smon_forecaster_performance(const smon_forecaster *f, smon_performance *out);
/** Announces a deployment window of service (NULL or "*": all), for business impact. */
smon_status smon_forecaster_add_deployment(smon_forecaster *f, const char *service, int64_t start_ms, int64_t end_ms);

/**
 * One shot: fits values[0..n) (NaN, Inf, |x| >= 1e300 = missing, interpolated) automatically and forecasts
 * horizon steps at level. season 0 = detect. cfg may be NULL (forecaster.* keys apply).
 * Reentrant; no state kept.
 */
smon_status smon_forecast_array(const smon_config *cfg, const double *values, size_t n, size_t season,
                                size_t horizon, double level, double *mean, double *lo, double *hi);
/**
 * One shot over many series concatenated in values: series i is values[offsets[i] ..
 * offsets[i+1]) (offsets has n_series + 1 entries, offsets[0] = 0, strictly increasing).
 * Outputs are n_series x horizon, row-major. Fails as a whole on the first bad series.
 */
smon_status smon_forecast_arrays(const smon_config *cfg, const double *values, const size_t *offsets, size_t n_series,
                                 size_t season, size_t horizon, double level, double *mean, double *lo, double *hi);
/**
 * One shot with k exogenous inputs: x is n x k row-major (inputs at the same times as
 * values), x_future horizon x k (their known or planned future values, e.g. a deployment
 * indicator). Writes the forecast and importance[k] (each input's share of the variation
 * it explains, summing to 1, or all 0 when the inputs explain nothing).
 */
smon_status smon_forecast_exogenous(const smon_config *cfg, const double *values, size_t n, const double *x, size_t k,
                                    const double *x_future, size_t season, size_t horizon, double level,
                                    double *mean, double *lo, double *hi, double *importance);
/* ==== END FORECASTER ==== */

/* ==== BEGIN CLUSTERER (issue 5) ==== */
/*
 * Adaptive clustering. A clusterer is fitted on a caller-owned row-major double matrix
 * (n rows, d columns) with the algorithm and parameters of its config (keys clusterer.*:
 * algorithm kmeans|minibatch|dbscan|gmm|spectral|agglomerative|stream, k (0: automatic),
 * eps, min_samples, covariance, linkage, neighbors, standardize, pca_components, ...; see
 * smon_config_describe). It then labels and scores new points, learns online per event
 * (micro-clusters with decay), and reports drift, stability between refits and quality.
 *
 * Scores are calibrated to [0,1]: the fraction of training points less anomalous than the
 * point (so about 1 % of data like the training data scores >= 0.99).
 * Labels are cluster indices 0..k-1; -1 means noise (DBSCAN) or no cluster.
 * Every matrix argument must hold n*d finite doubles; n*d above 2^31 is SMON_CAPACITY,
 * NaN/Inf is SMON_INVALID_ARGUMENT, d = 0 or n = 0 is SMON_INVALID_ARGUMENT.
 * Thread safety: every function may be called from several threads on one handle; calls on
 * one handle are serialised by a lock (use one handle per thread for parallel work).
 */
typedef struct smon_clusterer smon_clusterer;

/** Anomaly types of smon_cluster_detection.anomaly_type and smon_clusterer_update. */
enum {
    SMON_CLUSTER_NORMAL = 0,           /* not an anomaly */
    SMON_CLUSTER_OUTLIER = 1,          /* far from every cluster */
    SMON_CLUSTER_EMERGING = 2,         /* part of a new dense group far from the model's clusters */
    SMON_CLUSTER_DRIFTED = 3           /* in a cluster whose recent members moved off its centre */
};

/** Quality, stability and drift figures of a clusterer (NaN where undefined). */
typedef struct smon_cluster_metrics {
    int32_t clusters;          /* clusters of the last fit */
    int32_t noise;             /* points labelled -1 in the last fit */
    int64_t points;            /* points of the last fit */
    int32_t features;          /* input columns */
    int32_t model_dim;         /* dimensions after standardisation / PCA */
    double silhouette;         /* mean silhouette (sampled above clusterer.silhouette_sample points) */
    double davies_bouldin;     /* Davies-Bouldin index (lower is better) */
    double calinski_harabasz;  /* Calinski-Harabasz index (higher is better) */
    double inertia;            /* sum of squared distances to cluster centres */
    double bic;                /* Bayesian information criterion (gmm) */
    double stability_ari;      /* adjusted Rand index between this fit and the previous model on the same data */
    double stability_jaccard;  /* pair-counting Jaccard index, likewise */
    double drift_statistic;    /* Page-Hinkley statistic on the online score stream */
    int32_t drift_alarm;       /* 1 while the drift test is in alarm */
    int32_t drift_alarms;      /* alarms raised since the last fit */
} smon_cluster_metrics;

/** The verdict on one event from smon_clusterer_detect. */
typedef struct smon_cluster_detection {
    int32_t is_anomaly;            /* 1 if the (context-adjusted) score crosses clusterer.anomaly_threshold */
    int32_t anomaly_type;          /* SMON_CLUSTER_* */
    double anomaly_score;          /* calibrated, [0,1] */
    double business_impact_score;  /* score x impact weight x context sensitivity, [0,1] */
    int32_t impact_category;       /* SMON_IMPACT_* of the service */
    int32_t cluster;               /* assigned cluster, -1 if none */
    int32_t drift_alarm;           /* 1 while the drift test is in alarm */
    double cluster_drift;          /* recent shift of the assigned cluster / its scale */
} smon_cluster_detection;

/** Creates a clusterer from cfg (NULL: defaults) in *out. Free with smon_clusterer_free. */
smon_status smon_clusterer_new(const smon_config *cfg, smon_clusterer **out);
/** Releases a clusterer. NULL or an already freed handle is a no-op. */
void smon_clusterer_free(smon_clusterer *c);
/**
 * Fits the configured algorithm on x (n x d, row-major, read during the call only) and
 * replaces the model; the online state restarts in the new model's space. SMON_INVALID_ARGUMENT
 * for k > n; duplicate points and zero-variance columns are fine.
 */
smon_status smon_clusterer_fit(smon_clusterer *c, const double *x, size_t n, size_t d);
/**
 * Labels and calibrated scores of x (n x d) against the fitted model, into caller arrays of
 * n entries; either output may be NULL. SMON_STATE before fit; d must match the fit's.
 */
smon_status smon_clusterer_predict(smon_clusterer *c, const double *x, size_t n, size_t d,
                                   int32_t *labels_out, double *scores_out);
/** Calibrated anomaly scores only (scores_out: n doubles, required). */
smon_status smon_clusterer_score(smon_clusterer *c, const double *x, size_t n, size_t d, double *scores_out);
/**
 * Online update, one event per row in order: each row is scored then learned. Works before
 * any fit (online micro-clusters after clusterer.stream_warmup points; scores are 0 during
 * the warm-up). Outputs (n entries each, any may be NULL): cluster label (before a fit: the
 * micro-cluster id), calibrated score, SMON_CLUSTER_* type.
 */
smon_status smon_clusterer_update(smon_clusterer *c, const double *x, size_t n, size_t d,
                                  int32_t *labels_out, double *scores_out, int32_t *types_out);
/**
 * One event with business context: learned online like smon_clusterer_update, then judged
 * with the service's impact rule and the context sensitivity at ts_ms (peak hours,
 * deployments). service may be NULL. out is required; if json_out is not NULL it receives
 * the verdict with recommended actions as JSON (free with smon_free).
 */
smon_status smon_clusterer_detect(smon_clusterer *c, const double *x, size_t d, const char *service, int64_t ts_ms,
                                  smon_cluster_detection *out, char **json_out);
/** Quality, stability and drift figures into *out. */
smon_status smon_clusterer_metrics(smon_clusterer *c, smon_cluster_metrics *out);
/**
 * Labels of the last fit into labels_out (capacity entries). *n_out (required) receives the
 * count; with labels_out NULL only the count is reported. SMON_CAPACITY if capacity is too small.
 */
smon_status smon_clusterer_labels(smon_clusterer *c, int32_t *labels_out, size_t capacity, size_t *n_out);
/**
 * Cluster centres in input space, row-major k x d, into out (capacity doubles). *k_out and
 * *d_out (required) receive the shape; with out NULL only the shape is reported. Before a
 * fit: the online micro-cluster centres.
 */
smon_status smon_clusterer_centroids(smon_clusterer *c, double *out, size_t capacity, size_t *k_out, size_t *d_out);
/**
 * Agglomerative models only: the training labels with the dendrogram cut into k clusters
 * (multi-scale), into labels_out (capacity >= training points). SMON_STATE for other models.
 */
smon_status smon_clusterer_cut(smon_clusterer *c, size_t k, int32_t *labels_out, size_t capacity);
/** The whole state as a buffer (*data_out freed with smon_free, *size_out bytes). */
smon_status smon_clusterer_snapshot(smon_clusterer *c, void **data_out, size_t *size_out);
/** Replaces the state with a snapshot's; on error the clusterer is unchanged. */
smon_status smon_clusterer_restore(smon_clusterer *c, const void *data, size_t size);
/** Latency and throughput of the handle (points fitted, predicted and updated). */
smon_status smon_clusterer_performance(smon_clusterer *c, smon_performance *out);
/** Announces a deployment window of service (NULL or "*": all) for business weighting. */
smon_status smon_clusterer_add_deployment(smon_clusterer *c, const char *service, int64_t start_ms, int64_t end_ms);
/* ==== END CLUSTERER ==== */

#ifdef __cplusplus
}
#endif

#endif /* SPOTIFYMON_H */
