/// Alerts that outlive the incident they were folded into.
///
/// An alert rated real that starts firing in a group that has already paged is folded as a
/// duplicate: the group's page covers it. The alerts of one incident resolve together, within
/// minutes of its fix. One folded into a group that still fires `classifier.escalate_outlived_s`
/// after every alert the group paged for has resolved is not part of that incident: it is due
/// for escalation, once per group (the first one due pages; the group's other folded alerts then
/// fold behind it).
///
/// The group remembers up to `AlertGrouper.maxFolded` folded alerts (`AlertGroup.folded`) and
/// counts its paged fingerprints still firing (`AlertGroup.pagedFiring`). When the last one
/// resolves or moves to another group, its folded alerts move to the outlived ring, due that
/// long later, and `dueEscalations` hands out those still firing in the group.
extension AlertClassifier {
    /// Remembers a real alert folded as a duplicate (result `r`, fingerprint `slot` and `key`)
    /// as it starts firing in the group in slot `gslot` (called with the lock held). When the
    /// group's paged alerts have all resolved already, it is due `escalate_outlived_s` from now.
    func fold(_ r: AlertResult, gslot: Int, slot: Int, key: UInt64) {
        guard outlivedMs > 0 else { return }
        let alreadyOver = grouper.summary(gslot).pagedFiring == 0
        let e = PendingEscalation(Self.pendingAlert(r, sequence: classified, dueMs: alreadyOver ? r.timestampMs &+ outlivedMs : 0),
                                  slot: slot, key: key)
        if alreadyOver { outlived.push(e) } else { grouper.fold(gslot, e) }
    }

    /// A paged fingerprint of group `groupId` stopped firing there at `t` (it resolved, or moved
    /// to another group): when it was the group's last, the group's folded alerts become due
    /// `classifier.escalate_outlived_s` later (called with the lock held).
    func pagedStopped(groupId: UInt64, at t: Int64) {
        grouper.stopPaged(groupId) { e in
            var e = e
            e.dueMs = t &+ outlivedMs
            outlived.push(e)
        }
    }
}
