public import Foundation

/// Writes a ZIP archive with stored (uncompressed) entries, as KMZ files are: a local header, the
/// bytes and a CRC-32 per entry, then the central directory. Deterministic: every entry is dated
/// 1980-01-01 00:00, the earliest date ZIP can say. Files of up to 4 GiB, up to 65 535 entries.
public struct ZipWriter: Sendable {
    private var body = Data()
    private var directory = Data()
    private var count = 0

    public init() {}

    /// Adds a file at `path` (forward slashes, no leading slash) holding `contents`.
    public mutating func add(_ path: String, _ contents: Data) {
        let name = Data(path.utf8)
        let crc = ZipWriter.crc32(contents)
        let offset = UInt32(body.count)
        func common(_ into: inout Data) {
            into.append(le16: 20)  // version needed: 2.0
            into.append(le16: 0x0800)  // flags: names are UTF-8
            into.append(le16: 0)  // method: stored
            into.append(le16: 0)  // time 00:00:00
            into.append(le16: 0x21)  // date 1980-01-01
            into.append(le32: crc)
            into.append(le32: UInt32(contents.count))
            into.append(le32: UInt32(contents.count))
            into.append(le16: UInt16(name.count))
            into.append(le16: 0)  // extra field length
        }
        body.append(le32: 0x0403_4b50)
        common(&body)
        body.append(name)
        body.append(contents)

        directory.append(le32: 0x0201_4b50)
        directory.append(le16: 20)  // made by: 2.0, MS-DOS attributes
        common(&directory)
        directory.append(le16: 0)  // comment length
        directory.append(le16: 0)  // disk number
        directory.append(le16: 0)  // internal attributes
        directory.append(le32: 0)  // external attributes
        directory.append(le32: offset)
        directory.append(name)
        count += 1
    }

    /// The archive's bytes.
    public var data: Data {
        var out = body
        out.append(directory)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(directory.count))
        out.append(le32: UInt32(body.count))
        out.append(le16: 0)
        return out
    }

    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 (ISO-HDLC, as ZIP and PNG use) of `data`.
    public static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    fileprivate mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }
    fileprivate mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
