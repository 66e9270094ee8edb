//! How the simulated users use their WorkSpaces: a profile per WorkSpace,
//! drawn from the simulator's seed and its user's name (so a WorkSpace
//! created at any time has a history as long as anyone asks for, and the
//! same seed gives the same history), or set by a test
//! (`POST /_sim/usage`). A profile is a weekly timetable in UTC hours:
//! what `UserConnected` samples and `DescribeWorkspacesConnectionStatus`
//! report are read from it.

use serde::{Deserialize, Serialize};

use super::account::{Millis, Workspace};

/// `UserConnected` samples an hour: one every five minutes.
pub(crate) const SAMPLES_PER_HOUR: u32 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Profile {
    /// Working days, 08:00–18:00.
    Heavy,
    /// Tuesdays and Thursdays, 09:00–11:00.
    Light,
    /// Nobody ever connects.
    Never,
}

impl Profile {
    /// The profile the seed gives a user: four in ten heavy, four in ten
    /// light, two in ten never connect.
    pub(crate) fn drawn(seed: u64, workspace: &Workspace) -> Profile {
        let key = format!(
            "{}/{}",
            workspace.directory_id,
            workspace.user_name.to_lowercase()
        );
        match mix(seed, &key) % 10 {
            0..=3 => Profile::Heavy,
            4..=7 => Profile::Light,
            _ => Profile::Never,
        }
    }

    /// Whether a user is connected in the hour starting `hour` (epoch
    /// seconds, on the hour).
    pub(crate) fn connected(self, hour: i64) -> bool {
        let day = hour.div_euclid(86_400);
        // 1970-01-01 was a Thursday: 0 is Monday.
        let weekday = (day + 3).rem_euclid(7);
        let at = hour.rem_euclid(86_400) / 3600;
        match self {
            Profile::Heavy => weekday < 5 && (8..18).contains(&at),
            Profile::Light => matches!(weekday, 1 | 3) && (9..11).contains(&at),
            Profile::Never => false,
        }
    }

    /// Connected samples in `[start, end)`, counted an hour at a time.
    pub(crate) fn samples(self, start: i64, end: i64) -> u32 {
        if self == Profile::Never {
            return 0;
        }
        let first = start.div_euclid(3600);
        let last = (end + 3599).div_euclid(3600);
        (first..last)
            .filter(|h| self.connected(h * 3600))
            .map(|_| SAMPLES_PER_HOUR)
            .sum()
    }

    /// The end of the last connection before `now` (epoch seconds), within
    /// two weeks; `now` itself while a user is connected.
    pub(crate) fn last_connection(self, now: i64) -> Option<i64> {
        const LOOK_BACK_HOURS: i64 = 14 * 24;
        let hour = now - now.rem_euclid(3600);
        (0..LOOK_BACK_HOURS)
            .map(|back| hour - back * 3600)
            .find(|h| self.connected(*h))
            .map(|h| (h + 3600).min(now))
    }
}

/// splitmix64 over the seed and the key's bytes: stable across platforms
/// and releases, unlike the standard library's hasher.
fn mix(seed: u64, key: &str) -> u64 {
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    for byte in key.bytes() {
        x = (x ^ u64::from(byte)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 31;
    }
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Milliseconds to epoch seconds.
pub(crate) fn seconds(ms: Millis) -> i64 {
    i64::try_from(ms / 1000).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2026-11-23 00:00 UTC.
    const MONDAY: i64 = 1_795_392_000;

    #[test]
    fn a_heavy_week_is_fifty_hours_and_a_light_one_four() {
        let week = MONDAY + 7 * 86_400;
        assert_eq!(Profile::Heavy.samples(MONDAY, week), 50 * SAMPLES_PER_HOUR);
        assert_eq!(Profile::Light.samples(MONDAY, week), 4 * SAMPLES_PER_HOUR);
        assert_eq!(Profile::Never.samples(MONDAY, week), 0);
    }

    #[test]
    fn the_last_connection_is_the_end_of_the_last_connected_hour() {
        let saturday_noon = MONDAY + 5 * 86_400 + 12 * 3600;
        assert_eq!(
            Profile::Heavy.last_connection(saturday_noon),
            Some(MONDAY + 4 * 86_400 + 18 * 3600)
        );
        let tuesday_ten = MONDAY + 86_400 + 10 * 3600 + 60;
        assert_eq!(
            Profile::Light.last_connection(tuesday_ten),
            Some(tuesday_ten)
        );
        assert_eq!(Profile::Never.last_connection(saturday_noon), None);
    }

    #[test]
    fn the_seed_draws_a_mix_and_always_the_same() {
        let drawn: Vec<u64> = (0..200)
            .map(|n| mix(7, &format!("d/user{n}")) % 10)
            .collect();
        assert!(drawn.iter().any(|d| *d <= 3));
        assert!(drawn.iter().any(|d| (4..=7).contains(d)));
        assert!(drawn.iter().any(|d| *d >= 8));
        assert_eq!(mix(7, "d/alice"), mix(7, "d/alice"));
        assert_ne!(mix(7, "d/alice"), mix(8, "d/alice"));
    }
}
