//! Line and column of a byte offset in the fleet file. The line starts are
//! found once: counting from the top for every resource would make
//! validation quadratic in the file's length.

use crate::diagnostic::Origin;

pub(crate) struct Origins<'a> {
    file: &'a str,
    text: &'a str,
    /// The byte offset of each line's first character.
    line_starts: Vec<usize>,
}

impl<'a> Origins<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Origins {
            file,
            text,
            line_starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// Where `offset` is; an offset outside the text is its end.
    pub(crate) fn at(&self, offset: usize) -> Origin {
        let offset = if self.text.is_char_boundary(offset) {
            offset
        } else {
            self.text.len()
        };
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let line_start = self.line_starts[line - 1];
        Origin {
            file: self.file.to_owned(),
            line,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one_and_columns_in_characters() {
        let text = "[a]\nkey = \"é\"\n\nlast";
        let origins = Origins::new("fleet.toml", text);
        let at = |offset| {
            let origin = origins.at(offset);
            (origin.line, origin.column)
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(3), (1, 4));
        assert_eq!(at(4), (2, 1));
        assert_eq!(at(text.find('"').map_or(0, |i| i + 3)), (2, 9));
        assert_eq!(at(text.find("last").unwrap_or(0)), (4, 1));
        assert_eq!(at(text.len()), (4, 5));
        assert_eq!(at(text.len() + 10), (4, 5));
    }
}
