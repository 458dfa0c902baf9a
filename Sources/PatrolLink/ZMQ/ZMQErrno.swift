internal import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one place where a failed libzmq call's `zmq_errno()` is turned into an outcome.
enum ZMQErrno {
    enum Outcome {
        /// `EINTR`: a signal interrupted the call; make it again.
        case interrupted
        /// `EAGAIN`: nothing to receive yet, or no room to send yet.
        case wouldBlock
        /// Anything else, as an error: `ETERM` is `.closed`, `EHOSTUNREACH` is `.peerUnreachable`.
        case failure(LinkError)
    }

    static func text(_ code: Int32) -> String { String(cString: zmq_strerror(code)) }

    /// Classifies `zmq_errno()` after `operation` failed.
    ///
    /// `ENOTSOCK` and `EFSM` mean a closed or misused socket: a bug in this module, so they trap.
    static func classify(
        _ code: Int32 = zmq_errno(), operation: String, endpoint: String?, file: String = #fileID, line: Int = #line
    ) -> Outcome {
        switch code {
        case EINTR:
            return .interrupted
        case EAGAIN:
            return .wouldBlock
        case ETERM:
            return .failure(
                LinkError(
                    code: .closed, message: "the ZeroMQ context was shut down", endpoint: endpoint,
                    operation: operation,
                    zmqErrno: code, zmqDescription: text(code), file: file, line: line))
        case EHOSTUNREACH:
            return .failure(
                LinkError(
                    code: .peerUnreachable, message: "the peer is not connected", endpoint: endpoint,
                    operation: operation, zmqErrno: code, zmqDescription: text(code), file: file, line: line))
        case ENOTSOCK, EFSM:
            preconditionFailure("\(operation) on a closed or misused socket: \(text(code))")
        default:
            return .failure(
                LinkError(
                    code: .socket, message: "\(operation) failed: \(text(code))", endpoint: endpoint,
                    operation: operation, zmqErrno: code, zmqDescription: text(code), file: file, line: line))
        }
    }
}
