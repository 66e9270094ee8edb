//! What a reader sees cannot hide what is there: control characters,
//! bidirectional controls and zero-width characters from a file or the
//! account are shown escaped (`\u{202e}`): in plans (`render`), in
//! diagnostics, in error messages and notes, in apply's lines, and in the
//! files `wsctl import` writes. `hidden` is the one list of them. It uses
//! nothing of wsctl, so every layer can.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every character a reader could not see, or that reorders
/// what they see, written as `\u{…}`.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`visible`], line by line: the line breaks are kept, for a message
/// of several lines.
pub(crate) fn visible_lines(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// Appends `c` to `out`, as `\u{…}` when it is [`hidden`].
pub(crate) fn push_visible(out: &mut String, c: char) {
    if hidden(c) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// Whether a reader could not see `c`, or it reorders or breaks what they
/// see: control characters, zero-width ones, bidirectional controls, and
/// the line and paragraph separators.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_reordering_characters_are_escaped() {
        assert_eq!(visible("alice"), "alice");
        assert_eq!(visible("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(visible("a\u{200b}b\nc"), "a\\u{200b}b\\u{a}c");
        assert_eq!(visible("Zoë 日本"), "Zoë 日本");
        assert_eq!(
            visible_lines("a\u{1b}\n  b\u{202e}"),
            "a\\u{1b}\n  b\\u{202e}"
        );
        assert_eq!(
            visible("\u{2066}a\u{2069}\u{2060}\u{feff}\u{2028}\u{1b}[2J"),
            "\\u{2066}a\\u{2069}\\u{2060}\\u{feff}\\u{2028}\\u{1b}[2J"
        );
    }
}
