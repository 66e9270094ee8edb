//! Amounts of money, exact: millionths of a currency unit in an integer,
//! so a fleet of 10,000 WorkSpaces adds up to the cent every time and the
//! Price List's ten-decimal strings are read without rounding drift.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use serde::{Deserialize, Serialize};

/// Millionths of a dollar (or of whatever currency the prices are in).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

const UNIT: i64 = 1_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_micros(micros: i64) -> Self {
        Money(micros)
    }

    pub fn micros(self) -> i64 {
        self.0
    }

    /// Whole units and cents: `Money::cents(3500)` is $35.00.
    pub fn cents(cents: i64) -> Self {
        Money(cents.saturating_mul(UNIT / 100))
    }

    /// A price as the Price List writes it (`"0.3000000000"`, `"35"`);
    /// digits past the millionth are dropped. None for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || whole.len() > 12 {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let mut micros = 0;
        for (place, digit) in fraction.bytes().take(6).enumerate() {
            micros += i64::from(digit - b'0') * 10_i64.pow(5 - u32::try_from(place).ok()?);
        }
        let amount = whole.checked_mul(UNIT)?.checked_add(micros)?;
        Some(Money(if negative { -amount } else { amount }))
    }

    /// A non-negative amount given as a number (the cost guard), to the
    /// millionth; None for a negative, infinite or absurdly large one.
    pub fn of_amount(amount: f64) -> Option<Self> {
        const MOST: f64 = 1e12;
        (amount.is_finite() && (0.0..MOST).contains(&amount))
            .then(|| Money((amount * UNIT as f64).round() as i64))
    }

    /// This amount times `n` (hours, GiB, WorkSpaces).
    pub fn times(self, n: i64) -> Self {
        Money(self.0.saturating_mul(n))
    }

    /// `numerator / denominator` of this amount, rounded to the nearest
    /// millionth: a monthly fee prorated for the days left.
    pub fn prorated(self, numerator: i64, denominator: i64) -> Self {
        if denominator == 0 {
            return Money::ZERO;
        }
        let product = i128::from(self.0) * i128::from(numerator);
        let half = i128::from(denominator) / 2;
        let rounded = if product >= 0 {
            (product + half) / i128::from(denominator)
        } else {
            (product - half) / i128::from(denominator)
        };
        Money(i64::try_from(rounded).unwrap_or(i64::MAX))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The amount in whole units, for JSON: `35.0`, `12.345`.
    pub fn as_f64(self) -> f64 {
        // Exact for every amount below 2^53 millionths ($9 billion).
        self.0 as f64 / UNIT as f64
    }

    /// `+$35.00`, `-$4.00`, `$0.00`: a change, signed.
    pub fn signed(self) -> String {
        match self.0.signum() {
            1 => format!("+{self}"),
            -1 => format!("-{}", -self),
            _ => format!("{self}"),
        }
    }

    /// Rounded to the cent, half away from zero.
    fn cents_rounded(self) -> i64 {
        let per_cent = UNIT / 100;
        let half = per_cent / 2;
        if self.0 >= 0 {
            (self.0 + half) / per_cent
        } else {
            (self.0 - half) / per_cent
        }
    }
}

/// `$12,340.00`; a negative amount as `-$4.00`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.cents_rounded();
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        let whole = (cents / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "{sign}${grouped}.{:02}", cents % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// In JSON, a number of whole units (`35.0`), as a reader expects; read
/// back through the same decimal parser as the Price List's strings.
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        Money::parse(&number.to_string())
            .ok_or_else(|| serde::de::Error::custom(format!("{number} is not an amount")))
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "An amount in the prices' currency, in whole units (35.0 is $35.00)."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_lists_decimal_strings_are_read_exactly() {
        assert_eq!(
            Money::parse("0.3000000000"),
            Some(Money::from_micros(300_000))
        );
        assert_eq!(Money::parse("35"), Some(Money::cents(3500)));
        assert_eq!(Money::parse("11.62"), Some(Money::cents(1162)));
        assert_eq!(Money::parse("0.0000001"), Some(Money::ZERO));
        assert_eq!(Money::parse("-4.5"), Some(Money::cents(-450)));
        for bad in ["", ".5", "1e3", "abc", "1.2.3", "NaN", "99999999999999999"] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn amounts_print_to_the_cent_with_thousands_grouped() {
        assert_eq!(Money::cents(1_234_000).to_string(), "$12,340.00");
        assert_eq!(Money::cents(3500).signed(), "+$35.00");
        assert_eq!(Money::cents(-400).signed(), "-$4.00");
        assert_eq!(Money::ZERO.signed(), "$0.00");
        assert_eq!(Money::from_micros(5_000).to_string(), "$0.01");
        assert_eq!(Money::cents(100_000_000).to_string(), "$1,000,000.00");
    }

    #[test]
    fn prorating_rounds_to_the_nearest_millionth() {
        assert_eq!(Money::cents(3100).prorated(10, 31), Money::cents(1000));
        assert_eq!(
            Money::cents(100).prorated(1, 3),
            Money::from_micros(333_333)
        );
        assert_eq!(Money::cents(100).prorated(1, 0), Money::ZERO);
    }

    #[test]
    fn json_holds_whole_units_and_reads_them_back() {
        let json = serde_json::to_string(&Money::cents(24_500)).unwrap();
        assert_eq!(json, "245.0");
        assert_eq!(
            serde_json::from_str::<Money>(&json).unwrap(),
            Money::cents(24_500)
        );
    }
}
