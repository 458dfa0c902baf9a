/// A file that could not be loaded: which file, where in it, and what is wrong.
///
/// The description reads like a compiler diagnostic, `file:line:column: field: message`, so
/// editors and people can jump to the spot.
public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, as the user named it (or as it was resolved from another file).
    public var file: String
    /// 1-based line, when the format gives one.
    public var line: Int?
    /// 1-based column, when the format gives one.
    public var column: Int?
    /// The field path inside the file, for example `camera.side_overlap` or `features[2].geometry`.
    public var field: String?
    /// What is wrong and, where it helps, what was expected.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        if let field, !field.isEmpty { text += ": \(field)" }
        return text + ": " + message
    }
}
