//! Reading a table of the fleet file: its keys checked by hand, so every
//! unknown key is reported (serde stops at the first), then handed to serde
//! on its own, so one wrong type does not hide the rest of the file.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue, ValueDeserializer};

use super::Entry;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// A key of the document, and its value, as toml's spanned tree holds them.
pub(crate) type Key<'i> = Spanned<DeString<'i>>;
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// Reads tables of the file `file`, pushing what is wrong to `found`.
pub(crate) struct Reader<'a> {
    pub(crate) file: &'a str,
    pub(crate) found: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The members of a table of tables (`[images.NAME]`, `[workspaces.NAME]`).
    pub(crate) fn tables<'i>(
        &mut self,
        key: Key<'i>,
        value: Value<'i>,
    ) -> Vec<(Key<'i>, Value<'i>)> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Table(table) => table.into_iter().collect(),
            other => {
                self.wrong_type(key.get_ref(), span, other.type_str());
                Vec::new()
            }
        }
    }

    /// One table: keys checked (also those of the `nested` inline tables),
    /// then given to serde; a value of the wrong type is reported and left
    /// out, and serde tries again without it.
    pub(crate) fn entry<T: DeserializeOwned>(
        &mut self,
        section: &str,
        key: Key<'_>,
        value: Value<'_>,
        allowed: &[&str],
        nested: &[(&str, &[&str])],
    ) -> Option<Entry<T>> {
        let name = key.get_ref().to_string();
        let value_span = value.span();
        // A `[header]` table's span starts at its `[`; an inline one's after its key.
        let span = if value_span.start < key.span().start {
            value_span.clone()
        } else {
            key.span()
        };
        let mut table = match value.into_inner() {
            DeValue::Table(table) => table,
            other => {
                self.wrong_type(&name, value_span, other.type_str());
                return None;
            }
        };
        let within = match section {
            "" => format!("[{name}]"),
            _ => format!("[{section}.{name}]"),
        };
        let mut reported = Vec::new();
        self.check_keys(&mut table, allowed, &within, &mut reported);
        for (inner, inner_allowed) in nested {
            self.check_nested(&mut table, inner, inner_allowed, &mut reported);
        }
        let value = self.deserialize(table, value_span, &mut reported)?;
        Some(Entry {
            name,
            span,
            value,
            reported,
        })
    }

    fn check_nested(
        &mut self,
        table: &mut DeTable<'_>,
        key: &str,
        allowed: &[&str],
        reported: &mut Vec<String>,
    ) {
        let Some((name, mut value)) = table.remove_entry(key) else {
            return;
        };
        let span = value.span();
        match value.get_mut() {
            DeValue::Table(inner) => {
                self.check_keys(inner, allowed, &format!("`{key}`"), reported);
                table.insert(name, value);
            }
            other => {
                let found = other.type_str();
                let fields = allowed
                    .iter()
                    .map(|k| format!("{k} = …"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.found.push(
                    Diagnostic::error(self.file, format!("wrong type for `{key}`"))
                        .at(span, format!("expected a table, found {found}"))
                        .help(format!("write `{key} = {{ {fields} }}`")),
                );
                reported.push(key.to_owned());
            }
        }
    }

    fn deserialize<T: DeserializeOwned>(
        &mut self,
        mut table: DeTable<'_>,
        span: Range<usize>,
        reported: &mut Vec<String>,
    ) -> Option<T> {
        loop {
            let value = Spanned::new(span.clone(), DeValue::Table(table.clone()));
            let err = match T::deserialize(ValueDeserializer::from(value)) {
                Ok(value) => return Some(value),
                Err(err) => err,
            };
            let at = err.span().unwrap_or_else(|| span.clone());
            let culprit = table
                .iter()
                .find(|(_, value)| value.span().start <= at.start && at.end <= value.span().end)
                .map(|(key, _)| key.get_ref().to_string());
            let label = plain_type_names(err.message());
            let Some(key) = culprit else {
                self.found
                    .push(Diagnostic::error(self.file, label).at(at, "here"));
                return None;
            };
            self.found.push(
                Diagnostic::error(self.file, format!("wrong type for `{key}`")).at(at, label),
            );
            table.remove(key.as_str());
            reported.push(key);
        }
    }

    /// Removes and reports every key not in `allowed`; a close match is
    /// suggested and remembered in `reported`.
    pub(crate) fn check_keys(
        &mut self,
        table: &mut DeTable<'_>,
        allowed: &[&str],
        within: &str,
        reported: &mut Vec<String>,
    ) {
        let unknown: Vec<String> = table
            .keys()
            .filter(|key| !allowed.contains(&key.get_ref().as_ref()))
            .map(|key| key.get_ref().to_string())
            .collect();
        for name in unknown {
            if let Some((key, _)) = table.remove_entry(name.as_str()) {
                self.unknown_key(&key, allowed, within, reported);
            }
        }
    }

    pub(crate) fn unknown_key(
        &mut self,
        key: &Key<'_>,
        allowed: &[&str],
        within: &str,
        reported: &mut Vec<String>,
    ) {
        let name = key.get_ref();
        let diagnostic = Diagnostic::error(self.file, format!("unknown key `{name}`"))
            .at(key.span(), format!("not a key of {within}"));
        let diagnostic = match did_you_mean(name, allowed.iter().copied()) {
            Some(close) => {
                reported.push(close.to_owned());
                diagnostic.help(format!("did you mean `{close}`?"))
            }
            None => diagnostic.help(format!("{within} takes {}", backticked(allowed))),
        };
        self.found.push(diagnostic);
    }

    fn wrong_type(&mut self, key: &str, span: Range<usize>, found: &str) {
        self.found.push(
            Diagnostic::error(self.file, format!("wrong type for `{key}`"))
                .at(span, format!("expected a table, found {found}")),
        );
    }
}

pub(crate) fn backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde names Rust types (`i64`); the user wrote TOML.
fn plain_type_names(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    first
        .replace("expected i64", "expected an integer")
        .replace("expected a map", "expected a table")
        .replace("expected a boolean", "expected `true` or `false`")
}
