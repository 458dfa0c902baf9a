import Foundation
import Yams

/// A node of a parsed YAML document, read strictly: every problem is reported with the file,
/// line, column and field path, and fields the reader does not know are rejected.
public struct YAMLNode {
    let file: String
    let node: Node
    /// The dotted field path of this node, such as `camera.side_overlap` or `fires[0].lon`.
    public let path: String

    init(file: String, node: Node, path: String) {
        self.file = file
        self.node = node
        self.path = path
    }

    /// Parses a document; a syntax error becomes a ``LoadError`` at the line and column libyaml reports.
    public init(text: String, file: String) throws(LoadError) {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw LoadError(file: file, line: 1, message: "the file is empty")
            }
            self.init(file: file, node: root, path: "")
        } catch let error as LoadError {
            throw error
        } catch let error as YamlError {
            throw Self.loadError(error, file: file)
        } catch {
            throw LoadError(file: file, message: "cannot parse YAML: \(error)")
        }
    }

    private static func loadError(_ error: YamlError, file: String) -> LoadError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return LoadError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return LoadError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return LoadError(file: file, message: "cannot read the file as text: \(problem)")
        default:
            return LoadError(file: file, message: "YAML error: \(error)")
        }
    }

    /// An error located at this node (or at `node`), naming `field` (this node's path by default).
    public func error(_ message: String, field: String? = nil) -> LoadError {
        error(message, at: node, field: field)
    }

    func error(_ message: String, at node: Node, field: String? = nil) -> LoadError {
        LoadError(file: file, line: node.mark?.line, column: node.mark?.column, field: field ?? path, message: message)
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node as a mapping, after checking that every key is one of `known`.
    public func mapping(_ known: [String]) throws(LoadError) -> YAMLMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of fields") }
        var fields: [String: YAMLNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("field names must be text", at: key) }
            guard known.contains(name) else {
                throw error(
                    "unknown field `\(name)`; expected one of: \(known.joined(separator: ", "))", at: key,
                    field: child(name))
            }
            fields[name] = YAMLNode(file: file, node: value, path: child(name))
        }
        return YAMLMapping(owner: self, fields: fields)
    }

    /// The node as non-empty text.
    public func string() throws(LoadError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw error("expected text") }
        return scalar.string
    }

    /// The node as a finite number, within `range` when given.
    public func double(in range: ClosedRange<Double>? = nil) throws(LoadError) -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error("expected a number, found `\(node.string ?? "a structure")`")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Whether the node is a list (a YAML sequence).
    public var isList: Bool { node.sequence != nil }

    /// The node's items, each with its index in its path.
    public func list() throws(LoadError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { YAMLNode(file: file, node: $0.element, path: "\(path)[\($0.offset)]") }
    }
}

/// The fields of a YAML mapping, already checked against the names the reader knows.
public struct YAMLMapping {
    let owner: YAMLNode
    let fields: [String: YAMLNode]

    /// The field `key`, or an error naming it (at the mapping's line) when it is missing.
    public func required(_ key: String) throws(LoadError) -> YAMLNode {
        guard let value = fields[key] else {
            throw owner.error("missing required field `\(key)`", field: owner.child(key))
        }
        return value
    }

    /// The field `key`, if present.
    public func optional(_ key: String) -> YAMLNode? { fields[key] }
}
