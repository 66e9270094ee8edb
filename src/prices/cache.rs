//! The Price List's offers kept between runs, per region and per bundle,
//! with the day each was fetched: a plan reuses them for [`CACHE_DAYS`]
//! days, so an idle plan makes no Price List call at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Offer;

/// How long fetched prices are used before they are fetched again.
pub const CACHE_DAYS: i64 = 7;

/// Kept well above the size of a region's WorkSpaces offers (a few MiB).
const CACHE_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// Where the offers are kept, and whether to use what is there.
#[derive(Clone, Debug)]
pub struct PriceCache {
    /// None: nothing is kept (no cache directory could be found).
    dir: Option<PathBuf>,
    /// Set for an endpoint other than AWS's (`--endpoint-url`), so its
    /// prices never stand in for AWS's.
    endpoint: Option<String>,
    /// `--refresh-prices`: fetch again whatever the cache holds.
    pub refresh: bool,
}

/// One region's offers as kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Cached {
    pub(super) region: String,
    pub(super) currency: String,
    /// The Price List's names of the attributes the queries filter on.
    pub(super) region_attribute: Option<String>,
    pub(super) bundle_attribute: Option<String>,
    /// The values of the bundle attribute, and the day they were fetched.
    pub(super) bundle_values: Vec<String>,
    pub(super) bundle_values_day: i64,
    /// By compute token: the day fetched and the offers.
    pub(super) bundles: BTreeMap<String, CachedBundle>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct CachedBundle {
    /// Days since 1970-01-01, UTC.
    pub(super) day: i64,
    pub(super) offers: Vec<Offer>,
}

impl PriceCache {
    /// The platform's cache directory (`$XDG_CACHE_HOME` or `~/.cache` on
    /// Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows),
    /// `wsctl` within it; `WSCTL_CACHE_DIR` overrides it.
    pub fn user(endpoint: Option<&str>, refresh: bool) -> Self {
        PriceCache {
            dir: user_cache_dir(),
            endpoint: endpoint.map(str::to_owned),
            refresh,
        }
    }

    /// Offers kept in `dir` (the simulator's, beside its state).
    pub fn in_dir(dir: &Path, refresh: bool) -> Self {
        PriceCache {
            dir: Some(dir.to_owned()),
            endpoint: None,
            refresh,
        }
    }

    /// The file of `region`'s offers: `prices-us-east-1.json`, or for
    /// another endpoint `prices-us-east-1-<hash of its URL>.json`.
    pub fn file(&self, region: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let name = match &self.endpoint {
            None => format!("prices-{region}.json"),
            Some(url) => {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(url.as_bytes());
                let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
                format!("prices-{region}-{short}.json")
            }
        };
        Some(dir.join(name))
    }

    /// What is kept for `region`. A file that cannot be read or parsed is
    /// as good as none (its prices are fetched again), and says why.
    pub(super) fn load(&self, region: &str) -> (Cached, Option<String>) {
        let Some(path) = self.file(region) else {
            return (Cached::default(), None);
        };
        if self.refresh || !path.exists() {
            return (Cached::default(), None);
        }
        let parsed = crate::input::read_text(&path, CACHE_FILE_LIMIT)
            .map_err(|why| why.to_string())
            .and_then(|text| serde_json::from_str::<Cached>(&text).map_err(|e| e.to_string()));
        match parsed {
            Ok(cached) if cached.region == region => (cached, None),
            Ok(_) => (
                Cached::default(),
                Some(format!(
                    "{} holds another region's prices; fetching them again",
                    path.display()
                )),
            ),
            Err(why) => (
                Cached::default(),
                Some(format!(
                    "the price cache {} is unreadable ({why}); fetching the prices again",
                    path.display()
                )),
            ),
        }
    }

    /// Keeps `cached`, whole or not at all. A cache that cannot be written
    /// costs the next run some calls, nothing more: the reason is returned
    /// for a note.
    pub(super) fn save(&self, cached: &Cached) -> Option<String> {
        let path = self.file(&cached.region)?;
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let partial = path.with_extension("json.partial");
            std::fs::write(&partial, serde_json::to_vec(cached)?)?;
            std::fs::rename(&partial, &path)
        };
        write()
            .err()
            .map(|e| format!("cannot keep the prices in {}: {e}", path.display()))
    }
}

fn user_cache_dir() -> Option<PathBuf> {
    let env = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env("WSCTL_CACHE_DIR") {
        return Some(dir);
    }
    let base = if cfg!(windows) {
        env("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|home| home.join("Library").join("Caches"))
    } else {
        env("XDG_CACHE_HOME").or_else(|| env("HOME").map(|home| home.join(".cache")))
    };
    base.map(|dir| dir.join("wsctl"))
}

/// Today, in days since 1970-01-01 (UTC).
pub(super) fn today() -> i64 {
    i64::try_from(crate::clock::now() / 86_400).unwrap_or(i64::MAX)
}

/// `day` as `YYYY-MM-DD`.
pub(super) fn date(day: i64) -> String {
    crate::clock::date_of(u64::try_from(day).unwrap_or(0).saturating_mul(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_print_as_dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(20_428), "2025-12-06");
    }

    #[test]
    fn another_endpoints_prices_are_kept_apart_from_aws() {
        let dir = Path::new("/cache");
        let aws = PriceCache {
            dir: Some(dir.to_owned()),
            endpoint: None,
            refresh: false,
        };
        let sim = PriceCache {
            endpoint: Some("http://127.0.0.1:4566".to_owned()),
            ..aws.clone()
        };
        assert_eq!(
            aws.file("us-east-1").unwrap(),
            dir.join("prices-us-east-1.json")
        );
        let other = sim.file("us-east-1").unwrap();
        assert_ne!(other, dir.join("prices-us-east-1.json"));
        assert!(
            other
                .to_string_lossy()
                .starts_with("/cache/prices-us-east-1-")
        );
    }

    #[test]
    fn a_corrupt_cache_is_refetched_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PriceCache::in_dir(dir.path(), false);
        std::fs::write(cache.file("us-east-1").unwrap(), "{not json").unwrap();
        let (cached, note) = cache.load("us-east-1");
        assert_eq!(cached, Cached::default());
        assert!(note.unwrap().contains("unreadable"));
    }

    #[test]
    fn what_is_saved_is_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PriceCache::in_dir(dir.path(), false);
        let cached = Cached {
            region: "eu-west-1".to_owned(),
            currency: "USD".to_owned(),
            bundles: BTreeMap::from([(
                "standard".to_owned(),
                CachedBundle {
                    day: 3,
                    offers: vec![],
                },
            )]),
            ..Cached::default()
        };
        assert_eq!(cache.save(&cached), None);
        assert_eq!(cache.load("eu-west-1").0, cached);
        let refreshing = PriceCache::in_dir(dir.path(), true);
        assert_eq!(refreshing.load("eu-west-1").0, Cached::default());
    }
}
