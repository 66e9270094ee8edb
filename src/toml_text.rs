//! TOML text as `wsctl import` writes it: keys bare where TOML allows,
//! quoted otherwise; strings always in double quotes, escaped; nothing a
//! reader could not see written raw, in strings or in comments. A base
//! module: `import` and each kind's import lines (`kinds`) write with it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::file_table::rules;
use crate::visible::{hidden, visible};

/// A value the file holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Value {
    Text(String),
    Number(i64),
    Flag(bool),
    /// A bundle by id: written under `bundle_id`, but one key with `bundle`
    /// for defaults, as the file merges them.
    BundleId(String),
    /// `["a", "b"]`.
    List(Vec<String>),
    /// `{ key = "value", … }`, keys in order.
    Table(Vec<(&'static str, String)>),
}

impl Value {
    pub(crate) fn toml(&self) -> String {
        match self {
            Value::Text(text) | Value::BundleId(text) => quoted(text),
            Value::Number(n) => n.to_string(),
            Value::Flag(b) => b.to_string(),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Table(pairs) => {
                let pairs: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{} = {}", key(k), quoted(v)))
                    .collect();
                inline(&pairs)
            }
        }
    }
}

/// `key = value`, the key as `value` needs it.
pub(crate) fn pair(key: &str, value: &Value) -> String {
    let key = match value {
        Value::BundleId(_) => "bundle_id",
        _ => key,
    };
    format!("{key} = {}", value.toml())
}

/// `key` as TOML writes it: bare when it is only letters, digits, `_` and
/// `-`, else a quoted key.
pub(crate) fn key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_owned() } else { quoted(key) }
}

/// A basic string: `"` and `\` escaped, and what a reader could not see
/// (control, zero-width and bidirectional characters) as `\uXXXX`.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `{ a = "x", b = "y" }`, keys in order.
pub(crate) fn inline_tags(tags: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = tags
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), quoted(v)))
        .collect();
    inline(&pairs)
}

/// `{ PAIR, PAIR }`, or `{}`.
pub(crate) fn inline(pairs: &[String]) -> String {
    if pairs.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{ {} }}", pairs.join(", "))
    }
}

/// A line of a comment: what a reader could not see, or that would end
/// the comment, escaped.
pub(crate) fn comment(text: &str) -> String {
    if text.is_empty() {
        "#\n".to_owned()
    } else {
        format!("# {}\n", visible(text))
    }
}

/// Tags a user wrote: not wsctl's ownership tags, not AWS's own.
pub(crate) fn user_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|(k, _)| !k.starts_with("wsctl:") && !k.to_ascii_lowercase().starts_with("aws:"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `tags = { … }` for the tags a user wrote, or nothing.
pub(crate) fn table_tags(tags: &BTreeMap<String, String>) -> String {
    let tags = user_tags(tags);
    if tags.is_empty() {
        String::new()
    } else {
        format!("tags = {}\n", inline_tags(&tags))
    }
}

/// The file's bound on descriptions and the OU: 1–255 characters without
/// control characters.
pub(crate) fn plain(text: &str) -> bool {
    (1..=255).contains(&text.chars().count()) && !text.chars().any(char::is_control)
}

/// `share_with = [...]` when shared with any account the file can name.
pub(crate) fn share_with(accounts: &BTreeSet<String>) -> String {
    if accounts.is_empty() || !accounts.iter().all(|a| rules::is_account_id(a)) {
        return String::new();
    }
    let accounts = Value::List(accounts.iter().cloned().collect());
    format!("share_with = {}\n", accounts.toml())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bare_only_when_toml_allows() {
        assert_eq!(key("alice"), "alice");
        assert_eq!(key("a_b-9"), "a_b-9");
        assert_eq!(key("alice.smith"), "\"alice.smith\"");
        assert_eq!(key("bob@corp"), "\"bob@corp\"");
        assert_eq!(key("José"), "\"José\"");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quoted("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quoted("x\u{1}y\nz"), r#""x\u0001y\nz""#);
        let parsed: toml::Table = format!("k = {}", quoted("tab\there \u{7f}"))
            .parse()
            .unwrap();
        assert_eq!(parsed["k"].as_str(), Some("tab\there \u{7f}"));
    }

    #[test]
    fn comments_stay_one_line() {
        assert_eq!(comment("a\nb"), "# a\\u{a}b\n");
        assert_eq!(comment(""), "#\n");
    }

    #[test]
    fn nothing_hidden_is_written_raw() {
        let odd = "a\u{1b}[31m\u{202e}b\u{200b}c\u{2066}d\u{feff}e\u{2028}f";
        let written = quoted(odd);
        assert_eq!(
            written,
            r#""a\u001B[31m\u202Eb\u200Bc\u2066d\uFEFFe\u2028f""#
        );
        let parsed: toml::Table = format!("k = {written}").parse().unwrap();
        assert_eq!(parsed["k"].as_str(), Some(odd));
        assert_eq!(key("evil\u{202e}"), r#""evil\u202E""#);
        assert_eq!(
            comment(odd),
            "# a\\u{1b}[31m\\u{202e}b\\u{200b}c\\u{2066}d\\u{feff}e\\u{2028}f\n"
        );
    }
}
