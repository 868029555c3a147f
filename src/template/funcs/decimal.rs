//! Exact decimal arithmetic for Sprig's float functions (`addf`, `subf`,
//! `mulf`, `divf`), which go through shopspring/decimal: `addf 0.1 0.2` is
//! 0.3, not 0.30000000000000004. Operands start from the shortest decimal
//! form of each float, as `decimal.NewFromFloat` does.

/// `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// Digits shopspring/decimal keeps after the point in a division.
const DIVISION_PRECISION: u32 = 16;

impl Decimal {
    /// The shortest decimal that reads back as `f`; `None` for NaN/Inf or
    /// magnitudes the fixed-width mantissa cannot hold.
    pub(super) fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        let text = format!("{:e}", f);
        let (mantissa, exp) = text.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let negative = mantissa.starts_with('-');
        let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
        let fraction_digits = digits.len() as i32 - 1;
        let scale = fraction_digits - exp;
        let mut m: i128 = digits.parse().ok()?;
        let scale = if scale < 0 {
            m = m.checked_mul(10i128.checked_pow((-scale) as u32)?)?;
            0
        } else {
            scale as u32
        };
        if scale > 30 {
            return None;
        }
        Some(Decimal { mantissa: if negative { -m } else { m }, scale })
    }

    fn rescale(self, scale: u32) -> Option<Decimal> {
        let factor = 10i128.checked_pow(scale - self.scale)?;
        Some(Decimal { mantissa: self.mantissa.checked_mul(factor)?, scale })
    }

    /// `self + other`.
    pub(super) fn add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let (a, b) = (self.rescale(scale)?, other.rescale(scale)?);
        Some(Decimal { mantissa: a.mantissa.checked_add(b.mantissa)?, scale })
    }

    /// `self - other`.
    pub(super) fn sub(self, other: Decimal) -> Option<Decimal> {
        self.add(Decimal { mantissa: -other.mantissa, scale: other.scale })
    }

    /// `self × other`.
    pub(super) fn mul(self, other: Decimal) -> Option<Decimal> {
        Some(Decimal { mantissa: self.mantissa.checked_mul(other.mantissa)?, scale: self.scale + other.scale })
    }

    /// `self ÷ other`, rounded half away from zero to 16 places; `None` on
    /// division by zero (Go panics: "decimal division by 0").
    pub(super) fn div(self, other: Decimal) -> Option<Decimal> {
        if other.mantissa == 0 {
            return None;
        }
        // (a/10^sa) / (b/10^sb) = a·10^(sb+P+1-sa) / b, scaled by 10^-(P+1); one
        // extra digit to round on.
        let shift = other.scale as i64 + DIVISION_PRECISION as i64 + 1 - self.scale as i64;
        let (num, den) = if shift >= 0 {
            (self.mantissa.checked_mul(10i128.checked_pow(shift as u32)?)?, other.mantissa)
        } else {
            (self.mantissa, other.mantissa.checked_mul(10i128.checked_pow((-shift) as u32)?)?)
        };
        let q = num / den;
        let rounded = if q % 10 >= 5 {
            q / 10 + 1
        } else if q % 10 <= -5 {
            q / 10 - 1
        } else {
            q / 10
        };
        Some(Decimal { mantissa: rounded, scale: DIVISION_PRECISION })
    }

    /// The nearest float64.
    pub(super) fn to_f64(self) -> f64 {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let text = if scale == 0 {
            digits
        } else if digits.len() > scale {
            format!("{}.{}", &digits[..digits.len() - scale], &digits[digits.len() - scale..])
        } else {
            format!("0.{}{}", "0".repeat(scale - digits.len()), digits)
        };
        let f: f64 = text.parse().unwrap_or(0.0);
        if self.mantissa < 0 { -f } else { f }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_sums_are_exact() {
        let (a, b) = (Decimal::from_f64(0.1).unwrap(), Decimal::from_f64(0.2).unwrap());
        assert_eq!(a.add(b).unwrap().to_f64(), 0.3);
        let third = Decimal::from_f64(1.0).unwrap().div(Decimal::from_f64(3.0).unwrap()).unwrap();
        assert_eq!(third.to_f64(), 0.3333333333333333);
    }
}
