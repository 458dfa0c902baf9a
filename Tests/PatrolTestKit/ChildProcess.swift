public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, with the part of Foundation's `Process` API the
/// tests use (executable, arguments, directory, standard streams, run, wait, terminate).
///
/// Foundation's `Process.run()` on Linux (Swift 6.3.1) crashes now and then: before each spawn it
/// lists `/proc/self/fd` and copies each directory entry's whole 256-byte name, reading past the
/// end of glibc's buffer when an entry sits at its tail (swift-corelibs-foundation pull request
/// 5472). The test suite spawns the `patrol` binary hundreds of times, so a run crashed about once
/// in several. This spawns directly: the child's standard streams are duplicated onto 0, 1 and 2,
/// every other descriptor is closed in the child (`posix_spawn_file_actions_addclosefrom_np`,
/// glibc 2.34), and the working directory is set with `posix_spawn_file_actions_addchdir_np`
/// (glibc 2.29), both looked up at run time because Swift's Glibc module does not declare them.
public final class ChildProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String] = []
    public var currentDirectoryURL: URL?
    /// Replaces the environment when set; the parent's otherwise.
    public var environment: [String: String]?
    /// A `Pipe` or a `FileHandle`; `nil` inherits the parent's.
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var status: Int32?

    public init() {}

    public var processIdentifier: Int32 { lock.withLock { pid } }

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts the child. The parent's copies of the child's pipe ends are closed, so reading a
    /// `standardOutput` pipe ends when the child exits.
    public func run() throws {
        guard let executableURL else { throw SpawnError(description: "no executable") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let streams: [(Any?, Int32, Bool)] = [
            (standardInput, 0, true), (standardOutput, 1, false),
            (standardError, 2, false),
        ]
        for (stream, target, reads) in streams {
            switch stream {
            case let pipe as Pipe:
                let end = reads ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                posix_spawn_file_actions_adddup2(&actions, end.fileDescriptor, target)
            case let handle as FileHandle where handle.fileDescriptor >= 0:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            case is FileHandle:  // `FileHandle.nullDevice` has no descriptor
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
            default: break
            }
        }
        try Self.closeFrom(&actions, 3)
        if let directory = currentDirectoryURL { try Self.changeDirectory(&actions, directory.path) }
        let argv = ([executableURL.path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in env { free(p) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executableURL.path, &actions, nil, argv, env)
        guard result == 0 else {
            throw SpawnError(description: "posix_spawn \(executableURL.path): \(String(cString: strerror(result)))")
        }
        lock.withLock { pid = child }
        // The child has its own copies now.
        for (stream, _, reads) in streams {
            guard let pipe = stream as? Pipe else { continue }
            try? (reads ? pipe.fileHandleForReading : pipe.fileHandleForWriting).close()
        }
    }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool { lock.withLock { reap() == nil && pid != 0 } }

    /// Blocks until the child exits.
    public func waitUntilExit() {
        while true {
            if lock.withLock({ status }) != nil { return }
            var raw: Int32 = 0
            let pid = processIdentifier
            let r = waitpid(pid, &raw, 0)
            if r == pid {
                lock.withLock { if status == nil { status = raw } }
                return
            }
            if r < 0, errno == EINTR { continue }
            return  // reaped by a concurrent `isRunning` (which kept its status)
        }
    }

    /// Its exit code, or the signal that ended it (as `Process` reports it).
    public var terminationStatus: Int32 {
        let raw = lock.withLock { status } ?? 0
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    /// Sends SIGTERM unless it has exited.
    public func terminate() { signal(SIGTERM) }

    /// Sends `signal` unless it has exited.
    public func signal(_ signal: Int32) {
        lock.withLock {
            if reap() == nil, pid != 0 { _ = kill(pid, signal) }
        }
    }

    /// The raw wait status once reaped, without waiting (under the lock).
    private func reap() -> Int32? {
        if let status { return status }
        guard pid != 0 else { return nil }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
        return status
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }

    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ fd: Int32) throws {
        guard let p = symbol("posix_spawn_file_actions_addclosefrom_np") else {
            throw SpawnError(description: "glibc without posix_spawn_file_actions_addclosefrom_np (needs 2.34)")
        }
        _ = unsafeBitCast(p, to: AddCloseFrom.self)(&actions, fd)
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) throws {
        guard let p = symbol("posix_spawn_file_actions_addchdir_np") else {
            throw SpawnError(description: "glibc without posix_spawn_file_actions_addchdir_np (needs 2.29)")
        }
        _ = path.withCString { unsafeBitCast(p, to: AddChdir.self)(&actions, $0) }
    }
}
