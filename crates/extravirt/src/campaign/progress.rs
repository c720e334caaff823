//! Progress on stderr: a bar with counts and ETA redrawn in place on a terminal, one plain
//! line per finished run otherwise (logs, CI).

use std::io::Write;
use std::time::{Duration, Instant};

use rml::campaign::{FaultOutcome, FaultResult};

pub struct Progress {
    tty: bool,
    /// Runs this session will make.
    total: usize,
    done: usize,
    /// Runs already in the directory when the session started.
    earlier: usize,
    counts: [u64; 6],
    started: Instant,
}

fn stderr_is_tty() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(libc::STDERR_FILENO) == 1 }
}

fn terminal_columns() -> usize {
    // SAFETY: winsize is plain old data; TIOCGWINSZ fills it for a terminal descriptor.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: as above; on failure `ws` stays zeroed.
    let rc = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) };
    if rc == 0 && ws.ws_col > 0 {
        usize::from(ws.ws_col)
    } else {
        80
    }
}

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s / 60 % 60),
    }
}

impl Progress {
    pub fn new(total: usize, earlier: &[FaultResult]) -> Progress {
        let mut counts = [0; 6];
        for r in earlier {
            counts[r.outcome as usize] += 1;
        }
        Progress {
            tty: stderr_is_tty(),
            total,
            done: 0,
            earlier: earlier.len(),
            counts,
            started: Instant::now(),
        }
    }

    /// Time left at the pace of this session so far.
    fn eta(&self) -> String {
        if self.done == 0 {
            return "?".into();
        }
        let per_run = self.started.elapsed() / self.done as u32;
        clock(per_run * (self.total - self.done) as u32)
    }

    fn counts(&self) -> String {
        FaultOutcome::ALL
            .iter()
            .map(|&o| format!("{} {}", o.name(), self.counts[o as usize]))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Shows the empty bar at once: the first result may be minutes away.
    pub fn start(&self) {
        if self.tty && self.total > 0 {
            self.draw_bar(&mut std::io::stderr().lock());
        }
    }

    fn draw_bar(&self, err: &mut impl Write) {
        const WIDTH: usize = 20;
        let filled = WIDTH * self.done / self.total.max(1);
        let line = format!(
            "[{}{}] {}/{}  {}  ETA {}",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            self.done,
            self.total,
            self.counts().replace(',', " "),
            self.eta()
        );
        // A line wider than the terminal would wrap, and `\r` would then redraw only its end.
        let line: String = line.chars().take(terminal_columns().saturating_sub(1)).collect();
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
    }

    pub fn record(&mut self, r: &FaultResult) {
        self.done += 1;
        self.counts[r.outcome as usize] += 1;
        let mut err = std::io::stderr().lock();
        if self.tty {
            self.draw_bar(&mut err);
        } else {
            let how = match (r.mechanism, r.latency_instructions) {
                (Some(m), Some(l)) => format!(" ({m:?} after {l} instructions)").to_lowercase(),
                _ => String::new(),
            };
            let _ = writeln!(
                err,
                "extravirt: campaign: {}/{} id {} {}: {}{how} in {:.1} s, ETA {}",
                self.done,
                self.total,
                r.id,
                r.fault,
                r.outcome.name(),
                r.wall_ms as f64 / 1000.0,
                self.eta()
            );
        }
    }

    /// Ends the bar's line and says how the session went.
    pub fn finish(&self) {
        let mut err = std::io::stderr().lock();
        if self.tty && self.done > 0 {
            let _ = writeln!(err);
        }
        let _ = writeln!(
            err,
            "extravirt: campaign: {} runs in {} ({} from earlier sessions); {}",
            self.done,
            clock(self.started.elapsed()),
            self.earlier,
            self.counts()
        );
    }
}
