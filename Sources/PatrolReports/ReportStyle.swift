/// The report's inline style sheet.
///
/// It contains no `<` or `&`, so it can sit in a `<style>` element unescaped and still parse as
/// XML. Stroke widths of map shapes are screen pixels: the map sets `vector-effect` on them.
enum ReportStyle {
    static let css = """
        :root { --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec; --accent: #0b6e4f; }
        * { box-sizing: border-box; }
        body {
            margin: 0; color: var(--ink); background: #f5f7fa;
            font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
        header { padding-top: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; }
        h2 { font-size: 1.15em; margin: 28px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
        .meta { color: var(--muted); margin: 0 0 16px; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); gap: 10px; margin: 0; }
        .figure { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 10px; }
        .figure dt { color: var(--muted); font-size: 0.85em; }
        .figure dd { margin: 2px 0 0; font-size: 1.25em; font-weight: 600; font-variant-numeric: tabular-nums;
            white-space: nowrap; }
        .figure.coverage dd { color: var(--accent); }
        figure { margin: 0; background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 10px; }
        svg.map { display: block; width: 100%; height: auto; max-height: 80vh; background: #fbfcfd; }
        svg.plot { display: block; width: 100%; height: auto; background: #fff; border: 1px solid var(--rule);
            border-radius: 8px; }
        .legend { list-style: none; padding: 0; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px;
            font-size: 0.9em; }
        .legend li { display: flex; align-items: center; gap: 6px; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
        thead th { background: #eef2f6; font-weight: 600; }
        table.facts th { width: 40%; font-weight: 500; color: var(--muted); }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        a { color: var(--accent); }
        .timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--rule); }
        .timeline li { padding: 4px 0 4px 14px; }
        .timeline time { display: inline-block; min-width: 170px; color: var(--muted);
            font-variant-numeric: tabular-nums; }
        .timeline .first_detection span, .timeline .emergency span { color: #b91c1c; font-weight: 600; }
        footer { color: var(--muted); font-size: 0.85em; padding: 24px 20px 40px; }
        .boundary { fill: #eef2f6; stroke: #52606d; stroke-width: 1.5px; }
        .tower { fill: #9aa5b1; stroke: #52606d; stroke-width: 0.75px; }
        .nofly { fill: url(#nofly-hatch); stroke: #dc2626; stroke-width: 1.5px; }
        .planned { fill: #fff7d6; fill-opacity: 0.6; stroke: #b7791f; stroke-width: 1.5px; fill-rule: evenodd; }
        .seen { fill: #2f9e74; fill-opacity: 0.35; stroke: #2f9e74; stroke-width: 0.5px; fill-rule: evenodd; }
        .gap { fill: #7c3aed; fill-opacity: 0.15; stroke: #7c3aed; stroke-width: 1.5px; fill-rule: evenodd; }
        .weak { fill: #c2255c; fill-opacity: 0.35; stroke: none; }
        .route { fill: none; stroke: #334e68; stroke-width: 1.25px; stroke-dasharray: 6 4; }
        .track { fill: none; stroke: #d9480f; stroke-width: 1.5px; stroke-linejoin: round; }
        .detection { fill: #f59f00; stroke: #7c2d12; stroke-width: 0.75px; }
        .hive polygon { fill: #fcc419; stroke: #7c5e10; stroke-width: 1.5px; }
        .alert circle { fill: #e03131; stroke: #fff; stroke-width: 2px; }
        svg text { fill: var(--ink); }
        svg.map text.halo { fill: #fff; stroke: #fff; stroke-width: var(--halo); stroke-linejoin: round; }
        svg.map .alert text { font-weight: 700; }
        svg.map .alert text.alert-mark { fill: #fff; stroke: none; text-anchor: middle; }
        .scalebar .dark { fill: #1f2933; stroke: #1f2933; stroke-width: 1px; }
        .scalebar .light { fill: #fff; stroke: #1f2933; stroke-width: 1px; }
        .north polygon { fill: #1f2933; }
        .plot .grid { stroke: #e4e7eb; stroke-width: 1px; }
        .plot .axis { stroke: #7b8794; stroke-width: 1px; }
        .plot .battery { fill: none; stroke: #0b6e4f; stroke-width: 2px; }
        .plot .surveying { fill: #2f9e74; fill-opacity: 0.12; }
        .plot .quality { fill: none; stroke: #1f5fa8; stroke-width: 2px; }
        .plot .link-lost { fill: #c0392b; fill-opacity: 0.2; }
        .plot text { fill: var(--muted); font-size: 10px; }
        """
}
