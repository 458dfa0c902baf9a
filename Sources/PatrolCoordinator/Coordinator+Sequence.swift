import Logging
import PatrolLink

extension Coordinator {
    /// Whether `envelope` comes after everything read from `device` in this session. A `seq` at or
    /// below the last one read is a replayed or duplicated frame (a connection delivers in order,
    /// and a device numbers every message it sends, resends included): refused with `bad_value`,
    /// nothing from it used. A gap (lost messages) is accepted, logged and counted
    /// (`patrol_link_sequence_gaps_total`, `patrol_link_messages_missing_total`).
    func admitSequence(_ envelope: Envelope, from device: String, peer: PeerID) -> Bool {
        if let last = lastSequence[device], envelope.sequence <= last {
            refuse(
                peer, device: device, code: "bad_value",
                "seq: \(envelope.sequence) is not after \(last), the last read in this session: "
                    + "a replayed or duplicated frame",
                sequence: envelope.sequence)
            return false
        }
        if let last = lastSequence[device], envelope.sequence > last + 1 {
            let missing = envelope.sequence - last - 1
            stats.sequenceGaps += 1
            stats.messagesMissing += Int(clamping: missing)
            logger.warning(
                "sequence gap: messages from the device were lost",
                metadata: [
                    "device.id": "\(device)", "seq.last": "\(last)", "seq.now": "\(envelope.sequence)",
                    "seq.missing": "\(missing)",
                ])
        }
        lastSequence[device] = envelope.sequence
        return true
    }
}
