import Foundation

/// Reads a text file one line at a time in fixed-size chunks, so memory stays bounded however
/// big the file is. Lines may end in `\n` or `\r\n`.
struct LineReader {
    private let handle: FileHandle
    private let file: String
    private let maximumLength: Int
    private var buffer = Data()
    /// Where the unread part of ``buffer`` starts.
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    /// Opens `url`.
    ///
    /// - Throws: ``LoadError`` when the file cannot be opened.
    init(_ url: URL, maximumLength: Int) throws(LoadError) {
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw LoadError(file: url.path, message: "cannot read the file")
        }
        file = url.path
        self.maximumLength = maximumLength
    }

    /// The next line without its terminator, or `nil` at the end of the file.
    ///
    /// - Throws: ``LoadError`` at the line when it is longer than the maximum or not UTF-8.
    mutating func next() throws(LoadError) -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                return try decode(line)
            }
            if buffer.count - start > maximumLength {
                throw LoadError(
                    file: file, line: lineNumber + 1, message: "the line is longer than \(maximumLength) bytes")
            }
            if atEnd {
                if start == buffer.count { return nil }
                defer { start = buffer.count }
                return try decode(buffer[start...])
            }
            // Keep only the unread tail, then append the next chunk.
            buffer = Data(buffer[start...])
            start = 0
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 64 << 10) } catch { chunk = nil }
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { atEnd = true }
        }
    }

    private mutating func decode(_ bytes: Data) throws(LoadError) -> String {
        lineNumber += 1
        guard bytes.count <= maximumLength else {
            throw LoadError(file: file, line: lineNumber, message: "the line is longer than \(maximumLength) bytes")
        }
        guard var text = String(data: bytes, encoding: .utf8) else {
            throw LoadError(file: file, line: lineNumber, message: "the line is not UTF-8 text")
        }
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
