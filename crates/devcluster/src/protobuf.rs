//! Just enough of Kubernetes' protobuf encoding for what kubectl's typed clients send:
//! `kubectl auth can-i` (SelfSubjectAccessReview), `kubectl create namespace` and
//! `kubectl create configmap`. Other protobuf bodies are refused with 415.

use serde_json::{json, Map, Value};

const MAGIC: &[u8] = b"k8s\0";

struct Fields<'a> {
    data: &'a [u8],
}

fn varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

impl<'a> Iterator for Fields<'a> {
    /// (field number, bytes of a length-delimited field; empty for varints)
    type Item = (u64, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let mut pos = 0;
        let key = varint(self.data, &mut pos)?;
        let (field, wire) = (key >> 3, key & 7);
        let value: &[u8] = match wire {
            0 => {
                varint(self.data, &mut pos)?;
                &[]
            }
            2 => {
                let len = varint(self.data, &mut pos)? as usize;
                let v = self.data.get(pos..pos + len)?;
                pos += len;
                v
            }
            1 => {
                pos += 8;
                &[]
            }
            5 => {
                pos += 4;
                &[]
            }
            _ => return None,
        };
        self.data = self.data.get(pos..)?;
        Some((field, value))
    }
}

fn fields(data: &[u8]) -> Fields<'_> {
    Fields { data }
}

fn text(b: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(b).into_owned())
}

fn string_map_entry(b: &[u8], into: &mut Map<String, Value>) {
    let (mut k, mut v) = (String::new(), Value::String(String::new()));
    for (f, val) in fields(b) {
        match f {
            1 => k = String::from_utf8_lossy(val).into_owned(),
            2 => v = text(val),
            _ => {}
        }
    }
    into.insert(k, v);
}

fn object_meta(b: &[u8]) -> Value {
    let mut m = Map::new();
    let (mut labels, mut annotations) = (Map::new(), Map::new());
    for (f, v) in fields(b) {
        match f {
            1 => {
                m.insert("name".into(), text(v));
            }
            2 => {
                m.insert("generateName".into(), text(v));
            }
            3 => {
                m.insert("namespace".into(), text(v));
            }
            11 => string_map_entry(v, &mut labels),
            12 => string_map_entry(v, &mut annotations),
            _ => {}
        }
    }
    if !labels.is_empty() {
        m.insert("labels".into(), Value::Object(labels));
    }
    if !annotations.is_empty() {
        m.insert("annotations".into(), Value::Object(annotations));
    }
    Value::Object(m)
}

fn resource_attributes(b: &[u8]) -> Value {
    const NAMES: [&str; 7] = [
        "namespace",
        "verb",
        "group",
        "version",
        "resource",
        "subresource",
        "name",
    ];
    let mut m = Map::new();
    for (f, v) in fields(b) {
        if let Some(name) = NAMES.get((f as usize).wrapping_sub(1)) {
            m.insert((*name).into(), text(v));
        }
    }
    Value::Object(m)
}

/// Decodes a protobuf request body into the JSON object it stands for.
pub fn decode(body: &[u8]) -> Result<Value, String> {
    let rest = body
        .strip_prefix(MAGIC)
        .ok_or("not a Kubernetes protobuf envelope")?;
    let (mut api_version, mut kind, mut raw): (String, String, &[u8]) =
        (String::new(), String::new(), &[]);
    for (f, v) in fields(rest) {
        match f {
            1 => {
                for (tf, tv) in fields(v) {
                    match tf {
                        1 => api_version = String::from_utf8_lossy(tv).into_owned(),
                        2 => kind = String::from_utf8_lossy(tv).into_owned(),
                        _ => {}
                    }
                }
            }
            2 => raw = v,
            _ => {}
        }
    }
    let mut obj = json!({"apiVersion": api_version, "kind": kind, "metadata": {}});
    match kind.as_str() {
        "SelfSubjectAccessReview" => {
            for (f, v) in fields(raw) {
                match f {
                    1 => obj["metadata"] = object_meta(v),
                    2 => {
                        for (sf, sv) in fields(v) {
                            if sf == 1 {
                                obj["spec"]["resourceAttributes"] = resource_attributes(sv);
                            } else if sf == 2 {
                                let mut n = Map::new();
                                for (nf, nv) in fields(sv) {
                                    n.insert(
                                        if nf == 1 {
                                            "path".into()
                                        } else {
                                            "verb".into()
                                        },
                                        text(nv),
                                    );
                                }
                                obj["spec"]["nonResourceAttributes"] = Value::Object(n);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        "Namespace" => {
            for (f, v) in fields(raw) {
                if f == 1 {
                    obj["metadata"] = object_meta(v);
                }
            }
        }
        "ConfigMap" => {
            let mut data = Map::new();
            for (f, v) in fields(raw) {
                match f {
                    1 => obj["metadata"] = object_meta(v),
                    2 => string_map_entry(v, &mut data),
                    _ => {}
                }
            }
            obj["data"] = Value::Object(data);
        }
        other => {
            return Err(format!(
                "protobuf bodies of kind {other:?} are not supported; send JSON"
            ))
        }
    }
    Ok(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u64, v: &[u8]) -> Vec<u8> {
        let mut out = vec![((n << 3) | 2) as u8, v.len() as u8];
        out.extend_from_slice(v);
        out
    }

    #[test]
    fn decodes_a_namespace() {
        let meta = [
            field(1, b"demo"),
            field(11, &[field(1, b"team"), field(2, b"a")].concat()),
        ]
        .concat();
        let raw = field(1, &meta);
        let type_meta = [field(1, b"v1"), field(2, b"Namespace")].concat();
        let body = [MAGIC.to_vec(), field(1, &type_meta), field(2, &raw)].concat();
        let v = decode(&body).unwrap();
        assert_eq!(v["metadata"]["name"], "demo");
        assert_eq!(v["metadata"]["labels"]["team"], "a");
        assert_eq!(v["kind"], "Namespace");
    }
}
