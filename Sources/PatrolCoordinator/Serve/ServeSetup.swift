public import Foundation
public import PatrolModel

/// The site, fleet and launchable missions `patrol serve` works with, loaded from its configuration.
public struct ServeSetup: Sendable {
    public var site: Site
    public var siteFile: URL
    public var fleet: Fleet
    /// Launchable missions by id.
    public var missions: [String: LoadedMission]

    public init(site: Site, siteFile: URL, fleet: Fleet, missions: [String: LoadedMission]) {
        self.site = site
        self.siteFile = siteFile
        self.fleet = fleet
        self.missions = missions
    }

    /// Loads the files a configuration names, checking that they describe one site.
    /// - Throws: ``LoadError`` for the first bad file, or a mission or fleet of another site.
    public static func load(_ configuration: ServeConfiguration) throws(LoadError) -> ServeSetup {
        let site = try Site.load(from: configuration.siteFile)
        let fleet = try Fleet.load(from: configuration.fleetFile)
        guard fleet.siteID == site.id else {
            throw LoadError(
                file: configuration.fleetFile.path, field: "site",
                message: "the fleet is for site `\(fleet.siteID)`, the configuration's site is `\(site.id)`")
        }
        var missions: [String: LoadedMission] = [:]
        for file in configuration.missionFiles {
            let loaded = try Mission.load(from: file)
            guard loaded.site.id == site.id else {
                throw LoadError(
                    file: file.path, field: "site",
                    message: "mission `\(loaded.mission.id)` is for site `\(loaded.site.id)`, not `\(site.id)`")
            }
            if let other = missions[loaded.mission.id] {
                throw LoadError(
                    file: file.path, field: "id",
                    message: "mission id `\(loaded.mission.id)` is also the id of \(other.file.path)")
            }
            missions[loaded.mission.id] = loaded
        }
        return ServeSetup(site: site, siteFile: configuration.siteFile, fleet: fleet, missions: missions)
    }
}
