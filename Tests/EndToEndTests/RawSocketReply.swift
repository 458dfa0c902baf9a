import PatrolTestKit

@testable import PatrolLink

/// The next envelope the coordinator sends back on a test's raw device socket, or `nil` after
/// 30 s (a hang guard). Waits off the cooperative pool, so the coordinator actor can run meanwhile.
func reply(_ socket: Socket) async throws -> Envelope? {
    let box = RawSocketBox(socket: socket)
    guard let frames = try await TestKit.offPool({ try box.socket.receive(within: 30) }), let first = frames.first
    else { return nil }
    return try WireCodec.decode(first)
}

/// Hands the test's raw socket to the waiting thread; the test awaits that thread, so only one
/// thread uses the socket at a time.
private struct RawSocketBox: @unchecked Sendable {
    let socket: Socket
}
