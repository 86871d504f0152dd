//! Decoding a [`Gateway`] from JSON by hand.
//!
//! The app decodes Gateways on its first screen (the cluster gateway card). serde's derived
//! decoders for `ObjectMeta` (RFC 3339 times through jiff's parser) and for the spec types (five
//! `#[serde(flatten)]` catch-alls, which buffer every field) were the largest part of the
//! first-screen wasm of ours. This reads the already-parsed `serde_json::Value` instead: the
//! same result (tests compare it with the derived decoders), a fraction of the code.
//!
//! Unknown fields are kept where the types keep them (`extra`), as the derived decoders do;
//! unknown `metadata` fields are dropped, as `ObjectMeta`'s decoder does.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    FieldsV1, ManagedFieldsEntry, ObjectMeta, OwnerReference, Time,
};
use serde_json::{Map, Value};

use crate::gateway::{
    ControllerSpec, DeploymentSpec, ExtraFields, Gateway, GatewaySpec, GatewayStatus, ScopeSpec,
    ServiceSpec, StringMap,
};

/// Why a JSON value is not a Gateway.
pub type DecodeError = String;

type Fields = Map<String, Value>;

/// Decodes a Gateway (the `apiVersion` and `kind` are not checked).
pub fn gateway_from_value(value: Value) -> Result<Gateway, DecodeError> {
    let mut obj = object(value, "Gateway")?;
    obj.remove("apiVersion");
    obj.remove("kind");
    let metadata = match obj.remove("metadata") {
        None | Some(Value::Null) => ObjectMeta::default(),
        Some(v) => object_meta(object(v, "metadata")?)?,
    };
    let spec = match obj.remove("spec") {
        None | Some(Value::Null) => GatewaySpec::default(),
        Some(v) => gateway_spec(object(v, "spec")?)?,
    };
    let status = match obj.remove("status") {
        None | Some(Value::Null) => None,
        Some(v) => Some(GatewayStatus(object(v, "status")?)),
    };
    Ok(Gateway {
        metadata,
        spec,
        status,
        extra: extra(obj),
    })
}

fn object(value: Value, what: &str) -> Result<Fields, DecodeError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(format!("{what}: expected an object, got {}", kind(&other))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn extra(fields: Fields) -> ExtraFields {
    fields.into_iter().collect()
}

/// Takes `key` out of `fields`; `null` reads as absent.
fn take(fields: &mut Fields, key: &str) -> Option<Value> {
    fields.remove(key).filter(|v| !v.is_null())
}

fn string(fields: &mut Fields, key: &str) -> Result<Option<String>, DecodeError> {
    match take(fields, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("{key}: expected a string, got {}", kind(&other))),
    }
}

fn boolean(fields: &mut Fields, key: &str) -> Result<Option<bool>, DecodeError> {
    match take(fields, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(other) => Err(format!("{key}: expected a boolean, got {}", kind(&other))),
    }
}

fn int64(fields: &mut Fields, key: &str) -> Result<Option<i64>, DecodeError> {
    match take(fields, key) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("{key}: expected an integer, got {n}")),
        Some(other) => Err(format!("{key}: expected an integer, got {}", kind(&other))),
    }
}

fn int32(fields: &mut Fields, key: &str) -> Result<Option<i32>, DecodeError> {
    int64(fields, key)?
        .map(|n| i32::try_from(n).map_err(|_| format!("{key}: {n} is out of range")))
        .transpose()
}

fn string_map(fields: &mut Fields, key: &str) -> Result<Option<StringMap>, DecodeError> {
    let Some(value) = take(fields, key) else {
        return Ok(None);
    };
    let mut out = BTreeMap::new();
    for (k, v) in object(value, key)? {
        match v {
            Value::String(s) => {
                out.insert(k, s);
            }
            other => {
                return Err(format!(
                    "{key}.{k}: expected a string, got {}",
                    kind(&other)
                ))
            }
        }
    }
    Ok(Some(out))
}

fn strings(fields: &mut Fields, key: &str) -> Result<Option<Vec<String>>, DecodeError> {
    match take(fields, key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Err(format!("{key}: expected strings, got {}", kind(&other))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("{key}: expected an array, got {}", kind(&other))),
    }
}

fn time(fields: &mut Fields, key: &str) -> Result<Option<Time>, DecodeError> {
    string(fields, key)?
        .map(|s| parse_time(&s).ok_or_else(|| format!("{key}: {s:?} is not an RFC 3339 time")))
        .transpose()
}

/// Parses an RFC 3339 time (`2026-01-02T03:04:05Z`, with optional fraction and offset), as the
/// API writes `metav1.Time`, without jiff's general parser.
pub fn parse_time(text: &str) -> Option<Time> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = fraction[..len]
            .bytes()
            .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'))
            * 10i64.pow(9 - len as u32);
        rest = &fraction[len..];
    }
    let offset = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let num = |a: &u8, c: &u8| -> Option<i64> {
                (a.is_ascii_digit() && c.is_ascii_digit())
                    .then(|| i64::from(a - b'0') * 10 + i64::from(c - b'0'))
            };
            let (h, m) = (num(h1, h2)?, num(m1, m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes * 60
            } else {
                minutes * 60
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    // a leap second reads as the next second, as jiff does
    let seconds =
        days * 86_400 + hour * 3600 + minute * 60 + second.min(59) + i64::from(second == 60)
            - offset;
    let timestamp = k8s_openapi::jiff::Timestamp::new(seconds, nanos as i32).ok()?;
    Some(Time(timestamp))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// For `#[serde(deserialize_with = "…")]` on an `ObjectMeta` field: the hand decoder instead of
/// the derived one (`null` or absent → empty).
pub fn deserialize_object_meta<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ObjectMeta, D::Error> {
    use serde::Deserialize;
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(ObjectMeta::default()),
        v => object(v, "metadata")
            .and_then(object_meta)
            .map_err(serde::de::Error::custom),
    }
}

fn object_meta(mut m: Fields) -> Result<ObjectMeta, DecodeError> {
    let owner_references = match take(&mut m, "ownerReferences") {
        None => None,
        Some(v) => Some(
            serde_json::from_value::<Vec<OwnerReference>>(v)
                .map_err(|e| format!("ownerReferences: {e}"))?,
        ),
    };
    let managed_fields = match take(&mut m, "managedFields") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .into_iter()
                .map(|item| managed_fields_entry(object(item, "managedFields")?))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(format!(
                "managedFields: expected an array, got {}",
                kind(&other)
            ))
        }
    };
    Ok(ObjectMeta {
        annotations: string_map(&mut m, "annotations")?,
        creation_timestamp: time(&mut m, "creationTimestamp")?,
        deletion_grace_period_seconds: int64(&mut m, "deletionGracePeriodSeconds")?,
        deletion_timestamp: time(&mut m, "deletionTimestamp")?,
        finalizers: strings(&mut m, "finalizers")?,
        generate_name: string(&mut m, "generateName")?,
        generation: int64(&mut m, "generation")?,
        labels: string_map(&mut m, "labels")?,
        managed_fields,
        name: string(&mut m, "name")?,
        namespace: string(&mut m, "namespace")?,
        owner_references,
        resource_version: string(&mut m, "resourceVersion")?,
        self_link: string(&mut m, "selfLink")?,
        uid: string(&mut m, "uid")?,
    })
}

fn managed_fields_entry(mut m: Fields) -> Result<ManagedFieldsEntry, DecodeError> {
    Ok(ManagedFieldsEntry {
        api_version: string(&mut m, "apiVersion")?,
        fields_type: string(&mut m, "fieldsType")?,
        fields_v1: take(&mut m, "fieldsV1").map(FieldsV1),
        manager: string(&mut m, "manager")?,
        operation: string(&mut m, "operation")?,
        subresource: string(&mut m, "subresource")?,
        time: time(&mut m, "time")?,
    })
}

fn section(fields: &mut Fields, key: &str) -> Result<Option<Fields>, DecodeError> {
    take(fields, key).map(|v| object(v, key)).transpose()
}

fn gateway_spec(mut s: Fields) -> Result<GatewaySpec, DecodeError> {
    let controller = section(&mut s, "controller")?
        .map(|mut c| -> Result<ControllerSpec, DecodeError> {
            let scope = section(&mut c, "scope")?
                .map(|mut sc| -> Result<ScopeSpec, DecodeError> {
                    Ok(ScopeSpec {
                        enabled: boolean(&mut sc, "enabled")?,
                        namespace: string(&mut sc, "namespace")?,
                        extra: extra(sc),
                    })
                })
                .transpose()?;
            Ok(ControllerSpec {
                replicas: int32(&mut c, "replicas")?,
                annotations: string_map(&mut c, "annotations")?,
                config: string_map(&mut c, "config")?,
                scope,
                tcp: string_map(&mut c, "tcp")?,
                udp: string_map(&mut c, "udp")?,
                extra: extra(c),
            })
        })
        .transpose()?;
    let deployment = section(&mut s, "deployment")?
        .map(|mut d| -> Result<DeploymentSpec, DecodeError> {
            let resources = take(&mut d, "resources")
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| format!("deployment.resources: {e}"))?;
            Ok(DeploymentSpec {
                replicas: int32(&mut d, "replicas")?,
                annotations: string_map(&mut d, "annotations")?,
                resources,
                extra: extra(d),
            })
        })
        .transpose()?;
    let service = section(&mut s, "service")?
        .map(|mut sv| -> Result<ServiceSpec, DecodeError> {
            Ok(ServiceSpec {
                type_: string(&mut sv, "type")?,
                annotations: string_map(&mut sv, "annotations")?,
                extra: extra(sv),
            })
        })
        .transpose()?;
    Ok(GatewaySpec {
        controller,
        deployment,
        service,
        extra: extra(s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    fn full() -> Value {
        json!({
            "apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
            "metadata": {
                "name": "kubesphere-router-demo", "namespace": "kubesphere-controls-system",
                "uid": "u-1", "resourceVersion": "42", "generation": 3, "generateName": "g-",
                "selfLink": "/x", "deletionGracePeriodSeconds": 0,
                "creationTimestamp": "2026-01-02T03:04:05Z",
                "deletionTimestamp": "2026-01-02T03:04:05.123456789+02:00",
                "labels": {"a": "b"}, "annotations": {"kubesphere.io/creator": "admin"},
                "finalizers": ["uninstall-helm-release"],
                "ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "o", "uid": "u", "controller": true}],
                "managedFields": [{"manager": "gateway-console", "operation": "Update", "apiVersion": "gateway.kubesphere.io/v1alpha1",
                                   "time": "2024-02-29T23:59:59Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:a": {}}}}],
                "futureField": 1
            },
            "spec": {
                "controller": {"replicas": 1, "annotations": {}, "config": {"worker-processes": "4"},
                               "scope": {"enabled": true, "namespace": "demo", "new": 1},
                               "tcp": {"9000": "demo/svc:9000"}, "mystery": [1]},
                "deployment": {"replicas": 2, "annotations": {"servicemesh.kubesphere.io/enabled": "false"},
                               "resources": {"requests": {"cpu": "100m"}}, "x": null},
                "service": {"type": "NodePort", "annotations": {"k": "v"}, "externalTrafficPolicy": "Local"},
                "values": {"a": 1}
            },
            "status": {"conditions": [{"type": "Deployed", "status": "True"}]},
            "topLevel": "kept"
        })
    }

    #[test]
    fn the_hand_decoder_agrees_with_the_derived_ones() {
        let v = full();
        let gw = gateway_from_value(v.clone()).unwrap();
        let meta: ObjectMeta = serde_json::from_value(v["metadata"].clone()).unwrap();
        assert_eq!(gw.metadata, meta);
        let spec = GatewaySpec::deserialize(v["spec"].clone()).unwrap();
        assert_eq!(gw.spec, spec);
        assert_eq!(gw.status.as_ref().unwrap().conditions().len(), 1);
        assert_eq!(gw.extra.get("topLevel"), Some(&json!("kept")));
        // and it is what `Deserialize for Gateway` does
        let via_serde: Gateway = serde_json::from_value(v).unwrap();
        assert_eq!(via_serde, gw);
    }

    #[test]
    fn times_parse_like_jiff() {
        for text in [
            "2026-01-02T03:04:05Z",
            "1970-01-01T00:00:00Z",
            "2000-02-29T12:00:00.5Z",
            "2026-12-31T23:59:59.000000001-05:30",
            "1969-07-20T20:17:40+00:00",
            "2400-02-29T00:00:00Z",
        ] {
            let jiff: k8s_openapi::jiff::Timestamp = text.parse().unwrap();
            assert_eq!(parse_time(text).map(|t| t.0), Some(jiff), "{text}");
        }
        for bad in [
            "",
            "2026-01-02",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-01-02T24:00:00Z",
            "2026-01-02T03:04:05",
            "2026-01-02T03:04:05.Z",
            "2026-01-02 03:04:05Z",
            "<b>x</b>",
            "2026-01-02T03:04:05+1:00",
            "२०२६-01-02T03:04:05Z",
        ] {
            assert!(parse_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        for (path, value) in [
            ("/metadata", json!("x")),
            ("/metadata/labels", json!({"a": 1})),
            ("/metadata/generation", json!("3")),
            ("/metadata/creationTimestamp", json!("yesterday")),
            ("/spec/deployment/replicas", json!(1.5)),
            ("/spec/deployment/replicas", json!(4_000_000_000i64)),
            ("/spec/controller/scope/enabled", json!("yes")),
            ("/status", json!([1])),
        ] {
            let mut v = full();
            *v.pointer_mut(path).unwrap() = value;
            assert!(gateway_from_value(v).is_err(), "{path}");
        }
        assert!(gateway_from_value(json!([])).is_err());
        // nulls read as absent
        let gw = gateway_from_value(
            json!({"metadata": null, "spec": {"service": null}, "status": null}),
        )
        .unwrap();
        assert_eq!(gw, Gateway::default());
    }
}
