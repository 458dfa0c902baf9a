public import PatrolModel

/// The kinds of party that take events: the ten social parties of the outer loop, and the
/// inner loop and emergency services behind them.
public enum PartyKind: String, Hashable, Sendable, CaseIterable {
    // The outer loop: social parties that answer first, through the phone app.
    case propertyCompany = "property_company"
    case propertyManager = "property_manager"
    case buildingSteward = "building_steward"
    case sanitationContractor = "sanitation_contractor"
    case shopOwner = "shop_owner"
    case parkingOperator = "parking_operator"
    case liftMaintenance = "lift_maintenance"
    case utilityCompany = "utility_company"
    case greeningContractor = "greening_contractor"
    case securityTeam = "security_team"
    // The inner loop and emergency services.
    case communityOffice = "community_office"
    case streetEnforcement = "street_enforcement"
    case emergencyTeam = "emergency_team"
    case fireService = "fire_service"
}

/// Someone who can be notified of an incident.
public struct Party: Hashable, Sendable {
    public var id: String
    public var name: String
    public var kind: PartyKind
    /// How to reach them (an app channel, a phone number); free text, optional.
    public var contact: String?

    public init(id: String, name: String, kind: PartyKind, contact: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.contact = contact
    }
}

/// Where an incident is, in the site's own terms: the areas it lies in and the tower, if any.
public struct Placement: Hashable, Sendable {
    /// The ids of the site's areas (`areas.geojson`) the incident lies in.
    public var areas: Set<String>
    /// The id of the tower whose footprint holds it (`T01`…), if any.
    public var tower: String?

    public init(areas: Set<String> = [], tower: String? = nil) {
        self.areas = areas
        self.tower = tower
    }

    /// Somewhere on the site, in no particular area or tower.
    public static let site = Placement()
}

/// Who is responsible for what, where: the list by which events are dispatched.
public struct ResponsibilityMap: Hashable, Sendable {
    /// One line of the list: these classes, in this scope, go to this party.
    public struct Rule: Hashable, Sendable {
        /// The classes the rule covers; empty means every class.
        public var classes: Set<DetectionClass>
        /// The areas it covers; empty with no towers means the whole site.
        public var areas: Set<String>
        /// The towers it covers.
        public var towers: Set<String>
        /// The id of the party that takes what the rule covers.
        public var party: String

        public init(classes: Set<DetectionClass>, areas: Set<String> = [], towers: Set<String> = [], party: String) {
            self.classes = classes
            self.areas = areas
            self.towers = towers
            self.party = party
        }

        /// 2 for a tower rule, 1 for an area rule, 0 for the whole site; `nil` when it does not apply.
        func specificity(_ kind: DetectionClass, _ placement: Placement) -> Int? {
            guard classes.isEmpty || classes.contains(kind) else { return nil }
            if !towers.isEmpty { return placement.tower.map { towers.contains($0) ? 2 : nil } ?? nil }
            if !areas.isEmpty { return areas.isDisjoint(with: placement.areas) ? nil : 1 }
            return 0
        }
    }

    /// Every party the map names, by id.
    public var parties: [String: Party]
    /// The rules, in file order.
    public var rules: [Rule]
    /// The party that takes whatever no rule covers.
    public var defaultParty: String

    public init(parties: [Party], rules: [Rule], defaultParty: String) {
        self.parties = Dictionary(parties.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.rules = rules
        self.defaultParty = defaultParty
    }

    /// The party responsible for an incident of `kind` at `placement`: the most specific rule
    /// (tower, then area, then the whole site), the first in the file among equals, else the default.
    public func responsible(for kind: DetectionClass, at placement: Placement) -> Party {
        var best: (rank: Int, party: String)?
        for rule in rules {
            if let rank = rule.specificity(kind, placement), rank > (best?.rank ?? -1) { best = (rank, rule.party) }
        }
        let id = best?.party ?? defaultParty
        return parties[id] ?? Party(id: id, name: id, kind: .propertyCompany)
    }

    /// The party with `id`, if the map names one.
    public func party(_ id: String) -> Party? { parties[id] }
}
