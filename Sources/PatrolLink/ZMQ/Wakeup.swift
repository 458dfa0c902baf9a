#if canImport(Glibc)
import Glibc
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
        if let eventfd = linuxEventFD {
            // EFD_NONBLOCK and EFD_CLOEXEC have the values of O_NONBLOCK and O_CLOEXEC.
            let fd = eventfd(0, O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw failure("eventfd") }
            return Wakeup(readFD: fd, writeFD: fd)
        }
        #endif
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw failure("pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return Wakeup(readFD: fds[0], writeFD: fds[1])
    }

    #if os(Linux)
    /// glibc's `eventfd(2)` wrapper. Its header is not part of Swift's Glibc module, and the
    /// `CZeroMQ` shim is not ours to extend, so the symbol is looked up once at run time.
    private static let linuxEventFD: (@convention(c) (UInt32, Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "eventfd") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UInt32, Int32) -> Int32).self)
    }()
    #endif

    private static func failure(_ operation: String) -> LinkError {
        LinkError(code: .socket, message: "\(operation) failed: \(String(cString: strerror(errno)))", operation: operation)
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
