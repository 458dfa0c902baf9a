import Foundation
import PatrolGeo

/// Lines read by `patrol transform`, parsed and held until a batch is full, then transformed in
/// one PROJ call and written in input order.
struct TransformBatch {
    private enum Entry {
        case copy(String)
        case point(index: Int, line: Int, rest: Substring)
        case bad(line: Int, message: String)
    }

    /// Lines per PROJ call: big enough to amortise the call, small enough to stream.
    static let capacity = 4096

    private let chain: CoordinateChain
    private var entries: [Entry] = []
    private var x: [Double] = []
    private var y: [Double] = []
    private var z: [Double] = []
    /// How many lines could not be parsed or transformed so far.
    private(set) var badLines = 0

    init(chain: CoordinateChain) {
        self.chain = chain
    }

    var isFull: Bool { entries.count >= Self.capacity }

    /// Parses one input line.
    mutating func add(_ line: String, number: Int) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty || trimmed.hasPrefix("#") {
            entries.append(.copy(line))
            return
        }
        let fields = trimmed.split(maxSplits: 3, omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
        guard fields.count >= 2 else {
            entries.append(.bad(line: number, message: "expected `x y [z]`, found \(fields.count) value"))
            return
        }
        var pz = 0.0
        var rest = fields.count > 3 ? fields[3] : ""
        if fields.count > 2 {
            if let value = Double(fields[2]) {
                pz = value
            } else {
                rest = trimmed[fields[2].startIndex...]
            }
        }
        guard let px = Double(fields[0]), let py = Double(fields[1]), px.isFinite, py.isFinite, pz.isFinite else {
            let bad = fields.prefix(3).first { Double($0)?.isFinite != true } ?? fields[0]
            entries.append(.bad(line: number, message: "`\(bad)` is not a finite number"))
            return
        }
        entries.append(.point(index: x.count, line: number, rest: rest))
        x.append(px)
        y.append(py)
        z.append(pz)
    }

    /// Transforms the held points and writes every held line, then empties the batch.
    mutating func flush() {
        if entries.isEmpty { return }
        let inputs = (x: x, y: y, z: z)
        let failed = Set(chain.apply(x: &x, y: &y, z: &z))
        let format = chain.outputsDegrees ? "%.9f\t%.9f %.4f" : "%.4f\t%.4f %.4f"
        var out = ""
        var errors = ""
        for entry in entries {
            switch entry {
            case .copy(let line):
                out += line + "\n"
            case .bad(let line, let message):
                errors += "stdin:\(line): \(message)\n"
                out += "*\t* *\n"
            case .point(let i, let line, let rest):
                if failed.contains(i) {
                    let reason = chain.reason(for: XYZ(inputs.x[i], inputs.y[i], inputs.z[i]))
                    errors += "stdin:\(line): \(reason)\n"
                    out += "*\t* *" + (rest.isEmpty ? "" : " \(rest)") + "\n"
                } else {
                    out += String(format: format, x[i], y[i], z[i]) + (rest.isEmpty ? "" : " \(rest)") + "\n"
                }
            }
        }
        badLines += entries.count { if case .bad = $0 { true } else { false } } + failed.count
        FileHandle.standardOutput.write(Data(out.utf8))
        if !errors.isEmpty { FileHandle.standardError.write(Data(errors.utf8)) }
        entries.removeAll(keepingCapacity: true)
        x.removeAll(keepingCapacity: true)
        y.removeAll(keepingCapacity: true)
        z.removeAll(keepingCapacity: true)
    }
}
