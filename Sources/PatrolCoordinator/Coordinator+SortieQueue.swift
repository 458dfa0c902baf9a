import Foundation
import Logging
import PatrolModel
public import PatrolStore

/// The sortie queue on record: every queued sortie's request is written to the store with its
/// state, and the state again whenever it changes, so a coordinator started again on the same
/// database queues once more what was still waiting (``resumeQueuedSorties()``). Sorties already
/// flying come back through their flights (`resumeFlightsInProgress`).
extension Coordinator {
    func keep(_ id: String, request: SortieRequest) {
        let state = sortieBook.entries[id]?.status.state ?? .queued
        do {
            try store.saveSortieRequest(
                id: id, request: try JSONEncoder().encode(request), state: state.rawValue, at: clock.now())
            sortieBook.kept[id] = state
        } catch {
            logger.error("cannot keep a queued sortie", metadata: ["sortie.id": "\(id)", "store.error": "\(error)"])
        }
    }

    func keepState(_ status: SortieStatus) {
        guard let kept = sortieBook.kept[status.id], kept != status.state else { return }
        do {
            try store.updateSortieState(id: status.id, state: status.state.rawValue, at: clock.now())
            sortieBook.kept[status.id] = status.state
        } catch {
            logger.error(
                "cannot record a sortie's state", metadata: ["sortie.id": "\(status.id)", "store.error": "\(error)"])
        }
    }

    /// Queues again the sorties the database says were waiting when the coordinator stopped; a
    /// sortie whose time has passed is launched (or refused by gating) at once, as a late request.
    /// - Returns: their statuses now.
    /// - Throws: ``StoreError`` when the queue cannot be read.
    public func resumeQueuedSorties() throws(StoreError) -> [SortieStatus] {
        var statuses: [SortieStatus] = []
        // One already in the book (an urgent sortie asked again by `resumeDiversions`) is not queued twice.
        for row in try store.sortieRequests(state: SortieState.queued.rawValue) where sortieBook.entries[row.id] == nil
        {
            guard let kept = try? JSONDecoder().decode(SortieRequest.self, from: row.request) else {
                logger.error("a kept sortie cannot be read; left out", metadata: ["sortie.id": "\(row.id)"])
                try store.updateSortieState(id: row.id, state: "unreadable", at: clock.now())
                continue
            }
            // Its due time and a round's move are taken up before it is first tried (`+RoundHolds`).
            let wasRunning = sortieBook.running
            sortieBook.running = true
            var status = request(kept)
            sortieBook.running = wasRunning
            takeUpTiming(row: row.id, as: status.id)
            if !wasRunning { runSorties() }
            status = sortieBook.entries[status.id]?.status ?? status
            if status.id != row.id {
                try store.updateSortieState(id: row.id, state: "requeued as \(status.id)", at: clock.now())
            }
            statuses.append(status)
        }
        if !statuses.isEmpty { logger.notice("queued sorties resumed", metadata: ["sorties": "\(statuses.count)"]) }
        resumeLiveDay()
        return statuses
    }
}
