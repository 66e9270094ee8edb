//! The lines a diagnostic points at, as a terminal shows them: what a
//! reader could not see escaped (`\u{1b}`), and a long line cut around the
//! span with `…`, so that neither an escape sequence nor a 200 KB line
//! from a file reaches the terminal. The header still names the place in
//! the file: its line and column.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::visible::{hidden, push_visible, visible};

/// At most about this many characters of a line are shown…
const WIDTH: usize = 120;
/// …of which about this many before the span, when the line is cut.
const BEFORE: usize = 40;
const CUT: &str = "…";

/// Where each line of a text starts: found once per text, for every
/// diagnostic in it.
pub(super) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The index of the line holding byte `at`.
    fn index(&self, at: usize) -> usize {
        self.starts
            .binary_search(&at)
            .unwrap_or_else(|next| next.saturating_sub(1))
    }

    /// Where line `index` starts, and its text without the line break.
    fn line(&self, index: usize) -> (usize, &'t str) {
        let start = self.starts.get(index).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let line = self.text.get(start..end).unwrap_or_default();
        (start, line.strip_suffix('\r').unwrap_or(line))
    }
}

/// One diagnostic's source, for `codespan-reporting` to draw.
pub(super) struct Excerpt {
    name: String,
    /// The lines shown, each ending in `\n`.
    text: String,
    /// Where each shown line starts in `text`.
    starts: Vec<usize>,
    /// The index in the file of the first line shown.
    first_line: usize,
    /// The span, in `text`.
    span: Range<usize>,
    /// The span's column in the file, from 1, as the header names it.
    column: usize,
}

impl Excerpt {
    /// A diagnostic without a place in the file: its file's name alone.
    pub(super) fn bare(name: &str) -> Self {
        Excerpt {
            name: visible(name).into_owned(),
            text: String::new(),
            starts: vec![0],
            first_line: 0,
            span: 0..0,
            column: 1,
        }
    }

    /// The lines `span` covers; `None` when it is not in the text.
    pub(super) fn new(name: &str, lines: &Lines, span: &Range<usize>) -> Option<Self> {
        let text = lines.text;
        if span.start > text.len() || span.end < span.start {
            return None;
        }
        let start = char_boundary(text, span.start);
        let end = char_boundary(text, span.end.min(text.len()));
        let (first, last) = (lines.index(start), lines.index(end));
        let mut excerpt = Excerpt {
            name: visible(name).into_owned(),
            text: String::new(),
            starts: Vec::new(),
            first_line: first,
            span: 0..0,
            column: 1,
        };
        for index in first..=last {
            let (line_start, line) = lines.line(index);
            let from = if index == first {
                start.saturating_sub(line_start)
            } else {
                0
            };
            let to = if index == last {
                end.saturating_sub(line_start)
            } else {
                line.len()
            };
            let (from, to) = (from.min(line.len()), to.min(line.len()));
            if index == first {
                excerpt.column = line.get(..from).map_or(0, |s| s.chars().count()) + 1;
            }
            let offset = excerpt.text.len();
            excerpt.starts.push(offset);
            let shown = Shown::new(line, from..to.max(from));
            if index == first {
                excerpt.span.start = offset + shown.focus.start;
            }
            if index == last {
                excerpt.span.end = offset + shown.focus.end;
            }
            excerpt.text.push_str(&shown.text);
            excerpt.text.push('\n');
        }
        Some(excerpt)
    }

    /// The span, in the shown text.
    pub(super) fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// `at`, or the start of the character it falls inside.
fn char_boundary(text: &str, at: usize) -> usize {
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// One line as shown, and where the part a diagnostic points at lies in it.
struct Shown {
    text: String,
    focus: Range<usize>,
}

impl Shown {
    /// `line` escaped; when longer than [`WIDTH`], cut to that many
    /// characters beginning [`BEFORE`] characters ahead of `focus`. The
    /// work is bounded by the width, not by the line.
    fn new(line: &str, focus: Range<usize>) -> Self {
        let mut from = 0;
        if !fits(line) {
            from = focus.start;
            let mut width = 0;
            for (i, c) in line
                .get(..focus.start)
                .unwrap_or_default()
                .char_indices()
                .rev()
            {
                width += columns(c);
                if width > BEFORE {
                    break;
                }
                from = i;
            }
        }
        let mut to = from;
        let mut width = 0;
        for (i, c) in line.get(from..).unwrap_or_default().char_indices() {
            width += columns(c);
            if width > WIDTH {
                break;
            }
            to = from + i + c.len_utf8();
        }
        let mut text = String::new();
        if from > 0 {
            text.push_str(CUT);
        }
        let at = |byte: usize| {
            let before = line.get(from..byte.clamp(from, to)).unwrap_or_default();
            text.len() + before.chars().map(bytes).sum::<usize>()
        };
        let focus = at(focus.start)..at(focus.end);
        for c in line.get(from..to).unwrap_or_default().chars() {
            push_shown(&mut text, c);
        }
        if to < line.len() {
            text.push_str(CUT);
        }
        Shown { text, focus }
    }
}

/// Whether `line` is at most [`WIDTH`] characters as shown.
fn fits(line: &str) -> bool {
    let mut width = 0;
    line.chars().all(|c| {
        width += columns(c);
        width <= WIDTH
    })
}

/// A source line's character as shown: tabs as they are (the renderer
/// expands them), anything else hidden escaped.
fn push_shown(out: &mut String, c: char) {
    if c == '\t' {
        out.push(c);
    } else {
        push_visible(out, c);
    }
}

/// How many characters `c` is shown as.
fn columns(c: char) -> usize {
    if c == '\t' || !hidden(c) {
        1
    } else {
        escaped(c).len()
    }
}

/// How many bytes `c` is shown as.
fn bytes(c: char) -> usize {
    if c == '\t' || !hidden(c) {
        c.len_utf8()
    } else {
        escaped(c).len()
    }
}

fn escaped(c: char) -> String {
    let mut shown = String::new();
    push_visible(&mut shown, c);
    shown
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), at: usize) -> Result<usize, Error> {
        Ok(self
            .starts
            .binary_search(&at)
            .unwrap_or_else(|next| next.saturating_sub(1)))
    }

    fn line_number(&'a self, (): (), index: usize) -> Result<usize, Error> {
        Ok(self.first_line + index + 1)
    }

    /// The header's column is the span's in the file, not in the cut line.
    fn column_number(&'a self, (): (), index: usize, at: usize) -> Result<usize, Error> {
        if index == 0 && at == self.span.start {
            return Ok(self.column);
        }
        let range = self.line_range((), index)?;
        let before = self.text.get(range.start..at.min(range.end));
        Ok(before.map_or(0, |s| s.chars().count()) + 1)
    }

    fn line_range(&'a self, (): (), index: usize) -> Result<Range<usize>, Error> {
        let start = self.starts.get(index).copied().ok_or(Error::LineTooLarge {
            given: index,
            max: self.starts.len().saturating_sub(1),
        })?;
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, focus: Range<usize>) -> (String, String) {
        let shown = Shown::new(line, focus);
        let pointed = shown.text[shown.focus.clone()].to_owned();
        (shown.text, pointed)
    }

    #[test]
    fn a_short_line_is_whole_with_its_hidden_characters_escaped() {
        let line = "team = \"a\u{1b}]0;x\u{7}b\u{202e}\"";
        let (text, pointed) = shown(line, 7..line.len());
        assert_eq!(text, "team = \"a\\u{1b}]0;x\\u{7}b\\u{202e}\"");
        assert_eq!(pointed, "\"a\\u{1b}]0;x\\u{7}b\\u{202e}\"");
        assert_eq!(
            shown("\tk = 1", 1..2),
            ("\tk = 1".to_owned(), "k".to_owned())
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (text, pointed) = shown(&line, 5000..5001);
        assert!(text.starts_with("…[[["), "{text}");
        assert!(text.ends_with("[[[…"), "{text}");
        assert!(text.chars().count() <= WIDTH + 2, "{}", text.len());
        assert_eq!(pointed, "[");
        assert_eq!(
            Shown::new(&line, 5000..5001).focus.start,
            CUT.len() + BEFORE
        );
        // A span longer than the width is shown as far as the cut.
        let (text, pointed) = shown(&line, 4..line.len());
        assert!(text.starts_with("x = [[["), "{text}");
        assert_eq!(pointed.chars().count(), WIDTH - 4);
    }

    #[test]
    fn lines_and_columns_are_the_file_s() {
        let text = "a = 1\r\nb = \"\u{202e}\"\nc = 3\n";
        let lines = Lines::new(text);
        let start = text.find('"').unwrap_or_default();
        let excerpt = Excerpt::new("f\u{1b}.toml", &lines, &(start..start + 5)).unwrap();
        assert_eq!(excerpt.text, "b = \"\\u{202e}\"\n");
        assert_eq!(excerpt.name, "f\\u{1b}.toml");
        let location = excerpt.location((), excerpt.span().start).unwrap();
        assert_eq!((location.line_number, location.column_number), (2, 5));
        assert_eq!(&excerpt.text[excerpt.span()], "\"\\u{202e}\"");
        assert!(Excerpt::new("f", &lines, &(100..101)).is_none());
    }
}
