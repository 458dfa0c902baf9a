import GRDB

/// The database schema, as ordered migrations. Never edit a shipped migration: add one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: flights, telemetry, detections, alerts, events, commands") { db in
            try db.create(table: "flight") { t in
                t.primaryKey("id", .text)
                t.column("missionID", .text).notNull()
                t.column("deviceID", .text).notNull()
                t.column("status", .text).notNull()
                t.column("route", .jsonText).notNull()
                t.column("startedAt", .datetime)
                t.column("endedAt", .datetime)
            }
            try db.create(table: "telemetry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("flightID", .text).indexed()
                t.column("deviceID", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("time", .datetime).notNull()
                t.column("lon", .double).notNull()
                t.column("lat", .double).notNull()
                t.column("altitude", .double).notNull()
                t.column("heading", .double).notNull()
                t.column("speed", .double).notNull()
                t.column("battery", .double).notNull()
                t.column("state", .text).notNull()
                t.column("waypointIndex", .integer).notNull()
            }
            try db.create(table: "alert") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("state", .text).notNull()
                t.column("lon", .double).notNull()
                t.column("lat", .double).notNull()
                t.column("positionError", .double).notNull()
                t.column("firstSeen", .datetime).notNull()
                t.column("lastSeen", .datetime).notNull()
                t.column("observations", .integer).notNull()
                t.column("confidence", .double).notNull()
                t.column("source", .text).notNull()
                t.column("flightID", .text)
            }
            try db.create(table: "alertTransition") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alertID", .text).notNull().indexed().references("alert")
                t.column("fromState", .text)
                t.column("toState", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text).notNull()
            }
            try db.create(table: "detection") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deviceID", .text).notNull()
                t.column("detectionID", .text).notNull()
                t.column("flightID", .text).indexed()
                t.column("time", .datetime).notNull()
                t.column("kind", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("lon", .double).notNull()
                t.column("lat", .double).notNull()
                t.column("positionError", .double).notNull()
                t.column("evidence", .text)
                t.column("alertID", .text).references("alert")
                // At-least-once delivery: a resent detection is recognised and stored once.
                t.uniqueKey(["deviceID", "detectionID"])
            }
            try db.create(table: "deviceEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deviceID", .text).notNull()
                t.column("eventID", .text).notNull()
                t.column("flightID", .text)
                t.column("kind", .text).notNull()
                t.column("time", .datetime).notNull()
                t.column("detail", .text)
                t.uniqueKey(["deviceID", "eventID"])
            }
            try db.create(table: "command") { t in
                t.primaryKey("id", .text)
                t.column("deviceID", .text).notNull()
                t.column("flightID", .text)
                t.column("action", .text).notNull()
                t.column("sentAt", .datetime).notNull()
                t.column("answeredAt", .datetime)
                t.column("accepted", .boolean)
                t.column("reason", .text)
            }
        }
        migrator.registerMigration("v2: escalation deadlines and notifications") { db in
            // At most one pending deadline per incident; firing replaces it with the next one.
            try db.create(table: "escalationDeadline") { t in
                t.primaryKey("alertID", .text).references("alert", onDelete: .cascade)
                t.column("due", .datetime).notNull().indexed()
                t.column("startedAt", .datetime).notNull()
                t.column("levels", .text).notNull()
                t.column("reminder", .boolean).notNull()
                t.column("responsible", .text).notNull()
            }
            try db.create(table: "alertNotification") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alertID", .text).notNull().indexed().references("alert", onDelete: .cascade)
                t.column("level", .text).notNull()
                t.column("recipient", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("due", .datetime).notNull()
                t.column("reminder", .boolean).notNull()
            }
        }
        migrator.registerMigration("v2-reports: flight plan record (mission, site snapshot, planned area)") { db in
            // What a report needs beyond telemetry, so a flight's report can be rebuilt from the
            // database alone. One row per flight, written when the flight is launched.
            try db.create(table: "flightPlan") { t in
                t.primaryKey("flightID", .text).references("flight", onDelete: .cascade)
                t.column("mission", .jsonText).notNull()
                t.column("site", .jsonText).notNull()
                t.column("siteFile", .text)
                t.column("plannedArea", .jsonText).notNull()
                t.column("minimumGapArea", .double).notNull()
            }
        }
        migrator.registerMigration("v3-readings: fixed-sensor readings from gateways") { db in
            // At-least-once delivery: a resent reading is recognised by (gateway, reading id) and
            // stored once. Readings arrive in batches, one transaction each.
            try db.create(table: "sensorReading") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("gatewayID", .text).notNull()
                t.column("readingID", .text).notNull()
                t.column("sensorID", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("value", .double).notNull()
                t.column("unit", .text).notNull()
                t.column("time", .datetime).notNull()
                t.column("lon", .double)
                t.column("lat", .double)
                t.column("building", .text)
                t.column("floor", .integer)
                t.column("zone", .text)
                t.uniqueKey(["gatewayID", "readingID"])
            }
        }
        migrator.registerMigration("v4-hive-status: hive door, charging and weather station") { db in
            // Every `hive_status` a hive sends, so a flight's report can give the weather at its hive.
            try db.create(table: "hiveStatus") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deviceID", .text).notNull()
                t.column("time", .datetime).notNull()
                t.column("door", .text).notNull()
                t.column("charging", .boolean).notNull()
                t.column("windSpeed", .double).notNull()
                t.column("windFrom", .double).notNull()
                t.column("rain", .double).notNull()
                t.column("temperature", .double).notNull()
            }
            try db.create(index: "hiveStatus_device_time", on: "hiveStatus", columns: ["deviceID", "time"])
        }
        migrator.registerMigration("v5-link-quality: the link quality a vehicle reports with its telemetry") { db in
            // Optional on the wire, so nullable here; older rows have none.
            try db.alter(table: "telemetry") { t in t.add(column: "linkQuality", .double) }
        }
        migrator.registerMigration("v6-fusion: incident sources, confirmation and re-ignition link") { db in
            // Additive: older incidents read as seen by no recorded source, unconfirmed, unlinked.
            try db.alter(table: "alert") { t in
                t.add(column: "sources", .jsonText).notNull().defaults(to: "{}")
                t.add(column: "confirmed", .boolean).notNull().defaults(to: false)
                t.add(column: "reopenedFrom", .text).references("alert")
            }
        }
        migrator.registerMigration("v7-robot-rounds: a ground robot's round, checkpoints and spoken warnings") { db in
            try Schema.createRobotRounds(db)
        }
        migrator.registerMigration("v8-audit: every operator command, who and when, with its outcome") { db in
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .datetime).notNull().indexed()
                t.column("operator", .text).notNull()
                t.column("role", .text).notNull()
                t.column("command", .text).notNull()
                t.column("args", .jsonText).notNull()
                t.column("outcome", .text).notNull()  // ok, refused
                t.column("detail", .text)
            }
        }
        migrator.registerMigration("v9-alerts-silences: silences, held-back escalation steps, automatic actions") {
            db in
            try db.create(table: "silence") { t in
                t.primaryKey("id", .text)
                t.column("start", .datetime).notNull()
                t.column("end", .datetime).notNull().indexed()
                t.column("classes", .jsonText).notNull()
                t.column("places", .jsonText).notNull()
                t.column("sources", .jsonText).notNull()
                t.column("by", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "alertSuppression") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alertID", .text).notNull().indexed().references("alert", onDelete: .cascade)
                t.column("at", .datetime).notNull()
                t.column("cause", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("until", .datetime).notNull()
                t.column("reason", .text).notNull()
            }
            try db.create(table: "alertAction") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alertID", .text).notNull().indexed().references("alert", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("commandID", .text)
                // Each action once per incident and target: a restart or a second sighting does not repeat it.
                t.uniqueKey(["alertID", "kind", "target"])
            }
        }
        migrator.registerMigration("v10-sortie-queue: requested sorties, so the queue survives a restart") { db in
            try db.create(table: "sortieRequest") { t in
                t.primaryKey("id", .text)
                t.column("request", .jsonText).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v11-telemetry-attitude: absolute altitude, climb rate and attitude") { db in
            // Optional on the wire, so nullable here; older rows have none.
            try db.alter(table: "telemetry") { t in
                t.add(column: "altitudeAMSL", .double)
                t.add(column: "verticalSpeed", .double)
                t.add(column: "roll", .double)
                t.add(column: "pitch", .double)
                t.add(column: "yaw", .double)
            }
        }
        migrator.registerMigration("v12-live-day: the applied day's problem and schedule, for live re-planning") { db in
            try db.create(table: "liveDay") { t in
                t.primaryKey("day", .text)
                t.column("document", .jsonText).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v13-diversions: urgent looks under way, so a diversion survives a restart") { db in
            try db.create(table: "diversion") { t in
                t.primaryKey("urgentID", .text)
                t.column("routineID", .text).notNull()
                t.column("vehicle", .text).notNull()
                t.column("record", .jsonText).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v14-round-moves: a queued sortie's due time, and where a round was moved") { db in
            // Nullable: a row kept before has neither; its sortie holds from its planned launch.
            try db.alter(table: "sortieRequest") { t in
                t.add(column: "due", .datetime)
                t.add(column: "movedLaunch", .datetime)
                t.add(column: "movedVehicle", .text)
                t.add(column: "moveReason", .text)
                t.add(column: "holdUntil", .datetime)
                // A round moved off a robot lost or faulted: that robot and the time it had.
                t.add(column: "movedOffVehicle", .text)
                t.add(column: "movedOffLaunch", .datetime)
            }
        }
        return migrator
    }
}
