#if canImport(Glibc)
    import Glibc
    internal import CZeroMQ
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor other threads make readable to wake a ``SocketLoop`` out of `zmq_poll`:
/// a Linux `eventfd` (a pipe elsewhere). Non-blocking at both ends.
struct Wakeup: Sendable {
    let readFD: Int32
    let writeFD: Int32

    static func make() throws(LinkError) -> Wakeup {
        #if os(Linux)
            let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
            guard fd >= 0 else { throw failure("eventfd") }
            return Wakeup(readFD: fd, writeFD: fd)
        #else
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw failure("pipe") }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            return Wakeup(readFD: fds[0], writeFD: fds[1])
        #endif
    }

    private static func failure(_ operation: String) -> LinkError {
        LinkError(
            code: .socket, message: "\(operation) failed: \(String(cString: strerror(errno)))", operation: operation)
    }

    /// Makes ``readFD`` readable. A full counter (or pipe) is already readable, so errors are moot.
    func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(writeFD, $0.baseAddress, $0.count) }
    }

    /// Makes ``readFD`` unreadable again.
    func drain() {
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        // One read resets an eventfd counter; a pipe is read until empty.
        while withUnsafeMutableBytes(of: &buffer, { read(readFD, $0.baseAddress, $0.count) }) > 0, readFD != writeFD {}
    }

    func close() {
        closeDescriptor(readFD)
        if writeFD != readFD { closeDescriptor(writeFD) }
    }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(fd)
    #elseif canImport(Darwin)
        _ = Darwin.close(fd)
    #endif
}
