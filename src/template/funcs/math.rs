//! Sprig's math and number conversion functions. Integer math returns
//! `int64`, float math `float64` (exact decimal arithmetic, as shopspring's
//! decimal does), `atoi`/`int` return `int` — the Go types matter for
//! `typeOf` and for passing results on to `int` parameters.

use super::cast::{to_float64, to_int64};
use super::decimal::Decimal;
use super::{CallError, CallResult, Param, Registry, arg_int, arg_str};
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
        Ok(int_list(until_step(0, n, if n < 0 { -1 } else { 1 })?))
    });
    r.add("untilStep", &[Int, Int, Int], None, |_, a| {
        Ok(int_list(until_step(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2))?))
    });
    r.add("seq", &[], Some(Int), |_, a| {
        Ok(Value::str(seq(&a.iter().map(|v| arg_int(std::slice::from_ref(v), 0)).collect::<Vec<_>>())?))
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

/// The most numbers `until`, `untilStep` and `seq` build. Sprig has no
/// limit (Go allocates until memory runs out); this one is ten times the
/// longest list seen in a chart's needs and costs about 2.4 GB.
pub(crate) const MAX_SEQUENCE: i128 = 100_000_000;

/// Sprig's `untilStep`: from `start` towards `stop` (excluded) by `step`;
/// empty when the step goes the wrong way. Refuses, before allocating
/// anything, a list longer than [`MAX_SEQUENCE`].
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, CallError> {
    let (distance, stride) = match stop.cmp(&start) {
        std::cmp::Ordering::Less if step < 0 => (i128::from(start) - i128::from(stop), -i128::from(step)),
        std::cmp::Ordering::Greater if step > 0 => (i128::from(stop) - i128::from(start), i128::from(step)),
        _ => return Ok(Vec::new()),
    };
    let count = (distance + stride - 1) / stride;
    if count > MAX_SEQUENCE {
        return Err(format!(
            "a sequence of {count} numbers is longer than driftctl builds ({MAX_SEQUENCE}); Helm would try to hold it in memory"
        )
        .into());
    }
    Ok((0..count).map(|k| (i128::from(start) + k * i128::from(step)) as i64).collect())
}

fn int_list(items: Vec<i64>) -> Value {
    Value::List(Rc::new(items.into_iter().map(Value::Int).collect()), ElemType::Int)
}

fn seq(params: &[i64]) -> Result<String, CallError> {
    let list = match *params {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let inc = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(inc), inc)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            until_step(start, end.wrapping_add(inc), step)?
        }
        _ => return Ok(String::new()),
    };
    Ok(list.iter().map(i64::to_string).collect::<Vec<_>>().join(" "))
}

/// Go's `strconv.Atoi` with the error swallowed.
fn atoi(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse::<i64>().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_goes_past_ten_million_as_sprig_does() {
        assert_eq!(until_step(0, 10_000_001, 1).map(|list| list.len()).ok(), Some(10_000_001));
        assert_eq!(until_step(5, -1, -2).ok(), Some(vec![5, 3, 1]));
        assert_eq!(until_step(0, 3, -1).ok(), Some(vec![]));
    }

    #[test]
    fn a_sequence_beyond_the_bound_is_refused_before_allocating() {
        let Err(CallError::Message(message)) = until_step(0, i64::MAX, 1) else { panic!("refused") };
        assert!(
            message.contains("9223372036854775807 numbers is longer than driftctl builds (100000000)"),
            "{message}"
        );
        assert!(until_step(i64::MIN, i64::MAX, 1 << 40).is_ok_and(|list| list.len() == 1 << 24));
        assert_eq!(seq(&[3]).ok().as_deref(), Some("1 2 3"));
        assert!(seq(&[i64::MAX]).is_ok());
    }
}
