//! Summaries of repeated measurements: median and spread (min, max) of a sample.

use serde_json::{Value, json};

/// The repeated measurements of one quantity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    values: Vec<f64>,
}

impl Sample {
    /// A sample of the given values.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Sample {
        Sample {
            values: values.into_iter().collect(),
        }
    }

    /// Adds one measurement.
    pub fn push(&mut self, value: f64) {
        self.values.push(value);
    }

    /// How many measurements there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut sorted = self.values.clone();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    /// The median (the mean of the two middle values for an even count); 0 when empty.
    pub fn median(&self) -> f64 {
        let sorted = self.sorted();
        match sorted.len() {
            0 => 0.0,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        }
    }

    /// The smallest value; 0 when empty.
    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(0.0)
    }

    /// The largest value; 0 when empty.
    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(0.0)
    }

    /// The spread (max − min) as a percentage of the median.
    pub fn spread_percent(&self) -> f64 {
        let median = self.median();
        if median == 0.0 {
            0.0
        } else {
            (self.max() - self.min()) / median * 100.0
        }
    }

    /// `{"median":…,"min":…,"max":…,"runs":…}`.
    pub fn to_json(&self) -> Value {
        json!({
            "median": round(self.median()),
            "min": round(self.min()),
            "max": round(self.max()),
            "runs": self.len(),
        })
    }
}

/// Rounds to 6 significant decimals, so that JSON lines stay short.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 6 - value.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits.clamp(0, 12));
    (value * scale).round() / scale
}

/// Seconds as text for the tables: `0.183 s`, `12.4 ms`, `85 µs`.
pub(super) fn seconds(value: f64) -> String {
    if value >= 1.0 {
        format!("{value:.2} s")
    } else if value >= 0.001 {
        format!("{:.1} ms", value * 1e3)
    } else {
        format!("{:.1} µs", value * 1e6)
    }
}

/// A sample of seconds as `median (min–max)`.
pub(super) fn seconds_spread(sample: &Sample) -> String {
    format!(
        "{} ({}–{})",
        seconds(sample.median()),
        seconds(sample.min()),
        seconds(sample.max())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_spread() {
        let sample = Sample::of([3.0, 1.0, 2.0]);
        assert_eq!(sample.median(), 2.0);
        assert_eq!((sample.min(), sample.max()), (1.0, 3.0));
        assert_eq!(sample.spread_percent(), 100.0);
        assert_eq!(Sample::of([4.0, 1.0, 2.0, 3.0]).median(), 2.5);
        assert_eq!(Sample::default().median(), 0.0);
    }

    #[test]
    fn rounds_for_json() {
        assert_eq!(round(0.123_456_789), 0.123_457);
        assert_eq!(round(1_234.567_891), 1_234.57);
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(2.0), "2.00 s");
    }
}
