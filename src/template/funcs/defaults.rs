//! Sprig's defaults and reflection functions: `default`, `empty`,
//! `coalesce`, `all`, `any`, `ternary`, `typeOf`/`kindOf` and friends,
//! `deepEqual`, `deepCopy`.

use super::{Param, Registry, arg_str};
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Bool, Str};
    r.add("default", &[Any], Some(Any), |_, a| {
        let given = a.get(1).filter(|v| !v.is_empty());
        Ok(given.cloned().unwrap_or_else(|| a[0].clone()))
    });
    r.add("empty", &[Any], None, |_, a| Ok(Value::Bool(a[0].is_empty())));
    r.add("coalesce", &[], Some(Any), |_, a| Ok(a.iter().find(|v| !v.is_empty()).cloned().unwrap_or(Value::Nil)));
    r.add("all", &[], Some(Any), |_, a| Ok(Value::Bool(a.iter().all(|v| !v.is_empty()))));
    r.add("any", &[], Some(Any), |_, a| Ok(Value::Bool(a.iter().any(|v| !v.is_empty()))));
    r.add("ternary", &[Any, Any, Bool], None, |_, a| {
        Ok(if matches!(a[2], Value::Bool(true)) { a[0].clone() } else { a[1].clone() })
    });
    r.add("typeOf", &[Any], None, |_, a| Ok(Value::str(a[0].go_type())));
    r.add("typeIs", &[Str, Any], None, |_, a| Ok(Value::Bool(arg_str(&a, 0) == a[1].go_type())));
    r.add("typeIsLike", &[Str, Any], None, |_, a| {
        let (target, t) = (arg_str(&a, 0), a[1].go_type());
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    r.add("kindOf", &[Any], None, |_, a| Ok(Value::str(a[0].go_kind())));
    r.add("kindIs", &[Str, Any], None, |_, a| Ok(Value::Bool(arg_str(&a, 0) == a[1].go_kind())));
    r.add("deepEqual", &[Any, Any], None, |_, a| Ok(Value::Bool(a[0].deep_equal(&a[1]))));
    r.add("deepCopy", &[Any], None, |_, a| {
        if let Value::Nil = a[0] {
            return Err("reflect: call of reflect.Value.Type on zero Value".into());
        }
        Ok(a[0].deep_copy())
    });
    r.add("mustDeepCopy", &[Any], None, |_, a| {
        if let Value::Nil = a[0] {
            return Err("copy: Copy called with nil".into());
        }
        Ok(a[0].deep_copy())
    });
}
