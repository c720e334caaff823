//! `report.html`: one self-contained page (inline CSS and SVG, no scripts) for one campaign, or
//! several that differ only in replica count, side by side.

use std::fmt::Write;

use super::classify::{FaultOutcome, Mechanism};
use super::fault::Model;
use super::merge::CampaignData;
use super::record::FaultResult;
use super::summary::{summarize, Summary};
use super::svg::{escape, grouped_bars, human, legend, scatter, stacked_bars, Series};

const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}\
th{background:#f4f4f4}td.l,th.l{text-align:left}code{font-size:90%;word-break:break-all}h2{margin-top:1.8em}\
.legend span{margin-right:1.2em}.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-1px}\
.note{color:#555;font-size:90%}";

fn outcome_color(o: FaultOutcome) -> &'static str {
    match o {
        FaultOutcome::Masked => "#a0aec0",
        FaultOutcome::Recovered => "#38a169",
        FaultOutcome::Halted => "#3182ce",
        FaultOutcome::Escaped => "#e53e3e",
        FaultOutcome::Hang => "#dd6b20",
        FaultOutcome::Error => "#805ad5",
    }
}

fn mechanism_color(m: Mechanism) -> &'static str {
    match m {
        Mechanism::Output => "#2b6cb0",
        Mechanism::Digest => "#b83280",
    }
}

/// Campaign colours, most replicas first.
const CAMPAIGN_COLORS: [&str; 3] = ["#2f855a", "#c05621", "#6b46c1"];

fn label(replicas: usize) -> String {
    match replicas {
        1 => "1 replica (unprotected)".into(),
        n => format!("{n} replicas"),
    }
}

fn pct(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

/// The page for `campaigns` (one campaign, or several differing only in replica count).
pub fn html(campaigns: &[CampaignData]) -> String {
    let summaries: Vec<Summary> = campaigns
        .iter()
        .map(|c| summarize(&c.config, &c.golden, &c.results))
        .collect();
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>extravirt fault-injection campaign</title><style>{STYLE}</style></head><body><h1>extravirt fault-injection campaign</h1>"
    );
    if let Some(first) = campaigns.first() {
        arguments(&mut h, first);
    }
    outcomes(&mut h, &summaries);
    for (c, s) in campaigns.iter().zip(&summaries) {
        by_model(&mut h, c, s);
    }
    latency(&mut h, campaigns);
    recovery(&mut h, campaigns);
    for c in campaigns {
        notable(&mut h, c);
    }
    h.push_str("</body></html>\n");
    h
}

fn arguments(h: &mut String, c: &CampaignData) {
    let cfg = &c.config;
    let rows = [
        ("kernel", cfg.kernel.path.clone()),
        (
            "initrd",
            cfg.initrd.as_ref().map_or("-".into(), |f| f.path.clone()),
        ),
        ("disk", cfg.disk.as_ref().map_or("-".into(), |f| f.path.clone())),
        ("append", cfg.append.clone()),
        ("memory", format!("{} MiB", cfg.memory >> 20)),
        (
            "checkpoint interval",
            cfg.checkpoint_interval
                .map_or("default".into(), |i| human(i as f64)),
        ),
        ("fault model", cfg.model.to_string()),
        ("seed", cfg.seed.to_string()),
        ("faults planned", cfg.faults.to_string()),
        (
            "golden run",
            format!(
                "{} instructions, exit status {}",
                human(c.golden.instructions as f64),
                c.golden.exit
            ),
        ),
    ];
    h.push_str("<table>");
    for (k, v) in rows {
        let _ = write!(
            h,
            "<tr><th class=\"l\">{k}</th><td class=\"l\"><code>{}</code></td></tr>",
            escape(&v)
        );
    }
    h.push_str("</table>");
}

fn outcomes(h: &mut String, summaries: &[Summary]) {
    h.push_str("<h2>Outcomes</h2><table><tr><th class=\"l\">campaign</th><th>faults</th>");
    for o in FaultOutcome::ALL {
        let _ = write!(h, "<th>{}</th>", o.name());
    }
    h.push_str("</tr>");
    for s in summaries {
        let _ = write!(
            h,
            "<tr><td class=\"l\">{}</td><td>{}</td>",
            label(s.replicas),
            s.faults
        );
        for o in FaultOutcome::ALL {
            let n = s.count(o);
            let _ = write!(h, "<td>{n} ({:.1}%)</td>", pct(n, s.faults));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    let categories: Vec<String> = FaultOutcome::ALL.iter().map(|o| o.name().to_string()).collect();
    let series: Vec<Series> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| Series {
            name: label(s.replicas),
            color: CAMPAIGN_COLORS[i % 3].into(),
            values: FaultOutcome::ALL
                .iter()
                .map(|&o| pct(s.count(o), s.faults))
                .collect(),
            labels: FaultOutcome::ALL
                .iter()
                .map(|&o| s.count(o).to_string())
                .collect(),
        })
        .collect();
    let items: Vec<(String, String)> = series.iter().map(|s| (s.name.clone(), s.color.clone())).collect();
    h.push_str(&legend(&items));
    h.push_str(&grouped_bars(&categories, &series, "% of faults"));
    h.push_str("<p class=\"note\">masked: no divergence, same output; recovered: divergence detected and repaired, same output; halted: no majority, stopped having released a prefix of the golden output; escaped: released output (console, disk, end point) differs; hang: no poweroff within twice the golden instruction count; error: extravirt failed or timed out.</p>");
}

/// Outcome counts per target kind: what each part of the fault model does.
fn by_model(h: &mut String, c: &CampaignData, s: &Summary) {
    let _ = write!(
        h,
        "<h2>By target: {}</h2><table><tr><th class=\"l\">target</th><th>faults</th>",
        label(s.replicas)
    );
    for o in FaultOutcome::ALL {
        let _ = write!(h, "<th>{}</th>", o.name());
    }
    h.push_str("</tr>");
    for m in Model::SINGLE {
        let of_model: Vec<&FaultResult> = c.results.iter().filter(|r| r.model() == Some(m)).collect();
        if of_model.is_empty() {
            continue;
        }
        let _ = write!(h, "<tr><td class=\"l\">{m}</td><td>{}</td>", of_model.len());
        for o in FaultOutcome::ALL {
            let _ = write!(
                h,
                "<td>{}</td>",
                of_model.iter().filter(|r| r.outcome == o).count()
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
}

/// Half-decade bins of latency: 10^3, 10^3.5, ..., 10^9 instructions.
const LATENCY_BINS: std::ops::Range<i32> = 6..19;

fn latency_bin(l: u64) -> usize {
    let b = ((l.max(1) as f64).log10() * 2.0).floor() as i32;
    (b.clamp(LATENCY_BINS.start, LATENCY_BINS.end - 1) - LATENCY_BINS.start) as usize
}

fn latency(h: &mut String, campaigns: &[CampaignData]) {
    h.push_str("<h2>Detection latency</h2><p class=\"note\">Instructions from the fault to the end of the epoch (output comparison) or checkpoint (digest comparison) where it was detected; detected faults only. Bins are half decades (the first holds everything below 1k, the last everything above).</p>");
    let mut any = false;
    for c in campaigns {
        let detected: Vec<&FaultResult> = c
            .results
            .iter()
            .filter(|r| r.latency_instructions.is_some())
            .collect();
        if detected.is_empty() {
            continue;
        }
        any = true;
        let categories: Vec<String> = LATENCY_BINS
            .map(|b| {
                if b % 2 == 0 {
                    human(10f64.powi(b / 2))
                } else {
                    String::new()
                }
            })
            .collect();
        let series: Vec<Series> = [Mechanism::Output, Mechanism::Digest]
            .into_iter()
            .map(|m| {
                let mut values = vec![0.0; LATENCY_BINS.len()];
                for r in detected.iter().filter(|r| r.mechanism == Some(m)) {
                    values[latency_bin(r.latency_instructions.unwrap_or(0))] += 1.0;
                }
                Series {
                    name: format!("{m:?}").to_lowercase(),
                    color: mechanism_color(m).into(),
                    values,
                    labels: vec![],
                }
            })
            .collect();
        let _ = write!(h, "<h3>{}</h3>", label(c.config.replicas));
        let items: Vec<(String, String)> = series
            .iter()
            .map(|s| (format!("detected by {}", s.name), s.color.clone()))
            .collect();
        h.push_str(&legend(&items));
        h.push_str(&stacked_bars(
            &categories,
            &series,
            "faults",
            "latency (instructions, log scale)",
        ));
    }
    if !any {
        h.push_str("<p>No fault was detected.</p>");
    }
}

fn recovery(h: &mut String, campaigns: &[CampaignData]) {
    h.push_str("<h2>Recovery time</h2><p class=\"note\">Wall time from detecting a divergence to resuming (or halting): the vote, and with two replicas the replay of a third from the last verified checkpoint, which grows with the distance from it.</p>");
    let mut any = false;
    for c in campaigns {
        let series: Vec<(Series, Vec<f64>)> = [
            (FaultOutcome::Recovered, "recovered"),
            (FaultOutcome::Halted, "halted"),
        ]
        .into_iter()
        .map(|(o, name)| {
            let rs: Vec<&FaultResult> = c
                .results
                .iter()
                .filter(|r| r.outcome == o && r.recovery_ms.is_some())
                .collect();
            let s = Series {
                name: name.into(),
                color: outcome_color(o).into(),
                values: rs.iter().map(|r| r.recovery_ms.unwrap_or(0.0)).collect(),
                labels: vec![],
            };
            (s, rs.iter().map(|r| r.icount as f64).collect())
        })
        .filter(|(s, _)| !s.values.is_empty())
        .collect();
        if series.is_empty() {
            continue;
        }
        any = true;
        let _ = write!(h, "<h3>{}</h3>", label(c.config.replicas));
        let items: Vec<(String, String)> = series
            .iter()
            .map(|(s, _)| (s.name.clone(), s.color.clone()))
            .collect();
        h.push_str(&legend(&items));
        h.push_str(&scatter(
            &series,
            c.golden.instructions as f64,
            "fault injected at instruction",
            "recovery (ms)",
        ));
    }
    if !any {
        h.push_str("<p>No divergence was detected.</p>");
    }
}

/// The runs worth a closer look, with the spec to repeat each.
fn notable(h: &mut String, c: &CampaignData) {
    const SHOWN: usize = 100;
    let bad: Vec<&FaultResult> = c
        .results
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                FaultOutcome::Escaped | FaultOutcome::Hang | FaultOutcome::Halted | FaultOutcome::Error
            )
        })
        .collect();
    if bad.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h2>Halted, escaped, hung and failed runs: {}</h2><p class=\"note\">Repeat one with <code>extravirt campaign rerun DIR ID</code>.{}</p><table><tr><th>id</th><th class=\"l\">fault</th><th class=\"l\">outcome</th><th class=\"l\">detail</th></tr>",
        label(c.config.replicas),
        if bad.len() > SHOWN { format!(" The first {SHOWN} of {}.", bad.len()) } else { String::new() }
    );
    for r in bad.iter().take(SHOWN) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"l\"><code>{}</code></td><td class=\"l\" style=\"color:{}\">{}</td><td class=\"l\">{}</td></tr>",
            r.id,
            escape(&r.fault),
            outcome_color(r.outcome),
            r.outcome.name(),
            escape(&r.detail)
        );
    }
    h.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_bins_are_half_decades_clamped() {
        assert_eq!(latency_bin(0), 0);
        assert_eq!(latency_bin(999), 0);
        assert_eq!(latency_bin(1000), 0);
        assert_eq!(latency_bin(3200), 1);
        assert_eq!(latency_bin(2_000_000), 6);
        assert_eq!(latency_bin(u64::MAX), LATENCY_BINS.len() - 1);
    }

    #[test]
    fn an_empty_campaign_still_renders() {
        let page = html(&[]);
        assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
        assert!(!page.contains("<script"));
    }
}
