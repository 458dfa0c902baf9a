internal import CZeroMQ
import Synchronization

/// The process's ZeroMQ context: the I/O thread and the registry of sockets.
///
/// Make one per process and share it; it is thread-safe. ``LinkServer`` and ``LinkClient``
/// endpoints using `inproc://` must share the same context. Call ``shutdown()`` when done:
/// it makes every socket of the context stop, waits until each has been closed by its owner,
/// then frees the context.
public final class ZMQContext: Sendable {
    /// The `void *` context, `nil` once shut down. Sockets are created under the lock, so none
    /// can be created from a context that is being torn down.
    private let handle: Mutex<UnsafeMutableRawPointer?>

    /// Creates a context with one I/O thread.
    public init() {
        guard let context = zmq_ctx_new() else {
            // Only resource exhaustion (file descriptors, memory) makes this fail.
            preconditionFailure("zmq_ctx_new failed: \(ZMQErrno.text(zmq_errno()))")
        }
        handle = Mutex(context)
    }

    /// Whether ``shutdown()`` has been called.
    public var isShutDown: Bool { handle.withLock { $0 == nil } }

    /// Stops every socket of the context and frees it; safe to call more than once.
    ///
    /// Links see the shutdown as a clean close: their loops close their sockets and finish their
    /// `inbound` streams. Blocks until all sockets of the context are closed, at most about their
    /// linger time (100 ms by default) after the last one closes. Do not call it from a task that
    /// must close a socket of this context first.
    public func shutdown() {
        let taken = handle.withLock { handle -> UnsafeMutableRawPointer? in
            let context = handle
            handle = nil
            return context
        }
        guard let context = taken else { return }
        zmq_ctx_shutdown(context)
        while zmq_ctx_term(context) != 0 {
            // EINTR: a signal arrived while waiting for sockets to close; wait again.
            guard zmq_errno() == EINTR else { break }
        }
    }

    deinit {
        // Sockets retain their context, so no socket of this context is open any more.
        shutdown()
    }

    /// Creates a raw socket of `type`; the caller owns it and must `zmq_close` it.
    /// - Throws: ``LinkError`` `.closed` after ``shutdown()``, `.socket` if libzmq refuses.
    func makeSocket(type: Int32) throws(LinkError) -> UnsafeMutableRawPointer {
        let result: Result<UnsafeMutableRawPointer, LinkError> = handle.withLock { handle in
            guard let handle else {
                return .failure(
                    LinkError(code: .closed, message: "the ZeroMQ context has been shut down", operation: "zmq_socket"))
            }
            if let socket = zmq_socket(handle, type) { return .success(socket) }
            switch ZMQErrno.classify(operation: "zmq_socket", endpoint: nil) {
            case .failure(let error): return .failure(error)
            case .interrupted, .wouldBlock:
                return .failure(LinkError(code: .socket, message: "zmq_socket failed", operation: "zmq_socket"))
            }
        }
        return try result.get()
    }
}
