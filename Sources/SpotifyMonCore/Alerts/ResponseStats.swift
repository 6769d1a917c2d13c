/// Learned response patterns: per team and priority, how long acknowledging takes; per team
/// and class, how long resolving takes (exponentially weighted, so they follow changes).
public struct ResponseStats: Sendable, Equatable {
    let maxTeams: Int, maxClasses: Int
    /// Ack minutes: EW mean, EW mean of squares, count; index team * 4 + priority.
    var ackMean: [Double], ackSq: [Double], ackN: [UInt32]
    /// Resolve minutes: EW mean and count; index team * maxClasses + class.
    var resMean: [Double], resN: [UInt32]
    /// Mean resolve minutes over everything (for relative expertise).
    var globalResolve = 0.0, globalN: UInt32 = 0
    /// Expertise bonuses, index team * maxClasses + class, refreshed as resolve times arrive.
    var bonus: [Float]
    static let alpha = 0.1

    /// Empty statistics.
    public init(maxTeams: Int, maxClasses: Int) {
        self.maxTeams = maxTeams; self.maxClasses = maxClasses
        ackMean = Array(repeating: 0, count: maxTeams * 4); ackSq = ackMean
        ackN = Array(repeating: 0, count: maxTeams * 4)
        resMean = Array(repeating: 0, count: maxTeams * maxClasses)
        resN = Array(repeating: 0, count: maxTeams * maxClasses)
        bonus = Array(repeating: 0, count: maxTeams * maxClasses)
    }

    /// Recomputes the expertise bonus table (after resolve times changed).
    mutating func refreshBonus() {
        for i in 0..<bonus.count {
            bonus[i] = resN[i] >= 3 && globalResolve > 0 && resMean[i] > 0
                ? Float(MathUtil.clamp(0.3 * _log(globalResolve / resMean[i]), -0.3, 0.3)) : 0
        }
    }

    /// Records a time to acknowledge.
    public mutating func recordAck(team: Int, priority: Int, minutes: Double) {
        guard team >= 0, team < maxTeams, priority >= 0, priority < 4, minutes.isFinite else { return }
        let i = team * 4 + priority
        let m = min(minutes, 1e6)
        if ackN[i] == 0 { ackMean[i] = m; ackSq[i] = m * m } else {
            let a = max(Self.alpha, 1 / Double(ackN[i] + 1))
            ackMean[i] += a * (m - ackMean[i]); ackSq[i] += a * (m * m - ackSq[i])
        }
        ackN[i] &+= 1
    }

    /// Records a time to resolve.
    public mutating func recordResolve(team: Int, cls: Int, minutes: Double) {
        guard team >= 0, team < maxTeams, cls >= 0, cls < maxClasses, minutes.isFinite else { return }
        let i = team * maxClasses + cls
        let m = min(minutes, 1e6)
        resMean[i] = resN[i] == 0 ? m : resMean[i] + max(Self.alpha, 1 / Double(resN[i] + 1)) * (m - resMean[i])
        resN[i] &+= 1
        globalResolve = globalN == 0 ? m : globalResolve + 0.02 * (m - globalResolve)
        globalN &+= 1
        // The global mean moves slowly: refresh the whole table now and then, this entry always.
        if globalN % 64 == 1 { refreshBonus() } else {
            bonus[i] = resN[i] >= 3 && globalResolve > 0 && resMean[i] > 0
                ? Float(MathUtil.clamp(0.3 * _log(globalResolve / resMean[i]), -0.3, 0.3)) : 0
        }
    }

    /// The learned acknowledge pattern of a team at a priority: mean, ~90th percentile, count.
    @inline(__always)
    public func ack(team: Int, priority: Int) -> (meanMinutes: Double, p90Minutes: Double, n: Int) {
        guard team >= 0, team < maxTeams, priority >= 0, priority < 4 else { return (0, 0, 0) }
        let i = team * 4 + priority
        let sd = max(0, ackSq[i] - ackMean[i] * ackMean[i]).squareRoot()
        return (ackMean[i], ackMean[i] + 1.28 * sd, Int(ackN[i]))
    }

    /// A small logit bonus for teams that resolve this class faster than usual (0 when unknown).
    @inline(__always)
    public func expertiseBonus(team: Int, cls: Int) -> Float {
        guard team >= 0, team < maxTeams, cls >= 0, cls < maxClasses else { return 0 }
        return bonus[team * maxClasses + cls]
    }

    /// Adds `expertiseBonus(team: t, cls: cls)` to `logits[t]` for each team t in 0..<teams.
    @inline(__always)
    func addExpertiseBonuses(cls: Int, to logits: UnsafeMutablePointer<Float>, teams: Int) {
        guard cls >= 0, cls < maxClasses, teams <= maxTeams else {
            for t in 0..<teams { logits[t] += expertiseBonus(team: t, cls: cls) }
            return
        }
        bonus.withUnsafeBufferPointer { b in
            for t in 0..<teams { logits[t] += b[t * maxClasses + cls] }
        }
    }

    func encode(to w: inout SnapshotWriter) {
        w.write(ackMean); w.write(ackSq); w.write(ackN); w.write(resMean); w.write(resN); w.write(globalResolve); w.write(globalN)
    }

    mutating func decode(from r: inout SnapshotReader) throws {
        let am: [Double] = try r.read(), asq: [Double] = try r.read(), an: [UInt32] = try r.read()
        let rm: [Double] = try r.read(), rn: [UInt32] = try r.read()
        let g: Double = try r.read(), gn: UInt32 = try r.read()
        guard am.count == ackMean.count, asq.count == ackSq.count, an.count == ackN.count, rm.count == resMean.count,
              rn.count == resN.count else { throw SMONError.corrupt("snapshot response statistics have the wrong shape") }
        ackMean = am; ackSq = asq; ackN = an; resMean = rm; resN = rn; globalResolve = g; globalN = gn
        refreshBonus()
    }
}
