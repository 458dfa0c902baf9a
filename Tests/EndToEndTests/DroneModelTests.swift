import Foundation
import PatrolGeo
import PatrolSim
import Testing

/// `DroneModel`: each part against an answer worked out by hand.
struct DroneModelTests {
    @Test func accelerationIsLimited() {
        let v = DroneModel.accelerate(from: XY(0, 0), towards: XY(10, 0), limit: 2, dt: 1)
        #expect(v == XY(2, 0))
        // Close enough: reached in one step.
        #expect(DroneModel.accelerate(from: XY(9, 0), towards: XY(10, 0), limit: 2, dt: 1) == XY(10, 0))
        // Turning 90° at 5 m/s with 5 m/s² for 1 s: a fifth... the change (−5, 5) limited to length 5.
        let turn = DroneModel.accelerate(from: XY(5, 0), towards: XY(0, 5), limit: 5, dt: 1)
        #expect(abs(turn.x - (5 - 5 / 2.0.squareRoot())) < 1e-12 && abs(turn.y - 5 / 2.0.squareRoot()) < 1e-12)
        #expect(DroneModel.climb(7, climbLimit: 4, descentLimit: 3) == 4)
        #expect(DroneModel.climb(-7, climbLimit: 4, descentLimit: 3) == -3)
    }

    @Test func windDriftsTheGroundSpeed() throws {
        let east = XY(1, 0)
        // Wind from the north at 6 m/s blows south: a pure crosswind on an eastward track, 3-4-5.
        let north6 = DroneModel.wind(speed: 6, from: 0)
        #expect(abs(north6.x) < 1e-12 && abs(north6.y + 6) < 1e-12)
        #expect(abs(try #require(DroneModel.groundSpeed(airspeed: 10, track: east, wind: north6)) - 8) < 1e-9)
        // Headwind 3 m/s (from the east) and tailwind 3 m/s (from the west).
        let head = try #require(
            DroneModel.groundSpeed(airspeed: 10, track: east, wind: DroneModel.wind(speed: 3, from: 90)))
        let tail = try #require(
            DroneModel.groundSpeed(airspeed: 10, track: east, wind: DroneModel.wind(speed: 3, from: 270)))
        #expect(abs(head - 7) < 1e-9 && abs(tail - 13) < 1e-9)
        // A crosswind stronger than the airspeed cannot be held.
        #expect(DroneModel.groundSpeed(airspeed: 5, track: east, wind: north6) == nil)
        // Uncorrected, 10 s at 8 m/s east in that wind ends 80 m east, 60 m south.
        let p = DroneModel.drift(XY(0, 0), airVelocity: XY(8, 0), wind: north6, dt: 10)
        #expect(abs(p.x - 80) < 1e-9 && abs(p.y + 60) < 1e-9)
    }

    @Test func powerByPhase() {
        // Hover 300 W, cruise 350 W at 8 m/s.
        #expect(DroneModel.power(hoverW: 300, cruiseW: 350, airspeed: 0, climbRate: 0, headwind: 0) == 300)
        #expect(DroneModel.power(hoverW: 300, cruiseW: 350, airspeed: 8, climbRate: 0, headwind: 0) == 350)
        #expect(DroneModel.power(hoverW: 300, cruiseW: 350, airspeed: 0, climbRate: 4, headwind: 0) == 540)
        // 5 m/s of headwind at cruise: 350 × 1.15.
        let head = DroneModel.power(hoverW: 300, cruiseW: 350, airspeed: 8, climbRate: 0, headwind: 5)
        #expect(abs(head - 402.5) < 1e-9)
    }

    @Test func batteryEnergySagAndReserve() throws {
        var battery = DroneModel.Battery(capacityWh: 100, cells: 6, resistance: 0.05, reserve: 0.2)
        #expect(abs(battery.openCircuitVoltage - 25.2) < 1e-12)
        // 300 W from a full 6S pack at 0.05 Ω: V = (25.2 + √(25.2² − 4·0.05·300)) / 2.
        let v = try #require(battery.voltage(under: 300))
        #expect(abs(v - (25.2 + (635.04 - 60).squareRoot()) / 2) < 1e-12)
        #expect(abs(v - 24.59) < 1e-5, "about 24.59 V: a 0.61 V sag")
        let current = 300 / v
        #expect(abs(v - (25.2 - current * 0.05)) < 1e-9, "V = V_oc − I R")
        #expect(battery.voltage(under: 4000) == nil, "more than the pack can give")
        // An hour at 50 W plus the I²R loss: about 2 A through 0.05 Ω, 0.2 W.
        battery.draw(50, for: 3600)
        #expect(battery.usedWh > 50.19 && battery.usedWh < 50.21)
        #expect(!battery.belowReserve)
        battery.fail(keeping: 0.2)
        #expect(abs(battery.remainingWh - (100 - battery.usedWh)) < 1e-12)
        #expect(battery.charge < 0.2 && battery.belowReserve)
    }

    @Test func lowBatteryReturnsWhenItCanElseLands() {
        // 1 km home at 10 m/s with 350 W is 100 s, 9.72 Wh; 40 m down at 2 m/s with 300 W, 1.67 Wh.
        let args = (distance: 1000.0, speed: 10.0, altitude: 40.0)
        #expect(
            DroneModel.lowBattery(
                remainingWh: 13, distanceHome: args.distance, groundSpeed: args.speed, altitude: args.altitude,
                cruiseW: 350, hoverW: 300, descentRate: 2) == .returnToHive)
        #expect(
            DroneModel.lowBattery(
                remainingWh: 12, distanceHome: args.distance, groundSpeed: args.speed, altitude: args.altitude,
                cruiseW: 350, hoverW: 300, descentRate: 2) == .land, "12.53 Wh with the 10 % margin")
    }

    @Test func detectionByDistanceAngleAndSize() {
        let d = DroneModel.Detector(fovDegrees: 90, imageWidth: 4000, halfPixels: 40, pixelScale: 10)
        // A target filling 90° is the whole image: radius = distance.
        #expect(abs(d.pixels(radius: 10, distance: 10) - 4000) < 1e-9)
        // Radius r at the distance where it is exactly 40 px: a coin toss straight ahead.
        let angle = 40.0 / 4000 * (.pi / 2)
        let distance = 5 / tan(angle / 2)
        #expect(abs(d.probability(radius: 5, distance: distance, offAxisDegrees: 0) - 0.5) < 1e-9)
        // Off axis it falls with the cosine; outside the field of view (±45°) it is 0.
        #expect(
            abs(d.probability(radius: 5, distance: distance, offAxisDegrees: 40) - 0.5 * cos(40 * Double.pi / 180))
                < 1e-9)
        #expect(d.probability(radius: 5, distance: distance, offAxisDegrees: 46) == 0)
        // Nearer and bigger is likelier.
        #expect(d.probability(radius: 5, distance: distance / 2, offAxisDegrees: 0) > 0.95)
        #expect(d.probability(radius: 10, distance: distance, offAxisDegrees: 0) > 0.95)
        #expect(d.probability(radius: 5, distance: distance * 2, offAxisDegrees: 0) < 0.15)
        #expect(d.confidence(probability: 1) == 0.95 && d.confidence(probability: 0) == 0.5)
        let fp = DroneModel.Detector(falsePositivesPerHour: 36)
        #expect(abs(fp.falsePositiveChance(dt: 0.5) - 0.005) < 1e-15)
    }

    @Test func smokeGrowsAndDriftsWithTheWind() {
        let plume = DroneModel.Plume(initialRadius: 5, growth: 0.1, maxRadius: 30, maxPlume: 200)
        #expect(plume.radius(age: -1) == 0)
        #expect(plume.radius(age: 0) == 5)
        #expect(abs(plume.radius(age: 100) - 15) < 1e-12)
        #expect(plume.radius(age: 1000) == 30)
        // 4 m/s from the north for 30 s: a 120 m plume, its centre 60 m south.
        let wind = DroneModel.wind(speed: 4, from: 0)
        let c = plume.centreOffset(age: 30, wind: wind)
        #expect(abs(c.x) < 1e-9 && abs(c.y + 60) < 1e-9)
        // Long after: capped at 200 m, centre 100 m downwind.
        #expect(abs(plume.centreOffset(age: 3600, wind: wind).y + 100) < 1e-9)
        #expect(plume.centreOffset(age: 30, wind: XY(0, 0)) == XY(0, 0))
    }
}
