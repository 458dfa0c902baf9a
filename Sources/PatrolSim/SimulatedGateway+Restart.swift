public import PatrolLink

extension SimulatedGateway {
    /// Comes back after a crash on a new connection: says hello again (a new session) and keeps
    /// its unacknowledged readings (its flash queue) and reading counter, so the next report
    /// resends them and no reading id is reused.
    /// - Parameter link: a new connected client whose identity is the gateway's id.
    /// - Throws: ``Failure`` when the coordinator does not answer.
    public func restart(link: LinkClient) async throws(Failure) {
        let timeout = session.answerTimeout
        session = LockstepLink(name: gateway.id, link: link, clock: clock, logger: logger)
        session.answerTimeout = timeout
        summary.restarts += 1
        try await hello()
    }
}
