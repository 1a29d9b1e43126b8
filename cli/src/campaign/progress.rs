//! Live progress: an indicatif bar when stdout is a terminal, otherwise one plain line on
//! stderr every few seconds (logs and CI stay readable, pipes of stdout stay clean). Nobody
//! may read stderr any more (`2>&1 | head`): the campaign goes on regardless (`note`).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::summary::Tally;
use crate::output::{note, stderr_bar};

const PLAIN_EVERY: Duration = Duration::from_secs(2);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    last_plain: Instant,
}

impl Progress {
    pub fn new(total: Option<u64>) -> Progress {
        let bar = std::io::stdout().is_terminal().then(|| {
            let template = if total.is_some() {
                "{spinner:.green} {elapsed_precise} [{bar:32.cyan/blue}] {pos}/{len} {msg}"
            } else {
                "{spinner:.green} {elapsed_precise} {pos} rows {msg}"
            };
            stderr_bar(total, template)
        });
        let now = Instant::now();
        Progress {
            bar,
            started: now,
            last_plain: now,
        }
    }

    fn rate(&self, done: u64) -> f64 {
        let secs = self.started.elapsed().as_secs_f64();
        if secs > 0.0 {
            done as f64 / secs
        } else {
            0.0
        }
    }

    fn status(&self, t: &Tally) -> String {
        let mut s = format!(
            "done {}  accepted {}  rejected {}",
            t.done(),
            t.accepted,
            t.rejected()
        );
        if t.failed > 0 {
            s.push_str(&format!("  not sent {}", t.failed));
        }
        s.push_str(&format!("  {:.0} msg/s", self.rate(t.done())));
        s
    }

    pub fn update(&mut self, t: &Tally) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(t.done());
                bar.set_message(self.status(t));
            }
            None if self.last_plain.elapsed() >= PLAIN_EVERY => {
                self.last_plain = Instant::now();
                note(format_args!("progress: {}", self.status(t)));
            }
            None => {}
        }
    }

    /// A line for the user that the bar does not draw over.
    pub fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| note(line)),
            None => note(line),
        }
    }

    pub fn finish_sending(&mut self, t: &Tally) {
        match self.bar.take() {
            Some(bar) => {
                bar.set_position(t.done());
                bar.finish_with_message(self.status(t));
            }
            None => note(format_args!("progress: {} (done)", self.status(t))),
        }
    }

    /// While waiting for delivery reports.
    pub fn deliveries(&mut self, finals: usize, reported: usize, awaited: usize) {
        let line = format!("delivery reports: {finals} final, {reported} reported, of {awaited}");
        if std::io::stdout().is_terminal() {
            let bar = self.bar.get_or_insert_with(|| {
                stderr_bar(
                    Some(awaited as u64),
                    "{spinner:.green} {elapsed_precise} [{bar:32.green/blue}] {pos}/{len} {msg}",
                )
            });
            bar.set_position(finals as u64);
            bar.set_message(format!("final ({reported} reported)"));
        } else if self.last_plain.elapsed() >= PLAIN_EVERY {
            self.last_plain = Instant::now();
            note(format_args!("progress: {line}"));
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
