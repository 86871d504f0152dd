//! JSON differences: RFC 7386 merge patches between two documents, applying them, and a flat
//! list of changed leaves for the conflict view.

use serde_json::{Map, Value};

/// The RFC 7386 merge patch turning `from` into `to`, or `None` when they are equal.
/// Objects are diffed key by key (removed keys become `null`); anything else is replaced whole.
pub fn merge_patch(from: &Value, to: &Value) -> Option<Value> {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                patch.insert(key.clone(), Value::Null);
            }
            for (key, new) in b {
                match a.get(key) {
                    Some(old) => {
                        if let Some(p) = merge_patch(old, new) {
                            patch.insert(key.clone(), p);
                        }
                    }
                    None => {
                        patch.insert(key.clone(), new.clone());
                    }
                }
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        _ if from == to => None,
        _ => Some(to.clone()),
    }
}

/// Applies an RFC 7386 merge patch in place (`null` deletes a key).
pub fn apply_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(obj) = target {
        for (key, value) in patch {
            if value.is_null() {
                obj.remove(key);
            } else {
                apply_merge_patch(obj.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// One changed leaf between two documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Path segments from the root (object keys; arrays are compared whole).
    pub path: Vec<String>,
    /// Value before (`None` = absent).
    pub old: Option<Value>,
    /// Value after (`None` = absent).
    pub new: Option<Value>,
}

impl Change {
    /// Human-readable path: `spec.service.annotations["a.b/c"]` — segments that are not plain
    /// identifiers are quoted in brackets.
    pub fn display_path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            let plain =
                !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if plain {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(seg);
            } else {
                out.push('[');
                out.push_str(&Value::String(seg.clone()).to_string());
                out.push(']');
            }
        }
        out
    }
}

/// All changed leaves from `a` to `b`, in key order. Objects are descended; other values
/// (including arrays) are reported whole.
pub fn changes(a: &Value, b: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    collect(&mut Vec::new(), Some(a), Some(b), &mut out);
    out
}

fn collect(path: &mut Vec<String>, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x
                .keys()
                .chain(y.keys().filter(|k| !x.contains_key(*k)))
                .collect();
            keys.sort();
            for key in keys {
                path.push(key.clone());
                collect(path, x.get(key), y.get(key), out);
                path.pop();
            }
        }
        (Some(Value::Object(x)), None) if !x.is_empty() => {
            for (key, v) in x {
                path.push(key.clone());
                collect(path, Some(v), None, out);
                path.pop();
            }
        }
        (None, Some(Value::Object(y))) if !y.is_empty() => {
            for (key, v) in y {
                path.push(key.clone());
                collect(path, None, Some(v), out);
                path.pop();
            }
        }
        _ if a == b => {}
        _ => out.push(Change {
            path: path.clone(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn merge_patch_basics() {
        let a = json!({"spec": {"m": {"a": "1", "b": "2"}, "n": 1}, "x": [1]});
        let b = json!({"spec": {"m": {"a": "1", "c": "3"}, "n": 2}, "x": [1]});
        assert_eq!(
            merge_patch(&a, &b),
            Some(json!({"spec": {"m": {"b": null, "c": "3"}, "n": 2}}))
        );
        assert_eq!(merge_patch(&a, &a), None);
        let mut t = a.clone();
        apply_merge_patch(&mut t, &merge_patch(&a, &b).unwrap());
        assert_eq!(t, b);
    }

    #[test]
    fn change_list() {
        let a = json!({"spec": {"service": {"annotations": {"a.b/c": "1"}}, "n": 1}});
        let b = json!({"spec": {"service": {"annotations": {"a.b/c": "2", "new": "x"}}}});
        let c = changes(&a, &b);
        let paths: Vec<_> = c.iter().map(Change::display_path).collect();
        assert_eq!(
            paths,
            vec![
                "spec.n",
                "spec.service.annotations[\"a.b/c\"]",
                "spec.service.annotations.new",
            ]
        );
        assert_eq!(c[0].new, None);
        assert_eq!(c[1].old, Some(json!("1")));
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!(1)),
            Just(json!("s")),
            Just(json!(true)),
            Just(json!([1, 2]))
        ]
    }

    fn doc() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 20, 4, |inner| {
            prop::collection::btree_map("[a-c]", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
        })
    }

    proptest! {
        #[test]
        fn patch_round_trips(a in doc(), b in doc()) {
            // Merge patches cannot express "replace an object with an empty object"; skip that corner.
            prop_assume!(a.is_object() && b.is_object());
            let mut t = a.clone();
            if let Some(p) = merge_patch(&a, &b) {
                apply_merge_patch(&mut t, &p);
            }
            // Empty objects present in `b` but absent in `a` are created by the patch too.
            prop_assert_eq!(t, b);
        }
    }
}
