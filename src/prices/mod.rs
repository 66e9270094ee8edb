//! What WorkSpaces cost: the AWS Price List's offers for a region (`fetch`,
//! kept in the user's cache by `cache`), read into a `PriceBook`, and the
//! monthly price of one WorkSpace's configuration (`PriceKey`) in it. No
//! price is ever guessed: a configuration the book does not list is
//! `Unpriced`, with the reason.

mod cache;
mod fetch;
mod key;
mod price_list;
mod run_rate;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::money::Money;
pub use cache::{CACHE_DAYS, PriceCache};
pub use fetch::{Prices, read_prices};
pub use key::{BundleFacts, Os, PriceKey, key_of_bundle, key_of_live};
pub use price_list::{Offer, offer, token};
pub use run_rate::{Group, GroupBy, Grouping, Row, RunRate, StackWorkspace, StackWorkspaces};

use crate::workspace_properties::RunningMode;

/// The Price List's `AmazonWorkSpaces` offers for one region, as fetched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBook {
    pub region: String,
    pub currency: String,
    /// When the offers were fetched, `YYYY-MM-DD` (UTC).
    pub fetched: String,
    pub offers: Vec<Offer>,
}

/// What the monthly prices assume where the account cannot say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assumptions {
    /// Hours an AUTO_STOP WorkSpace runs in a month (`[settings]
    /// auto_stop_hours_per_month`, `--auto-stop-hours`).
    pub auto_stop_hours_per_month: u32,
}

/// AWS's own break-even example for AutoStop is about 80 hours a month:
/// a working month of four hours a day.
pub const DEFAULT_AUTO_STOP_HOURS: u32 = 80;

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            auto_stop_hours_per_month: DEFAULT_AUTO_STOP_HOURS,
        }
    }
}

/// The day prices are applied on: how much of the month is left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Today {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub day: u8,
    pub days_in_month: u8,
}

impl Today {
    /// Today in UTC, as AWS bills (`SOURCE_DATE_EPOCH` when set).
    pub fn now() -> Self {
        let now = crate::clock::now();
        let day = crate::clock::day_of(now);
        Today {
            date: crate::clock::date_of(now),
            day: day.day(),
            days_in_month: day.month().length(day.year()),
        }
    }
}

/// Why a configuration has no price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpriced(pub String);

impl fmt::Display for Unpriced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A WorkSpace's price: the monthly fee, and for AUTO_STOP the hourly rate
/// and the hours assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price {
    pub monthly_fee: Money,
    pub hourly: Option<Money>,
    /// The month's total as assumed: the fee plus the hours.
    pub monthly: Money,
}

impl PriceBook {
    /// The monthly price of `key`: a bundle listed with exactly its
    /// volumes, or the largest listed below them plus the bundle's
    /// additional storage per GiB.
    pub fn price(&self, key: &PriceKey, assumptions: Assumptions) -> Result<Price, Unpriced> {
        let mode = match key.mode {
            RunningMode::AlwaysOn => "alwayson",
            RunningMode::AutoStop => "autostop",
            RunningMode::Manual => {
                return Err(Unpriced(
                    "the Price List prices ALWAYS_ON and AUTO_STOP, not MANUAL".to_owned(),
                ));
            }
        };
        let bundle = token(&key.compute);
        let candidates: Vec<&Offer> = self
            .offers
            .iter()
            .filter(|o| o.bundle == bundle && o.mode.as_deref() == Some(mode))
            .filter(|o| key.matches(o))
            .collect();
        let listed = |root: i32, user: i32| {
            let at: Vec<&&Offer> = candidates
                .iter()
                .filter(|o| o.root_gib == Some(root) && o.user_gib == Some(user))
                .collect();
            let monthly = at.iter().find_map(|o| o.monthly);
            let hourly = at.iter().find_map(|o| o.hourly);
            (monthly, hourly)
        };
        let (base_root, base_user) = self.base_volumes(key, &candidates)?;
        let (Some(monthly_fee), hourly) = listed(base_root, base_user) else {
            return Err(Unpriced(format!("{} lists no monthly fee", key.describe())));
        };
        let extra = i64::from(key.root_gib - base_root) + i64::from(key.user_gib - base_user);
        let storage = if extra > 0 {
            let rate = self
                .offers
                .iter()
                .filter(|o| o.bundle == bundle)
                .find_map(|o| o.per_gib_month)
                .ok_or_else(|| {
                    Unpriced(format!(
                        "{} is not listed and the Price List has no storage rate per GB for {}",
                        key.describe(),
                        key.compute
                    ))
                })?;
            rate.times(extra)
        } else {
            Money::ZERO
        };
        let monthly_fee = monthly_fee + storage;
        let monthly = match key.mode {
            RunningMode::AutoStop => {
                let hourly = hourly
                    .ok_or_else(|| Unpriced(format!("{} lists no hourly rate", key.describe())))?;
                monthly_fee + hourly.times(i64::from(assumptions.auto_stop_hours_per_month))
            }
            _ => monthly_fee,
        };
        Ok(Price {
            monthly_fee,
            hourly: if key.mode == RunningMode::AutoStop {
                hourly
            } else {
                None
            },
            monthly,
        })
    }

    /// The listed volumes `key` is priced from: its own, or the largest
    /// listed below both of its volumes.
    fn base_volumes(&self, key: &PriceKey, candidates: &[&Offer]) -> Result<(i32, i32), Unpriced> {
        candidates
            .iter()
            .filter_map(|o| Some((o.root_gib?, o.user_gib?)))
            .filter(|&(root, user)| root <= key.root_gib && user <= key.user_gib)
            .max_by_key(|&(root, user)| (root + user, root))
            .ok_or_else(|| {
                if candidates.is_empty() {
                    Unpriced(format!(
                        "the Price List for {} lists no {}",
                        self.region,
                        key.describe()
                    ))
                } else {
                    Unpriced(format!(
                        "the Price List lists {} only with larger volumes",
                        key.describe()
                    ))
                }
            })
    }
}

#[cfg(test)]
mod tests;
