//! Charts drawn on the server as SVG: no script, no library, readable without JavaScript, and
//! each with a title and a description for screen readers (the same figures are in the report's
//! tables).

use std::fmt::Write;

/// Escapes text for SVG content and attributes.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One horizontal bar: a label, a value and a second value drawn inside it (0 for none), both on
/// the chart's scale, and the text written after the bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The label on the left.
    pub label: String,
    /// The bar's length.
    pub value: i64,
    /// A darker part drawn over the bar from its start (what of the value is used, covered…).
    pub inner: i64,
    /// The figure written after the bar.
    pub text: String,
}

/// Longest label written whole above its bar; a longer one ends in «…» (and is whole in the
/// bar's tooltip).
const LABEL_CHARS: usize = 95;

/// Horizontal bars, one per row, each under its label (a school's full name has the chart's whole
/// width, never cut off at its left edge); `id` names the chart for tests and links.
pub fn hbars(id: &str, title: &str, bars: &[Bar]) -> String {
    let row = 40;
    let bar_w = 500.0;
    let height = bars.len().max(1) * row + 6;
    let max = bars.iter().map(|b| b.value.max(b.inner)).max().unwrap_or(0).max(1) as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-t" viewBox="0 0 720 {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = b.value.max(0) as f64 / max * bar_w;
        let inner = b.inner.clamp(0, b.value.max(b.inner)) as f64 / max * bar_w;
        let label: String = if b.label.chars().count() > LABEL_CHARS {
            format!("{}…", b.label.chars().take(LABEL_CHARS - 1).collect::<String>())
        } else {
            b.label.clone()
        };
        let _ = write!(
            out,
            r##"<g><title>{whole}</title><text x="0" y="{ty}" font-size="12" fill="#222">{label}</text><rect x="0" y="{by}" width="{w:.1}" height="16" fill="#b9d3ee"/><rect x="0" y="{by}" width="{inner:.1}" height="16" fill="#1f5f99"/><text x="{after:.1}" y="{vy}" font-size="12" fill="#222">{text}</text></g>"##,
            whole = esc(&b.label),
            ty = y + 12,
            by = y + 17,
            vy = y + 29,
            label = esc(&label),
            after = w.max(inner) + 6.0,
            text = esc(&b.text),
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars over time (one per day), with the first and last dates under the axis.
pub fn columns(id: &str, title: &str, points: &[(String, i64)], first: &str, last: &str, top: &str) -> String {
    let (w, h, left, bottom) = (720.0, 200.0, 10.0, 24.0);
    let n = points.len().max(1) as f64;
    let step = (w - 2.0 * left) / n;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-t" viewBox="0 0 {w} {h}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    let plot = h - bottom - 16.0;
    for (i, (label, v)) in points.iter().enumerate() {
        let bh = (*v).max(0) as f64 / max * plot;
        let x = left + i as f64 * step;
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" fill="#1f5f99"><title>{}</title></rect>"##,
            esc(label),
            y = 16.0 + plot - bh,
            bw = (step * 0.8).max(1.0),
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#555"/><text x="{left}" y="{ty}" font-size="12" fill="#222">{}</text><text x="{right}" y="{ty}" font-size="12" text-anchor="end" fill="#222">{}</text><text x="{left}" y="12" font-size="12" fill="#222">{}</text></svg>"##,
        esc(first),
        esc(last),
        esc(top),
        axis = 16.0 + plot,
        right = w - left,
        ty = h - 6.0,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scale_to_the_largest() {
        let svg = hbars(
            "c",
            "Охват <по> областям",
            &[
                Bar { label: "A & B".into(), value: 100, inner: 50, text: "50 %".into() },
                Bar { label: "<script>".into(), value: 50, inner: 0, text: "0 %".into() },
            ],
        );
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains(r#"width="500.0""#), "the largest bar fills the scale: {svg}");
        assert!(svg.contains(r#"width="250.0""#), "half of it is half as long");
        assert!(svg.contains("Охват &lt;по&gt; областям"));
    }

    #[test]
    fn a_long_school_name_is_written_whole_above_its_bar() {
        let name = "КГУ «Общеобразовательная школа № 12 имени Абая Кунанбаева» отдела образования г. Балхаш";
        let svg = hbars("s", "t", &[Bar { label: name.into(), value: 10, inner: 5, text: "5 / 10".into() }]);
        assert!(svg.contains(&format!(r##"fill="#222">{}</text>"##, esc(name))), "{svg}");
        assert!(svg.contains(r#"<text x="0""#), "from the chart's left edge, never beyond it");
        let longer = "Ш".repeat(120);
        let svg = hbars("s", "t", &[Bar { label: longer.clone(), value: 1, inner: 0, text: String::new() }]);
        assert!(svg.contains(&format!("{}…", "Ш".repeat(94))) && svg.contains(&format!("<title>{longer}</title>")));
    }

    #[test]
    fn columns_are_as_tall_as_their_share() {
        let svg = columns("d", "t", &[("01.08".into(), 10), ("02.08".into(), 5)], "01.08", "02.08", "10");
        assert!(svg.contains(r#"height="160.0""#), "{svg}");
        assert!(svg.contains(r#"height="80.0""#));
    }
}
