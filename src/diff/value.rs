//! Equality by meaning, the way the API server sees values: `1` = `1.0`,
//! `8080` = `"8080"` (int-or-string), quantities by amount (`1000m` = `1`,
//! `1Gi` = `1073741824`), null = absent = empty map or list, and a zero value
//! (`false`, `0`, `""`) of a typed field = absent, because the API server
//! omits zero values of non-pointer fields when it stores an object.

use kube_quantity::ParsedQuantity;
use serde_json::Value;

use crate::object::Pointer;

/// Map keys under which values are resource quantities (LimitRange items
/// name theirs `default`, `defaultRequest`, `min`, `max`).
const QUANTITY_PARENTS: [&str; 12] = [
    "limits",
    "requests",
    "hard",
    "capacity",
    "allocatable",
    "overhead",
    "used",
    "default",
    "defaultRequest",
    "min",
    "max",
    "maxLimitRequestRatio",
];
/// Keys whose own value is a quantity.
const QUANTITY_KEYS: [&str; 3] = ["sizeLimit", "storage", "averageValue"];

/// Whether a value counts as not set.
pub fn is_absent(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Object(map)) => map.is_empty(),
        Some(Value::Array(list)) => list.is_empty(),
        Some(_) => false,
    }
}

/// Whether a value at `path` sets nothing: absent, or an empty string in a typed
/// field (for Kubernetes' Go types `""` is an unset string: `clusterIP: ""` asks the
/// server to allocate one). An empty entry of a map people fill (`data`, `labels`) is a value.
pub fn sets_nothing(path: &Pointer, value: Option<&Value>) -> bool {
    is_absent(value) || (value.and_then(Value::as_str) == Some("") && !super::normalize::is_free_form_entry(path))
}

/// Whether two values at `path` mean the same.
pub fn same(path: &Pointer, a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (as_stored(path, a), as_stored(path, b));
    match (a, b) {
        _ if is_absent(a) && is_absent(b) => true,
        (Some(a), Some(b)) => same_value(path, a, b),
        (Some(value), None) | (None, Some(value)) => is_omitted_zero(path, value),
        (None, None) => true,
    }
}

/// A value as the API server stores it where that differs from how it is
/// written: Go decodes a JSON `null` into a string or bytes entry of a map
/// (`data`, `labels`…) as the empty value, so a Secret's `data: {key: null}`
/// holds the same empty bytes as `key: ""`.
fn as_stored<'a>(path: &Pointer, value: Option<&'a Value>) -> Option<&'a Value> {
    static EMPTY: Value = Value::String(String::new());
    match value {
        Some(Value::Null) if super::normalize::is_free_form_entry(path) => Some(&EMPTY),
        other => other,
    }
}

/// Whether the API server would store `value` at `path` as nothing: the zero
/// value of a non-pointer field (`globalDefault: false`, `initialDelaySeconds: 0`,
/// an env var's `value: ""`) is omitted from the stored object. Entries of maps
/// whose keys people choose (`data`, `labels`…) are kept whatever their value.
fn is_omitted_zero(path: &Pointer, value: &Value) -> bool {
    let zero = match value {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    zero && !super::normalize::is_free_form_entry(path)
}

fn same_value(path: &Pointer, a: &Value, b: &Value) -> bool {
    // The API server stores a quantity written as a number (`cpu: 0.5`) as its canonical
    // string (`500m`): a number that became a string of the same amount is that quantity.
    let number_became_quantity =
        matches!((a, b), (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)));
    if (is_quantity_path(path) || number_became_quantity)
        && let (Some(qa), Some(qb)) = (quantity(a), quantity(b))
    {
        return qa == qb;
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        // int-or-string fields (ports, maxSurge) keep either form; a numeric string names the same number.
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            s.parse::<f64>().ok().zip(n.as_f64()).is_some_and(|(x, y)| x == y) && !s.trim().is_empty()
        }
        (Value::Object(x), Value::Object(y)) => {
            x.keys().chain(y.keys()).all(|k| same(&path.child(k.as_str()), x.get(k), y.get(k)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).enumerate().all(|(i, (p, q))| same(&path.child(i.to_string()), Some(p), Some(q)))
        }
        _ => a == b,
    }
}

fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    match (x.as_i64(), y.as_i64()) {
        (Some(i), Some(j)) => i == j,
        _ => x.as_f64() == y.as_f64(),
    }
}

pub(super) fn is_quantity_path(path: &Pointer) -> bool {
    let (last, parent) = (path.last(), path.from_end(1));
    last.is_some_and(|k| QUANTITY_KEYS.contains(&k)) || parent.is_some_and(|p| QUANTITY_PARENTS.contains(&p))
}

fn quantity(value: &Value) -> Option<ParsedQuantity> {
    match value {
        Value::String(s) => ParsedQuantity::try_from(s.as_str()).ok(),
        Value::Number(n) => ParsedQuantity::try_from(n.to_string().as_str()).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(path: &str) -> Pointer {
        Pointer::parse(path).unwrap()
    }

    #[test]
    fn absent_null_and_empty_are_the_same() {
        let p = at("/spec/x");
        assert!(same(&p, None, Some(&json!(null))));
        assert!(same(&p, Some(&json!({})), None));
        assert!(same(&p, Some(&json!([])), Some(&json!(null))));
        assert!(!same(&p, Some(&json!(1)), None));
        assert!(!same(&p, Some(&json!(true)), None));
    }

    #[test]
    fn empty_strings_set_nothing_in_typed_fields_only() {
        assert!(sets_nothing(&at("/spec/clusterIP"), Some(&json!(""))));
        assert!(!sets_nothing(&at("/data/EMPTY"), Some(&json!(""))));
        assert!(!sets_nothing(&at("/spec/clusterIP"), Some(&json!("None"))));
    }

    #[test]
    fn zero_values_of_typed_fields_are_what_the_server_omits() {
        assert!(same(&at("/globalDefault"), Some(&json!(false)), None));
        assert!(same(&at("/spec/containers/0/readinessProbe/initialDelaySeconds"), None, Some(&json!(0))));
        assert!(same(&at("/spec/containers/0/env/1/value"), Some(&json!("")), None));
        assert!(!same(&at("/data/EMPTY"), Some(&json!("")), None), "a ConfigMap key is kept even when empty");
        assert!(!same(&at("/metadata/labels/flag"), Some(&json!("")), None));
    }

    #[test]
    fn null_and_empty_entries_of_data_maps_are_the_same_empty_value() {
        assert!(same(&at("/data/key"), Some(&json!("")), Some(&json!(null))));
        assert!(same(&at("/data/key"), Some(&json!(null)), Some(&json!(""))));
        assert!(same(&at("/binaryData/key"), Some(&json!("")), Some(&json!(null))));
        assert!(!same(&at("/data/key"), Some(&json!("eA==")), Some(&json!(null))));
        assert!(!same(&at("/data/key"), Some(&json!("")), None), "a missing key is not an empty one");
    }

    #[test]
    fn numbers_and_int_or_string() {
        let p = at("/spec/replicas");
        assert!(same(&p, Some(&json!(1)), Some(&json!(1.0))));
        assert!(!same(&p, Some(&json!(1)), Some(&json!(2))));
        assert!(same(&at("/spec/ports/0/targetPort"), Some(&json!(8080)), Some(&json!("8080"))));
        assert!(!same(&at("/spec/ports/0/targetPort"), Some(&json!(8080)), Some(&json!("http"))));
    }

    #[test]
    fn quantities_compare_by_amount_only_where_they_are_quantities() {
        let cpu = at("/spec/containers/0/resources/limits/cpu");
        assert!(same(&cpu, Some(&json!("1000m")), Some(&json!("1"))));
        assert!(same(&cpu, Some(&json!(0.5)), Some(&json!("500m"))));
        assert!(!same(&cpu, Some(&json!("1")), Some(&json!("2"))));
        let mem = at("/spec/containers/0/resources/requests/memory");
        assert!(same(&mem, Some(&json!("1Gi")), Some(&json!("1073741824"))));
        assert!(same(&mem, Some(&json!("1024Mi")), Some(&json!("1Gi"))));
        assert!(same(&at("/spec/resources/requests/storage"), Some(&json!("1Gi")), Some(&json!("1024Mi"))));
        // A ConfigMap value that happens to look like a quantity is text.
        assert!(!same(&at("/data/size"), Some(&json!("1000m")), Some(&json!("1"))));
        // LimitRange defaults, HPA targets, and any number the server turned into a quantity.
        assert!(same(&at("/spec/limits/0/defaultRequest/cpu"), Some(&json!("0.1")), Some(&json!("100m"))));
        assert!(same(
            &at("/spec/metrics/0/resource/target/averageValue"),
            Some(&json!("1536Mi")),
            Some(&json!("1.5Gi"))
        ));
        assert!(same(&at("/spec/anything"), Some(&json!(0.25)), Some(&json!("250m"))));
        assert!(!same(&at("/spec/anything"), Some(&json!(0.25)), Some(&json!("300m"))));
    }

    #[test]
    fn nested_values_compare_by_meaning() {
        let p = at("/spec");
        assert!(same(&p, Some(&json!({"a": 1, "b": null})), Some(&json!({"a": 1.0}))));
        assert!(!same(&p, Some(&json!([1, 2])), Some(&json!([2, 1]))));
    }
}
