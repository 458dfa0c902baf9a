import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a child process's pipe to its end, retrying reads interrupted by a signal: Foundation's
/// `readDataToEndOfFile()` stops the process with a fatal error on EINTR.
func readToEnd(_ handle: FileHandle) -> Data {
    var all = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
        if n > 0 {
            all.append(contentsOf: buffer[0..<n])
        } else if n < 0, errno == EINTR {
            continue
        } else {
            return all
        }
    }
}
