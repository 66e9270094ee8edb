//! Checking a table of the fleet file into the model, every problem
//! reported at the span that caused it: the checks every kind's table
//! shares (names, tags, plain text, required keys, closed sets). A kind's
//! own checks are in its file in `kinds`; `spec::validate` checks the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use toml::Spanned;

use super::origins::Origins;
use super::read::backticked;
use super::rules;
use super::{Accounts, Entry, Tags};
use crate::diagnostic::{Diagnostic, Origin, did_you_mean};
use crate::identity::{NAME_TAG, STACK_TAG};

/// Text without control characters, bounded (rule descriptions, the OU).
const MAX_TEXT: usize = 255;

/// All of them, sorted by name, or `None` if any failed (every one is checked).
pub(crate) fn collect<T: Named>(items: impl Iterator<Item = Option<T>>) -> Option<Vec<T>> {
    let all: Vec<Option<T>> = items.collect();
    let mut ok: Vec<T> = all.into_iter().collect::<Option<_>>()?;
    ok.sort_by(|a, b| a.name().cmp(b.name()));
    Some(ok)
}

pub(crate) trait Named {
    fn name(&self) -> &str;
}

/// Notes on a diagnostic already pushed.
pub(crate) trait Notes {
    fn with_help(&mut self, help: impl fmt::Display) -> &mut Self;
    fn with_note(&mut self, note: impl fmt::Display) -> &mut Self;
}

impl Notes for Diagnostic {
    fn with_help(&mut self, help: impl fmt::Display) -> &mut Self {
        self.notes.push(format!("help: {help}"));
        self
    }

    fn with_note(&mut self, note: impl fmt::Display) -> &mut Self {
        self.notes.push(format!("note: {note}"));
        self
    }
}

/// Checks tables of the file `file`, pushing what is wrong to `found`.
pub(crate) struct Check<'a> {
    pub(crate) file: &'a str,
    pub(crate) origins: Origins<'a>,
    pub(crate) found: &'a mut Vec<Diagnostic>,
}

impl Check<'_> {
    pub(crate) fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.found
            .push(Diagnostic::error(self.file, message).at(span, label));
        let last = self.found.len() - 1;
        &mut self.found[last]
    }

    pub(crate) fn origin(&self, offset: usize) -> Origin {
        self.origins.at(offset)
    }

    /// The value, or an error at the table's header when it is missing (and
    /// not already reported as a wrong type or a typo).
    pub(crate) fn required<'v, T, E>(
        &mut self,
        entry: &Entry<E>,
        key: &str,
        value: &'v Option<Spanned<T>>,
    ) -> Option<&'v Spanned<T>> {
        if value.is_none() && !entry.is_reported(key) {
            self.error(
                entry.span.clone(),
                format!("missing `{key}`"),
                format!("`{key}` is required here"),
            );
        }
        value.as_ref()
    }

    /// A value of a closed set (`what` names the set in messages).
    pub(crate) fn one_of<'s>(
        &mut self,
        value: &'s Spanned<String>,
        allowed: &[&str],
        what: &str,
    ) -> Option<&'s str> {
        let v = value.get_ref().as_str();
        if allowed.contains(&v) {
            return Some(v);
        }
        // AWS's enums are upper case, wsctl's own (`heal`) lower case.
        let close = allowed
            .iter()
            .copied()
            .find(|a| a.eq_ignore_ascii_case(v))
            .or_else(|| did_you_mean(&v.to_ascii_uppercase(), allowed.iter().copied()))
            .or_else(|| did_you_mean(&v.to_ascii_lowercase(), allowed.iter().copied()));
        let help = match close {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of {}", backticked(allowed)),
        };
        self.error(
            value.span(),
            format!("unknown {what} `{v}`"),
            format!("not a {what}"),
        )
        .with_help(help);
        None
    }

    pub(crate) fn resource_name(&mut self, entry: &Entry<impl Sized>, what: &str) {
        if !rules::is_resource_name(&entry.name) {
            self.error(
                entry.span.clone(),
                format!("invalid {what} name `{}`", entry.name),
                "not a valid name",
            )
            .with_help("a name is 1–64 letters, digits and `_ . / ( ) -`");
            return;
        }
        self.name_in_tag(entry, what);
    }

    /// A resource's name is written into its `wsctl:name` tag, so it must be
    /// a valid tag value too.
    pub(crate) fn name_in_tag(&mut self, entry: &Entry<impl Sized>, what: &str) {
        let name = Spanned::new(entry.span.clone(), entry.name.clone());
        self.tag_text(
            &name,
            &format!("the {what} name (its `{NAME_TAG}` tag)"),
            (1, rules::TAG_VALUE_LENGTH.1),
        );
    }

    pub(crate) fn tags(&mut self, tags: Option<&Spanned<Tags>>) {
        let Some(tags) = tags else {
            return;
        };
        for (key, value) in tags.get_ref() {
            self.tag_key(key);
            self.tag_text(value, "a tag value", rules::TAG_VALUE_LENGTH);
        }
        self.tag_count(tags.get_ref().len(), tags.span());
    }

    pub(crate) fn tag_count(&mut self, count: usize, span: Range<usize>) {
        if count > rules::MAX_USER_TAGS {
            self.error(
                span,
                format!("too many tags: {count}"),
                format!("at most {}", rules::MAX_USER_TAGS),
            )
            .with_note(format!(
                "AWS allows 50 tags per resource and wsctl adds `{}` and `{}`",
                STACK_TAG, NAME_TAG
            ));
        }
    }

    pub(crate) fn tag_key(&mut self, key: &Spanned<String>) {
        let k = key.get_ref();
        if k.starts_with(rules::WSCTL_PREFIX) {
            self.error(key.span(), format!("`{k}` is set by wsctl"), "reserved tag")
                .with_help("tags starting `wsctl:` say which stack owns a resource; the stack is `[settings] stack`");
        } else if k.to_ascii_lowercase().starts_with("aws:") {
            self.error(
                key.span(),
                format!("tag key `{k}` uses the reserved prefix `aws:`"),
                "reserved prefix",
            );
        } else {
            self.tag_text(key, "a tag key", rules::TAG_KEY_LENGTH);
        }
    }

    /// A tag key or value (`what`) of `length` characters by AWS's rule.
    pub(crate) fn tag_text(&mut self, text: &Spanned<String>, what: &str, length: (usize, usize)) {
        if let Some(problem) = rules::tag_problem(text.get_ref(), length) {
            let (message, label) = problem.describe(what);
            self.error(text.span(), message, label)
                .with_note("tags allow letters, numbers, spaces and `_ . : / = + - @`, no space first or last, and no `aws:` prefix");
        }
    }

    /// 1–255 characters, no control characters.
    /// `share_with`: 12-digit account ids, each once. `Some(None)` when the
    /// key is absent (sharing left alone), `None` when a value is wrong.
    pub(crate) fn accounts(
        &mut self,
        accounts: Option<&Spanned<Accounts>>,
        what: &str,
    ) -> Option<Option<BTreeSet<String>>> {
        let Some(accounts) = accounts else {
            return Some(None);
        };
        let before = self.found.len();
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        for account in accounts.get_ref() {
            let id = account.get_ref().as_str();
            if !rules::is_account_id(id) {
                self.error(
                    account.span(),
                    format!("invalid AWS account id `{id}`"),
                    "not an account id",
                )
                .with_help("an AWS account id is 12 digits, like `111122223333`");
            } else if let Some(first) = seen.get(id) {
                let note = format!("first listed at {}", self.origin(first.start));
                self.error(
                    account.span(),
                    format!("account `{id}` is listed twice"),
                    "listed again",
                )
                .with_note(note)
                .with_help(format!("the {what} is shared with each account once"));
            } else {
                seen.insert(id, account.span());
            }
        }
        (self.found.len() == before).then(|| Some(seen.into_keys().map(str::to_owned).collect()))
    }

    pub(crate) fn plain_text(&mut self, text: &Spanned<String>, what: &str) {
        let t = text.get_ref();
        let len = t.chars().count();
        if len == 0 || len > MAX_TEXT {
            self.error(
                text.span(),
                format!("{what} must be 1–{MAX_TEXT} characters"),
                format!("{len} characters"),
            );
        } else if t.chars().any(char::is_control) {
            self.error(
                text.span(),
                format!("{what} cannot contain control characters"),
                "control character",
            );
        }
    }
}

pub(crate) fn plain_tags(tags: Option<&Spanned<Tags>>) -> BTreeMap<String, String> {
    tags.map(|t| {
        t.get_ref()
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
            .collect()
    })
    .unwrap_or_default()
}
