/// A tiny writer of well-formed XML (and so of XHTML-compatible HTML and SVG).
///
/// Every element it opens it closes, every attribute is quoted and every text is escaped, so the
/// output always parses as XML. It does not check that elements nest as HTML wants.
struct Markup {
    /// The markup written so far.
    private(set) var text = ""

    init() {}

    /// `value` made safe for text and attribute values: markup characters become references and
    /// characters XML forbids (most C0 controls) are dropped.
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` made safe as an XML `id` or fragment: letters, digits, `-`, `_` and `.` are kept,
    /// anything else becomes `-`.
    static func identifier(_ value: String) -> String {
        let kept = value.unicodeScalars.map { scalar -> Character in
            let allowed =
                (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
            return allowed ? Character(scalar) : "-"
        }
        return kept.isEmpty ? "-" : String(kept)
    }

    /// Appends text that is already markup. Only for constant, trusted strings.
    mutating func raw(_ markup: String) { text += markup }

    /// Appends escaped character data.
    mutating func characters(_ value: String) { text += Self.escape(value) }

    /// Opens an element; close it with ``close(_:)``.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(Self.attributes(attributes))>"
        if Self.blocks.contains(name) { text += "\n" }
    }

    /// Closes an element opened with ``open(_:_:)``.
    mutating func close(_ name: String) {
        text += "</\(name)>"
        if Self.blocks.contains(name) || Self.lines.contains(name) { text += "\n" }
    }

    /// Writes an element with no content as `<name …/>`: for SVG shapes and HTML void elements.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(Self.attributes(attributes))/>\n"
    }

    /// Writes an element holding only text.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text content: String) {
        text += "<\(name)\(Self.attributes(attributes))>\(Self.escape(content))</\(name)>"
        if Self.blocks.contains(name) || Self.lines.contains(name) { text += "\n" }
    }

    /// Writes an element whose content `body` writes.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], _ body: (inout Markup) -> Void) {
        open(name, attributes)
        body(&self)
        close(name)
    }

    private static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// Elements followed by a line break after the opening tag, for readable source.
    private static let blocks: Set<String> = [
        "html", "head", "body", "header", "main", "section", "footer", "table", "thead", "tbody", "ul", "ol", "dl",
        "svg", "g", "defs", "pattern", "figure", "div", "style", "tr",
    ]
    /// Elements followed by a line break after the closing tag only.
    private static let lines: Set<String> = [
        "h1", "h2", "h3", "p", "li", "td", "th", "title", "text", "path", "circle", "figcaption", "dt", "dd", "meta",
        "a", "span", "time",
    ]
}
