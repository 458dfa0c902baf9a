import Foundation
import PatrolGeo
import Testing

struct GeoJSONTests {
    func parse(_ text: String) throws -> [GeoFeature] {
        try GeoJSON.features(from: Data(text.utf8), file: "layer.geojson")
    }

    @Test func readsPolygonsAndPoints() throws {
        let features = try parse(
            """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"id":"a","height_m":120},
               "geometry":{"type":"Polygon","coordinates":[[[114.1,22.5],[114.1,22.51],[114.11,22.51],[114.1,22.5]]]}},
              {"type":"Feature","properties":{"id":"p"},"geometry":{"type":"Point","coordinates":[114.1,22.5]}}
            ]}
            """)
        #expect(features.count == 2)
        #expect(features[0].id == "a")
        #expect(features[0].properties["height_m"]?.number == 120)
        // The clockwise ring was normalised to counter-clockwise.
        guard case .polygon(let p) = features[0].geometry else { Issue.record("not a polygon"); return }
        #expect(p.exterior[1] == LonLat(lon: 114.11, lat: 22.51))
    }

    @Test func unclosedRingNamesFeatureAndField() {
        #expect {
            _ = try parse(
                """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"hill"},
                 "geometry":{"type":"Polygon","coordinates":[[[114.1,22.5],[114.2,22.5],[114.2,22.6],[114.1,22.6]]]}}]}
                """)
        } throws: { error in
            let text = "\(error)"
            return text.contains("layer.geojson: features[0] (id \"hill\"): geometry.coordinates[0]")
                && text.contains("does not close")
        }
    }

    @Test(arguments: [
        ("not json", "not valid JSON"),
        (#"{"type":"Feature"}"#, "FeatureCollection"),
        (
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[22.5]}}]}"#,
            "position"
        ),
        (
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500,22.5]}}]}"#,
            "out of range"
        ),
        (
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[1,2]}}]}"#,
            "unsupported geometry"
        ),
    ])
    func badDocuments(text: String, expected: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func writesWhatItReads() throws {
        let feature = GeoFeature(
            geometry: .lineString([LonLat(lon: 114.1, lat: 22.5), LonLat(lon: 114.2, lat: 22.6)]),
            properties: ["id": "r"])
        let data = GeoJSON.data([
            feature, GeoFeature(geometry: .point(LonLat(lon: 114.1, lat: 22.5)), properties: ["id": "p"]),
        ])
        #expect(
            try GeoJSON.features(from: data, file: "out").map(\.geometry) == [
                feature.geometry, .point(LonLat(lon: 114.1, lat: 22.5)),
            ])
    }
}
