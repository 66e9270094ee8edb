//! Smithy RPC v2 CBOR, the protocol `aws-sdk-cloudwatch` speaks: a request
//! body read into the JSON value the operations take, and an answer written
//! back. Timestamps travel as CBOR tag 1 around epoch seconds; on the way
//! in the tag is dropped (the number is what the operation reads), on the
//! way out the members CloudWatch's model types as timestamps get it.

use minicbor::data::{IanaTag, Type};
use minicbor::{Decoder, Encoder};
use serde_json::{Map, Number, Value};

/// Members whose values (or items) are timestamps in the answers served.
const TIMESTAMP_MEMBERS: [&str; 2] = ["Timestamps", "Timestamp"];

/// Deeper nesting than any CloudWatch request has is refused.
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
        Type::Tag => {
            d.tag().map_err(bad)?;
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

/// An answer as CBOR.
pub(crate) fn write(value: &Value) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    value_into(&mut encoder, value, false);
    encoder.into_writer()
}

/// Writes `value`; `timestamp` marks a number that is a timestamp. Writing
/// into a `Vec` cannot fail, so the encoder's results carry nothing.
fn value_into(e: &mut Encoder<Vec<u8>>, value: &Value, timestamp: bool) {
    let _ = match value {
        Value::Null => e.null().map(|_| ()),
        Value::Bool(b) => e.bool(*b).map(|_| ()),
        Value::Number(n) if timestamp => e
            .tag(IanaTag::Timestamp)
            .and_then(|e| e.f64(n.as_f64().unwrap_or(0.0)))
            .map(|_| ()),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => e.u64(u).map(|_| ()),
            (None, Some(i)) => e.i64(i).map(|_| ()),
            _ => e.f64(n.as_f64().unwrap_or(0.0)).map(|_| ()),
        },
        Value::String(s) => e.str(s).map(|_| ()),
        Value::Array(items) => {
            let _ = e.array(items.len() as u64);
            for item in items {
                value_into(e, item, timestamp);
            }
            Ok(())
        }
        Value::Object(members) => {
            let _ = e.map(members.len() as u64);
            for (key, member) in members {
                let _ = e.str(key);
                value_into(e, member, TIMESTAMP_MEMBERS.contains(&key.as_str()));
            }
            Ok(())
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_back_with_timestamps_tagged() {
        let value = serde_json::json!({
            "MetricDataResults": [{"Id": "w0", "Timestamps": [1_700_000_000.0], "Values": [12.0]}],
            "Count": 3,
            "Ok": true,
        });
        let bytes = write(&value);
        // 0xc1: tag 1, a timestamp.
        assert!(bytes.windows(2).any(|w| w == [0xc1, 0xfb]));
        assert_eq!(read(&bytes).expect("readable"), value);
    }

    #[test]
    fn broken_or_hostile_bodies_are_refused() {
        assert!(read(&[0xff]).is_err());
        assert!(read(&[0xa1, 0x61]).is_err());
        assert!(read(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        let deep = vec![0x81; 100];
        assert!(read(&deep).is_err());
        assert_eq!(read(&[]).expect("empty"), serde_json::json!({}));
    }
}
