public import Foundation

extension CurveKeyPair {
    /// The text of a key file: both halves, quoted, with a warning to keep it secret.
    ///
    /// ```yaml
    /// # CURVE key pair of drone-1 (Z85). The secret key stays on drone-1.
    /// public: "…40 characters…"
    /// secret: "…40 characters…"
    /// ```
    public func fileText(owner: String) -> String {
        "# CURVE key pair of \(owner) (Z85). The secret key stays on \(owner); never share this file.\n"
            + "public: \"\(publicKey)\"\nsecret: \"\(secretKey)\"\n"
    }

    /// Reads a key file written by ``fileText(owner:)`` (`patrol keys generate`).
    /// - Throws: ``LinkError`` `.invalidKey` naming the file when it cannot be read, lacks a half,
    ///   or its halves do not belong together.
    public static func load(from url: URL) throws(LinkError) -> CurveKeyPair {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LinkError(code: .invalidKey, message: "\(url.path): cannot read the key file: \(error)")
        }
        var halves: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            halves[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard let publicKey = halves["public"], let secretKey = halves["secret"] else {
            throw LinkError(code: .invalidKey, message: "\(url.path): expected `public:` and `secret:` lines")
        }
        do {
            return try CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        } catch {
            throw LinkError(code: .invalidKey, message: "\(url.path): \(error.message)")
        }
    }
}
