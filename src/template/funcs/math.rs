//! Sprig's math and number conversion functions. Integer math returns
//! `int64`, float math `float64` (exact decimal arithmetic, as shopspring's
//! decimal does), `atoi`/`int` return `int` — the Go types matter for
//! `typeOf` and for passing results on to `int` parameters.

use super::cast::{to_float64, to_int64};
use super::decimal::Decimal;
use super::{CallResult, Param, Registry, arg_int, arg_str};
use crate::template::exec::Exec;
use crate::template::value::{ElemType, Value};
use std::rc::Rc;

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Int, Str};
    r.add("add1", &[Any], None, |_, a| Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1))));
    r.add("add", &[], Some(Any), |_, a| Ok(Value::Int64(a.iter().map(to_int64).fold(0i64, i64::wrapping_add))));
    r.add("sub", &[Any, Any], None, |_, a| Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))));
    r.add("mul", &[Any], Some(Any), |_, a| {
        Ok(Value::Int64(a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::wrapping_mul)))
    });
    r.add("div", &[Any, Any], None, |_, a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_div(d)))
    });
    r.add("mod", &[Any, Any], None, |_, a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(d)))
    });
    r.add("add1f", &[Any], None, |_, a| decimal_fold(&a[0], &[Value::Float(1.0)], Decimal::add));
    r.add("addf", &[], Some(Any), |_, a| decimal_fold(&Value::Float(0.0), &a, Decimal::add));
    r.add("subf", &[Any], Some(Any), |_, a| decimal_fold(&a[0], &a[1..], Decimal::sub));
    r.add("mulf", &[Any], Some(Any), |_, a| decimal_fold(&a[0], &a[1..], Decimal::mul));
    r.add("divf", &[Any], Some(Any), |_, a| {
        if a[1..].iter().any(|v| to_float64(v) == 0.0) {
            return Err("decimal division by 0".into());
        }
        decimal_fold(&a[0], &a[1..], Decimal::div)
    });
    r.add("max", &[Any], Some(Any), |_, a| Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0))));
    r.add("biggest", &[Any], Some(Any), |_, a| Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0))));
    r.add("min", &[Any], Some(Any), |_, a| Ok(Value::Int64(a.iter().map(to_int64).min().unwrap_or(0))));
    r.add("maxf", &[Any], Some(Any), |_, a| Ok(Value::Float(a.iter().map(to_float64).fold(f64::NEG_INFINITY, go_max))));
    r.add("minf", &[Any], Some(Any), |_, a| Ok(Value::Float(a.iter().map(to_float64).fold(f64::INFINITY, go_min))));
    r.add("ceil", &[Any], None, |_, a| Ok(Value::Float(to_float64(&a[0]).ceil())));
    r.add("floor", &[Any], None, |_, a| Ok(Value::Float(to_float64(&a[0]).floor())));
    r.add("round", &[Any, Int], Some(Param::Float), round);
    r.add("until", &[Int], None, |_, a| {
        let n = arg_int(&a, 0);
        Ok(int_list(until_step(0, n, if n < 0 { -1 } else { 1 })))
    });
    r.add("untilStep", &[Int, Int, Int], None, |_, a| {
        Ok(int_list(until_step(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2))))
    });
    r.add("seq", &[], Some(Int), |_, a| {
        Ok(Value::str(seq(&a.iter().map(|v| arg_int(std::slice::from_ref(v), 0)).collect::<Vec<_>>())))
    });
    r.add("atoi", &[Str], None, |_, a| Ok(Value::Int(atoi(arg_str(&a, 0)))));
    r.add("int", &[Any], None, |_, a| Ok(Value::Int(to_int64(&a[0]))));
    r.add("int64", &[Any], None, |_, a| Ok(Value::Int64(to_int64(&a[0]))));
    r.add("float64", &[Any], None, |_, a| Ok(Value::Float(to_float64(&a[0]))));
    r.add("toDecimal", &[Any], None, |_, a| {
        let text = crate::template::gofmt::format_value(&a[0]);
        Ok(Value::Int64(i64::from_str_radix(text.strip_prefix('+').unwrap_or(&text), 8).unwrap_or(0)))
    });
}

fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }
}

fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }
}

/// Fold with decimal arithmetic; falls back to float math for values the
/// decimal cannot represent (Go's decimal would allocate big integers).
fn decimal_fold(first: &Value, rest: &[Value], op: fn(Decimal, Decimal) -> Option<Decimal>) -> CallResult {
    let mut acc = Decimal::from_f64(to_float64(first));
    for v in rest {
        acc = match (acc, Decimal::from_f64(to_float64(v))) {
            (Some(a), Some(b)) => op(a, b),
            _ => None,
        };
    }
    Ok(Value::Float(acc.map(Decimal::to_f64).unwrap_or(f64::NAN)))
}

fn round(_: &mut Exec<'_>, a: Vec<Value>) -> CallResult {
    let round_on = a.get(2).map(to_float64).unwrap_or(0.5);
    let value = to_float64(&a[0]);
    let pow = 10f64.powf(arg_int(&a, 1) as f64);
    let digit = pow * value;
    let fraction = digit.fract();
    let rounded = if fraction >= round_on { digit.ceil() } else { digit.floor() };
    Ok(Value::Float(rounded / pow))
}

fn until_step(start: i64, stop: i64, step: i64) -> Vec<i64> {
    let mut out = Vec::new();
    if stop < start {
        if step >= 0 {
            return out;
        }
        let mut i = start;
        while i > stop && out.len() < 10_000_000 {
            out.push(i);
            i += step;
        }
        return out;
    }
    if step <= 0 {
        return out;
    }
    let mut i = start;
    while i < stop && out.len() < 10_000_000 {
        out.push(i);
        i += step;
    }
    out
}

fn int_list(items: Vec<i64>) -> Value {
    Value::List(Rc::new(items.into_iter().map(Value::Int).collect()), ElemType::Int)
}

fn seq(params: &[i64]) -> String {
    let list = match *params {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end + inc, inc)
        }
        [start, end] => {
            let inc = if end < start { -1 } else { 1 };
            until_step(start, end + inc, inc)
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return String::new();
                }
            }
            until_step(start, end + inc, step)
        }
        _ => return String::new(),
    };
    list.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

/// Go's `strconv.Atoi` with the error swallowed.
fn atoi(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse::<i64>().unwrap_or(0)
}
