//! Model constraints (required members, lengths, patterns, list sizes, enums)
//! checked by hand: the SDK sends whatever it is given (notes §1).

use super::api_error::{ApiError, ApiResult};

pub(crate) fn required<T>(value: Option<T>, member: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::invalid(format!("{member} is required.")))
}

pub(crate) fn list_size<T>(list: &[T], member: &str, min: usize, max: usize) -> ApiResult<()> {
    if list.len() < min || list.len() > max {
        return Err(ApiError::invalid(format!(
            "{member} must have between {min} and {max} items; got {}.",
            list.len()
        )));
    }
    Ok(())
}

pub(crate) fn range(value: i64, member: &str, min: i64, max: i64) -> ApiResult<()> {
    if value < min || value > max {
        return Err(ApiError::invalid(format!(
            "{member} must be between {min} and {max}; got {value}."
        )));
    }
    Ok(())
}

/// A page size member (`Limit`, `MaxResults`): checked against the model's
/// range when given, `default` when not.
pub(crate) fn page_size(
    value: Option<i64>,
    member: &str,
    max: i64,
    default: usize,
) -> ApiResult<usize> {
    match value {
        Some(n) => {
            range(n, member, 1, max)?;
            Ok(usize::try_from(n).unwrap_or(default))
        }
        None => Ok(default),
    }
}

pub(crate) fn length(value: &str, member: &str, min: usize, max: usize) -> ApiResult<()> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::invalid(format!(
            "{member} must be {min} to {max} characters long; got {n}."
        )));
    }
    Ok(())
}

/// A tag key or value by AWS's rule (admin guide "Tag WorkSpaces
/// resources"): letters, numbers and spaces of any script (`\p{L}`,
/// `\p{N}`, `\p{Z}`) and `_ . : / = + - @`, no space first or last, no
/// `aws:` prefix in any case.
pub(crate) fn tag_text(value: &str, member: &str, min: usize, max: usize) -> ApiResult<()> {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    length(value, member, min, max)?;
    let space = |c: char| {
        matches!(
            get_general_category(c),
            G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator
        )
    };
    let allowed = |c: char| {
        let letter_or_number = matches!(
            get_general_category(c),
            G::UppercaseLetter
                | G::LowercaseLetter
                | G::TitlecaseLetter
                | G::ModifierLetter
                | G::OtherLetter
                | G::DecimalNumber
                | G::LetterNumber
                | G::OtherNumber
        );
        letter_or_number || space(c) || "_.:/=+-@".contains(c)
    };
    let edges = [value.chars().next(), value.chars().next_back()];
    if !value.chars().all(allowed) || edges.into_iter().flatten().any(space) {
        // The value is not echoed: what AWS refuses may hold control characters.
        return Err(ApiError::invalid(format!(
            "{member} can only contain letters, numbers, spaces and _ . : / = + - @, with no space first or last."
        )));
    }
    if value
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
    {
        return Err(ApiError::invalid(format!(
            "{member} cannot begin with aws:, which is reserved for AWS use."
        )));
    }
    Ok(())
}

pub(crate) fn one_of(value: &str, member: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "{member} '{value}' is not one of {}.",
        allowed.join(", ")
    )))
}

fn mismatch(value: &str, member: &str, pattern: &str) -> ApiError {
    ApiError::invalid(format!(
        "{member} '{value}' does not match the pattern {pattern}."
    ))
}

fn lower_alnum(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// `^<prefix>[0-9a-z]{min,63}$`, the shape of WorkSpace and bundle ids.
fn prefixed_id(value: &str, prefix: &str, min: usize) -> bool {
    value
        .strip_prefix(prefix)
        .is_some_and(|rest| (min..=63).contains(&rest.len()) && lower_alnum(rest))
}

pub(crate) fn workspace_id(value: &str, member: &str) -> ApiResult<()> {
    if prefixed_id(value, "ws-", 8) {
        return Ok(());
    }
    Err(mismatch(value, member, "^ws-[0-9a-z]{8,63}$"))
}

pub(crate) fn bundle_id(value: &str, member: &str) -> ApiResult<()> {
    if prefixed_id(value, "wsb-", 8) {
        return Ok(());
    }
    Err(mismatch(value, member, "^wsb-[0-9a-z]{8,63}$"))
}

/// The model's image-id pattern is anchored only at the end.
pub(crate) fn image_id(value: &str, member: &str) -> ApiResult<()> {
    let ok = value
        .rfind("wsi-")
        .is_some_and(|i| prefixed_id(&value[i..], "wsi-", 9));
    if ok {
        return Ok(());
    }
    Err(mismatch(value, member, "wsi-[0-9a-z]{9,63}$"))
}

pub(crate) fn directory_id(value: &str, member: &str) -> ApiResult<()> {
    length(value, member, 10, 65)?;
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    let ok = value
        .strip_prefix("d-")
        .is_some_and(|rest| (8..=63).contains(&rest.len()) && hex(rest))
        || prefixed_id(value, "wsd-", 8);
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^(d-[0-9a-f]{8,63}$)|(wsd-[0-9a-z]{8,63}$)",
    ))
}

/// `^[a-zA-Z0-9_()][a-zA-Z0-9_.()-]{1,63}$`
pub(crate) fn workspace_name(value: &str, member: &str) -> ApiResult<()> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "_()".contains(c));
    let rest: Vec<char> = chars.collect();
    let rest_ok = (1..=63).contains(&rest.len())
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || "_.()-".contains(*c));
    if first_ok && rest_ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^[a-zA-Z0-9_()][a-zA-Z0-9_.()-]{1,63}$",
    ))
}

/// Image and bundle names: `^[a-zA-Z0-9_./()\\-]+$`, 1..64.
pub(crate) fn resource_name(value: &str, member: &str) -> ApiResult<()> {
    length(value, member, 1, 64)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./()\\-".contains(c))
    {
        return Ok(());
    }
    Err(mismatch(value, member, "^[a-zA-Z0-9_./()\\\\-]+$"))
}

/// Image and bundle descriptions: `^[a-zA-Z0-9_./() -]+$`.
pub(crate) fn description(value: &str, member: &str, max: usize) -> ApiResult<()> {
    length(value, member, 1, max)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./() -".contains(c))
    {
        return Ok(());
    }
    Err(mismatch(value, member, "^[a-zA-Z0-9_./() -]+$"))
}

/// `^[-0-9a-z]{1,31}$`
pub(crate) fn region(value: &str, member: &str) -> ApiResult<()> {
    length(value, member, 1, 31)?;
    if value
        .bytes()
        .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_lowercase())
    {
        return Ok(());
    }
    Err(mismatch(value, member, "^[-0-9a-z]{1,31}$"))
}

/// `^ami\-([a-f0-9]{8}|[a-f0-9]{17})$`
pub(crate) fn ec2_image_id(value: &str, member: &str) -> ApiResult<()> {
    let ok = value.strip_prefix("ami-").is_some_and(|rest| {
        (rest.len() == 8 || rest.len() == 17)
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^ami\\-([a-f0-9]{8}|[a-f0-9]{17})$",
    ))
}

/// 1 to 4 hex digits, a group of an IPv6 address.
fn hex_group(s: &str) -> bool {
    (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `^(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6}::[0-9a-fA-F]{1,4}$`,
/// read as meant, anchored at both ends: eight groups, or one to seven
/// groups, `::` and one group.
pub(crate) fn ipv6_address(value: &str, member: &str) -> ApiResult<()> {
    let groups = |s: &str, n: std::ops::RangeInclusive<usize>| {
        let parts: Vec<&str> = s.split(':').collect();
        n.contains(&parts.len()) && parts.iter().all(|g| hex_group(g))
    };
    let ok = match value.split_once("::") {
        Some((head, tail)) => groups(head, 1..=7) && hex_group(tail),
        None => groups(value, 8..=8),
    };
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6}::[0-9a-fA-F]{1,4}$",
    ))
}

/// `\s` of the model's (Java) patterns.
fn java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// `^[a-zA-Z0-9][a-zA-Z0-9_.\s-]{1,64}$`
pub(crate) fn directory_name(value: &str, member: &str) -> ApiResult<()> {
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest: Vec<char> = chars.collect();
    let rest_ok = (1..=64).contains(&rest.len())
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(*c) || java_space(*c));
    if first_ok && rest_ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^[a-zA-Z0-9][a-zA-Z0-9_.\\s-]{1,64}$",
    ))
}

/// `^([a-zA-Z0-9_])[\\a-zA-Z0-9_@#%*+=:?./!\s-]{1,255}$`
pub(crate) fn directory_description(value: &str, member: &str) -> ApiResult<()> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let rest: Vec<char> = chars.collect();
    let rest_ok = (1..=255).contains(&rest.len())
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || "\\_@#%*+=:?./!-".contains(*c) || java_space(*c));
    if first_ok && rest_ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^([a-zA-Z0-9_])[\\\\a-zA-Z0-9_@#%*+=:?./!\\s-]{1,255}$",
    ))
}

/// `^[0-9a-zA-Z\*\.\\/\?-_]{0,64}$`: `?-_` is the range `?` to `_`, which
/// takes in `@`, `[`, `\`, `]` and `^`.
pub(crate) fn directory_filter_value(value: &str, member: &str) -> ApiResult<()> {
    let ok = value.chars().count() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "*./\\".contains(c) || ('?'..='_').contains(&c));
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^[0-9a-zA-Z\\*\\.\\\\/\\?-_]{0,64}$",
    ))
}

/// `[A-za-z0-9_/.-]`: the model's `A-z` also takes `[ \ ] ^ _` and the backtick.
fn arn_char(c: char) -> bool {
    c.is_ascii_digit() || ('A'..='z').contains(&c) || "_/.-".contains(c)
}

/// `min..=max` characters of [`arn_char`].
fn arn_part(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count()) && s.chars().all(arn_char)
}

/// `arn:aws[a-z-]{0,7}`, the start of every ARN pattern of the model.
fn arn_partition(s: &str) -> bool {
    s.strip_prefix("aws").is_some_and(|rest| {
        rest.len() <= 7 && rest.bytes().all(|b| b == b'-' || b.is_ascii_lowercase())
    })
}

/// `^arn:aws[a-z-]{0,7}:[A-Za-z0-9][A-za-z0-9_/.-]{0,62}:[A-za-z0-9_/.-]{0,63}:[A-za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.\\-]{0,1023}$`
pub(crate) fn arn(value: &str, member: &str) -> ApiResult<()> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let leading = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let ok = match parts.as_slice() {
        ["arn", partition, service, region, account, resource] => {
            arn_partition(partition)
                && leading(service)
                && arn_part(service, 1, 63)
                && arn_part(region, 0, 63)
                && arn_part(account, 0, 63)
                && leading(resource)
                && resource.chars().count() <= 1024
                && resource
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":_/+=,@.\\-".contains(c))
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^arn:aws[a-z-]{0,7}:[A-Za-z0-9][A-za-z0-9_/.-]{0,62}:[A-za-z0-9_/.-]{0,63}:[A-za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.\\\\-]{0,1023}$",
    ))
}

/// `^arn:aws[a-z-]{0,7}:secretsmanager:[A-za-z0-9_/.-]{0,63}:[A-za-z0-9_/.-]{0,63}:secret:[A-Za-z0-9][A-za-z0-9_/.-]{8,519}$`
pub(crate) fn secret_arn(value: &str, member: &str) -> ApiResult<()> {
    let parts: Vec<&str> = value.split(':').collect();
    let ok = match parts.as_slice() {
        [
            "arn",
            partition,
            "secretsmanager",
            region,
            account,
            "secret",
            name,
        ] => {
            arn_partition(partition)
                && arn_part(region, 0, 63)
                && arn_part(account, 0, 63)
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                && arn_part(name, 9, 520)
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^arn:aws[a-z-]{0,7}:secretsmanager:[A-za-z0-9_/.-]{0,63}:[A-za-z0-9_/.-]{0,63}:secret:[A-Za-z0-9][A-za-z0-9_/.-]{8,519}$",
    ))
}

/// `^[a-zA-Z0-9-]{1,100}$`, a Microsoft Entra tenant id.
pub(crate) fn tenant_id(value: &str, member: &str) -> ApiResult<()> {
    if (1..=100).contains(&value.len())
        && value
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_alphanumeric())
    {
        return Ok(());
    }
    Err(mismatch(value, member, "^[a-zA-Z0-9-]{1,100}$"))
}

/// `^([a-zA-Z0-9]+[.-])+([a-zA-Z0-9])+$`: labels of letters and digits
/// joined by `.` or `-`, at least two.
pub(crate) fn domain_name(value: &str, member: &str) -> ApiResult<()> {
    let labels: Vec<&str> = value.split(['.', '-']).collect();
    let ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^([a-zA-Z0-9]+[.-])+([a-zA-Z0-9])+$",
    ))
}

/// An IPv4 CIDR block `a.b.c.d/p`: the address as a number and the prefix.
pub(crate) fn cidr(value: &str, member: &str) -> ApiResult<(u32, u32)> {
    parse_cidr(value).ok_or_else(|| {
        ApiError::invalid(format!(
            "{member} '{value}' is not an IPv4 CIDR block such as 10.0.0.0/16."
        ))
    })
}

/// An IP access control rule: an IPv4 address or CIDR block, as the
/// console takes them (`203.0.113.7` or `203.0.113.0/24`).
pub(crate) fn ip_rule(value: &str, member: &str) -> ApiResult<()> {
    let whole = if value.contains('/') {
        value.to_owned()
    } else {
        format!("{value}/32")
    };
    match parse_cidr(&whole) {
        Some(_) => Ok(()),
        None => Err(ApiError::invalid(format!(
            "{member} '{value}' is not an IPv4 address or CIDR block such as 203.0.113.0/24."
        ))),
    }
}

/// `^(subnet-([0-9a-f]{8}|[0-9a-f]{17}))$`
pub(crate) fn subnet_id(value: &str, member: &str) -> ApiResult<()> {
    if hex_id(value, "subnet-") {
        return Ok(());
    }
    Err(mismatch(
        value,
        member,
        "^(subnet-([0-9a-f]{8}|[0-9a-f]{17}))$",
    ))
}

/// `^(sg-([0-9a-f]{8}|[0-9a-f]{17}))$`
pub(crate) fn security_group_id(value: &str, member: &str) -> ApiResult<()> {
    if hex_id(value, "sg-") {
        return Ok(());
    }
    Err(mismatch(value, member, "^(sg-([0-9a-f]{8}|[0-9a-f]{17}))$"))
}

/// An EC2 id: `prefix` and 8 or 17 lowercase hex digits.
fn hex_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|rest| {
        (rest.len() == 8 || rest.len() == 17)
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

pub(crate) fn ip_group_id(value: &str, member: &str) -> ApiResult<()> {
    if prefixed_id(value, "wsipg-", 8) {
        return Ok(());
    }
    Err(mismatch(value, member, "wsipg-[0-9a-z]{8,63}$"))
}

/// `^\d{12}$`, an AWS account id.
pub(crate) fn account_id(value: &str, member: &str) -> ApiResult<()> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(mismatch(value, member, "^\\d{12}$"))
}

pub(crate) fn connection_alias_id(value: &str, member: &str) -> ApiResult<()> {
    if prefixed_id(value, "wsca-", 8) {
        return Ok(());
    }
    Err(mismatch(value, member, "^wsca-[0-9a-z]{8,63}$"))
}

fn parse_cidr(value: &str) -> Option<(u32, u32)> {
    let (addr, prefix) = value.split_once('/')?;
    let prefix = canonical_number(prefix, 32)?;
    let octets: Vec<&str> = addr.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut ip = 0u32;
    for octet in octets {
        ip = (ip << 8) | canonical_number(octet, 255)?;
    }
    Some((ip, prefix))
}

/// Decimal without a leading zero, as the model's patterns require.
fn canonical_number(s: &str, max: u32) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok().filter(|n| *n <= max)
}

/// The BYOL management range: `a.b.0.0/16` exactly (model pattern).
pub(crate) fn management_cidr(value: &str, member: &str) -> ApiResult<()> {
    match parse_cidr(value) {
        Some((ip, 16)) if ip & 0xffff == 0 => Ok(()),
        _ => Err(ApiError::invalid(format!(
            "{member} '{value}' must be a /16 range of the form a.b.0.0/16."
        ))),
    }
}

pub(crate) const COMPUTE_TYPES: &[&str] = aws_sdk_workspaces::types::Compute::values();

pub(crate) const RUNNING_MODES: &[&str] = aws_sdk_workspaces::types::RunningMode::values();
pub(crate) const PROTOCOLS: &[&str] = aws_sdk_workspaces::types::Protocol::values();
pub(crate) const OPERATING_SYSTEM_NAMES: &[&str] =
    aws_sdk_workspaces::types::OperatingSystemName::values();
pub(crate) const INGESTION_PROCESSES: &[&str] =
    aws_sdk_workspaces::types::WorkspaceImageIngestionProcess::values();
pub(crate) const APPLICATIONS: &[&str] = &["Microsoft_Office_2016", "Microsoft_Office_2019"];
pub(crate) const DATA_REPLICATION: &[&str] = &["NO_REPLICATION", "PRIMARY_AS_SOURCE"];
pub(crate) const AGA_MODES: &[&str] = &["ENABLED_AUTO", "DISABLED", "INHERITED"];
pub(crate) const AGA_PROTOCOLS: &[&str] = &["TCP", "NONE", "INHERITED"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api_error::INVALID;

    #[test]
    fn ids_follow_the_model_patterns() {
        assert!(workspace_id("ws-abc123xyz", "x").is_ok());
        assert!(workspace_id("ws-ABC123XYZ", "x").is_err());
        assert!(workspace_id("ws-abc", "x").is_err());
        assert!(image_id("wsi-abcdefghi", "x").is_ok());
        assert!(image_id("wsi-abcdefgh", "x").is_err());
        assert!(directory_id("d-1234567890", "x").is_ok());
        assert!(directory_id("d-123456789g", "x").is_err());
        assert!(directory_id("wsd-abcdefgh", "x").is_ok());
        assert!(directory_id("d-1234567", "x").is_err());
    }

    #[test]
    fn cidrs_parse_like_the_model_patterns() {
        assert_eq!(cidr("10.200.0.0/16", "x").ok(), Some((0x0ac8_0000, 16)));
        assert!(cidr("10.200.0.0/33", "x").is_err());
        assert!(cidr("010.1.0.0/16", "x").is_err());
        assert!(management_cidr("10.200.0.0/16", "x").is_ok());
        assert!(management_cidr("10.200.1.0/16", "x").is_err());
        assert!(management_cidr("10.200.0.0/24", "x").is_err());
        assert!(ip_rule("203.0.113.0/24", "x").is_ok());
        assert!(ip_rule("203.0.113.7", "x").is_ok());
        assert!(ip_rule("203.0.113.0/33", "x").is_err());
        assert!(ip_rule("203.0.113", "x").is_err());
        assert!(ip_rule("2001:db8::/32", "x").is_err());
    }

    #[test]
    fn account_and_resource_ids_follow_the_model_patterns() {
        assert!(ip_group_id("wsipg-abc123xyz", "x").is_ok());
        assert!(ip_group_id("wsipg-abc", "x").is_err());
        assert!(account_id("111122223333", "x").is_ok());
        assert!(account_id("11112222333", "x").is_err());
        assert!(account_id("11112222333a", "x").is_err());
        assert!(connection_alias_id("wsca-abc123xyz", "x").is_ok());
        assert!(connection_alias_id("wsca-ABC123XYZ", "x").is_err());
    }

    #[test]
    fn registration_members_follow_the_model_patterns() {
        assert!(ipv6_address("2001:db8::10", "x").is_ok());
        assert!(ipv6_address("0:0:0:0:0:0:0:1", "x").is_ok());
        assert!(ipv6_address("::1", "x").is_err());
        assert!(ipv6_address("1:2:3:4:5:6:7:8::9", "x").is_err());
        assert!(directory_name("corp example.com", "x").is_ok());
        assert!(directory_name("c", "x").is_err());
        assert!(directory_description("_a\\b@c", "x").is_ok());
        assert!(directory_filter_value("", "x").is_ok());
        assert!(directory_filter_value("A@[]^_?", "x").is_ok());
        assert!(directory_filter_value("a b", "x").is_err());
        assert!(arn("arn:aws:sso:::instance/ssoins-1:x", "x").is_ok());
        assert!(arn("arn:aws-us-gov:sso:::instance", "x").is_ok());
        assert!(arn("arn:aws:sso::", "x").is_err());
        assert!(arn("arn:azure:sso:::instance", "x").is_err());
        let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:corp-svc-AbCdEf";
        assert!(secret_arn(secret, "x").is_ok());
        assert!(secret_arn(&secret.replace("corp-svc-AbCdEf", "short"), "x").is_err());
        assert!(domain_name("corp.example.com", "x").is_ok());
        assert!(domain_name("corp-1", "x").is_ok());
        assert!(domain_name("corp", "x").is_err());
        assert!(domain_name("corp..com", "x").is_err());
        assert!(tenant_id("0f1e-2d3c", "x").is_ok());
        assert!(tenant_id("a_b", "x").is_err());
    }

    #[test]
    fn tags_follow_aws_s_rule() {
        for fine in ["team/a b+c=d.e_f:g@h-i", "équipe 日本", ""] {
            assert!(tag_text(fine, "x", 0, 255).is_ok(), "{fine}");
        }
        for refused in ["a\"b", "a\u{1b}b", "a,b", "a\u{202e}", " a", "a ", "AWS:x"] {
            let error = tag_text(refused, "Tags.Value", 0, 255).err();
            assert_eq!(error.map(|e| e.code), Some(INVALID), "{refused:?}");
        }
        assert!(tag_text("", "Tags.Key", 1, 127).is_err());
    }
}
