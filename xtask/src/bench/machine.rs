//! The machine a benchmark runs on: cores, memory, CPU model, rustc version and load.

use std::fs;
use std::process::Command;

use serde_json::{Value, json};

/// What the tables in `BENCHMARKS.md` say about the machine.
#[derive(Debug, Clone)]
pub(super) struct Machine {
    /// Logical cores available.
    pub cores: usize,
    /// Total memory, in bytes (0 if unknown).
    pub memory: u64,
    /// The CPU model (`/proc/cpuinfo`).
    pub cpu: String,
    /// `rustc -V`.
    pub rustc: String,
    /// 1-, 5- and 15-minute load averages when the benchmark started.
    pub load: String,
}

impl Machine {
    /// As a JSON object.
    pub(super) fn to_json(&self) -> Value {
        json!({
            "cores": self.cores,
            "memory_bytes": self.memory,
            "cpu": self.cpu,
            "rustc": self.rustc,
            "load_average": self.load,
        })
    }

    /// As a markdown paragraph.
    pub(super) fn to_markdown(&self) -> String {
        format!(
            "Machine: {} cores, {:.1} GiB memory, {}; {}; load average at start {}.\n",
            self.cores,
            self.memory as f64 / (1u64 << 30) as f64,
            self.cpu,
            self.rustc,
            self.load
        )
    }
}

/// The machine this runs on.
pub(super) fn describe() -> Machine {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or(0, |kib| kib * 1024);
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (unknown version)".to_owned());
    Machine {
        cores: std::thread::available_parallelism().map_or(1, usize::from),
        memory,
        cpu,
        rustc,
        load: load_average(),
    }
}

/// The 1-, 5- and 15-minute load averages (`/proc/loadavg`), or `unknown`.
pub(super) fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
