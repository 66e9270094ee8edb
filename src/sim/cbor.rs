//! Smithy RPC v2 CBOR, the protocol AWS's models list for WorkSpaces and the
//! Tagging API beside awsJson1_1, and the one `aws-sdk-cloudwatch` speaks: a
//! request body read into the JSON value the operations take (the one
//! awsJson1_1 carries), and an answer written back, so every operation,
//! fault and error answers alike on both protocols.
//!
//! JSON does not tell a timestamp or a blob from a number or a string;
//! CBOR does, and the SDK refuses the wrong type. On the way in, tag 1
//! (epoch seconds) is dropped and byte strings become base64, as awsJson1_1
//! sends them; on the way out, the members the API's model types as
//! timestamps get tag 1 and those it types as blobs become byte strings.

use aws_smithy_types::base64;
use minicbor::data::{IanaTag, Type};
use minicbor::{Decoder, Encoder};
use serde_json::{Map, Number, Value};

/// The members of one API's answers whose JSON does not say their CBOR
/// type, by name: no name in these models is a timestamp or blob in one
/// structure and something else in another.
pub(crate) struct Shapes {
    /// Timestamps, or lists of them.
    timestamps: &'static [&'static str],
    /// Blobs, base64 in the operations' JSON.
    blobs: &'static [&'static str],
}

/// WorkSpaces (`service-2.json`: every member of type timestamp or blob).
pub(crate) const WORKSPACES: Shapes = Shapes {
    timestamps: &[
        "ConnectionStateCheckTimestamp",
        "Created",
        "CreatedAt",
        "CreationTime",
        "ExpirationTime",
        "LastKnownUserConnectionTimestamp",
        "LastUpdatedTime",
        "RecoverySnapshotTime",
        "SnapshotTime",
        "StartTime",
    ],
    blobs: &["Logo", "Logo2x", "Logo3x"],
};

/// The Tagging API's answers have neither, nor has any error.
pub(crate) const UNTYPED: Shapes = Shapes {
    timestamps: &[],
    blobs: &[],
};

/// CloudWatch's `GetMetricData`.
pub(crate) const CLOUDWATCH: Shapes = Shapes {
    timestamps: &["Timestamps", "Timestamp"],
    blobs: &[],
};

/// What a member's value is written as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Timestamp,
    Blob,
}

impl Shapes {
    fn kind(&self, member: &str) -> Kind {
        if self.timestamps.contains(&member) {
            Kind::Timestamp
        } else if self.blobs.contains(&member) {
            Kind::Blob
        } else {
            Kind::Plain
        }
    }
}

/// Deeper nesting than any request of these APIs has is refused.
const MAX_DEPTH: usize = 32;
/// More items in one map or array than any request the simulator serves.
const MAX_ITEMS: u64 = 100_000;

/// A CBOR request body as a JSON value; an empty body is `{}`.
pub(crate) fn read(body: &[u8]) -> Result<Value, String> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let mut decoder = Decoder::new(body);
    let value = item(&mut decoder, 0)?;
    if decoder.position() != body.len() {
        return Err("bytes after the CBOR value".to_owned());
    }
    Ok(value)
}

fn item(d: &mut Decoder<'_>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("CBOR nested too deep".to_owned());
    }
    let bad = |e: minicbor::decode::Error| e.to_string();
    let value = match d.datatype().map_err(bad)? {
        Type::Bool => Value::Bool(d.bool().map_err(bad)?),
        Type::Null => {
            d.null().map_err(bad)?;
            Value::Null
        }
        Type::Undefined => {
            d.undefined().map_err(bad)?;
            Value::Null
        }
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Value::from(d.u64().map_err(bad)?),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => Value::from(d.i64().map_err(bad)?),
        Type::F16 => float(f64::from(d.f16().map_err(bad)?)),
        Type::F32 => float(f64::from(d.f32().map_err(bad)?)),
        Type::F64 => float(d.f64().map_err(bad)?),
        Type::String => Value::String(d.str().map_err(bad)?.to_owned()),
        Type::StringIndef => {
            let mut text = String::new();
            for chunk in d.str_iter().map_err(bad)? {
                text.push_str(chunk.map_err(bad)?);
            }
            Value::String(text)
        }
        Type::Bytes => Value::String(base64::encode(d.bytes().map_err(bad)?)),
        Type::BytesIndef => {
            let mut bytes = Vec::new();
            for chunk in d.bytes_iter().map_err(bad)? {
                bytes.extend_from_slice(chunk.map_err(bad)?);
            }
            Value::String(base64::encode(bytes))
        }
        Type::Tag => {
            let tag = d.tag().map_err(bad)?;
            if tag != IanaTag::Timestamp.tag() {
                return Err(format!(
                    "CBOR tag {} is not part of the protocol",
                    tag.as_u64()
                ));
            }
            item(d, depth + 1)?
        }
        Type::Array | Type::ArrayIndef => {
            let length = d.array().map_err(bad)?;
            let mut items = Vec::new();
            each(d, length, |d| {
                items.push(item(d, depth + 1)?);
                Ok(())
            })?;
            Value::Array(items)
        }
        Type::Map | Type::MapIndef => {
            let length = d.map().map_err(bad)?;
            let mut members = Map::new();
            each(d, length, |d| {
                let key = d.str().map_err(bad)?.to_owned();
                members.insert(key, item(d, depth + 1)?);
                Ok(())
            })?;
            Value::Object(members)
        }
        other => return Err(format!("CBOR {other} is not part of the protocol")),
    };
    Ok(value)
}

/// Calls `read` for each of `length` items, or until the break of an
/// indefinite-length one; at most [`MAX_ITEMS`].
fn each(
    d: &mut Decoder<'_>,
    length: Option<u64>,
    mut read: impl FnMut(&mut Decoder<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let bad = |e: minicbor::decode::Error| e.to_string();
    let limit = length.unwrap_or(MAX_ITEMS);
    if limit > MAX_ITEMS {
        return Err(format!("more than {MAX_ITEMS} items"));
    }
    for _ in 0..limit {
        if length.is_none() && d.datatype().map_err(bad)? == Type::Break {
            d.skip().map_err(bad)?;
            return Ok(());
        }
        read(d)?;
    }
    match length {
        Some(_) => Ok(()),
        None => Err(format!("more than {MAX_ITEMS} items")),
    }
}

fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// An answer as CBOR, its members typed by `shapes`.
pub(crate) fn write(value: &Value, shapes: &Shapes) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    value_into(&mut encoder, value, shapes, Kind::Plain);
    encoder.into_writer()
}

/// Writes `value` as `kind` (a list's items are of the list's kind).
/// Writing into a `Vec` cannot fail, so the encoder's results carry nothing.
fn value_into(e: &mut Encoder<Vec<u8>>, value: &Value, shapes: &Shapes, kind: Kind) {
    let _ = match value {
        Value::Null => e.null().map(|_| ()),
        Value::Bool(b) => e.bool(*b).map(|_| ()),
        Value::Number(n) if kind == Kind::Timestamp => e
            .tag(IanaTag::Timestamp)
            .and_then(|e| e.f64(read_as_written(n.as_f64().unwrap_or(0.0))))
            .map(|_| ()),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => e.u64(u).map(|_| ()),
            (None, Some(i)) => e.i64(i).map(|_| ()),
            _ => e.f64(n.as_f64().unwrap_or(0.0)).map(|_| ()),
        },
        Value::String(s) => match base64::decode(s) {
            Ok(bytes) if kind == Kind::Blob => e.bytes(&bytes).map(|_| ()),
            _ => e.str(s).map(|_| ()),
        },
        Value::Array(items) => {
            let _ = e.array(items.len() as u64);
            for item in items {
                value_into(e, item, shapes, kind);
            }
            Ok(())
        }
        Value::Object(members) => {
            let _ = e.map(members.len() as u64);
            for (key, member) in members {
                let _ = e.str(key);
                value_into(e, member, shapes, shapes.kind(key));
            }
            Ok(())
        }
    };
}

/// The SDK truncates a CBOR timestamp to the millisecond, and the double
/// nearest a millisecond (`secs`, the operations' timestamps) can lie just
/// below it, which would read as the millisecond before: then the double
/// just above is sent.
fn read_as_written(secs: f64) -> f64 {
    let millis = (secs * 1000.0).round();
    let read = ((secs - secs.floor()) * 1e9) as u64 / 1_000_000;
    if read as f64 == millis.rem_euclid(1000.0) {
        secs
    } else {
        secs.next_up()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn answers_read_back_with_timestamps_tagged() {
        let value = json!({
            "MetricDataResults": [{"Id": "w0", "Timestamps": [1_700_000_000.0], "Values": [12.0]}],
            "Count": 3,
            "Ok": true,
        });
        let bytes = write(&value, &CLOUDWATCH);
        // 0xc1: tag 1, a timestamp.
        assert!(bytes.windows(2).any(|w| w == [0xc1, 0xfb]));
        assert_eq!(read(&bytes).expect("readable"), value);
    }

    /// The tag goes on the timestamps of a WorkSpaces answer however deep
    /// they are, and on nothing else: an integer stays an integer, a
    /// double a double, as the SDK's typed reads require.
    #[test]
    fn workspaces_timestamps_are_tagged_in_nested_lists_and_maps() {
        let value = json!({
            "Snapshots": [{"SnapshotTime": 1_704_067_200.5}, {"SnapshotTime": 1_704_070_800.0}],
            "Workspaces": [{
                "WorkspaceId": "ws-0123abcd",
                "WorkspaceProperties": {"RootVolumeSizeGib": 80, "RunningModeAutoStopTimeoutInMinutes": 60},
                "ModificationStates": [],
                "Tags": {},
            }],
            "Offset": -3,
            "Ratio": 0.25,
        });
        let bytes = write(&value, &WORKSPACES);
        let tags = bytes.windows(2).filter(|w| *w == [0xc1, 0xfb]).count();
        assert_eq!(tags, 2, "one tag per SnapshotTime");
        assert_eq!(read(&bytes).expect("readable"), value);
        let mut d = Decoder::new(&bytes);
        d.map().expect("map");
        let mut members = Vec::new();
        for _ in 0..4 {
            let key = d.str().expect("key").to_owned();
            members.push((key, d.datatype().expect("type")));
            d.skip().expect("value");
        }
        assert!(members.contains(&("Offset".to_owned(), Type::I8)));
        assert!(members.contains(&("Ratio".to_owned(), Type::F64)));
    }

    /// Read by the SDK's own decoder, a timestamp is the millisecond the
    /// simulator holds, though 1765086516.123 as a double is below it.
    #[test]
    fn timestamps_read_back_to_the_millisecond() {
        for millis in [
            1_765_086_516_123_i64,
            1_765_086_516_660,
            1_704_067_200_000,
            1_704_067_200_001,
        ] {
            let bytes = write(&json!({"Created": millis as f64 / 1000.0}), &WORKSPACES);
            let mut d = aws_smithy_cbor::Decoder::new(&bytes);
            d.map().expect("map");
            d.str().expect("key");
            let read = d.timestamp().expect("a timestamp");
            assert_eq!(read.to_millis().expect("in range"), millis);
        }
    }

    #[test]
    fn blobs_go_out_as_byte_strings_and_come_in_as_base64() {
        let logo = base64::encode(b"\x89PNG");
        let value = json!({"Logo": logo, "Name": "abcd", "Logos": {"Logo2x": [logo]}});
        let bytes = write(&value, &WORKSPACES);
        // 0x44: a byte string of 4 bytes.
        let blob = [0x44, 0x89, b'P', b'N', b'G'];
        assert_eq!(bytes.windows(5).filter(|w| *w == blob).count(), 2);
        // "abcd" is base64 too, but Name is a string member.
        assert!(
            bytes
                .windows(5)
                .any(|w| w == [0x64, b'a', b'b', b'c', b'd'])
        );
        assert_eq!(read(&bytes).expect("readable"), value);
        // An indefinite byte string in two chunks: 0x5f … 0xff.
        let chunked = [
            0xa1, 0x64, b'L', b'o', b'g', b'o', 0x5f, 0x42, 0x89, b'P', 0x42, b'N', b'G', 0xff,
        ];
        assert_eq!(read(&chunked).expect("readable"), json!({"Logo": logo}));
    }

    #[test]
    fn request_timestamps_are_read_as_their_seconds() {
        // {"StartTime": 1(1704067200)}
        let body = [
            0xa1, 0x69, b'S', b't', b'a', b'r', b't', b'T', b'i', b'm', b'e', 0xc1, 0x1a, 0x65,
            0x92, 0x00, 0x80,
        ];
        assert_eq!(
            read(&body).expect("readable"),
            json!({"StartTime": 1_704_067_200})
        );
        // Tag 2, a bignum, is not part of the protocol.
        assert!(read(&[0xa1, 0x61, b'N', 0xc2, 0x41, 0x01]).is_err());
    }

    #[test]
    fn broken_or_hostile_bodies_are_refused() {
        assert!(read(&[0xff]).is_err());
        assert!(read(&[0xa1, 0x61]).is_err());
        assert!(read(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        let deep = vec![0x81; 100];
        assert!(read(&deep).is_err());
        assert!(read(&[0xa0, 0xa0]).is_err(), "bytes after the value");
        assert_eq!(read(&[]).expect("empty"), json!({}));
        assert_eq!(write(&json!({}), &UNTYPED), [0xa0]);
    }
}
