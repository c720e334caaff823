//! Just enough inline SVG for the report's charts: bars (grouped or stacked) and a scatter
//! plot, on a frame with a labelled y axis. No scripts or external styles, so the page works
//! offline and from a file.

use std::fmt::Write;

const W: f64 = 720.0;
const H: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;

/// One colour's values, one per category (bars) or per point (scatter).
pub struct Series {
    pub name: String,
    pub color: String,
    pub values: Vec<f64>,
    /// Text above each bar (bars only; empty for none).
    pub labels: Vec<String>,
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round step (1, 2 or 5 times a power of ten) giving about five ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag)
}

/// Short human form of a number: 1.5k, 20M, 0.25.
pub fn human(v: f64) -> String {
    let (d, suffix) = match v.abs() {
        a if a >= 1e9 => (1e9, "G"),
        a if a >= 1e6 => (1e6, "M"),
        a if a >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let x = v / d;
    let text = if x.fract().abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    text + suffix
}

/// The plot area and its y scale; draws the axes on creation.
struct Frame {
    svg: String,
    y_max: f64,
}

impl Frame {
    fn new(y_max: f64, y_label: &str) -> Frame {
        let step = tick_step(y_max);
        let y_max = (y_max / step).ceil().max(1.0) * step;
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">"#
        );
        let mut f = Frame {
            svg: String::new(),
            y_max,
        };
        let mut t = 0.0;
        while t <= y_max + step / 2.0 {
            let y = f.y(t);
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                W - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                human(t)
            );
            t += step;
        }
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#333"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/><text transform="translate(14,{:.1}) rotate(-90)" text-anchor="middle">{}</text>"##,
            H - BOTTOM,
            H - BOTTOM,
            W - RIGHT,
            H - BOTTOM,
            TOP + (H - TOP - BOTTOM) / 2.0,
            escape(y_label)
        );
        f.svg = svg;
        f
    }

    fn y(&self, v: f64) -> f64 {
        H - BOTTOM - (v / self.y_max).clamp(0.0, 1.0) * (H - TOP - BOTTOM)
    }

    fn x_label(&mut self, x: f64, text: &str) {
        let _ = write!(
            self.svg,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            H - BOTTOM + 16.0,
            escape(text)
        );
    }

    fn x_title(&mut self, text: &str) {
        let _ = write!(
            self.svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            LEFT + (W - LEFT - RIGHT) / 2.0,
            H - 8.0,
            escape(text)
        );
    }

    fn rect(&mut self, x: f64, w: f64, lo: f64, hi: f64, color: &str, tip: &str) {
        let (y0, y1) = (self.y(hi), self.y(lo));
        let _ = write!(
            self.svg,
            r#"<rect x="{x:.1}" y="{y0:.1}" width="{w:.1}" height="{:.1}" fill="{color}"><title>{}</title></rect>"#,
            (y1 - y0).max(0.0),
            escape(tip)
        );
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

fn slot_width(categories: usize) -> f64 {
    (W - LEFT - RIGHT) / categories.max(1) as f64
}

/// One group of bars per category, one bar per series.
pub fn grouped_bars(categories: &[String], series: &[Series], y_label: &str) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let mut f = Frame::new(max, y_label);
    let slot = slot_width(categories.len());
    let bar = slot * 0.8 / series.len().max(1) as f64;
    for (c, name) in categories.iter().enumerate() {
        let x0 = LEFT + slot * c as f64 + slot * 0.1;
        for (i, s) in series.iter().enumerate() {
            let v = s.values.get(c).copied().unwrap_or(0.0);
            let x = x0 + bar * i as f64;
            let label = s.labels.get(c).cloned().unwrap_or_default();
            f.rect(
                x,
                bar - 2.0,
                0.0,
                v,
                &s.color,
                &format!("{}: {name}: {label}", s.name),
            );
            let _ = write!(
                f.svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar / 2.0 - 1.0,
                f.y(v) - 3.0,
                escape(&label)
            );
        }
        f.x_label(LEFT + slot * (c as f64 + 0.5), name);
    }
    f.finish()
}

/// One bar per category, the series stacked on each other.
pub fn stacked_bars(categories: &[String], series: &[Series], y_label: &str, x_title: &str) -> String {
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| {
            series
                .iter()
                .map(|s| s.values.get(c).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let mut f = Frame::new(totals.iter().copied().fold(0.0, f64::max), y_label);
    let slot = slot_width(categories.len());
    for (c, name) in categories.iter().enumerate() {
        let mut base = 0.0;
        for s in series {
            let v = s.values.get(c).copied().unwrap_or(0.0);
            if v > 0.0 {
                f.rect(
                    LEFT + slot * c as f64 + 1.0,
                    slot - 2.0,
                    base,
                    base + v,
                    &s.color,
                    &format!("{name}: {} {}", human(v), s.name),
                );
            }
            base += v;
        }
        if !name.is_empty() {
            f.x_label(LEFT + slot * c as f64, name);
        }
    }
    f.x_title(x_title);
    f.finish()
}

/// Points (x, y) per series; x from 0 to `x_max`.
pub fn scatter(series: &[(Series, Vec<f64>)], x_max: f64, x_label: &str, y_label: &str) -> String {
    let y_max = series
        .iter()
        .flat_map(|(s, _)| s.values.iter().copied())
        .fold(0.0, f64::max);
    let mut f = Frame::new(y_max, y_label);
    let x_step = tick_step(x_max);
    let x_of = |x: f64| LEFT + (x / x_max.max(f64::MIN_POSITIVE)).clamp(0.0, 1.0) * (W - LEFT - RIGHT);
    let mut t = 0.0;
    while t <= x_max {
        f.x_label(x_of(t), &human(t));
        t += x_step;
    }
    for (s, xs) in series {
        for (x, y) in xs.iter().zip(&s.values) {
            let _ = write!(
                f.svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}" fill-opacity="0.75"><title>{}: {} ms at {}</title></circle>"#,
                x_of(*x),
                f.y(*y),
                s.color,
                escape(&s.name),
                human(*y),
                human(*x)
            );
        }
    }
    f.x_title(x_label);
    f.finish()
}

/// An HTML legend: coloured squares and names.
pub fn legend(items: &[(String, String)]) -> String {
    let mut html = String::from(r#"<div class="legend">"#);
    for (name, color) in items {
        let _ = write!(
            html,
            r#"<span><i style="background:{color}"></i>{}</span>"#,
            escape(name)
        );
    }
    html.push_str("</div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(100.0), 20.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(0.3), 0.1);
    }

    #[test]
    fn numbers_read_short() {
        assert_eq!(human(0.0), "0");
        assert_eq!(human(1500.0), "1.5k");
        assert_eq!(human(20e6), "20M");
        assert_eq!(human(0.25), "0.25");
    }

    #[test]
    fn charts_are_one_svg_element_with_escaped_text() {
        let s = Series {
            name: "a<b".into(),
            color: "#123".into(),
            values: vec![1.0, 3.0],
            labels: vec!["1".into(), "3".into()],
        };
        let cats = vec!["x&y".to_string(), "z".to_string()];
        for svg in [
            grouped_bars(&cats, std::slice::from_ref(&s), "n"),
            stacked_bars(&cats, std::slice::from_ref(&s), "n", "t"),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert_eq!(svg.matches("<svg").count(), 1);
            assert!(svg.contains("x&amp;y") && !svg.contains("a<b"));
        }
        let p = scatter(&[(s, vec![0.0, 5.0])], 10.0, "x", "y");
        assert_eq!(p.matches("<circle").count(), 2);
    }
}
