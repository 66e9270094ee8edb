//! A table of the fleet file: the machinery every kind's parsing and
//! checks are written in, below `kinds` so a kind's own can live in its
//! file. `read` reads a table from TOML with its keys checked, `Entry`
//! holds it with where it was written, `check` checks it into the model
//! with every problem reported (`Origins` gives lines and columns), and
//! `rules` are the value rules AWS enforces. `spec` reads the file's
//! tables with these, hands each to its kind, and builds the `Fleet`.

mod check;
mod origins;
mod read;
pub(crate) mod rules;

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

pub(crate) use check::{Check, Named, Notes, collect, plain_tags};
pub(crate) use origins::Origins;
pub(crate) use read::{Key, Reader, Value, backticked};

/// A table's `tags`, each key and value with its span.
pub(crate) type Tags = BTreeMap<Spanned<String>, Spanned<String>>;
/// `share_with = ["111122223333", …]`.
pub(crate) type Accounts = Vec<Spanned<String>>;

/// One table of the file with where it was written.
#[derive(Debug)]
pub(crate) struct Entry<T> {
    /// The last key of the header (`alice` in `[workspaces.alice]`).
    pub(crate) name: String,
    /// What to underline for the table as a whole: the `[header]`, or the
    /// key of an inline table.
    pub(crate) span: Range<usize>,
    pub(crate) value: T,
    /// Keys whose value was unusable (wrong type) or that look misspelt:
    /// already reported, so "missing key" is not said again.
    pub(crate) reported: Vec<String>,
}

impl<T> Entry<T> {
    pub(crate) fn is_reported(&self, key: &str) -> bool {
        self.reported.iter().any(|k| k == key)
    }
}
