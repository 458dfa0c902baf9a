import Foundation
import Logging
import PatrolAlerts
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolStore

extension Coordinator {
    /// Stores a gateway's batch of readings in one transaction, folds the new ones over threshold
    /// into alerts, runs their linked actions, then acknowledges the whole batch.
    ///
    /// A batch with any invalid reading is refused whole (the error names the reading), and a
    /// store failure acknowledges nothing, so the gateway resends.
    func readings(_ batch: SensorReadings, from device: String) throws {
        guard !batch.readings.isEmpty else { throw Validate.Problem("readings: list at least one reading") }
        for (index, reading) in batch.readings.enumerated() { try Validate.reading(reading, index: index) }
        let fresh = try store.record(batch.readings.map { Self.stored($0, gateway: device) })
        for (reading, isNew) in zip(batch.readings, fresh) {
            // A resent reading whose observation is missing was stored just before a crash: fold it now.
            let missing =
                try !isNew && overThreshold(reading)
                && !store.hasDetection(deviceID: device, detectionID: reading.id)
            if isNew || missing { try observe(reading, from: device) }
        }
        robotReadings(batch.readings, fresh: fresh, from: device)
        send(.readingsAck(ReadingsAck(readingIDs: batch.readings.map(\.id))), to: device)
    }

    func overThreshold(_ reading: SensorReading) -> Bool {
        configuration.sensorRules.exceeded(kind: reading.kind.rawValue, value: reading.value, unit: reading.unit) != nil
    }

    static func stored(_ r: SensorReading, gateway: String) -> StoredReading {
        StoredReading(
            gatewayID: gateway, readingID: r.id, sensorID: r.sensor, kind: r.kind.rawValue, value: r.value,
            unit: r.unit,
            time: r.time, position: r.location.position, building: r.location.building, floor: r.location.floor,
            zone: r.location.zone)
    }

    /// Turns a stored reading over its threshold into an observation, and switches on what its rules link to it.
    ///
    /// - Throws: ``StoreError`` when the observation cannot be stored: the batch is then not
    ///   acknowledged, and its resend folds the reading again (its observation is missing).
    func observe(_ reading: SensorReading, from device: String) throws {
        let rules = configuration.sensorRules
        let kind = reading.kind.rawValue
        guard let threshold = rules.exceeded(kind: kind, value: reading.value, unit: reading.unit) else { return }
        let place = reading.location.position ?? reading.location.zone.flatMap { rules.zones[$0] }
        if let place {
            let detection = Detection(
                id: reading.id, time: reading.time, kind: threshold.detectionClass, confidence: 1, position: place,
                positionError: reading.location.position == nil ? 15 : 5,
                evidence: "sensor \(reading.sensor): \(kind) \(reading.value) \(reading.unit)")
            // Each detector on a gateway is its own source: two smoke detectors are independent witnesses.
            try fold(detection, from: device, flightID: nil, source: "\(device)/\(reading.sensor)")
        } else {
            logger.warning(
                "a reading over threshold has no known place",
                metadata: ["reading.id": "\(reading.id)", "sensor.id": "\(reading.sensor)"])
        }
        for actuation in rules.actuations(kind: kind, zone: reading.location.zone) {
            switchOn(actuation, cause: reading)
        }
    }

    /// Sends `switch_actuator` on to the actuation's device once; recorded like every command, with its ack.
    func switchOn(_ actuation: SensorRules.Actuation, cause: SensorReading) {
        let key = "\(actuation.device)/\(actuation.actuator)"
        guard !actuatorsOn.contains(key) else { return }
        guard sessions[actuation.device] != nil else {
            // Tried again on the next reading over threshold.
            logger.warning(
                "actuator's device is not connected",
                metadata: ["device.id": "\(actuation.device)", "actuator.id": "\(actuation.actuator)"])
            return
        }
        let id = nextCommandID()
        do {
            try store.recordCommand(
                id: id, deviceID: actuation.device, flightID: nil, action: Command.Action.switchActuator.rawValue,
                at: clock.now())
        } catch {
            logger.error("cannot record a command", metadata: ["command.id": "\(id)", "store.error": "\(error)"])
            return
        }
        actuatorsOn.insert(key)
        send(
            .command(Command(id: id, action: .switchActuator, flightID: nil, actuator: actuation.actuator, on: true)),
            to: actuation.device)
        logger.notice(
            "actuator switched on by rule",
            metadata: [
                "device.id": "\(actuation.device)", "actuator.id": "\(actuation.actuator)", "command.id": "\(id)",
                "reading.id": "\(cause.id)",
            ])
        emit(.actuatorCommanded(device: actuation.device, actuator: actuation.actuator, on: true, commandID: id))
    }

    /// Stores a hive's status, so flight reports can give the weather at the hive.
    ///
    /// - Throws: ``StoreError`` when it cannot be stored.
    func hiveStatus(_ status: HiveStatus, at time: Date, from device: String) throws {
        logger.debug("hive status", metadata: ["device.id": "\(device)", "hive.door": "\(status.door.rawValue)"])
        try store.record(
            StoredHiveStatus(
                deviceID: device, time: time, door: status.door.rawValue, charging: status.charging,
                windSpeed: status.windSpeed, windFrom: status.windFrom, rain: status.rain,
                temperature: status.temperature))
    }
}

extension Validate {
    static func reading(_ r: SensorReading, index: Int) throws(Problem) {
        let at = "readings[\(index)]"
        guard !r.id.isEmpty, r.id.count <= 128 else { throw Problem("\(at).id: 1 to 128 characters") }
        guard !r.sensor.isEmpty, r.sensor.count <= 128 else { throw Problem("\(at).sensor: 1 to 128 characters") }
        guard !r.unit.isEmpty else { throw Problem("\(at).unit: empty") }
        if let p = r.location.position, !p.isValid { throw Problem("\(at).location.position: not a valid lon/lat") }
    }

    static func hiveStatus(_ s: HiveStatus) throws(Problem) {
        guard s.windSpeed.isFinite, (0...100).contains(s.windSpeed) else { throw Problem("wind_speed: out of range") }
        guard s.windFrom.isFinite, (0...360).contains(s.windFrom) else {
            throw Problem("wind_from: expected 0 to 360 degrees")
        }
        guard s.rain.isFinite, (0...500).contains(s.rain) else { throw Problem("rain: expected 0 to 500 mm/h") }
        guard s.temperature.isFinite, (-60...80).contains(s.temperature) else {
            throw Problem("temperature: out of range")
        }
    }
}
