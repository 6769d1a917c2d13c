/// The business area a metric's trouble hurts most (the seed's four categories).
public enum ImpactCategory: Int32, CaseIterable, Sendable {
    /// Money: payments, checkout, subscriptions, ads.
    case revenue = 0
    /// What users feel: latency, playback, errors they see.
    case userExperience = 1
    /// Keeping the lights on: CPU, memory, disk, queues.
    case operational = 2
    /// Authentication, fraud, intrusion.
    case security = 3

    /// The name used in config and JSON.
    public var name: String {
        switch self {
        case .revenue: return "revenue"
        case .userExperience: return "user_experience"
        case .operational: return "operational"
        case .security: return "security"
        }
    }

    /// The category named `name` (`ux` accepted for user experience).
    public init?(name: String) {
        switch name {
        case "revenue": self = .revenue
        case "user_experience", "ux": self = .userExperience
        case "operational": self = .operational
        case "security": self = .security
        default: return nil
        }
    }
}
