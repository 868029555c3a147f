//! Sprig's list functions (`list`, `append`, `first`, `rest`, `uniq`,
//! `without`, `has`, `compact`, `slice`, `concat`, `chunk`…) with Sprig's
//! errors for non-lists ("Cannot find first on type string"). The `must`
//! variants return the same errors, so they share implementations.

use std::rc::Rc;

use super::cast::{NIL_DEREFERENCE, as_list, kind_name, to_int64};
use super::{CallError, CallResult, Param, Registry, arg_int};
use crate::template::exec::Exec;
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Int};
    r.add("list", &[], Some(Any), |_, a| Ok(Value::list(a)));
    r.add("tuple", &[], Some(Any), |_, a| Ok(Value::list(a)));
    for name in ["append", "push", "mustAppend", "mustPush"] {
        r.add(name, &[Any, Any], None, |_, a| {
            let mut items = items_of(&a[0], "Cannot push on type")?;
            items.push(a[1].clone());
            Ok(Value::list(items))
        });
    }
    for name in ["prepend", "mustPrepend"] {
        r.add(name, &[Any, Any], None, |_, a| {
            let mut items = items_of(&a[0], "Cannot prepend on type")?;
            items.insert(0, a[1].clone());
            Ok(Value::list(items))
        });
    }
    for name in ["first", "mustFirst"] {
        r.add(name, &[Any], None, |_, a| {
            Ok(items_of(&a[0], "Cannot find first on type")?.first().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["last", "mustLast"] {
        r.add(name, &[Any], None, |_, a| {
            Ok(items_of(&a[0], "Cannot find last on type")?.last().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["rest", "mustRest"] {
        r.add(name, &[Any], None, |_, a| {
            let items = items_of(&a[0], "Cannot find rest on type")?;
            Ok(Value::list(items.get(1..).unwrap_or_default().to_vec()))
        });
    }
    for name in ["initial", "mustInitial"] {
        r.add(name, &[Any], None, |_, a| {
            let items = items_of(&a[0], "Cannot find initial on type")?;
            Ok(Value::list(items[..items.len().saturating_sub(1)].to_vec()))
        });
    }
    for name in ["reverse", "mustReverse"] {
        r.add(name, &[Any], None, |_, a| {
            let mut items = items_of(&a[0], "Cannot find reverse on type")?;
            items.reverse();
            Ok(Value::list(items))
        });
    }
    for name in ["uniq", "mustUniq"] {
        r.add(name, &[Any], None, |_, a| {
            let mut out: Vec<Value> = Vec::new();
            for item in items_of(&a[0], "Cannot find uniq on type")? {
                if !out.iter().any(|o| o.deep_equal(&item)) {
                    out.push(item);
                }
            }
            Ok(Value::list(out))
        });
    }
    for name in ["compact", "mustCompact"] {
        r.add(name, &[Any], None, |_, a| {
            let items = items_of(&a[0], "Cannot compact on type")?;
            Ok(Value::list(items.into_iter().filter(|v| !v.is_empty()).collect()))
        });
    }
    for name in ["without", "mustWithout"] {
        r.add(name, &[Any], Some(Any), |_, a| {
            let items = items_of(&a[0], "Cannot find without on type")?;
            Ok(Value::list(items.into_iter().filter(|v| !a[1..].iter().any(|o| o.deep_equal(v))).collect()))
        });
    }
    for name in ["has", "mustHas"] {
        r.add(name, &[Any, Any], None, |_, a| {
            if let Value::Nil = a[1] {
                return Ok(Value::Bool(false));
            }
            let items = items_of(&a[1], "Cannot find has on type")?;
            Ok(Value::Bool(items.iter().any(|v| v.deep_equal(&a[0]))))
        });
    }
    for name in ["slice", "mustSlice"] {
        r.add(name, &[Any], Some(Any), slice);
    }
    r.add("concat", &[], Some(Any), |_, a| {
        let mut out = Vec::new();
        for list in &a {
            // Sprig asks `reflect.TypeOf(list).Kind()`, which dereferences nil.
            if matches!(list, Value::Nil) {
                return Err(NIL_DEREFERENCE.into());
            }
            match as_list(list) {
                Some(items) => out.extend(items),
                None => return Err(format!("Cannot concat type {} as list", kind_name(list)).into()),
            }
        }
        Ok(Value::list(out))
    });
    for name in ["chunk", "mustChunk"] {
        r.add(name, &[Int, Any], None, |_, a| {
            let size = arg_int(&a, 0);
            let items = items_of(&a[1], "Cannot chunk type")?;
            if size <= 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            let chunks = items.chunks(size as usize).map(|c| Value::list(c.to_vec())).collect();
            Ok(Value::list(chunks))
        });
    }
}

/// A slice's elements, or Sprig's error for other types.
fn items_of(value: &Value, message: &str) -> Result<Vec<Value>, CallError> {
    match value {
        Value::Nil => Err(NIL_DEREFERENCE.into()),
        other => as_list(other).ok_or_else(|| format!("{message} {}", kind_name(other)).into()),
    }
}

fn slice(_: &mut Exec<'_>, a: Vec<Value>) -> CallResult {
    let (items, elem) = match &a[0] {
        Value::List(items, elem) => (items.clone(), *elem),
        Value::Nil => return Err(NIL_DEREFERENCE.into()),
        host @ Value::Object(_) if as_list(host).is_some() => {
            (Rc::new(as_list(host).unwrap_or_default()), crate::template::ElemType::Any)
        }
        other => return Err(format!("list should be type of slice or array but {}", kind_name(other)).into()),
    };
    let len = items.len() as i64;
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = a.get(1).map(to_int64).unwrap_or(0);
    let end = if a.len() < 3 { len } else { to_int64(&a[2]) };
    if start < 0 || end < start || end > len {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    Ok(Value::List(Rc::new(items[start as usize..end as usize].to_vec()), elem))
}
