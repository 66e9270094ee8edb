//! Problems found in the user's input, with where they are, rendered the way
//! rustc does (`codespan-reporting`). Validation piles them up so that a file
//! is reported whole; the plan's errors are shown through it too, pointing at
//! the table of the resource they are about. What they show of a file or
//! the account is escaped, and a long line cut (`excerpt.rs`).
//! `did_you_mean` is the one rule for suggestions.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};

use crate::visible::visible;
use excerpt::{Excerpt, Lines};

mod excerpt;

/// Where a resource was written, so plan-time errors can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The short text under the underline.
    pub label: String,
    /// The file name as the user wrote it (`fleet.toml`).
    pub file: String,
    /// Byte range in the file; `None` for problems that name a resource but
    /// no place in the file.
    pub span: Option<Range<usize>>,
    /// Rendered as `= note: …` / `= help: …` lines, prefix included.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(file: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    pub fn warning(file: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: &str, message: impl Into<String>) -> Self {
        Self {
            severity,
            message: message.into(),
            label: String::new(),
            file: file.to_owned(),
            span: None,
            notes: Vec::new(),
        }
    }

    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn note(mut self, note: impl fmt::Display) -> Self {
        self.notes.push(format!("note: {note}"));
        self
    }

    pub fn help(mut self, help: impl fmt::Display) -> Self {
        self.notes.push(format!("help: {help}"));
        self
    }
}

/// Every problem found, with the source texts they point into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// (file name, text)
    sources: Vec<(String, String)>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `text` so that diagnostics in `file` can show their lines.
    pub fn add_source(&mut self, file: &str, text: &str) {
        if !self.sources.iter().any(|(name, _)| name == file) {
            self.sources.push((file.to_owned(), text.to_owned()));
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Drops exact repeats (a bad default is found once per WorkSpace but
    /// is one problem), then orders by file and position, span-less last.
    pub fn sort_and_dedup(&mut self) {
        let mut seen = HashSet::new();
        self.items.retain(|d| {
            seen.insert((
                d.file.clone(),
                d.span.clone(),
                d.message.clone(),
                d.label.clone(),
            ))
        });
        self.items.sort_by_key(|d| {
            let span = d.span.as_ref().map(|s| (s.start, s.end));
            (d.file.clone(), span.is_none(), span)
        });
    }

    /// rustc-like text; with several errors a last line counts them.
    pub fn render(&self, color: bool) -> String {
        if color {
            let mut out = Ansi::new(Vec::new());
            self.emit(&mut out);
            String::from_utf8_lossy(&out.into_inner()).into_owned()
        } else {
            let mut out = NoColor::new(Vec::new());
            self.emit(&mut out);
            String::from_utf8_lossy(&out.into_inner()).into_owned()
        }
    }

    fn emit(&self, out: &mut dyn WriteColor) {
        let lines: Vec<(&str, Lines)> = self
            .sources
            .iter()
            .map(|(name, text)| (name.as_str(), Lines::new(text)))
            .collect();
        let config = Config::default();
        for diagnostic in &self.items {
            let lines = lines
                .iter()
                .find(|(name, _)| *name == diagnostic.file)
                .map(|(_, lines)| lines);
            let excerpt = lines
                .zip(diagnostic.span.as_ref())
                .and_then(|(lines, span)| Excerpt::new(&diagnostic.file, lines, span));
            let shown = excerpt.as_ref().is_some_and(|excerpt| {
                let report = to_report(diagnostic, Some(excerpt.span()));
                term::emit(out, &config, excerpt, &report).is_ok()
            });
            if !shown {
                // No place to show, or one the renderer refused: the problem
                // without its source rather than lose it.
                let report = to_report(diagnostic, None);
                let _ = term::emit(out, &config, &Excerpt::bare(&diagnostic.file), &report);
            }
        }
        if let Some(summary) = self.summary() {
            let report = Report::error().with_message(visible(&summary));
            let _ = term::emit(out, &config, &Excerpt::bare(""), &report);
        }
    }

    fn summary(&self) -> Option<String> {
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors < 2 {
            return None;
        }
        let mut files: Vec<&str> = self.items.iter().map(|d| d.file.as_str()).collect();
        files.dedup();
        Some(match files.as_slice() {
            [file] if !file.is_empty() => format!("{file} has {errors} problems"),
            _ => format!("{errors} problems"),
        })
    }
}

/// The diagnostic as `codespan-reporting` draws it, its text escaped;
/// `span` is where it points in its excerpt, if anywhere.
fn to_report(diagnostic: &Diagnostic, span: Option<Range<usize>>) -> Report<()> {
    let report = match diagnostic.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    }
    .with_message(visible(&diagnostic.message))
    .with_notes(
        diagnostic
            .notes
            .iter()
            .map(|note| visible(note).into_owned())
            .collect(),
    );
    match span {
        Some(span) => report.with_labels(vec![
            Label::primary((), span).with_message(visible(&diagnostic.label)),
        ]),
        None => report,
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate, if it is close enough to be a typo: at most one
/// edit (insert, delete, change, swap) per three characters. The one rule
/// for every "did you mean" wsctl prints.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(file: &str, text: &str, diagnostic: Diagnostic) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        diagnostics.add_source(file, text);
        diagnostics.push(diagnostic);
        diagnostics
    }

    #[test]
    fn renders_location_line_underline_and_help() {
        let text = "[workspaces.alice]\nruning_mode = \"AUTO_STOP\"\n";
        let d = Diagnostic::error("fleet.toml", "unknown key `runing_mode`")
            .at(19..30, "unknown key")
            .help("did you mean `running_mode`?");
        let out = one("fleet.toml", text, d).render(false);
        assert!(out.contains("error: unknown key `runing_mode`"), "{out}");
        assert!(out.contains("fleet.toml:2:1"), "{out}");
        assert!(out.contains("^^^^^^^^^^^ unknown key"), "{out}");
        assert!(
            out.contains("= help: did you mean `running_mode`?"),
            "{out}"
        );
        assert!(!out.contains("problems"), "{out}");
    }

    #[test]
    fn renders_without_span() {
        let d = Diagnostic::error("fleet.toml", "workspace.alice: bundle `dev` not found")
            .note("bundles are looked up by name");
        let out = one("fleet.toml", "", d).render(false);
        assert_eq!(
            out,
            "error: workspace.alice: bundle `dev` not found\n = note: bundles are looked up by name\n\n"
        );
    }

    #[test]
    fn span_outside_the_text_still_renders_the_message() {
        let d = Diagnostic::error("fleet.toml", "lost").at(100..120, "here");
        let out = one("fleet.toml", "short", d).render(false);
        assert!(out.contains("error: lost"), "{out}");
    }

    #[test]
    fn several_errors_end_with_a_count_warnings_do_not_count() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.add_source("fleet.toml", "a = 1\nb = 2\n");
        diagnostics.push(Diagnostic::error("fleet.toml", "first").at(0..1, "a"));
        diagnostics.push(Diagnostic::error("fleet.toml", "second").at(6..7, "b"));
        diagnostics.push(Diagnostic::warning("fleet.toml", "third").at(6..7, "b"));
        let out = diagnostics.render(false);
        assert!(out.contains("warning: third"), "{out}");
        assert!(
            out.ends_with("error: fleet.toml has 2 problems\n\n"),
            "{out}"
        );
        assert!(diagnostics.has_errors());
        assert_eq!(diagnostics.len(), 3);
    }

    #[test]
    fn colour_adds_escapes_only_when_asked() {
        let d = Diagnostic::error("fleet.toml", "bad").at(0..1, "here");
        let diagnostics = one("fleet.toml", "x", d);
        assert!(diagnostics.render(true).contains('\u{1b}'));
        assert!(!diagnostics.render(false).contains('\u{1b}'));
    }

    #[test]
    fn what_a_terminal_would_act_on_is_escaped_and_a_long_line_is_cut() {
        let deep = format!("x = {}", "[".repeat(100_000));
        let text = format!("k = \"a\u{1b}]0;owned\u{7}\u{202e}\"\n{deep}\n");
        let mut diagnostics = Diagnostics::new();
        diagnostics.add_source("f\u{1b}.toml", &text);
        diagnostics.push(
            Diagnostic::error("f\u{1b}.toml", "cannot contain `\u{1b}`")
                .at(
                    4..text.find('\n').unwrap_or_default(),
                    "not \u{202e} allowed",
                )
                .note("a \u{200b} note"),
        );
        let at = text.find('\n').unwrap_or_default() + 1 + 60_000;
        diagnostics.push(Diagnostic::error("f\u{1b}.toml", "too deep").at(at..at + 1, "here"));
        let out = diagnostics.render(false);
        let raw = out
            .chars()
            .find(|&c| c != '\n' && crate::visible::hidden(c));
        assert_eq!(raw, None, "{out}");
        assert!(out.contains("error: cannot contain `\\u{1b}`"), "{out}");
        assert!(out.contains("f\\u{1b}.toml:1:5"), "{out}");
        assert!(out.contains("\"a\\u{1b}]0;owned\\u{7}\\u{202e}\""), "{out}");
        assert!(out.contains("not \\u{202e} allowed"), "{out}");
        assert!(out.contains("= note: a \\u{200b} note"), "{out}");
        assert!(out.contains("f\\u{1b}.toml:2:60001"), "{out}");
        assert!(out.contains(" │ …[[[["), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn dedup_drops_repeats_and_orders_by_position() {
        let mut diagnostics = Diagnostics::new();
        let late = Diagnostic::error("f", "late").at(5..6, "x");
        let early = Diagnostic::error("f", "early").at(1..2, "x");
        diagnostics.extend([late.clone(), early, late]);
        diagnostics.sort_and_dedup();
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["early", "late"]);
    }
}
