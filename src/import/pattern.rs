//! `--user-pattern`: a glob over user names, `*` for any run of characters
//! and `?` for one, matched without regard to case as AWS matches users.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPattern {
    text: String,
    /// Lowercased, as characters.
    pattern: Vec<char>,
}

impl UserPattern {
    pub fn matches(&self, user: &str) -> bool {
        let user: Vec<char> = user.to_lowercase().chars().collect();
        glob(&self.pattern, &user)
    }
}

/// Iterative glob matching with one backtrack point: linear in practice,
/// never exponential.
fn glob(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

impl FromStr for UserPattern {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.is_empty() || text.chars().count() > 63 {
            return Err("a user pattern is 1–63 characters, like `a*` or `dev-??`".to_owned());
        }
        Ok(UserPattern {
            text: text.to_owned(),
            pattern: text.to_lowercase().chars().collect(),
        })
    }
}

impl fmt::Display for UserPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, user: &str) -> bool {
        pattern.parse::<UserPattern>().unwrap().matches(user)
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("a*", "alice"));
        assert!(matches("A*", "alice"));
        assert!(matches("*", ""));
        assert!(matches("*ce", "alice"));
        assert!(matches("a?ice", "Alice"));
        assert!(matches("a*i*e", "abcixyze"));
        assert!(!matches("a*", "bob"));
        assert!(!matches("a?", "a"));
        assert!(!matches("alice", "alice2"));
        assert!(matches("dev-*-eu", "dev-1-2-eu"));
    }

    #[test]
    fn empty_and_overlong_patterns_are_refused() {
        assert!("".parse::<UserPattern>().is_err());
        assert!("a".repeat(64).parse::<UserPattern>().is_err());
    }
}
