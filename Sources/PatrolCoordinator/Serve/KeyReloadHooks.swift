import Synchronization

/// What services of `patrol serve` do after ``PatrolServer/reloadKeys()`` read the allowlists
/// again (SIGHUP), e.g. the event stream making its subscribers shake hands again so that a
/// revoked operator is cut off. The allowlists themselves are shared instances, reloaded in place.
public final class KeyReloadHooks: Sendable {
    private let hooks = Mutex<[@Sendable () throws -> Void]>([])

    public init() {}

    /// Adds `hook`, called after every reload, in the order added.
    public func add(_ hook: @escaping @Sendable () throws -> Void) { hooks.withLock { $0.append(hook) } }

    /// Calls every hook; the first failure is thrown after all have run.
    func run() throws {
        var failure: (any Error)?
        for hook in hooks.withLock({ $0 }) {
            do { try hook() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }
}
