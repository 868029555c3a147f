//! Values as Helm combines them: user sources merged in order (`mergeMaps`:
//! maps merge, everything else replaces), then coalesced with the chart's
//! defaults and each subchart's (user values win, `null` deletes a default,
//! `global` flows down to every subchart).
//!
//! Numbers from YAML are float64, numbers from `--set` are int64: the JSON
//! number kind carries that difference until [`to_template_value`].
//! This module must not parse `--set` flags (see `strvals`) or files.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::chart::Chart;
use crate::template;

/// A values tree.
pub type Values = Map<String, Value>;

/// The key every chart and subchart shares.
pub const GLOBAL_KEY: &str = "global";

/// Helm's `mergeMaps`: `overlay` over `base`; nested maps merge, anything else replaces.
pub fn merge_maps(base: Values, overlay: Values) -> Values {
    let mut out = base;
    for (key, value) in overlay {
        if let Value::Object(overlay_map) = value {
            if let Some(Value::Object(existing)) = out.get_mut(&key) {
                let merged = merge_maps(std::mem::take(existing), overlay_map);
                *existing = merged;
                continue;
            }
            out.insert(key, Value::Object(overlay_map));
            continue;
        }
        out.insert(key, value);
    }
    out
}

/// Helm's `CoalesceValues`: `user` values over the defaults of `chart` and
/// its (already enabled and aliased) subcharts.
/// A subchart's key holding a non-map is Helm's `type mismatch` error.
pub fn coalesce(chart: &Chart, user: Values) -> Result<Values, String> {
    coalesce_chart(chart, user, false)
}

/// Helm's `MergeValues` flavour (used while processing dependencies): like
/// [`coalesce`] but `null` values are kept rather than deleting defaults.
pub fn coalesce_merging(chart: &Chart, user: Values) -> Result<Values, String> {
    coalesce_chart(chart, user, true)
}

fn coalesce_chart(chart: &Chart, mut dest: Values, merge: bool) -> Result<Values, String> {
    coalesce_defaults(chart, &mut dest, merge);
    for subchart in &chart.dependencies {
        let name = subchart.metadata.name.clone();
        let sub = match dest.remove(&name) {
            Some(Value::Object(map)) => map,
            Some(other) => {
                let shown = crate::template::sprintf("%t", &[to_template_value(&other)]);
                return Err(format!("type mismatch on {name}: {shown}"));
            }
            None => Map::new(),
        };
        let mut sub = sub;
        coalesce_globals(&mut sub, &dest);
        dest.insert(name, Value::Object(coalesce_chart(subchart, sub, merge)?));
    }
    Ok(dest)
}

/// Copies the parent's `global` into the subchart's, the subchart's own global values losing.
fn coalesce_globals(dest: &mut Values, parent: &Values) {
    let parent_globals = match parent.get(GLOBAL_KEY) {
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return,
        None => Map::new(),
    };
    let mut globals = match dest.remove(GLOBAL_KEY) {
        Some(Value::Object(map)) => map,
        Some(other) => {
            dest.insert(GLOBAL_KEY.to_string(), other);
            return;
        }
        None => Map::new(),
    };
    for (key, value) in parent_globals {
        match (value, globals.get_mut(&key)) {
            (Value::Object(parent_table), None) => {
                globals.insert(key, Value::Object(parent_table));
            }
            (Value::Object(parent_table), Some(Value::Object(own))) => {
                let mut merged = parent_table;
                coalesce_tables(&mut merged, own, true);
                *own = merged;
            }
            (Value::Object(_), Some(_)) => {}
            (_, Some(Value::Object(_))) => {}
            (value, _) => {
                globals.insert(key, value);
            }
        }
    }
    dest.insert(GLOBAL_KEY.to_string(), Value::Object(globals));
}

/// Helm's `coalesceValues`: the chart's defaults under `dest`.
fn coalesce_defaults(chart: &Chart, dest: &mut Values, merge: bool) {
    let subchart_names: Vec<&str> = chart.dependencies.iter().map(|c| c.metadata.name.as_str()).collect();
    for (key, default) in &chart.values {
        match dest.get_mut(key) {
            None => {
                dest.insert(key.clone(), default.clone());
            }
            Some(Value::Null) if !merge => {
                dest.remove(key);
            }
            Some(Value::Object(user_table)) => {
                if let Value::Object(default_table) = default {
                    let merge = merge || subchart_names.contains(&key.as_str());
                    coalesce_tables(user_table, default_table, merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` fills what `dst` lacks; `dst` wins.
/// With `merge`, nulls in `dst` are kept (Helm's `MergeTables`).
pub fn coalesce_tables(dst: &mut Values, src: &Values, merge: bool) {
    for (key, value) in src {
        match dst.get_mut(key) {
            Some(Value::Null) if !merge => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), value.clone());
            }
            Some(Value::Object(dst_table)) => {
                if let Value::Object(src_table) = value {
                    coalesce_tables(dst_table, src_table, merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// The value at a dotted path (`a.b.c`) of a values tree.
pub fn lookup_path<'v>(values: &'v Values, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut current = values.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// Converts values for templates: float64 stays float64, integers (from
/// `--set`) become int64, as Helm's values reach templates.
pub fn to_template_value(value: &Value) -> template::Value {
    match value {
        Value::Number(n) if n.is_f64() => template::Value::Float(n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => template::Value::Int64(i),
            None => template::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::Array(items) => template::Value::list(items.iter().map(to_template_value).collect()),
        Value::Object(map) => {
            template::Value::map(map.iter().map(|(k, v)| (k.clone(), to_template_value(v))).collect::<BTreeMap<_, _>>())
        }
        other => template::Value::from_json(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Values {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_subchart_key_holding_a_scalar_is_a_type_mismatch() {
        let sub = Chart {
            metadata: super::super::chart::Metadata { name: "sub".into(), ..Default::default() },
            ..Default::default()
        };
        let parent = Chart { dependencies: vec![sub], ..Default::default() };
        assert_eq!(coalesce(&parent, map(json!({"sub": 1}))).unwrap_err(), "type mismatch on sub: %!t(int64=1)");
    }

    #[test]
    fn merge_maps_merges_tables_and_replaces_the_rest() {
        let merged =
            merge_maps(map(json!({"a": {"b": 1, "c": [1]}, "d": 1})), map(json!({"a": {"c": [2]}, "d": {"e": 1}})));
        assert_eq!(Value::Object(merged), json!({"a": {"b": 1, "c": [2]}, "d": {"e": 1}}));
    }

    #[test]
    fn coalesce_keeps_user_values_deletes_nulls_and_pushes_globals() {
        let sub = Chart {
            metadata: super::super::chart::Metadata { name: "sub".into(), ..Default::default() },
            values: map(json!({"port": 80, "global": {"env": "sub", "only": 1}})),
            ..Default::default()
        };
        let parent = Chart {
            metadata: super::super::chart::Metadata { name: "app".into(), ..Default::default() },
            values: map(json!({"image": {"tag": "1", "repo": "x"}, "debug": true, "global": {"env": "prod"}})),
            dependencies: vec![sub],
            ..Default::default()
        };
        let out = coalesce(&parent, map(json!({"image": {"tag": "2"}, "debug": null, "sub": {"port": 8080}}))).unwrap();
        assert_eq!(
            Value::Object(out),
            json!({
                "image": {"tag": "2", "repo": "x"},
                "global": {"env": "prod"},
                "sub": {"port": 8080, "global": {"env": "prod", "only": 1}}
            })
        );
    }
}
