import Foundation
import Yams

/// A strict reader over a parsed YAML document that reports every problem with the file, line,
/// column and field path, and rejects fields it does not know.
struct YAMLReader {
    let file: String
    let node: Node
    let path: String

    /// Parses `text`; a syntax error becomes a ``LoadError`` at the line and column libyaml reports.
    static func parse(_ text: String, file: String) throws(LoadError) -> YAMLReader {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw LoadError(file: file, line: 1, message: "the file is empty")
            }
            return YAMLReader(file: file, node: root, path: "")
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

    func error(_ message: String, at node: Node? = nil, field: String? = nil) -> LoadError {
        let mark = (node ?? self.node).mark
        return LoadError(file: file, line: mark?.line, column: mark?.column, field: field ?? path, message: message)
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's entries, after checking that every key is one of `known`.
    func mapping(known: [String]) throws(LoadError) -> [String: YAMLReader] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of fields") }
        var result: [String: YAMLReader] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("field names must be text", at: key) }
            guard known.contains(name) else {
                throw error("unknown field `\(name)`; expected one of: \(known.joined(separator: ", "))", at: key, field: child(name))
            }
            result[name] = YAMLReader(file: file, node: value, path: child(name))
        }
        return result
    }

    func string() throws(LoadError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw error("expected text") }
        return scalar.string
    }

    func double(in range: ClosedRange<Double>? = nil) throws(LoadError) -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error("expected a number, found `\(node.string ?? "a structure")`")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func int(in range: ClosedRange<Int>? = nil) throws(LoadError) -> Int {
        guard case .scalar = node, let value = node.int else {
            throw error("expected a whole number, found `\(node.string ?? "a structure")`")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Whether the node is a list (a YAML sequence).
    var isList: Bool { node.sequence != nil }

    func list() throws(LoadError) -> [YAMLReader] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { YAMLReader(file: file, node: $0.element, path: "\(path)[\($0.offset)]") }
    }
}

extension [String: YAMLReader] {
    /// The field `key`, or an error naming it when it is missing.
    func required(_ key: String, in parent: YAMLReader) throws(LoadError) -> YAMLReader {
        guard let value = self[key] else {
            let field = parent.path.isEmpty ? key : "\(parent.path).\(key)"
            throw parent.error("missing required field `\(key)`", field: field)
        }
        return value
    }
}
