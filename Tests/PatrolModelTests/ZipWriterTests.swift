import Foundation
import PatrolModel
import Testing

struct ZipWriterTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(ZipWriter.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(ZipWriter.crc32(Data()) == 0)
    }

    @Test func anArchiveHasItsHeadersInPlace() {
        var zip = ZipWriter()
        zip.add("wpmz/a.txt", Data("hello".utf8))
        zip.add("wpmz/b.txt", Data())
        let data = [UInt8](zip.data)
        #expect(Array(data.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        // End of central directory: 22 bytes at the end, 2 entries.
        let end = Array(data.suffix(22))
        #expect(Array(end.prefix(4)) == [0x50, 0x4B, 0x05, 0x06])
        #expect(end[10] == 2 && end[8] == 2)
        // Stored bytes follow the 30-byte header and the 10-byte name.
        #expect(String(decoding: data[40..<45], as: UTF8.self) == "hello")
    }
}
