/// Configuration keys of the alert classifier (prefix classifier.).
public enum AlertConfigKeys {
    /// The default root-cause classes (more are learned from feedback, up to `classifier.max_classes`).
    public static let defaultClasses = "infrastructure,application,database,network,security,capacity,deployment"

    /// The default keyword rules: CLASS=word|word;... (cold-start priors on the text model).
    public static let defaultClassRules =
        "database=database|db|sql|postgres|mysql|replica|replication|query|deadlock|connection pool|cassandra|redis;"
        + "network=network|dns|packet|tcp|timeout|unreachable|latency|bgp|loadbalancer|ingress;"
        + "security=auth|login|unauthorized|forbidden|certificate|tls|intrusion|fraud|brute;"
        + "capacity=disk|memory|oom|cpu|saturation|quota|full|throttl|capacity|heap;"
        + "deployment=deploy|rollout|release|canary|version|crashloop|image;"
        + "infrastructure=node|host|kubelet|instance|hardware|kernel|pod|volume;"
        + "application=exception|error|5xx|500|panic|null|bug|failed requests"

    /// The declarations.
    public static let all: [ConfigKey] = [
        ConfigKey("classifier.hash_bits", .int(10...22), default: "16",
                  "Feature hashing space: 2^bits rows of weights (memory = 2^bits x row width x 4 bytes)."),
        ConfigKey("classifier.max_classes", .int(2...64), default: "16",
                  "Most alert classes (configured + learned); further unseen class names in feedback are ignored."),
        ConfigKey("classifier.max_teams", .int(1...256), default: "24",
                  "Most teams (configured + learned); further unseen team names in feedback are ignored."),
        ConfigKey("classifier.classes", .text { _ = $0 }, default: defaultClasses,
                  "Comma-separated root-cause classes known before any feedback."),
        ConfigKey("classifier.teams", .text { _ = $0 }, default: "",
                  "Comma-separated teams known before any feedback (learned teams are added)."),
        ConfigKey("classifier.default_team", .text { v in
                      if v.isEmpty { throw SMONError.config("classifier.default_team: must not be empty") } },
                  default: "sre", "Team used when neither rules nor the model know better."),
        ConfigKey("classifier.class_rules", .text { _ = try AlertRules.parseClassRules($0) }, default: defaultClassRules,
                  "Cold-start keyword priors CLASS=word|word;... (words matched as message tokens)."),
        ConfigKey("classifier.ownership_rules", .text { _ = try AlertRules.parseOwnership($0) }, default: "",
                  "Ownership rules SERVICE_GLOB=TEAM;... (labels team/owner win over these)."),
        ConfigKey("classifier.learning_rate", .double(0.001...5), default: "0.15",
                  "Step size of the online models (softmax / logistic regression on hashed features)."),
        ConfigKey("classifier.l2", .double(0...0.1), default: "0.00001",
                  "L2 shrinkage applied to touched weights at each update."),
        ConfigKey("classifier.char_ngrams", .int(0...5), default: "3",
                  "Character n-gram length hashed from the message (0 disables)."),
        ConfigKey("classifier.max_text_bytes", .int(16...65536), default: "512",
                  "Only the first bytes of a message are featurized (bounded cost for huge messages)."),
        ConfigKey("classifier.fp_suppress_threshold", .double(0.5...1), default: "0.7",
                  "False-positive probability above which an alert is suppressed (unless it is an incident's only real alert)."),
        ConfigKey("classifier.real_threshold", .double(0...1), default: "0.5",
                  "False-positive probability below which an alert is rated real."),
        ConfigKey("classifier.new_root_confidence", .double(0...1), default: "0.75",
                  "An alert rated real is surfaced, though its group already surfaced a real alert, when its text alone names a class with more than this confidence and its service or that class is new to the group's surfaced real alerts (1 disables)."),
        ConfigKey("classifier.repage_priority", .int(0...4), default: "4",
                  "An alert more urgent than every surfaced alert of its group re-pages (is surfaced) only when its priority is at most this: 4 (default) on any upgrade, 2 when the incident becomes P1 or P2, 1 when it becomes P1, 0 never; otherwise it folds as a duplicate (fewer pages, a few more incidents folded unseen: see Evaluation/results/alerts-evaluation.md)."),
        ConfigKey("classifier.repage_per_service", .bool, default: "true",
                  "An alert rated real that would fold as a duplicate is surfaced when it is more urgent than every alert its group surfaced at its own service (one of the group's first 8 services), up to classifier.repage_priority: that service got worse than what was paged for it (a second incident there often looks so). false: only the group-wide upgrade re-pages."),
        ConfigKey("classifier.deployment_suppress_priority", .int(1...5), default: "4",
                  "During a deployment of its service, an alert its group has paged for nothing and that is rated not real (yet below fp_suppress_threshold) is suppressed with reason deployment_window when its priority is this or lower: 4 (default) P4 only, 3 P3 and P4, 5 never. A deployment is when breakage is likeliest: on the generated stream's development seeds 9 of 10 P3 alerts so suppressed were real (Evaluation/results/alerts-evaluation.md)."),
        ConfigKey("classifier.isolate_fp_threshold", .double(0.5...1), default: "0.9",
                  "An alert whose own features (before any group context) rate it a false positive with at least this probability opens a group of its own that no other fingerprint joins, instead of joining an incident's group (its own fingerprint's open group still takes it); 1 disables."),
        ConfigKey("classifier.escalate_persisting_s", .int(0...86_400), default: "600",
                  "A suppressed alert of a group that has paged for nothing (likely false positive, flapping, deployment window; not a maintenance window) still firing, unresolved, this long after it fired is due for escalation (smon_classifier_poll_escalations); 0 disables."),
        ConfigKey("classifier.escalate_outlived_s", .int(0...86_400), default: "600",
                  "An alert rated real, folded as a duplicate into a group that had paged, still firing, unresolved, this long after every alert the group paged for resolved (with nothing paged there since) is due for escalation (smon_classifier_poll_escalations): it outlived the incident it was folded into. Once per group; 0 disables."),
        ConfigKey("classifier.group_window_s", .int(1...86_400), default: "600",
                  "A group stays open while its last alert is at most this many seconds old."),
        ConfigKey("classifier.group_span_s", .int(1...86_400), default: "300",
                  "Alerts of other fingerprints join a group only this many seconds after it opened."),
        ConfigKey("classifier.group_threshold", .double(0...10), default: "2.0",
                  "Relatedness score needed to join an open group (service 2, topology 1.5, two hops 1, unrelated service -1, context labels +0.5/-1, alert name 0.5, text up to 1, within 2 min 0.5)."),
        ConfigKey("classifier.flap_window_s", .int(1...86_400), default: "1800",
                  "A fingerprint that fires again within this many seconds of resolving counts a flap."),
        ConfigKey("classifier.flap_threshold", .int(1...1000), default: "3",
                  "Flaps (decayed count) from which an alert is suppressed as flapping."),
        ConfigKey("classifier.max_fingerprints", .int(64...10_000_000), default: "65536",
                  "Fingerprints tracked (time series per alert); the stalest is evicted when full."),
        ConfigKey("classifier.sla_ack_minutes", .text { _ = try AlertRules.parseFour($0, "classifier.sla_ack_minutes") },
                  default: "5,15,60,240", "Acknowledge targets in minutes for P1,P2,P3,P4."),
        ConfigKey("classifier.sla_resolve_minutes", .text { _ = try AlertRules.parseFour($0, "classifier.sla_resolve_minutes") },
                  default: "60,240,1440,4320", "Resolve targets in minutes for P1,P2,P3,P4."),
        ConfigKey("classifier.maintenance_windows", .text { _ = try BusinessContext.parseDeployments($0) }, default: "",
                  "Maintenance windows SERVICE@START_MS-END_MS;... (service * = all): low-priority alerts there are suppressed."),
        ConfigKey("classifier.business_events", .text { _ = try BusinessContext.parseDeployments($0) }, default: "",
                  "Business events NAME@START_MS-END_MS;... (launches, campaigns) during which priority is raised."),
        ConfigKey("classifier.prior_strength", .double(0...100_000), default: "30",
                  "How many feedback examples the learned priority needs to outweigh the rule-based score."),
    ]
}
