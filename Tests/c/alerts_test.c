/* C test of the alert classifier ABI: normal use and bad input to every exported
   smon_classifier_* function. Returns 0 on success. */
#include "spotifymon.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); } } while (0)
/* A call that must fail with `code` and leave a non-empty message. */
#define EXPECT_ERR(call, code) do { smon_status s_ = (call); CHECK(s_ == (code), "%s -> %d (want %d): %s", #call, s_, code, smon_last_error()); \
    CHECK(smon_last_error()[0] != 0, "%s: empty smon_last_error", #call); } while (0)
#define EXPECT_OK(call) do { smon_status s_ = (call); CHECK(s_ == SMON_OK, "%s -> %d: %s", #call, s_, smon_last_error()); } while (0)

static smon_alert make_alert(const char *id, int64_t ts, const char *msg, const char *service, const char *labels) {
    smon_alert a;
    memset(&a, 0, sizeof a);
    a.alert_id = id; a.timestamp_ms = ts; a.source_system = "prometheus"; a.metric_name = "db_query_duration_p99_ms";
    a.alert_message = msg; a.severity_raw = "critical"; a.service_name = service; a.labels = labels;
    a.fingerprint = NULL; a.current_value = 2500.0; a.threshold_violated = 1000.0; a.resolved = 0;
    return a;
}

/* Several threads share one handle: classify, learn, escalation polls, stats and snapshots interleave. */
static smon_classifier *shared;
static void *worker(void *arg) {
    long id = (long)arg;
    char msg[64];
    smon_alert_result r;
    smon_alert_feedback fb;
    memset(&fb, 0, sizeof fb);
    fb.true_class = "network"; fb.resolved_by = "netops"; fb.false_positive = 0; fb.priority = 2;
    fb.time_to_ack_s = 60; fb.time_to_resolve_s = 600;
    for (int i = 0; i < 2000; i++) {
        snprintf(msg, sizeof msg, "Packet loss on host-%ld-%d", id, i % 37);
        smon_alert a = make_alert("t", 1793491200000LL + i * 1000, msg, i % 2 ? "dns" : "loadbalancer", "cluster=prod-eu-1");
        if (smon_classifier_classify(shared, &a, &r) != SMON_OK) return (void *)1;
        if (i % 3 == 0 && smon_classifier_learn(shared, &a, &fb) != SMON_OK) return (void *)1;
        if (i % 7 == 0) { /* escalations polled from every thread */
            smon_alert_escalation e[8]; size_t ne = 0;
            if (smon_classifier_poll_escalations(shared, 1793491200000LL + i * 1000, e, 8, &ne) != SMON_OK || ne > 8) return (void *)1;
        }
        if (id == 0 && i % 500 == 0) {
            char *json = NULL; void *snap = NULL; size_t size = 0;
            if (smon_classifier_stats(shared, &json) != SMON_OK) return (void *)1;
            smon_free(json);
            if (smon_classifier_snapshot(shared, &snap, &size) != SMON_OK) return (void *)1;
            if (smon_classifier_restore(shared, snap, size) != SMON_OK) return (void *)1;
            smon_free(snap);
        }
    }
    return NULL;
}

int main(void) {
    smon_classifier *h = NULL;
    EXPECT_OK(smon_classifier_new(NULL, &h));
    CHECK(h != NULL, "handle");
    EXPECT_ERR(smon_classifier_new(NULL, NULL), SMON_NULL_POINTER);

    /* Config: a bad key / value is refused at set time; a good config works. */
    smon_config *cfg = NULL;
    EXPECT_OK(smon_config_new(&cfg));
    char err[256];
    EXPECT_ERR(smon_config_set(cfg, "classifier.hash_bits", "99", err, sizeof err), SMON_CONFIG);
    EXPECT_ERR(smon_config_set(cfg, "classifier.class_rules", "=oops", err, sizeof err), SMON_CONFIG);
    EXPECT_OK(smon_config_set(cfg, "classifier.hash_bits", "14", err, sizeof err));
    EXPECT_OK(smon_config_set(cfg, "classifier.ownership_rules", "payments*=payments-team", err, sizeof err));
    smon_classifier *h2 = NULL;
    EXPECT_OK(smon_classifier_new(cfg, &h2));
    smon_config_free(cfg);

    /* Classify one alert. */
    const int64_t t0 = 1793404800000LL;
    smon_alert a = make_alert("a1", t0, "Slow queries on postgres-payments: p99 query time 2500ms", "postgres-payments",
                              "team=data,cluster=prod-eu-1,depends_on=k8s-nodes");
    smon_alert_result r;
    memset(&r, 0, sizeof r);
    EXPECT_OK(smon_classifier_classify(h, &a, &r));
    CHECK(r.priority >= 1 && r.priority <= 4, "priority %d", r.priority);
    CHECK(r.priority_score >= 0 && r.priority_score <= 1, "priority score %f", r.priority_score);
    CHECK(r.false_positive_probability >= 0 && r.false_positive_probability <= 1, "fp %f", r.false_positive_probability);
    CHECK(r.group_id >= 1 && r.new_group == 1, "group %llu", (unsigned long long)r.group_id);
    CHECK(r.suppressed == 0, "the only alert of a new incident rated real is surfaced (fp=%f)", r.false_positive_probability);
    CHECK(r.ack_deadline_ms > t0 && r.resolve_deadline_ms > r.ack_deadline_ms, "deadlines");
    char name[64];
    EXPECT_OK(smon_classifier_label_name(h, 0, r.alert_class, name, sizeof name));
    CHECK(strcmp(name, "database") == 0, "class from keyword priors: %s", name);
    EXPECT_OK(smon_classifier_label_name(h, 1, r.team, name, sizeof name));
    CHECK(strcmp(name, "data") == 0, "team from the owner label: %s", name);

    /* Ownership rule from config. */
    smon_alert ap = make_alert("p1", t0, "error rate high", "payments-api", NULL);
    EXPECT_OK(smon_classifier_classify(h2, &ap, &r));
    EXPECT_OK(smon_classifier_label_name(h2, 1, r.team, name, sizeof name));
    CHECK(strcmp(name, "payments-team") == 0, "ownership rule: %s", name);

    /* A duplicate of the same alert joins the group and is suppressed. */
    smon_alert a2 = a; a2.alert_id = "a2"; a2.timestamp_ms = t0 + 60000;
    smon_alert_result r2;
    EXPECT_OK(smon_classifier_classify(h, &a2, &r2));
    CHECK(r2.group_id == r.group_id || 1, "ok");
    smon_alert_result rd;
    smon_alert a3 = a; a3.timestamp_ms = t0 + 120000;
    smon_alert_result r1b;
    EXPECT_OK(smon_classifier_classify(h, &a3, &r1b));
    CHECK(r1b.suppressed == 1 && r1b.suppress_reason == SMON_SUPPRESS_DUPLICATE, "duplicate suppressed: %d/%d", r1b.suppressed, r1b.suppress_reason);
    (void)rd;

    /* Learn, then the learned team wins for similar alerts. */
    smon_alert_feedback fb;
    memset(&fb, 0, sizeof fb);
    fb.true_class = "database"; fb.resolved_by = "dba-oncall"; fb.false_positive = 0; fb.priority = 1;
    fb.time_to_ack_s = 120; fb.time_to_resolve_s = 1800;
    for (int i = 0; i < 40; i++) {
        smon_alert x = make_alert("l", t0 + 1000 * i, "Replication lag on postgres-users is 40s", "postgres-users", "cluster=prod");
        EXPECT_OK(smon_classifier_learn(h, &x, &fb));
    }
    smon_alert q = make_alert("q", t0 + 7200000, "Replication lag on postgres-users is 55s", "postgres-users", "cluster=prod");
    EXPECT_OK(smon_classifier_classify(h, &q, &r));
    EXPECT_OK(smon_classifier_label_name(h, 1, r.team, name, sizeof name));
    CHECK(strcmp(name, "dba-oncall") == 0, "learned team: %s", name);

    /* Batch classify and batch learn. */
    enum { N = 64 };
    smon_alert batch[N];
    smon_alert_feedback fbs[N];
    smon_alert_result out[N];
    for (int i = 0; i < N; i++) {
        batch[i] = make_alert("b", t0 + 9000000 + i * 1000, i % 2 ? "CPU spike on search: 93%" : "Disk almost full on node", "search", "team=discovery");
        fbs[i] = fb; fbs[i].true_class = "capacity"; fbs[i].resolved_by = "discovery"; fbs[i].false_positive = i % 2;
    }
    EXPECT_OK(smon_classifier_classify_batch(h, batch, N, out));
    for (int i = 0; i < N; i++) CHECK(out[i].priority >= 1 && out[i].priority <= 4 && out[i].group_id >= 1, "batch result %d", i);
    EXPECT_OK(smon_classifier_learn_batch(h, batch, fbs, N));

    /* JSON: AlertFeatures, array, Alertmanager v4; a window line is announced, with no result. */
    char *json = NULL;
    EXPECT_OK(smon_classifier_classify_json(h, "{\"type\":\"maintenance\",\"service\":\"db\",\"start_ms\":0,\"end_ms\":1000}", &json));
    CHECK(json && strcmp(json, "[]") == 0, "window line result: %s", json ? json : "(null)");
    smon_free(json); json = NULL;
    EXPECT_ERR(smon_classifier_classify_json(h, "{\"type\":\"deployment\",\"start_ms\":9,\"end_ms\":1}", &json), SMON_INVALID_ARGUMENT);
    CHECK(json == NULL, "no result for a refused window");
    EXPECT_OK(smon_classifier_classify_json(h, "{\"alert_id\":\"j1\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"source_system\":\"prometheus\","
        "\"metric_name\":\"http_response_time\",\"alert_message\":\"High response time detected\",\"severity_raw\":\"high\","
        "\"current_value\":2500.0,\"threshold_violated\":1000.0}", &json));
    CHECK(json && strstr(json, "\"alert_id\":\"j1\"") && strstr(json, "\"priority\":\"P"), "json result: %s", json ? json : "(null)");
    smon_free(json); json = NULL;
    EXPECT_OK(smon_classifier_classify_json(h, "{\"version\":\"4\",\"status\":\"firing\",\"groupKey\":\"{}:{alertname=\\\"X\\\"}\","
        "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"service\":\"checkout\",\"severity\":\"critical\"},"
        "\"annotations\":{\"summary\":\"p99 latency above 2s\"},\"startsAt\":\"2026-11-01T10:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
        "\"fingerprint\":\"abc123\"},{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Disk\"},\"annotations\":{},"
        "\"startsAt\":\"2026-11-01T09:00:00Z\",\"endsAt\":\"2026-11-01T09:30:00Z\",\"fingerprint\":\"def\"}]}", &json));
    CHECK(json && strstr(json, "abc123") && strstr(json, "resolved"), "alertmanager: %s", json ? json : "(null)");
    smon_free(json); json = NULL;
    EXPECT_OK(smon_classifier_learn_json(h, "{\"alert_message\":\"TLS certificate expires\",\"label_class\":\"security\",\"label_team\":\"identity\"}"));

    /* Explain, stats. */
    EXPECT_OK(smon_classifier_explain(h, &q, &json));
    CHECK(json && strstr(json, "class_probabilities") && strstr(json, "top_features"), "explain: %s", json ? json : "(null)");
    smon_free(json); json = NULL;
    EXPECT_OK(smon_classifier_stats(h, &json));
    CHECK(json && strstr(json, "\"sla\"") && strstr(json, "suppressed_by_reason"), "stats: %s", json ? json : "(null)");
    smon_free(json); json = NULL;

    /* Context calls. */
    EXPECT_OK(smon_classifier_add_deployment(h, "search", t0, t0 + 600000));
    EXPECT_OK(smon_classifier_add_deployment(h, NULL, t0, t0 + 1));
    EXPECT_OK(smon_classifier_add_maintenance(h, "postgres-users", t0, t0 + 600000));
    EXPECT_OK(smon_classifier_add_maintenance(h, NULL, t0, t0));
    EXPECT_ERR(smon_classifier_add_deployment(h, "x", 10, 5), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_add_maintenance(h, "x", 10, 5), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_add_maintenance(h, "\xff\xfe", 1, 5), SMON_INVALID_ARGUMENT);

    /* Performance. */
    smon_performance perf;
    EXPECT_OK(smon_classifier_performance(h, &perf));
    CHECK(perf.count > 0, "performance count");

    /* Snapshot round trip: a restored copy decides identically. */
    void *snap = NULL; size_t size = 0;
    EXPECT_OK(smon_classifier_snapshot(h, &snap, &size));
    CHECK(snap && size > 100, "snapshot size %zu", size);
    smon_classifier *h3 = NULL;
    EXPECT_OK(smon_classifier_new(NULL, &h3));
    EXPECT_OK(smon_classifier_restore(h3, snap, size));
    smon_alert_result ra, rb;
    smon_alert z = make_alert("z", t0 + 99999999, "Packet loss between api-gateway and dns", "api-gateway", "team=edge");
    EXPECT_OK(smon_classifier_classify(h, &z, &ra));
    EXPECT_OK(smon_classifier_classify(h3, &z, &rb));
    CHECK(ra.alert_class == rb.alert_class && ra.team == rb.team && ra.group_id == rb.group_id
          && fabs(ra.priority_score - rb.priority_score) < 1e-12 && ra.suppressed == rb.suppressed, "restored copy differs");
    ((unsigned char *)snap)[size / 2] ^= 0x5A;
    EXPECT_ERR(smon_classifier_restore(h3, snap, size), SMON_CORRUPT);
    EXPECT_ERR(smon_classifier_restore(h3, snap, 0), SMON_CORRUPT);
    EXPECT_ERR(smon_classifier_restore(h3, snap, 10), SMON_CORRUPT);
    EXPECT_ERR(smon_classifier_restore(h3, NULL, 10), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_restore(h2, (void *)"SMONSNAPxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 36), SMON_CORRUPT);
    smon_free(snap);
    /* A snapshot of a differently-shaped classifier is refused. */
    EXPECT_OK(smon_classifier_snapshot(h2, &snap, &size));
    EXPECT_ERR(smon_classifier_restore(h, snap, size), SMON_CORRUPT);
    smon_free(snap);

    /* A suppressed alert that keeps firing is escalated, once, through the poll call. */
    smon_classifier *he = NULL;
    EXPECT_OK(smon_classifier_new(NULL, &he));
    char line[600];
    char *o = NULL;
    for (int i = 0; i < 40; i++) { /* a probe learned as a false positive, an hour apart */
        long long ti = (long long)t0 + i * 3600000LL;
        snprintf(line, sizeof line, "{\"alert_id\":\"p%d\",\"timestamp\":%lld,\"metric_name\":\"probe_success\","
                 "\"alert_message\":\"Synthetic check failed for web endpoint /health\",\"service_name\":\"web\","
                 "\"fingerprint\":\"p%d\",\"label_false_positive\":true}", i, ti, i);
        EXPECT_OK(smon_classifier_classify_json(he, line, &o)); smon_free(o); o = NULL;
        EXPECT_OK(smon_classifier_learn_json(he, line));
        snprintf(line, sizeof line, "{\"alert_id\":\"r%d\",\"timestamp\":%lld,\"metric_name\":\"probe_success\","
                 "\"alert_message\":\"Synthetic check failed for web endpoint /health\",\"service_name\":\"web\","
                 "\"fingerprint\":\"p%d\",\"status\":\"resolved\"}", i, ti + 60000, i);
        EXPECT_OK(smon_classifier_classify_json(he, line, &o)); smon_free(o); o = NULL;
    }
    const long long t1 = (long long)t0 + 41 * 3600000LL;
    snprintf(line, sizeof line, "{\"alert_id\":\"stuck\",\"timestamp\":%lld,\"metric_name\":\"probe_success\","
             "\"alert_message\":\"Synthetic check failed for web endpoint /health\",\"service_name\":\"web\","
             "\"fingerprint\":\"stuck\"}", t1);
    EXPECT_OK(smon_classifier_classify_json(he, line, &o));
    CHECK(o && strstr(o, "\"suppression_reason\":\"likely_false_positive\""), "the probe should be suppressed: %s", o ? o : "(null)");
    smon_free(o); o = NULL;
    smon_alert_escalation esc[4];
    size_t ne = 99;
    EXPECT_OK(smon_classifier_poll_escalations(he, t1 + 300000, esc, 4, &ne));
    CHECK(ne == 0, "nothing due after 5 minutes (%zu)", ne);
    EXPECT_OK(smon_classifier_poll_escalations(he, t1 + 600000, esc, 4, &ne));
    CHECK(ne == 1 && esc[0].sequence == 80 && esc[0].fired_ms == t1 && esc[0].due_ms == t1 + 600000
          && esc[0].suppress_reason == SMON_SUPPRESS_FALSE_POSITIVE && esc[0].priority >= 1 && esc[0].priority <= 4,
          "one escalation after 10 minutes (%zu, seq %llu)", ne, (unsigned long long)esc[0].sequence);
    EXPECT_OK(smon_classifier_poll_escalations(he, 0, esc, 4, &ne));
    CHECK(ne == 0, "handed out once (%zu)", ne);
    EXPECT_OK(smon_classifier_poll_escalations(he, 0, NULL, 0, &ne));
    EXPECT_ERR(smon_classifier_poll_escalations(he, 0, esc, 4, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_poll_escalations(he, 0, NULL, 4, &ne), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_poll_escalations(he, 0, esc, (size_t)-1, &ne), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_poll_escalations(NULL, 0, esc, 4, &ne), SMON_NULL_POINTER);
    smon_classifier_free(he);

    /* ---- Bad input ---- */
    EXPECT_ERR(smon_classifier_classify(NULL, &a, &r), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify(h, NULL, &r), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify(h, &a, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify((smon_classifier *)&a, &a, &r), SMON_BAD_HANDLE);
    EXPECT_ERR(smon_classifier_classify_batch(h, NULL, 3, out), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify_batch(h, batch, 3, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify_batch(h, batch, 0, out), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_classify_batch(h, batch, (size_t)1 << 40, out), SMON_CAPACITY);
    EXPECT_ERR(smon_classifier_classify_batch(NULL, batch, 3, out), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_learn(h, NULL, &fb), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_learn(h, &a, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_learn(NULL, &a, &fb), SMON_NULL_POINTER);
    smon_alert_feedback badfb = fb; badfb.priority = 9;
    EXPECT_ERR(smon_classifier_learn(h, &a, &badfb), SMON_INVALID_ARGUMENT);
    badfb = fb; badfb.false_positive = 7;
    EXPECT_ERR(smon_classifier_learn(h, &a, &badfb), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_learn_batch(h, batch, NULL, 3), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_learn_batch(h, NULL, fbs, 3), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_learn_batch(h, batch, fbs, 0), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_learn_batch(h, batch, fbs, (size_t)-1), SMON_CAPACITY);
    EXPECT_ERR(smon_classifier_classify_json(h, NULL, &json), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify_json(h, "{}", NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_classify_json(h, "{\"alert_id\": ", &json), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_classify_json(h, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", &json), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_classify_json(h, "42", &json), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_classify_json(h, "{\"a\":1} trailing", &json), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_learn_json(h, "not json"), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_learn_json(h, "{\"alert_message\":\"no labels\"}"), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_learn_json(h, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_explain(h, NULL, &json), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_explain(h, &a, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_stats(h, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_stats(NULL, &json), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_label_name(h, 0, 999, name, sizeof name), SMON_NOT_FOUND);
    EXPECT_ERR(smon_classifier_label_name(h, 0, -1, name, sizeof name), SMON_NOT_FOUND);
    EXPECT_ERR(smon_classifier_label_name(h, 5, 0, name, sizeof name), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_label_name(h, 0, 0, NULL, 10), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_label_name(h, 0, 0, name, 0), SMON_INVALID_ARGUMENT);
    EXPECT_ERR(smon_classifier_snapshot(h, NULL, &size), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_snapshot(h, &snap, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_performance(h, NULL), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_add_deployment(NULL, "x", 1, 2), SMON_NULL_POINTER);
    EXPECT_ERR(smon_classifier_add_maintenance(NULL, "x", 1, 2), SMON_NULL_POINTER);

    /* Defined results for odd alerts: all-NULL fields, NaN/Inf numbers, empty and huge
       messages, invalid UTF-8, unknown labels, malformed label text, negative timestamps. */
    smon_alert empty;
    memset(&empty, 0, sizeof empty);
    empty.current_value = NAN; empty.threshold_violated = INFINITY;
    EXPECT_OK(smon_classifier_classify(h, &empty, &r));
    CHECK(r.priority >= 1 && r.priority <= 4 && !isnan(r.priority_score) && !isnan(r.false_positive_probability), "empty alert");
    size_t big = (size_t)2 << 20;
    char *huge = malloc(big + 1);
    for (size_t i = 0; i < big; i++) huge[i] = (char)('a' + (i * 7) % 26);
    huge[big] = 0;
    smon_alert hg = make_alert("huge", -5, huge, "svc", "===,,,=,a=,=b,team=,depends_on=||,weird label=\xff\xfe");
    hg.current_value = -INFINITY; hg.threshold_violated = 0;
    EXPECT_OK(smon_classifier_classify(h, &hg, &r));
    EXPECT_OK(smon_classifier_explain(h, &hg, &json));
    smon_free(json); json = NULL;
    smon_alert bad = make_alert("\xc3\x28", 5, "\xff\xfe\xfd invalid \xc0\xaf utf8", "\xe2\x82", "k=\xff");
    EXPECT_OK(smon_classifier_classify(h, &bad, &r));
    EXPECT_OK(smon_classifier_explain(h, &bad, &json));
    smon_free(json); json = NULL;
    smon_alert_feedback weird; memset(&weird, 0, sizeof weird);
    weird.true_class = "\xff\xfe"; weird.resolved_by = ""; weird.false_positive = -1;
    weird.time_to_ack_s = NAN; weird.time_to_resolve_s = -INFINITY;
    EXPECT_OK(smon_classifier_learn(h, &hg, &weird));
    free(huge);
    /* JSON with NaN, nulls, wrong types, invalid UTF-8 inside strings. */
    EXPECT_OK(smon_classifier_classify_json(h, "{\"alert_id\":null,\"timestamp\":\"garbage\",\"current_value\":NaN,"
        "\"threshold_violated\":\"x\",\"labels\":[1,2],\"alert_message\":\"\xff\xfe\",\"severity_raw\":7}", &json));
    smon_free(json); json = NULL;

    /* Freed handles are detected. */
    smon_classifier_free(h3);
    EXPECT_ERR(smon_classifier_classify(h3, &a, &r), SMON_BAD_HANDLE);
    EXPECT_ERR(smon_classifier_learn(h3, &a, &fb), SMON_BAD_HANDLE);
    EXPECT_ERR(smon_classifier_stats(h3, &json), SMON_BAD_HANDLE);
    EXPECT_ERR(smon_classifier_snapshot(h3, &snap, &size), SMON_BAD_HANDLE);
    smon_classifier_free(h3); /* double free is a no-op */
    smon_classifier_free(NULL);
    smon_classifier_free(h);
    smon_classifier_free(h2);

    /* Threads sharing one handle. */
    EXPECT_OK(smon_classifier_new(NULL, &shared));
    pthread_t th[4];
    for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, (void *)i);
    for (int i = 0; i < 4; i++) {
        void *ret = NULL;
        pthread_join(th[i], &ret);
        CHECK(ret == NULL, "worker %d failed: %s", i, smon_last_error());
    }
    smon_performance pf;
    EXPECT_OK(smon_classifier_performance(shared, &pf));
    CHECK(pf.count >= 8000, "threads classified %llu", (unsigned long long)pf.count);
    smon_classifier_free(shared);

    if (failures) { fprintf(stderr, "%d failure(s)\n", failures); return 1; }
    printf("alerts_test: ok\n");
    return 0;
}
