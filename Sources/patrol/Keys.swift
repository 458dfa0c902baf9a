import ArgumentParser
import Foundation
import PatrolLink

extension Patrol {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make and list the CURVE keys of the coordinator and its devices.",
            discussion: """
                Each device has its own key pair (NAME.key, secret: keep it on the device). The coordinator \
                admits only the devices whose public keys are in the allowlist DIR/devices.yaml \
                (device id: "public key"); remove a line to revoke a device.
                """,
            subcommands: [Generate.self, List.self])
    }
}

extension Patrol.Keys {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key pair NAME.key and, for a device, add its public key to devices.yaml.")

        @Argument(help: "The device id (or `coordinator` with --server).")
        var name: String

        @Option(help: "The keys directory.")
        var dir: String = "keys"

        @Flag(help: "The coordinator's own pair: not added to the allowlist.")
        var server = false

        @Flag(help: "Replace an existing key file.")
        var force = false

        @Flag(help: "An operator's pair: added to the operator allowlist operators.yaml with --role.")
        var `operator` = false

        @Option(help: "The operator's role: viewer, operator or admin (with --operator).")
        var role: String?

        func validate() throws {
            guard !name.isEmpty, name.count <= 64, !name.contains("/"), !name.hasPrefix(".") else {
                throw ValidationError("NAME: 1 to 64 characters, no `/`, not starting with `.`")
            }
            if `operator` {
                guard !server else { throw ValidationError("--operator and --server exclude each other") }
                guard let role, OperatorRole(rawValue: role) != nil else {
                    throw ValidationError("--operator needs --role viewer, operator or admin")
                }
            } else if role != nil {
                throw ValidationError("--role is for operators (with --operator)")
            }
        }

        func run() async throws {
            let directory = URL(fileURLWithPath: dir)
            let keyFile = directory.appendingPathComponent("\(name).key")
            let allowlist = directory.appendingPathComponent("devices.yaml")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                guard force || !FileManager.default.fileExists(atPath: keyFile.path) else {
                    throw ValidationError("\(keyFile.path) exists; pass --force to replace it")
                }
                let pair = try CurveKeyPair.generate()
                // Created private (0600) before the secret is written into it.
                guard
                    FileManager.default.createFile(
                        atPath: keyFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
                else { throw ValidationError("cannot create \(keyFile.path)") }
                try Data(pair.fileText(owner: name).utf8).write(to: keyFile)
                print("key      \(keyFile.path) (secret: copy it to \(name) only)")
                print("public   \(pair.publicKey)")
                if `operator`, let role, let role = OperatorRole(rawValue: role) {
                    let file = directory.appendingPathComponent("operators.yaml")
                    var operators =
                        FileManager.default.fileExists(atPath: file.path) ? try OperatorAllowlist.load(from: file) : [:]
                    operators[name] = OperatorAllowlist.Entry(role: role, publicKey: pair.publicKey)
                    _ = try OperatorAllowlist(operators: operators)
                    try OperatorAllowlist.render(operators).write(to: file, atomically: true, encoding: .utf8)
                    print("allowed  \(name) as \(role.rawValue) in \(file.path)")
                } else if !server {
                    var devices =
                        FileManager.default.fileExists(atPath: allowlist.path)
                        ? try DeviceAllowlist.load(from: allowlist) : [:]
                    devices[name] = pair.publicKey
                    _ = try DeviceAllowlist(devices: devices)
                    try DeviceAllowlist.render(devices).write(to: allowlist, atomically: true, encoding: .utf8)
                    print("allowed  \(name) in \(allowlist.path)")
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the devices allowed in devices.yaml.")

        @Option(help: "The keys directory.")
        var dir: String = "keys"

        func run() async throws {
            let allowlist = URL(fileURLWithPath: dir).appendingPathComponent("devices.yaml")
            guard FileManager.default.fileExists(atPath: allowlist.path) else {
                throw ValidationError("no allowlist at \(allowlist.path); run `patrol keys generate NAME` first")
            }
            do {
                let devices = try DeviceAllowlist.load(from: allowlist)
                for (device, key) in devices.sorted(by: { $0.key < $1.key }) {
                    let pair = URL(fileURLWithPath: dir).appendingPathComponent("\(device).key")
                    let note = FileManager.default.fileExists(atPath: pair.path) ? "  (key pair in \(pair.path))" : ""
                    print("\(device.padded(20)) \(key)\(note)")
                }
                print("\(devices.count) device(s) allowed")
            } catch {
                throw fail(error)
            }
        }
    }
}
