public import Foundation

/// Shared helpers for Patrol's test targets: where the repository's files are, and fresh
/// temporary directories.
public enum TestKit {
    /// The repository root, found from this file's location (symlinks resolved).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file in the repository, by its path from the root.
    public static func file(_ path: String) -> URL { repositoryRoot.appendingPathComponent(path) }

    /// The default patrol definition, `missions/hill-fire-patrol.yaml`.
    public static var defaultMission: URL { file("missions/hill-fire-patrol.yaml") }

    /// The default simulation scenario, `simulators/hill-fire.yaml`.
    public static var defaultScenario: URL { file("simulators/hill-fire.yaml") }

    /// A new, empty directory under the system's temporary directory.
    public static func temporaryDirectory(_ label: String = "patrol-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in `directory` and returns the file's URL.
    @discardableResult
    public static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

extension TestKit {
    /// Runs blocking work (a child process, a wait on a raw socket) on a thread of its own.
    ///
    /// Swift Testing runs tests in parallel on the cooperative pool, which has as many threads as
    /// cores: two here. A test that blocks one of them while another blocks the other starves
    /// every actor (a coordinator waiting to answer the very frame the test waits for), so
    /// blocking calls in tests go through this.
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

/// Reading a child process's pipe without trapping: Foundation's `readDataToEndOfFile()` and
/// `availableData` stop the process with a fatal error when a read is interrupted by a signal
/// (EINTR), which happens here when children exit; these retry instead.
public enum PipeReading {
    /// Everything until the end of the file.
    public static func readToEnd(_ handle: FileHandle) -> Data {
        var all = Data()
        while true {
            let chunk = readSome(handle)
            if chunk.isEmpty { return all }
            all.append(chunk)
        }
    }

    /// What one read returns (up to 64 KiB); empty at the end of the file or on an error.
    public static func readSome(_ handle: FileHandle) -> Data {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if n > 0 { return Data(buffer[0..<n]) }
            if n < 0, errno == EINTR { continue }
            return Data()
        }
    }
}
