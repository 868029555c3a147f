//! Sprig's dictionary functions. Dicts are shared by reference as Go maps
//! are, so `set` and `merge` change the dict they are given. `keys` and
//! `values` come out in key order (Go's order is random; charts sort them).

use std::collections::BTreeMap;

use super::cast::strval;
use super::{CallResult, Param, Registry, arg_str};
use crate::template::exec::Exec;
use crate::template::value::{ElemType, MapRef, Value};

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Map, Str};
    r.add("dict", &[], Some(Any), |_, a| {
        let mut map = BTreeMap::new();
        for pair in a.chunks(2) {
            map.insert(strval(&pair[0]), pair.get(1).cloned().unwrap_or_else(|| Value::str("")));
        }
        Ok(Value::map(map))
    });
    r.add("get", &[Map, Str], None, |_, a| {
        Ok(map_of(&a[0]).and_then(|m| m.borrow().get(arg_str(&a, 1)).cloned()).unwrap_or_else(|| Value::str("")))
    });
    r.add("set", &[Map, Str, Any], None, |_, a| {
        let map = map_of(&a[0]).ok_or("assignment to entry in nil map")?;
        map.borrow_mut().insert(arg_str(&a, 1).to_string(), a[2].clone());
        Ok(a[0].clone())
    });
    r.add("unset", &[Map, Str], None, |_, a| {
        if let Some(map) = map_of(&a[0]) {
            map.borrow_mut().remove(arg_str(&a, 1));
        }
        Ok(a[0].clone())
    });
    r.add("hasKey", &[Map, Str], None, |_, a| {
        Ok(Value::Bool(map_of(&a[0]).is_some_and(|m| m.borrow().contains_key(arg_str(&a, 1)))))
    });
    r.add("pluck", &[Str], Some(Map), |_, a| {
        let key = arg_str(&a, 0);
        Ok(Value::list(a[1..].iter().filter_map(|d| map_of(d).and_then(|m| m.borrow().get(key).cloned())).collect()))
    });
    r.add("keys", &[], Some(Map), |_, a| {
        let keys = a.iter().filter_map(map_of).flat_map(|m| m.borrow().keys().cloned().collect::<Vec<_>>()).collect();
        Ok(Value::str_list(keys))
    });
    r.add("values", &[Map], None, |_, a| {
        Ok(Value::list(map_of(&a[0]).map(|m| m.borrow().values().cloned().collect()).unwrap_or_default()))
    });
    r.add("pick", &[Map], Some(Str), |_, a| {
        let source = map_of(&a[0]).map(|m| m.borrow().clone()).unwrap_or_default();
        let wanted: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        Ok(Value::map(source.into_iter().filter(|(k, _)| wanted.contains(&k.as_str())).collect()))
    });
    r.add("omit", &[Map], Some(Str), |_, a| {
        let source = map_of(&a[0]).map(|m| m.borrow().clone()).unwrap_or_default();
        let dropped: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        Ok(Value::map(source.into_iter().filter(|(k, _)| !dropped.contains(&k.as_str())).collect()))
    });
    r.add("merge", &[Map], Some(Map), |e, a| merge(e, a, false));
    r.add("mustMerge", &[Map], Some(Map), |e, a| merge(e, a, false));
    r.add("mergeOverwrite", &[Map], Some(Map), |e, a| merge(e, a, true));
    r.add("mustMergeOverwrite", &[Map], Some(Map), |e, a| merge(e, a, true));
    r.add("dig", &[], Some(Any), dig);
}

/// The map behind a `map[string]interface {}` parameter (Go converts
/// `chartutil.Values` to it implicitly).
fn map_of(value: &Value) -> Option<MapRef> {
    match value {
        Value::Map(map, ElemType::Any | ElemType::HelmValues) => Some(map.clone()),
        _ => None,
    }
}

/// Go's type assertion `v.(map[string]interface {})`, which a named map type fails.
fn assert_plain_map(value: &Value) -> Option<MapRef> {
    match value {
        Value::Map(map, ElemType::Any) => Some(map.clone()),
        _ => None,
    }
}

fn merge(_: &mut Exec<'_>, a: Vec<Value>, overwrite: bool) -> CallResult {
    let dst = match map_of(&a[0]) {
        Some(map) => map,
        None => match Value::map(BTreeMap::new()) {
            Value::Map(map, _) => map,
            _ => unreachable!("Value::map builds a map"),
        },
    };
    for src in a[1..].iter().filter_map(map_of) {
        if std::rc::Rc::ptr_eq(&src, &dst) {
            continue;
        }
        deep_merge(&dst, &src, overwrite, 0);
    }
    Ok(Value::Map(dst, ElemType::Any))
}

/// mergo's map merge: missing or empty destination values take the source's;
/// nested maps merge; with `overwrite`, source values win.
fn deep_merge(dst: &MapRef, src: &MapRef, overwrite: bool, depth: usize) {
    if depth > 10_000 {
        return;
    }
    let entries: Vec<(String, Value)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, source) in entries {
        let existing = dst.borrow().get(&key).cloned();
        if let Value::Nil = source {
            if overwrite {
                dst.borrow_mut().insert(key, Value::Nil);
            }
            continue;
        }
        match (&source, &existing) {
            (Value::Map(s, se), Some(Value::Map(d, de))) if se.holds_interfaces() && de.holds_interfaces() => {
                if !std::rc::Rc::ptr_eq(s, d) {
                    deep_merge(d, s, overwrite, depth + 1);
                }
                if !d.borrow().is_empty() {
                    continue;
                }
            }
            (Value::List(..), Some(d)) if !d.is_empty() => {
                if overwrite {
                    dst.borrow_mut().insert(key, source);
                }
                continue;
            }
            _ => {}
        }
        let replace = overwrite || existing.as_ref().is_none_or(Value::is_empty);
        if replace {
            dst.borrow_mut().insert(key, source);
        }
    }
}

fn dig(_: &mut Exec<'_>, a: Vec<Value>) -> CallResult {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let conversion = |v: &Value, want: &str| {
        let got = if let Value::Nil = v { "nil".to_string() } else { v.go_type() };
        let got = got.as_str();
        format!("interface conversion: interface {{}} is {got}, not {want}")
    };
    let mut dict =
        assert_plain_map(&a[a.len() - 1]).ok_or_else(|| conversion(&a[a.len() - 1], "map[string]interface {}"))?;
    let default = a[a.len() - 2].clone();
    let mut keys = Vec::new();
    for k in &a[..a.len() - 2] {
        keys.push(k.as_str().ok_or_else(|| conversion(k, "string"))?.to_string());
    }
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = dict.borrow().get(key).cloned() else { return Ok(default) };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        dict = assert_plain_map(&step).ok_or_else(|| conversion(&step, "map[string]interface {}"))?;
    }
    Ok(default)
}
