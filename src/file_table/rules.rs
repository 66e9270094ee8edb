//! The value rules AWS enforces (model patterns, enums, admin-guide volume
//! groups), as plain predicates. Sources: `shared/reference/workspaces-api-notes.md`.
//! A kind's own rules are in its file in `kinds`.

pub(crate) use crate::workspace_properties::{COMPUTE_TYPES, operating_system_names};

/// §5 `WorkspaceImageIngestionProcess`: every one is a BYOL import.
pub(crate) const INGESTION_PROCESSES: &[&str] =
    aws_sdk_workspaces::types::WorkspaceImageIngestionProcess::values();

/// §5 `AGAModeForWorkSpaceEnum`.
pub(crate) const AGA_MODES: &[&str] = aws_sdk_workspaces::types::AgaModeForWorkSpaceEnum::values();

/// §5 `AGAPreferredProtocolForWorkSpace`.
pub(crate) const AGA_PROTOCOLS: &[&str] =
    aws_sdk_workspaces::types::AgaPreferredProtocolForWorkSpace::values();

pub(crate) const MAX_VOLUME_GIB: i64 = 2000;
pub(crate) const VOLUME_PAIRS: &str = "[80, 10], [80, 50], [80, 100], [175–2000, 100–2000]";

/// Tags AWS allows per resource, of which wsctl uses one for `wsctl:stack`.
/// AWS allows 50; wsctl adds `wsctl:stack` and `wsctl:name`.
pub(crate) const MAX_USER_TAGS: usize = 48;
/// Tags wsctl sets itself: the ownership tags.
pub(crate) const WSCTL_PREFIX: &str = "wsctl:";

/// Graphics bundles may start at 100/100 GiB (§8.2); they are also the
/// GPU-based bundles whose protocol cannot change (model, `Protocols`).
pub fn is_graphics(compute_type: &str) -> bool {
    compute_type.starts_with("GRAPHICS")
}

fn len_in(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count())
}

/// Image and bundle names: `^[a-zA-Z0-9_./()\-]+$`, 1–64.
pub(crate) fn is_resource_name(s: &str) -> bool {
    len_in(s, 1, 64)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./()-".contains(c))
}

/// Image and bundle descriptions: `^[a-zA-Z0-9_./() -]+$`, 1–`max`.
pub(crate) fn is_description(s: &str, max: usize) -> bool {
    len_in(s, 1, max)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./() -".contains(c))
}

/// A WorkSpace's user name: 1–63 characters (model `UserName`).
pub(crate) fn is_user_name(s: &str) -> bool {
    len_in(s, 1, 63)
}

/// `^[-0-9a-z]{1,31}$`
pub fn is_region(s: &str) -> bool {
    len_in(s, 1, 31)
        && s.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_lowercase())
}

/// `prefix` then `min..=max` characters of `class`.
pub(crate) fn is_id(
    s: &str,
    prefix: &str,
    min: usize,
    max: usize,
    class: fn(char) -> bool,
) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| len_in(rest, min, max) && rest.chars().all(class))
}

pub(crate) fn lower_alnum(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_lowercase()
}

fn lower_hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

/// `WorkspaceName`: `^[a-zA-Z0-9_()][a-zA-Z0-9_.()-]{1,63}$`
pub(crate) fn is_workspace_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "_()".contains(c))
        && len_in(chars.as_str(), 1, 63)
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.()-".contains(c))
}

/// `^ami\-([a-f0-9]{8}|[a-f0-9]{17})$`
pub(crate) fn is_ami(s: &str) -> bool {
    is_id(s, "ami-", 8, 8, lower_hex) || is_id(s, "ami-", 17, 17, lower_hex)
}

/// `^(d-[0-9a-f]{8,63}$)|(wsd-[0-9a-z]{8,63}$)`
pub(crate) fn is_directory_id(s: &str) -> bool {
    is_id(s, "d-", 8, 63, lower_hex) || is_id(s, "wsd-", 8, 63, lower_alnum)
}

/// `wsi-[0-9a-z]{9,63}$` (anchored at the start too: a value, not a search).
pub(crate) fn is_image_id(s: &str) -> bool {
    is_id(s, "wsi-", 9, 63, lower_alnum)
}

/// `^wsb-[0-9a-z]{8,63}$`
pub(crate) fn is_bundle_id(s: &str) -> bool {
    is_id(s, "wsb-", 8, 63, lower_alnum)
}

/// `ConnectionString`: `^[.0-9a-zA-Z\-]{1,255}$`, and (its documentation)
/// a fully qualified domain name: two labels or more, each 1–63 letters,
/// digits and `-`, neither starting nor ending with `-`.
pub(crate) fn is_connection_string(s: &str) -> bool {
    let label = |l: &str| {
        len_in(l, 1, 63)
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    len_in(s, 1, 255) && s.split('.').count() >= 2 && s.split('.').all(label)
}

/// `AwsAccount`: `^\d{12}$`.
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

/// `^(subnet-([0-9a-f]{8}|[0-9a-f]{17}))$`
pub(crate) fn is_subnet_id(s: &str) -> bool {
    is_id(s, "subnet-", 8, 8, lower_hex) || is_id(s, "subnet-", 17, 17, lower_hex)
}

/// `^(sg-([0-9a-f]{8}|[0-9a-f]{17}))$`
pub(crate) fn is_security_group_id(s: &str) -> bool {
    is_id(s, "sg-", 8, 8, lower_hex) || is_id(s, "sg-", 17, 17, lower_hex)
}

/// The start of the model's ARN pattern: `arn:aws[a-z-]{0,7}:` and at most
/// 1,300 characters in all.
pub(crate) fn is_arn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("arn:aws") else {
        return false;
    };
    let partition = rest.split(':').next().unwrap_or_default();
    len_in(s, 12, 1300)
        && partition.len() <= 7
        && partition
            .chars()
            .all(|c| c == '-' || c.is_ascii_lowercase())
        && rest.len() > partition.len()
}

/// `SamlUserAccessUrl`: 8–200 characters, `^(http|https)\://\S+$`.
pub(crate) fn is_user_access_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    len_in(s, 8, 200) && rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

/// `CertificateAuthorityArn`: 5–200 characters,
/// `arn:P:S:R*:[0-9]*:N(/N)*` with `P`, `S`, `R` of `[\w+=/,.@-]` and the
/// resource's parts `N` of `[\w+=,.@-]`.
pub(crate) fn is_certificate_authority_arn(s: &str) -> bool {
    let field = |c: char| c.is_ascii_alphanumeric() || "_+=/,.@-".contains(c);
    let name = |c: char| c != '/' && field(c);
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    len_in(s, 5, 200)
        && *arn == "arn"
        && !partition.is_empty()
        && partition.chars().all(field)
        && !service.is_empty()
        && service.chars().all(field)
        && region.chars().all(field)
        && account.chars().all(|c| c.is_ascii_digit())
        && resource
            .split('/')
            .all(|part| !part.is_empty() && part.chars().all(name))
}

/// A VPC endpoint id as `AccessEndpoint` takes it: `^[a-zA-Z0-9_-]{1,1000}$`.
pub(crate) fn is_access_endpoint_id(s: &str) -> bool {
    len_in(s, 1, 1000)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `a.b.0.0/16` with `a` and `b` in 0–255 written without leading zeros.
pub(crate) fn is_management_cidr(s: &str) -> bool {
    let octet = |p: &str| {
        !p.is_empty()
            && p.len() <= 3
            && p.chars().all(|c| c.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
            && p.parse::<u16>().is_ok_and(|n| n <= 255)
    };
    let Some(address) = s.strip_suffix("/16") else {
        return false;
    };
    matches!(address.split('.').collect::<Vec<_>>().as_slice(),
        [a, b, "0", "0"] if octet(a) && octet(b))
}

/// A tag key's length: 1–127 characters (model `TagKey`).
pub(crate) const TAG_KEY_LENGTH: (usize, usize) = (1, 127);
/// A tag value's length: 0–255 characters (model `TagValue`).
pub(crate) const TAG_VALUE_LENGTH: (usize, usize) = (0, 255);

/// What breaks AWS's rule for a tag key or value (WorkSpaces Administration
/// Guide, "Tag WorkSpaces resources"; notes §8.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TagProblem {
    Length {
        length: usize,
        min: usize,
        max: usize,
    },
    Character(char),
    /// A leading or trailing space.
    Space,
    /// Begins with `aws:` (any case), which AWS keeps for itself.
    Reserved,
}

impl TagProblem {
    /// The message about `what` ("a tag value"), and the label under it.
    pub(crate) fn describe(&self, what: &str) -> (String, String) {
        match self {
            Self::Length { length, min, max } => (
                format!("{what} must be {min}–{max} characters"),
                format!("{length} characters"),
            ),
            Self::Character(c) => (
                format!("{what} cannot contain `{c}`"),
                "character not allowed".to_owned(),
            ),
            Self::Space => (
                format!("{what} cannot begin or end with a space"),
                "leading or trailing space".to_owned(),
            ),
            Self::Reserved => (
                format!("{what} cannot begin with `aws:`"),
                "reserved prefix".to_owned(),
            ),
        }
    }
}

/// How AWS's rule sees a tag key or value of `min`–`max` characters:
/// letters, numbers and spaces of any script (`\p{L}`, `\p{N}`, `\p{Z}`,
/// as the AWS APIs that publish a tag pattern spell it) and `_ . : / = + - @`;
/// no space first or last; no `aws:` prefix. Anything else AWS refuses,
/// so the file does too.
pub(crate) fn tag_problem(text: &str, (min, max): (usize, usize)) -> Option<TagProblem> {
    let length = text.chars().count();
    if length < min || length > max {
        return Some(TagProblem::Length { length, min, max });
    }
    if let Some(c) = text.chars().find(|&c| !is_tag_char(c)) {
        return Some(TagProblem::Character(c));
    }
    let space = |c: Option<char>| c.is_some_and(is_tag_space);
    if space(text.chars().next()) || space(text.chars().next_back()) {
        return Some(TagProblem::Space);
    }
    let reserved = text
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"));
    reserved.then_some(TagProblem::Reserved)
}

/// A character a tag key or value may hold.
pub(crate) fn is_tag_char(c: char) -> bool {
    use unicode_general_category::GeneralCategory as G;
    let letter_or_number = matches!(
        unicode_general_category::get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    );
    letter_or_number || is_tag_space(c) || "_.:/=+-@".contains(c)
}

/// `\p{Z}`: the space, line and paragraph separators.
pub(crate) fn is_tag_space(c: char) -> bool {
    use unicode_general_category::GeneralCategory as G;
    matches!(
        unicode_general_category::get_general_category(c),
        G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Volume {
    Root,
    User,
}

impl Volume {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Root => "root_volume_gib",
            Self::User => "user_volume_gib",
        }
    }
}

/// What is wrong with a root/user size choice (§8.2), each problem on the
/// volume to underline. `graphics` is `None` when the compute type is not
/// known here (a bundle resolved later): then either rule set may hold.
pub(crate) fn volume_problems(
    root: Option<i64>,
    user: Option<i64>,
    graphics: Option<bool>,
) -> Vec<(Volume, String)> {
    match graphics {
        Some(graphics) => volume_rules(root, user, graphics),
        None => {
            let general = volume_rules(root, user, false);
            if general.is_empty() || volume_rules(root, user, true).is_empty() {
                Vec::new()
            } else {
                general
            }
        }
    }
}

fn volume_rules(root: Option<i64>, user: Option<i64>, graphics: bool) -> Vec<(Volume, String)> {
    let mut problems = Vec::new();
    for (volume, size) in [(Volume::Root, root), (Volume::User, user)] {
        if let Some(size) = size {
            problems.extend(single_volume(volume, size, graphics).map(|p| (volume, p)));
        }
    }
    if let (true, false, Some(root), Some(user)) = (problems.is_empty(), graphics, root, user) {
        if root == 80 && user > 100 {
            problems.push((
                Volume::User,
                format!("[root, user] = [80, {user}] GiB is not an allowed pair: with an 80 GiB root the user volume is 10, 50 or 100"),
            ));
        } else if root >= 175 && user < 100 {
            problems.push((
                Volume::User,
                format!("[root, user] = [{root}, {user}] GiB is not an allowed pair: with a root over 80 GiB the user volume is 100–2000"),
            ));
        }
    }
    problems
}

fn single_volume(volume: Volume, size: i64, graphics: bool) -> Option<String> {
    let name = match volume {
        Volume::Root => "root",
        Volume::User => "user",
    };
    if size > MAX_VOLUME_GIB {
        return Some(format!("a {name} volume is at most {MAX_VOLUME_GIB} GiB"));
    }
    if graphics {
        return (size < 100)
            .then(|| format!("graphics compute types need a {name} volume of at least 100 GiB"));
    }
    let allowed = match volume {
        Volume::Root => size == 80 || (175..=MAX_VOLUME_GIB).contains(&size),
        Volume::User => size == 10 || size == 50 || (100..=MAX_VOLUME_GIB).contains(&size),
    };
    let sizes = match volume {
        Volume::Root => "80 or 175–2000",
        Volume::User => "10, 50 or 100–2000",
    };
    (!allowed).then(|| format!("a {name} volume of {size} GiB is not allowed: it is {sizes} GiB"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions() {
        assert!(is_resource_name("win11-base_v1.2(x)/y"));
        assert!(!is_resource_name("has space"));
        assert!(!is_resource_name(&"a".repeat(65)));
        assert!(!is_resource_name(""));
        assert!(is_description("Windows 11 (BYOL) base", 256));
        assert!(!is_description("semi;colon", 256));
        assert!(!is_description(&"a".repeat(256), 255));
    }

    #[test]
    fn ids() {
        assert!(is_ami("ami-0123456789abcdef0"));
        assert!(is_ami("ami-01234567"));
        assert!(!is_ami("ami-0123456789"));
        assert!(!is_ami("ami-0123456789ABCDEF0"));
        assert!(is_connection_string("desktop.example.com"));
        assert!(is_connection_string("a-1.B2.example"));
        for bad in [
            "desktop",
            "desktop..example.com",
            "-a.example.com",
            "a-.example.com",
            "a_b.example.com",
            ".example.com",
            "example.com.",
        ] {
            assert!(!is_connection_string(bad), "{bad}");
        }
        assert!(!is_connection_string(&format!("{}.com", "a".repeat(64))));
        assert!(is_account_id("111122223333"));
        assert!(!is_account_id("11112222333"));
        assert!(!is_account_id("1111222233334"));
        assert!(!is_account_id("11112222333x"));
        assert!(is_directory_id("d-1234567890"));
        assert!(is_directory_id("wsd-abcdefgh1"));
        assert!(!is_directory_id("d-123"));
        assert!(!is_directory_id("d-xyzxyzxyz"));
        assert!(is_image_id("wsi-0123abcde"));
        assert!(!is_image_id("wsi-0123abcd"));
        assert!(is_bundle_id("wsb-0123abcd"));
        assert!(!is_bundle_id("wsb-0123ABCD"));
        assert!(is_region("us-east-1"));
        assert!(!is_region("US-EAST-1"));
    }

    #[test]
    fn network_ids_and_arns() {
        assert!(is_subnet_id("subnet-0a1b2c3d4e5f60718"));
        assert!(is_subnet_id("subnet-0a1b2c3d"));
        assert!(!is_subnet_id("subnet-0a1b2c3d4e"));
        assert!(is_security_group_id("sg-0123abcd"));
        assert!(!is_security_group_id("sg-xyz"));
        assert!(is_arn("arn:aws:iam::111122223333:role/ws"));
        assert!(is_arn("arn:aws-cn:iam::111122223333:role/ws"));
        assert!(!is_arn("role/ws"));
    }

    #[test]
    fn management_cidr_is_a_slash_16() {
        assert!(is_management_cidr("10.200.0.0/16"));
        assert!(is_management_cidr("0.0.0.0/16"));
        assert!(!is_management_cidr("10.200.1.0/16"));
        assert!(!is_management_cidr("10.200.0.0/24"));
        assert!(!is_management_cidr("256.1.0.0/16"));
        assert!(!is_management_cidr("010.1.0.0/16"));
        assert!(!is_management_cidr("10.200.0.0"));
    }

    #[test]
    fn tags_hold_letters_numbers_spaces_and_eight_signs() {
        let value = |text: &str| tag_problem(text, TAG_VALUE_LENGTH);
        assert_eq!(value("team/a b+c=d.e_f:g@h-i"), None);
        assert_eq!(value("équipe 日本 ٣ Ⅻ"), None);
        assert_eq!(value(""), None);
        assert_eq!(value("a\u{a0}b"), None);
        for bad in [
            ',', '"', '\\', '\u{1b}', '\t', '\u{202e}', '\u{200b}', '\u{301}', '$',
        ] {
            assert_eq!(
                value(&format!("a{bad}b")),
                Some(TagProblem::Character(bad)),
                "{bad:?}"
            );
        }
        assert_eq!(value(" a"), Some(TagProblem::Space));
        assert_eq!(value("a\u{3000}"), Some(TagProblem::Space));
        assert_eq!(value("AWS:x"), Some(TagProblem::Reserved));
        assert_eq!(value("x aws:"), None);
        assert_eq!(
            tag_problem("", TAG_KEY_LENGTH),
            Some(TagProblem::Length {
                length: 0,
                min: 1,
                max: 127
            })
        );
        assert_eq!(value(&"é".repeat(255)), None);
    }

    #[test]
    fn volume_groups() {
        for (root, user) in [(80, 10), (80, 50), (80, 100), (175, 100), (2000, 2000)] {
            assert!(
                volume_problems(Some(root), Some(user), Some(false)).is_empty(),
                "{root}/{user}"
            );
        }
        assert_eq!(
            volume_problems(Some(80), Some(500), Some(false)),
            [(
                Volume::User,
                "[root, user] = [80, 500] GiB is not an allowed pair: with an 80 GiB root the user volume is 10, 50 or 100"
                    .to_owned()
            )]
        );
        assert_eq!(
            volume_problems(Some(175), Some(50), Some(false)),
            [(
                Volume::User,
                "[root, user] = [175, 50] GiB is not an allowed pair: with a root over 80 GiB the user volume is 100–2000"
                    .to_owned()
            )]
        );
        assert_eq!(
            volume_problems(Some(100), None, Some(false)),
            [(
                Volume::Root,
                "a root volume of 100 GiB is not allowed: it is 80 or 175–2000 GiB".to_owned()
            )]
        );
        assert_eq!(
            volume_problems(None, Some(2001), Some(false)),
            [(Volume::User, "a user volume is at most 2000 GiB".to_owned())]
        );
    }

    #[test]
    fn graphics_volumes_start_at_100() {
        assert!(volume_problems(Some(100), Some(100), Some(true)).is_empty());
        assert_eq!(
            volume_problems(Some(80), Some(100), Some(true)),
            [(
                Volume::Root,
                "graphics compute types need a root volume of at least 100 GiB".to_owned()
            )]
        );
        // Compute type unknown: either rule set will do.
        assert!(volume_problems(Some(100), Some(100), None).is_empty());
        assert!(volume_problems(Some(80), Some(10), None).is_empty());
        assert_eq!(volume_problems(Some(90), None, None).len(), 1);
    }
}
