//! What day it is, for the files and prices that say: `SOURCE_DATE_EPOCH`
//! when set (reproducible output, as build tools honour it), else the
//! clock, in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

/// The civil day `seconds` after the epoch falls on (UTC).
pub fn day_of(seconds: u64) -> time::Date {
    let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| t.date())
        .unwrap_or(time::Date::MAX)
}

/// That day as `YYYY-MM-DD`.
pub fn date_of(seconds: u64) -> String {
    let day = day_of(seconds);
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_days() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_795_996_799), "2026-11-29");
        assert_eq!(date_of(4_107_542_400), "2100-03-01");
    }
}
