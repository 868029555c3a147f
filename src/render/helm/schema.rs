//! `values.schema.json` checks as Helm's `ValidateAgainstSchema` runs them:
//! one `- FIELD: DESCRIPTION` line per violation (see [`super::json_schema`]),
//! under the name of each chart whose schema fails, subcharts checked
//! against their own part of the values. A schema Helm cannot load prints
//! its loader's message under the chart name instead.
//!
//! This module must not coalesce values.

use serde_json::Value;

use super::chart::Chart;
use super::error::HelmError;
use super::json_schema::Schema;

/// Helm's `ValidateAgainstSchema` over the chart and its subcharts.
pub fn validate_values(chart: &Chart, values: &serde_json::Map<String, Value>) -> Result<(), HelmError> {
    let mut report = String::new();
    collect(chart, values, &mut report)?;
    if report.is_empty() { Ok(()) } else { Err(HelmError::Schema { details: report }) }
}

fn collect(chart: &Chart, values: &serde_json::Map<String, Value>, report: &mut String) -> Result<(), HelmError> {
    if let Some(schema) = &chart.schema {
        let text = String::from_utf8_lossy(schema);
        let schema: Value = crate::yaml::gounmarshal::from_str(&text).map_err(|e| HelmError::InvalidChart {
            message: format!("{}: values.schema.json is not valid JSON: {e}", chart.metadata.name),
        })?;
        match Schema::new(schema) {
            Ok(schema) => {
                let violations = schema.validate(&Value::Object(values.clone()));
                if !violations.is_empty() {
                    report.push_str(&format!("{}:\n", chart.metadata.name));
                    for violation in violations {
                        report.push_str(&format!("- {violation}\n"));
                    }
                }
            }
            Err(message) => report.push_str(&format!("{}:\n{message}", chart.metadata.name)),
        }
    }
    for subchart in &chart.dependencies {
        let empty = serde_json::Map::new();
        let sub_values = values.get(&subchart.metadata.name).and_then(Value::as_object).unwrap_or(&empty);
        collect(subchart, sub_values, report)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chart(name: &str, schema: Value, subcharts: Vec<Chart>) -> Chart {
        let mut chart = Chart { dependencies: subcharts, ..Chart::default() };
        chart.metadata.name = name.to_string();
        chart.schema = Some(serde_json::to_vec(&schema).unwrap());
        chart
    }

    #[test]
    fn each_chart_reports_under_its_name_with_its_own_values() {
        let sub = chart("sub", json!({"properties": {"level": {"maximum": 5}}}), Vec::new());
        let root = chart("web", json!({"required": ["name"]}), vec![sub]);
        let values = json!({"sub": {"level": 9}});
        let error = validate_values(&root, values.as_object().unwrap()).unwrap_err().to_string();
        assert!(
            error.ends_with("web:\n- (root): name is required\nsub:\n- level: Must be less than or equal to 5\n"),
            "{error}"
        );
    }
}
