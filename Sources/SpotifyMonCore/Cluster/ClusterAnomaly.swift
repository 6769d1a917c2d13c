/// Why a point is anomalous.
public enum ClusterAnomalyType: Int32, Sendable, CaseIterable {
    /// Not an anomaly.
    case none = 0
    /// Far from every cluster, alone.
    case outlier = 1
    /// Far from the model's clusters, but part of a growing dense group: a new behaviour.
    case emergingCluster = 2
    /// In a cluster whose recent members have moved away from its fitted centre.
    case driftedCluster = 3

    /// The name used in JSON and Python (`anomaly_type.value`).
    public var name: String {
        switch self {
        case .none: return "none"
        case .outlier: return "outlier"
        case .emergingCluster: return "emerging_cluster"
        case .driftedCluster: return "drifted_cluster"
        }
    }
}

/// The full verdict on one point.
public struct ClusterDetection: Sendable, Equatable {
    /// Whether the (business-weighted) score crosses the threshold.
    public var isAnomaly = false
    /// The kind of anomaly (`none` when not one).
    public var type: ClusterAnomalyType = .none
    /// Calibrated anomaly score in [0, 1].
    public var score = 0.0
    /// Score weighted by the business context (impact weight × sensitivity), in [0, 1].
    public var businessImpact = 0.0
    /// Impact category of the service.
    public var category: ImpactCategory = .operational
    /// Assigned cluster (−1: none / noise).
    public var cluster: Int32 = -1
    /// Online micro-cluster that took the point.
    public var microCluster: Int64 = -1
    /// Whether the drift detector is in alarm.
    public var drift = false
    /// Relative drift of the assigned cluster (recent centre shift / cluster scale).
    public var clusterDrift = 0.0

    /// An empty verdict.
    public init() {}

    /// Recommended actions for this verdict.
    public var recommendedActions: [String] {
        var a: [String] = []
        switch type {
        case .none:
            if drift { a.append("Data distribution is drifting: schedule a refit of the clustering model") }
            return a
        case .outlier:
            a.append("Investigate this data point: it is far from every known behaviour cluster")
            a.append("Check the source for instrumentation errors or unusual activity")
        case .emergingCluster:
            a.append("A new behaviour pattern is forming: review the emerging cluster's members")
            a.append("Refit the clustering model if the new pattern is legitimate")
        case .driftedCluster:
            a.append("Cluster \(cluster) has drifted from its baseline: review recent changes (deployments, traffic mix)")
            a.append("Refit the clustering model to re-baseline the cluster")
        }
        switch category {
        case .revenue: a.append("Revenue impact: notify the on-call owner of the business flow")
        case .security: a.append("Security relevance: route to the security team for review")
        case .userExperience: a.append("User-experience impact: check latency and error dashboards of the service")
        case .operational: break
        }
        if drift { a.append("Data distribution is drifting: schedule a refit of the clustering model") }
        return a
    }

    /// The verdict as JSON.
    public func json() -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("is_anomaly", isAnomaly)
        w.field("anomaly_type", type.name)
        w.field("anomaly_score", score)
        w.field("business_impact_score", businessImpact)
        w.field("impact_category", category.name)
        w.field("cluster_id", Int(cluster))
        w.field("micro_cluster_id", Int(microCluster))
        w.field("drift_detected", drift)
        w.field("cluster_drift", clusterDrift)
        w.key("recommended_actions"); w.beginArray()
        for s in recommendedActions { w.string(s) }
        w.endArray()
        w.endObject()
        return w.text
    }
}

/// Drift monitor on the stream of anomaly scores: the shared one-sided Page-Hinkley test on
/// `score - 0.5`, with the alarm bookkeeping the clusterer reports.
public struct ScoreDriftMonitor: Sendable, Equatable {
    /// The test's statistics.
    public var test = PageHinkley()
    /// Allowed slack above the reference mean.
    public var delta = 0.05
    /// Alarm threshold.
    public var threshold: Double
    /// Alarms raised so far.
    public var alarms = 0
    /// Whether the last update was in alarm.
    public var inAlarm = false

    /// A monitor with the given threshold.
    public init(threshold: Double) { self.threshold = threshold }

    /// Adds one score; returns whether the monitor is in alarm.
    public mutating func add(_ score: Double) -> Bool {
        let alarm = test.updateUpward(score - 0.5, delta: delta, lambda: threshold)
        if alarm && !inAlarm { alarms += 1 }
        inAlarm = alarm
        return alarm
    }

    /// Current statistic.
    public var statistic: Double { test.up }

    /// Restarts after a refit.
    public mutating func reset() { test.reset(); inAlarm = false }
}
