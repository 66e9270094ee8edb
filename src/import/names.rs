//! `[workspaces.NAME]` keys for the WorkSpaces an import writes: each from
//! its user name, made into a valid `wsctl:name` tag value and unique, the
//! same for the same account every time.

use std::collections::HashSet;

use crate::spec;

/// What a WorkSpace's name is made from.
pub(super) struct Naming<'a> {
    pub(super) user: &'a str,
    pub(super) directory_id: &'a str,
    pub(super) id: &'a str,
    /// The `wsctl:name` this stack gave it, kept when it is valid and free.
    pub(super) given: Option<&'a str>,
}

/// A name for each of `workspaces`, in their order. Names this stack gave
/// come first; the rest take their user name, then the user name and the
/// directory, then a number, in an order fixed by (name, directory, user,
/// id) so that the same account always gets the same names.
pub(super) fn names(workspaces: &[Naming]) -> Vec<String> {
    let mut names: Vec<Option<String>> = vec![None; workspaces.len()];
    let mut taken: HashSet<String> = HashSet::new();
    let mut given: Vec<(usize, &str)> = workspaces
        .iter()
        .enumerate()
        .filter_map(|(i, w)| Some((i, w.given.filter(|g| is_name(g))?)))
        .collect();
    given.sort_by_key(|(i, name)| (*name, workspaces[*i].id));
    for (i, name) in given {
        if taken.insert(name.to_owned()) {
            names[i] = Some(name.to_owned());
        }
    }
    let mut rest: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .filter(|(_, name)| name.is_none())
        .map(|(i, _)| (from_user(workspaces[i].user), i))
        .collect();
    rest.sort_by(|(a, i), (b, j)| {
        let (x, y) = (&workspaces[*i], &workspaces[*j]);
        (a, x.directory_id, x.user, x.id).cmp(&(b, y.directory_id, y.user, y.id))
    });
    for (base, i) in rest {
        let directory = workspaces[i].directory_id;
        let with_directory = format!("{base}-{directory}");
        let name = [base, with_directory.clone()]
            .into_iter()
            .chain((2..).map(|n| format!("{with_directory}-{n}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or(with_directory);
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
}

/// Valid as a WorkSpace name: a `wsctl:name` tag value, by the file's rule.
fn is_name(name: &str) -> bool {
    spec::tag_problem(name, (1, spec::TAG_VALUE_LENGTH.1)).is_none()
}

/// The user name made a tag value: what a tag cannot hold replaced by `_`,
/// no space first or last, and no `aws:` prefix.
fn from_user(user: &str) -> String {
    let name: String = user
        .chars()
        .map(|c| if spec::is_tag_char(c) { c } else { '_' })
        .collect();
    let name = name.trim_matches(spec::is_tag_space);
    let name = match name.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("aws:") => name.replacen(':', "_", 1),
        _ => name.to_owned(),
    };
    if name.is_empty() {
        "workspace".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming<'a>(user: &'a str, directory_id: &'a str, id: &'a str) -> Naming<'a> {
        Naming {
            user,
            directory_id,
            id,
            given: None,
        }
    }

    #[test]
    fn a_name_is_the_user_made_valid() {
        let found = names(&[
            naming("alice", "d-1111111111", "ws-1"),
            naming("Bob Smith", "d-1111111111", "ws-2"),
            naming("carol#1", "d-1111111111", "ws-3"),
            naming("  ", "d-1111111111", "ws-4"),
            naming("AWS:root", "d-1111111111", "ws-5"),
            naming("\u{3000}dave\u{202e}", "d-1111111111", "ws-6"),
            naming("e\u{301}ve", "d-1111111111", "ws-7"),
        ]);
        assert_eq!(
            found,
            [
                "alice",
                "Bob Smith",
                "carol_1",
                "workspace",
                "AWS_root",
                "dave_",
                "e_ve"
            ]
        );
        assert!(found.iter().all(|name| is_name(name)));
    }

    #[test]
    fn the_same_user_in_two_directories_gets_the_directory_in_the_second_name() {
        let found = names(&[
            naming("alice", "d-2222222222", "ws-1"),
            naming("alice", "d-1111111111", "ws-2"),
            naming("alice", "d-1111111111", "ws-3"),
        ]);
        assert_eq!(found, ["alice-d-2222222222", "alice", "alice-d-1111111111"]);
    }

    #[test]
    fn names_do_not_depend_on_the_order_read() {
        let a = [
            naming("x#", "d-1111111111", "ws-1"),
            naming("x_", "d-1111111111", "ws-2"),
            naming("x", "d-2222222222", "ws-3"),
        ];
        let b = [
            naming("x", "d-2222222222", "ws-3"),
            naming("x_", "d-1111111111", "ws-2"),
            naming("x#", "d-1111111111", "ws-1"),
        ];
        let mut first = names(&a);
        let mut second = names(&b);
        first.sort();
        second.sort();
        assert_eq!(first, second);
        assert_eq!(first, ["x", "x_", "x_-d-1111111111"]);
    }

    #[test]
    fn a_name_this_stack_gave_is_kept_and_reserved() {
        let found = names(&[
            Naming {
                given: Some("alice"),
                ..naming("bob", "d-1111111111", "ws-1")
            },
            naming("alice", "d-1111111111", "ws-2"),
            Naming {
                given: Some("bad(name)"),
                ..naming("carol", "d-1111111111", "ws-3")
            },
        ]);
        assert_eq!(found, ["alice", "alice-d-1111111111", "carol"]);
    }
}
