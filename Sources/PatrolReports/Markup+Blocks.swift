/// Blocks that the flight and daily pages share.
extension Markup {
    /// A whole self-contained page: the doctype, a head with `title` and the inline `css`, and a
    /// body that `body` writes. The result parses as XML.
    static func document(title: String, css: String, body: (inout Markup) -> Void) -> String {
        var m = Markup()
        m.raw("<!DOCTYPE html>\n")
        m.element("html", [("xmlns", "http://www.w3.org/1999/xhtml"), ("lang", "en")]) { m in
            m.element("head") { m in
                m.empty("meta", [("charset", "utf-8")])
                m.empty("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
                m.element("title", text: title)
                m.element("style") { $0.raw(css) }
            }
            m.element("body") { body(&$0) }
        }
        return m.text
    }

    /// The headline figures: a `<dl class="figures">` of boxes, each with its own CSS class.
    mutating func figures(_ items: [(style: String, name: String, value: String)]) {
        element("dl", [("class", "figures")]) { m in
            for item in items {
                m.element("div", [("class", item.style.isEmpty ? "figure" : "figure \(item.style)")]) { m in
                    m.element("dt", text: item.name)
                    m.element("dd", text: item.value)
                }
            }
        }
    }

    /// A table with a header row of `columns`; `rows` writes the `<tr>` elements of its body.
    mutating func table(columns: [String], rows: (inout Markup) -> Void) {
        element("table") { m in
            m.element("thead") { m in
                m.element("tr") { m in
                    for name in columns { m.element("th", [("scope", "col")], text: name) }
                }
            }
            m.element("tbody") { rows(&$0) }
        }
    }
}
