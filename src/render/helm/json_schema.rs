//! JSON Schema validation as Helm 3 runs it (xeipuuv/gojsonschema, drafts
//! 4, 6 and 7): the same keywords, the same failure messages, and the same
//! choice of which branch's failures to report when no `anyOf`/`oneOf`
//! branch matches (gojsonschema keeps the branch with the best score: +1 for
//! each check passed, −1 for each failure).
//!
//! Schemas are read as written: `$ref` is a JSON pointer into the same
//! document (`#/definitions/a~1b`); references to other documents are
//! refused, as Helm cannot fetch them offline either. This module must not
//! know about charts (see `schema`).

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;
use serde_json::Value as Json;

use super::schema_format::{conforms, is_checked_format};

/// JSON Schema drafts that change how a keyword reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Draft {
    /// `draft-04`: `exclusiveMinimum`/`exclusiveMaximum` are booleans.
    Four,
    /// No (known) `$schema`: gojsonschema's hybrid accepts every draft's forms.
    Hybrid,
    /// `draft-06` and `draft-07`: they are numbers.
    SixOrSeven,
}

/// One failure, as gojsonschema prints it: `FIELD: DESCRIPTION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The value's path (`image.tag`, `ports.0`, `(root)`).
    pub field: String,
    /// What is wrong, in gojsonschema's words.
    pub description: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.description)
    }
}

/// A schema checked for the errors gojsonschema reports while loading it.
#[derive(Debug)]
pub struct Schema {
    root: Json,
    draft: Draft,
    patterns: RefCell<HashMap<String, Option<Regex>>>,
}

impl Schema {
    /// Loads `root` (the parsed `values.schema.json`); the error is
    /// gojsonschema's message for a schema it refuses.
    pub fn new(root: Json) -> Result<Schema, String> {
        let draft = match root.get("$schema").and_then(Json::as_str) {
            Some(uri) if uri.contains("draft-04") => Draft::Four,
            Some(uri) if uri.contains("draft-06") || uri.contains("draft-07") => Draft::SixOrSeven,
            _ => Draft::Hybrid,
        };
        let schema = Schema { root, draft, patterns: RefCell::new(HashMap::new()) };
        schema.check_node(&schema.root, 0)?;
        Ok(schema)
    }

    /// Every violation of `value`, in gojsonschema's order.
    pub fn validate(&self, value: &Json) -> Vec<Violation> {
        let mut outcome = Outcome::default();
        self.validate_node(&self.root, value, &Path::root(), &mut outcome, 0);
        outcome.violations
    }

    fn regex(&self, pattern: &str) -> Option<Regex> {
        self.patterns.borrow_mut().entry(pattern.to_string()).or_insert_with(|| Regex::new(pattern).ok()).clone()
    }

    /// The schema a `$ref` names.
    fn resolve(&self, reference: &str) -> Option<&Json> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return Some(&self.root);
        }
        let decoded = percent_decode(pointer);
        self.root.pointer(&decoded)
    }

    /// A `$ref` must point into this document, at something that exists;
    /// the messages are gojsonschema's.
    fn check_reference(&self, reference: &str) -> Result<(), String> {
        if let Some(pointer) = reference.strip_prefix('#') {
            let decoded = percent_decode(pointer);
            let mut node = &self.root;
            for token in decoded.split('/').skip(1) {
                let key = token.replace("~1", "/").replace("~0", "~");
                let next = match node {
                    Json::Object(map) => map.get(&key),
                    Json::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                node = next.ok_or_else(|| format!("Object has no key '{key}'"))?;
            }
            return Ok(());
        }
        let has_scheme = reference.split_once(':').is_some_and(|(scheme, _)| {
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if has_scheme {
            Err(format!(
                "Get \"{reference}\": driftctl does not fetch remote schema references (Helm downloads them); copy the referenced schema into values.schema.json under \"definitions\""
            ))
        } else {
            Err(format!("Reference /{reference} must be canonical"))
        }
    }

    /// The load-time checks: references resolve, patterns compile, keywords
    /// have the types their draft wants.
    fn check_node(&self, node: &Json, depth: usize) -> Result<(), String> {
        if depth > 200 {
            return Ok(());
        }
        let Some(map) = node.as_object() else { return Ok(()) };
        if let Some(reference) = map.get("$ref").and_then(Json::as_str) {
            self.check_reference(reference)?;
        }
        check_keyword_types(map)?;
        if let Some(types) = map.get("type") {
            let names: Vec<&Json> = match types {
                Json::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            for name in names {
                let known = name.as_str().is_some_and(|n| {
                    matches!(n, "array" | "boolean" | "integer" | "number" | "null" | "object" | "string")
                });
                if !known {
                    return Err(format!(
                        "has a primitive type that is NOT VALID -- given: /{}/ Expected valid values are:[array boolean integer number null object string]",
                        name.as_str().map(str::to_string).unwrap_or_else(|| name.to_string())
                    ));
                }
            }
        }
        for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
            let Some(flag) = map.get(bound) else { continue };
            let wanted = match (self.draft, flag) {
                (Draft::Four, Json::Bool(_)) | (Draft::Hybrid, Json::Bool(_) | Json::Number(_)) => None,
                (Draft::SixOrSeven, Json::Number(_)) => None,
                (Draft::Four, _) => Some("boolean"),
                (Draft::Hybrid, _) => Some("boolean/number"),
                (Draft::SixOrSeven, _) => Some("number"),
            };
            if let Some(wanted) = wanted {
                return Err(format!("Invalid type. Expected: {wanted}, given: {bound}"));
            }
            let plain = if bound == "exclusiveMinimum" { "minimum" } else { "maximum" };
            if flag.is_boolean() && !map.contains_key(plain) {
                return Err(format!("{bound} cannot be used without {plain}"));
            }
        }
        if let Some(pattern) = map.get("pattern").and_then(Json::as_str)
            && self.regex(pattern).is_none()
        {
            return Err("pattern must be a valid regex".to_string());
        }
        if let Some(Json::Object(patterns)) = map.get("patternProperties")
            && let Some(pattern) = patterns.keys().find(|pattern| self.regex(pattern).is_none())
        {
            return Err(format!("Invalid regex pattern '{pattern}'"));
        }
        if map.get("multipleOf").and_then(Json::as_f64).is_some_and(|step| step <= 0.0) {
            return Err("multipleOf must be strictly greater than 0".to_string());
        }
        for (key, child) in map {
            match (key.as_str(), child) {
                // Maps from names to schemas.
                (
                    "properties" | "patternProperties" | "definitions" | "$defs" | "dependencies",
                    Json::Object(named),
                ) => named.values().try_for_each(|schema| self.check_node(schema, depth + 1))?,
                // Schemas, or lists of schemas.
                (
                    "items"
                    | "additionalItems"
                    | "additionalProperties"
                    | "propertyNames"
                    | "contains"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "allOf"
                    | "anyOf"
                    | "oneOf",
                    _,
                ) => match child {
                    Json::Array(items) => items.iter().try_for_each(|item| self.check_node(item, depth + 1))?,
                    schema => self.check_node(schema, depth + 1)?,
                },
                _ => {}
            }
        }
        Ok(())
    }

    /// gojsonschema's `validateRecursive`.
    fn validate_node(&self, schema: &Json, value: &Json, path: &Path, out: &mut Outcome, depth: usize) {
        let map = match schema {
            Json::Bool(true) => return,
            Json::Bool(false) => return out.fail(path, "False always fails validation".to_string()),
            Json::Object(map) => map,
            _ => return,
        };
        if depth > 100 {
            return;
        }
        if let Some(reference) = map.get("$ref").and_then(Json::as_str) {
            if let Some(target) = self.resolve(reference) {
                self.validate_node(target, value, path, out, depth + 1);
            }
            return;
        }
        let types = declared_types(map);
        if !types.is_empty() && !types.iter().any(|t| type_matches(value, t)) {
            let expected = if types.len() == 1 { types[0].to_string() } else { format!("[{}]", types.join(",")) };
            return out.fail(path, format!("Invalid type. Expected: {expected}, given: {}", type_name(value)));
        }
        self.validate_combinators(map, value, path, out, depth);
        match value {
            Json::Number(number) => self.validate_number(map, number, path, out),
            Json::Array(items) => self.validate_array(map, items, path, out, depth),
            Json::Object(object) => self.validate_object(map, object, path, out, depth),
            _ => {}
        }
        validate_common(map, value, path, out);
        if let Json::String(text) = value {
            self.validate_string(map, text, path, out);
        }
        if let (Json::Object(object), Some(Json::Object(properties))) = (value, map.get("properties")) {
            for (name, property_schema) in properties {
                if let Some(property) = object.get(name) {
                    self.validate_node(property_schema, property, &path.child(name), out, depth + 1);
                }
            }
        }
        out.score += 1;
    }

    fn sub_validate(&self, schema: &Json, value: &Json, path: &Path, depth: usize) -> Outcome {
        let mut outcome = Outcome::default();
        self.validate_node(schema, value, path, &mut outcome, depth + 1);
        outcome
    }

    /// gojsonschema's `validateSchema`: anyOf, oneOf, allOf, not, dependencies, if/then/else.
    fn validate_combinators(
        &self,
        map: &serde_json::Map<String, Json>,
        value: &Json,
        path: &Path,
        out: &mut Outcome,
        depth: usize,
    ) {
        if let Some(Json::Array(branches)) = map.get("anyOf").filter(|b| b.as_array().is_some_and(|b| !b.is_empty())) {
            let mut best: Option<Outcome> = None;
            let mut matched = false;
            for branch in branches {
                let result = self.sub_validate(branch, value, path, depth);
                if result.is_valid() {
                    matched = true;
                    break;
                }
                if best.as_ref().is_none_or(|b| result.score > b.score) {
                    best = Some(result);
                }
            }
            if !matched {
                out.fail(path, "Must validate at least one schema (anyOf)".to_string());
                if let Some(best) = best {
                    out.merge(best);
                }
            }
        }
        if let Some(Json::Array(branches)) = map.get("oneOf").filter(|b| b.as_array().is_some_and(|b| !b.is_empty())) {
            let mut valid = 0;
            let mut best: Option<Outcome> = None;
            for branch in branches {
                let result = self.sub_validate(branch, value, path, depth);
                if result.is_valid() {
                    valid += 1;
                } else if valid == 0 && best.as_ref().is_none_or(|b| result.score > b.score) {
                    best = Some(result);
                }
            }
            if valid != 1 {
                out.fail(path, "Must validate one and only one schema (oneOf)".to_string());
                if valid == 0
                    && let Some(best) = best
                {
                    out.merge(best);
                }
            }
        }
        if let Some(Json::Array(branches)) = map.get("allOf").filter(|b| b.as_array().is_some_and(|b| !b.is_empty())) {
            let mut valid = 0;
            for branch in branches {
                let result = self.sub_validate(branch, value, path, depth);
                if result.is_valid() {
                    valid += 1;
                }
                out.merge(result);
            }
            if valid != branches.len() {
                out.fail(path, "Must validate all the schemas (allOf)".to_string());
            }
        }
        if let Some(negated) = map.get("not")
            && self.sub_validate(negated, value, path, depth).is_valid()
        {
            out.fail(path, "Must not validate the schema (not)".to_string());
        }
        if let (Some(Json::Object(dependencies)), Json::Object(object)) = (map.get("dependencies"), value) {
            for key in object.keys() {
                match dependencies.get(key) {
                    Some(Json::Array(needed)) => {
                        for other in needed.iter().filter_map(Json::as_str) {
                            if !object.contains_key(other) {
                                out.fail(path, format!("Has a dependency on {other}"));
                            }
                        }
                    }
                    Some(dependent @ (Json::Object(_) | Json::Bool(_))) => {
                        self.validate_node(dependent, value, path, out, depth + 1);
                    }
                    _ => {}
                }
            }
        }
        if let Some(condition) = map.get("if") {
            let holds = self.sub_validate(condition, value, path, depth).is_valid();
            let (branch, message) = if holds {
                (map.get("then"), "Must validate \"then\" as \"if\" was valid")
            } else {
                (map.get("else"), "Must validate \"else\" as \"if\" was not valid")
            };
            if let Some(branch) = branch {
                let result = self.sub_validate(branch, value, path, depth);
                if !result.is_valid() {
                    out.fail(path, message.to_string());
                    out.merge(result);
                }
            }
        }
        out.score += 1;
    }

    fn validate_number(
        &self,
        map: &serde_json::Map<String, Json>,
        number: &serde_json::Number,
        path: &Path,
        out: &mut Outcome,
    ) {
        let value = number.as_f64().unwrap_or(0.0);
        if let Some(step) = map.get("multipleOf").and_then(Json::as_f64)
            && step != 0.0
            && !is_multiple(value, step)
        {
            out.fail(path, format!("Must be a multiple of {}", go_number(step)));
        }
        let (maximum, exclusive_maximum) = bound(map, "maximum", "exclusiveMaximum");
        let (minimum, exclusive_minimum) = bound(map, "minimum", "exclusiveMinimum");
        if let Some(max) = maximum
            && value > max
        {
            out.fail(path, format!("Must be less than or equal to {}", go_number(max)));
        }
        if let Some(max) = exclusive_maximum
            && value >= max
        {
            out.fail(path, format!("Must be less than {}", go_number(max)));
        }
        if let Some(min) = minimum
            && value < min
        {
            out.fail(path, format!("Must be greater than or equal to {}", go_number(min)));
        }
        if let Some(min) = exclusive_minimum
            && value <= min
        {
            out.fail(path, format!("Must be greater than {}", go_number(min)));
        }
        // gojsonschema hands numbers to the format checkers too; every known one refuses them.
        if let Some(format) = map.get("format").and_then(Json::as_str)
            && is_checked_format(format)
        {
            out.fail(path, format!("Does not match format '{format}'"));
        }
        out.score += 1;
    }

    fn validate_array(
        &self,
        map: &serde_json::Map<String, Json>,
        items: &[Json],
        path: &Path,
        out: &mut Outcome,
        depth: usize,
    ) {
        match map.get("items") {
            Some(Json::Array(positional)) => {
                for (index, (item, item_schema)) in items.iter().zip(positional).enumerate() {
                    let result = self.sub_validate(item_schema, item, &path.child(&index.to_string()), depth);
                    out.merge(result);
                }
                if positional.len() < items.len() {
                    match map.get("additionalItems") {
                        Some(Json::Bool(false)) => out.fail(path, "No additional items allowed on array".to_string()),
                        Some(extra @ Json::Object(_)) => {
                            for (index, item) in items.iter().enumerate().skip(positional.len()) {
                                let result = self.sub_validate(extra, item, &path.child(&index.to_string()), depth);
                                out.merge(result);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Some(single @ (Json::Object(_) | Json::Bool(_))) => {
                for (index, item) in items.iter().enumerate() {
                    let result = self.sub_validate(single, item, &path.child(&index.to_string()), depth);
                    out.merge(result);
                }
            }
            _ => {}
        }
        if let Some(min) = map.get("minItems").and_then(Json::as_u64)
            && (items.len() as u64) < min
        {
            out.fail(path, format!("Array must have at least {min} items"));
        }
        if let Some(max) = map.get("maxItems").and_then(Json::as_u64)
            && (items.len() as u64) > max
        {
            out.fail(path, format!("Array must have at most {max} items"));
        }
        if map.get("uniqueItems") == Some(&Json::Bool(true)) {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (index, item) in items.iter().enumerate() {
                let text = canonical_json(item);
                if let Some(first) = seen.get(&text) {
                    out.fail(path, format!("array items[{first},{index}] must be unique"));
                }
                seen.insert(text, index);
            }
        }
        if let Some(wanted) = map.get("contains") {
            let mut best: Option<Outcome> = None;
            let mut found = false;
            for (index, item) in items.iter().enumerate() {
                let result = self.sub_validate(wanted, item, &path.child(&index.to_string()), depth);
                if result.is_valid() {
                    found = true;
                    break;
                }
                if best.as_ref().is_none_or(|b| result.score > b.score) {
                    best = Some(result);
                }
            }
            if !found {
                out.fail(path, "At least one of the items must match".to_string());
                if let Some(best) = best {
                    out.merge(best);
                }
            }
        }
        out.score += 1;
    }

    fn validate_object(
        &self,
        map: &serde_json::Map<String, Json>,
        object: &serde_json::Map<String, Json>,
        path: &Path,
        out: &mut Outcome,
        depth: usize,
    ) {
        if let Some(min) = map.get("minProperties").and_then(Json::as_u64)
            && (object.len() as u64) < min
        {
            out.fail(path, format!("Must have at least {min} properties"));
        }
        if let Some(max) = map.get("maxProperties").and_then(Json::as_u64)
            && (object.len() as u64) > max
        {
            out.fail(path, format!("Must have at most {max} properties"));
        }
        if let Some(Json::Array(required)) = map.get("required") {
            for name in required.iter().filter_map(Json::as_str) {
                if object.contains_key(name) {
                    out.score += 1;
                } else {
                    out.fail(path, format!("{name} is required"));
                }
            }
        }
        let properties = map.get("properties").and_then(Json::as_object);
        let patterns = map.get("patternProperties").and_then(Json::as_object);
        for (name, property) in object {
            let declared = properties.is_some_and(|p| p.contains_key(name));
            let mut matched_pattern = false;
            for (pattern, pattern_schema) in patterns.into_iter().flatten() {
                if self.regex(pattern).is_some_and(|re| re.is_match(name)) {
                    matched_pattern = true;
                    let result = self.sub_validate(pattern_schema, property, &path.child(name), depth);
                    out.merge(result);
                }
            }
            if matched_pattern {
                out.score += 1;
            }
            if declared || matched_pattern {
                continue;
            }
            match map.get("additionalProperties") {
                Some(Json::Bool(false)) => out.fail(path, format!("Additional property {name} is not allowed")),
                Some(extra @ Json::Object(_)) => {
                    let result = self.sub_validate(extra, property, &path.child(name), depth);
                    out.merge(result);
                }
                _ => {}
            }
        }
        if let Some(names) = map.get("propertyNames") {
            for name in object.keys() {
                let result = self.sub_validate(names, &Json::String(name.clone()), path, depth);
                if !result.is_valid() {
                    out.fail(path, format!("Property name of \"{name}\" does not match"));
                    out.merge(result);
                }
            }
        }
        out.score += 1;
    }

    fn validate_string(&self, map: &serde_json::Map<String, Json>, text: &str, path: &Path, out: &mut Outcome) {
        let length = text.chars().count() as u64;
        if let Some(min) = map.get("minLength").and_then(Json::as_u64)
            && length < min
        {
            out.fail(path, format!("String length must be greater than or equal to {min}"));
        }
        if let Some(max) = map.get("maxLength").and_then(Json::as_u64)
            && length > max
        {
            out.fail(path, format!("String length must be less than or equal to {max}"));
        }
        if let Some(pattern) = map.get("pattern").and_then(Json::as_str)
            && self.regex(pattern).is_some_and(|re| !re.is_match(text))
        {
            out.fail(path, format!("Does not match pattern '{pattern}'"));
        }
        if let Some(format) = map.get("format").and_then(Json::as_str)
            && !conforms(format, text)
        {
            out.fail(path, format!("Does not match format '{format}'"));
        }
        out.score += 1;
    }
}

/// What gojsonschema's loader checks of each keyword's own value, with its
/// messages (including their slips: an `allOf` that is not an array is
/// reported as `anyOf`, a bad `propertyNames` as `patternProperties`).
fn check_keyword_types(map: &serde_json::Map<String, Json>) -> Result<(), String> {
    let is_schema = |v: &Json| v.is_object() || v.is_boolean();
    // gojsonschema reads the number as written: `2.0` is not an integer there.
    let is_integer = |v: &Json| v.is_i64() || v.is_u64();
    let invalid = |expected: &str, given: &str| Err(format!("Invalid type. Expected: {expected}, given: {given}"));
    for key in ["$id", "id", "title", "description", "$ref"] {
        if map.get(key).is_some_and(|v| !v.is_string()) {
            return invalid("string", key);
        }
    }
    if map.get("type").is_some_and(|v| !v.is_string() && !v.is_array()) {
        return invalid("string/array of strings", "type");
    }
    if map.get("definitions").is_some_and(|v| !v.is_object()) {
        return invalid("array of schemas", "definitions");
    }
    if map.get("properties").is_some_and(|v| !v.is_object()) {
        return Err("properties must be of type object".to_string());
    }
    if map.get("additionalProperties").is_some_and(|v| !is_schema(v)) {
        return invalid("boolean/valid schema", "additionalProperties");
    }
    if map.get("patternProperties").is_some_and(|v| !v.is_object()) {
        return invalid("valid schema", "patternProperties");
    }
    if map.get("propertyNames").is_some_and(|v| !is_schema(v)) {
        return invalid("valid schema", "patternProperties");
    }
    if map.get("dependencies").is_some_and(|v| !v.is_object()) {
        return Err("dependencies must be of type object".to_string());
    }
    if map.get("items").is_some_and(|v| !is_schema(v) && !v.is_array()) {
        return invalid("valid schema/array of schemas", "items");
    }
    if map.get("additionalItems").is_some_and(|v| !is_schema(v)) {
        return invalid("boolean/valid schema", "additionalItems");
    }
    for key in ["multipleOf", "minimum", "maximum"] {
        if map.get(key).is_some_and(|v| !v.is_number()) {
            return Err(format!("{key} must be of a number"));
        }
    }
    for (min, max) in [("minLength", "maxLength"), ("minProperties", "maxProperties"), ("minItems", "maxItems")] {
        for key in [min, max] {
            match map.get(key) {
                Some(v) if !is_integer(v) => return Err(format!("{key} must be of an integer")),
                Some(v) if v.as_f64().is_some_and(|f| f < 0.0) => {
                    return Err(format!("{key} must be greater than or equal to 0"));
                }
                _ => {}
            }
        }
        // gojsonschema compares the bounds of lengths and property counts, not of item counts.
        if let (Some(low), Some(high)) = (map.get(min).and_then(Json::as_f64), map.get(max).and_then(Json::as_f64))
            && low > high
            && min != "minItems"
        {
            return Err(format!("{min} cannot be greater than {max}"));
        }
    }
    if map.get("pattern").is_some_and(|v| !v.is_string()) {
        return Err("pattern must be of a string".to_string());
    }
    if map.get("format").is_some_and(|v| !v.is_string()) {
        return Err("format must be of type string".to_string());
    }
    match map.get("required") {
        Some(Json::Array(names)) => {
            if names.iter().any(|n| !n.is_string()) {
                return Err("required items must be string".to_string());
            }
            if has_duplicates(names) {
                return Err("required items must be unique".to_string());
            }
        }
        Some(_) => return Err("required must be of an array".to_string()),
        None => {}
    }
    if map.get("uniqueItems").is_some_and(|v| !v.is_boolean()) {
        return Err("uniqueItems must be of a boolean".to_string());
    }
    if map.get("contains").is_some_and(|v| !is_schema(v)) {
        return Err("Expected: valid schema, given: Invalid JSON".to_string());
    }
    match map.get("enum") {
        Some(Json::Array(items)) if has_duplicates(items) => return Err("enum items must be unique".to_string()),
        Some(Json::Array(_)) | None => {}
        Some(_) => return Err("enum must be of an array".to_string()),
    }
    for (key, named) in [("allOf", "anyOf"), ("anyOf", "anyOf"), ("oneOf", "oneOf")] {
        if map.get(key).is_some_and(|v| !v.is_array()) {
            return Err(format!("{named} must be of an array"));
        }
    }
    for key in ["not", "if", "then", "else"] {
        if map.get(key).is_some_and(|v| !is_schema(v)) {
            return Err(format!("{key} must be of an object"));
        }
    }
    Ok(())
}

fn has_duplicates(items: &[Json]) -> bool {
    let texts: Vec<String> = items.iter().map(canonical_json).collect();
    texts.iter().enumerate().any(|(i, t)| texts[..i].contains(t))
}

/// gojsonschema's `validateCommon`: const and enum, compared as canonical JSON.
fn validate_common(map: &serde_json::Map<String, Json>, value: &Json, path: &Path, out: &mut Outcome) {
    let text = || canonical_json(value);
    if let Some(expected) = map.get("const") {
        let expected = canonical_json(expected);
        if text() != expected {
            out.fail(path, format!("{} does not match: {expected}", path.field()));
        }
    }
    if let Some(Json::Array(allowed)) = map.get("enum").filter(|a| a.as_array().is_some_and(|a| !a.is_empty())) {
        let allowed: Vec<String> = allowed.iter().map(canonical_json).collect();
        if !allowed.contains(&text()) {
            out.fail(path, format!("{} must be one of the following: {}", path.field(), allowed.join(", ")));
        }
    }
    out.score += 1;
}

/// The types `type` lists.
fn declared_types(map: &serde_json::Map<String, Json>) -> Vec<&str> {
    match map.get("type") {
        Some(Json::String(single)) => vec![single.as_str()],
        Some(Json::Array(list)) => list.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The plain and exclusive bound of one side: draft 4's boolean
/// `exclusiveMinimum: true` turns `minimum` exclusive, draft 6's number is
/// a bound of its own.
fn bound(map: &serde_json::Map<String, Json>, plain: &str, exclusive: &str) -> (Option<f64>, Option<f64>) {
    let limit = map.get(plain).and_then(Json::as_f64);
    match map.get(exclusive) {
        Some(Json::Bool(true)) => (None, limit),
        Some(Json::Number(n)) => (limit, n.as_f64()),
        _ => (limit, None),
    }
}

/// Whether `value / step` is an integer, compared on the decimal forms as
/// gojsonschema's big.Rat arithmetic does (0.3 is not a multiple of 0.1 in
/// binary floating point, but is in decimal).
fn is_multiple(value: f64, step: f64) -> bool {
    match (Decimal::parse(value), Decimal::parse(step)) {
        (Some(v), Some(s)) => v.is_multiple_of(&s),
        _ => (value / step).fract() == 0.0,
    }
}

/// A finite decimal `digits × 10^-scale`, enough for values written in JSON.
struct Decimal {
    digits: i128,
    scale: u32,
}

impl Decimal {
    fn parse(value: f64) -> Option<Decimal> {
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e')?;
        let exponent: i32 = exponent.parse().ok()?;
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
        let scale = fraction.len() as i32 - exponent;
        if scale >= 0 {
            Some(Decimal { digits, scale: u32::try_from(scale).ok().filter(|s| *s < 30)? })
        } else {
            Some(Decimal { digits: digits.checked_mul(10i128.checked_pow(u32::try_from(-scale).ok()?)?)?, scale: 0 })
        }
    }

    fn is_multiple_of(&self, step: &Decimal) -> bool {
        let scale = self.scale.max(step.scale);
        let widen = |d: &Decimal| d.digits.checked_mul(10i128.checked_pow(scale - d.scale)?);
        match (widen(self), widen(step)) {
            (Some(value), Some(step)) if step != 0 => value % step == 0,
            _ => false,
        }
    }
}

/// A number as `%v` prints Go's big.Float: shortest form, exponent from 1e21 or below 1e-4.
fn go_number(value: f64) -> String {
    crate::template::sprintf("%v", &[crate::template::Value::Float(value)])
}

/// gojsonschema's `marshalWithoutNumber`: Go's JSON of the value read back as
/// float64 (so `1` and `1.0` compare equal, keys sorted, `<` escaped).
fn canonical_json(value: &Json) -> String {
    fn as_float(value: &Json) -> Json {
        match value {
            Json::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Json::Null, Json::Number),
            Json::Array(items) => Json::Array(items.iter().map(as_float).collect()),
            Json::Object(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), as_float(v))).collect()),
            other => other.clone(),
        }
    }
    crate::yaml::to_json_go(&as_float(value), crate::yaml::GoJsonOptions::TO_JSON)
}

/// gojsonschema's type names; whole numbers are `integer`.
fn type_name(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn type_matches(value: &Json, wanted: &str) -> bool {
    let actual = type_name(value);
    actual == wanted || (wanted == "number" && actual == "integer")
}

/// `%xx` escapes in a `$ref` fragment.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a value sits: `(root)`, then property names and indexes joined by dots.
#[derive(Debug, Clone)]
struct Path(String);

impl Path {
    fn root() -> Path {
        Path("(root)".to_string())
    }

    fn child(&self, key: &str) -> Path {
        Path(format!("{}.{key}", self.0))
    }

    /// The path without the `(root).` prefix, as gojsonschema's `Field()`.
    fn field(&self) -> &str {
        self.0.strip_prefix("(root).").unwrap_or(&self.0)
    }
}

/// Violations found so far and gojsonschema's score of the attempt.
#[derive(Debug, Default)]
struct Outcome {
    violations: Vec<Violation>,
    score: i64,
}

impl Outcome {
    fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// A failure costs 2, which nets −1 against the +1 of the check that ran.
    fn fail(&mut self, path: &Path, description: String) {
        self.violations.push(Violation { field: path.field().to_string(), description });
        self.score -= 2;
    }

    fn merge(&mut self, other: Outcome) {
        self.violations.extend(other.violations);
        self.score += other.score;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn violations(schema: Json, value: Json) -> Vec<String> {
        Schema::new(schema).unwrap().validate(&value).iter().map(Violation::to_string).collect()
    }

    #[test]
    fn one_of_reports_the_closest_branch() {
        let schema = json!({"oneOf": [
            {"properties": {"kind": {"const": "pvc"}, "size": {"type": "string"}}, "required": ["kind", "size"]},
            {"properties": {"kind": {"const": "emptyDir"}}, "required": ["kind"]}
        ]});
        assert_eq!(
            violations(schema, json!({"kind": "other", "size": "1Gi"})),
            ["(root): Must validate one and only one schema (oneOf)", "kind: kind does not match: \"pvc\""]
        );
    }

    #[test]
    fn references_follow_escaped_pointers() {
        let schema =
            json!({"definitions": {"a/b": {"minimum": 2}}, "properties": {"n": {"$ref": "#/definitions/a~1b"}}});
        assert_eq!(violations(schema, json!({"n": 1})), ["n: Must be greater than or equal to 2"]);
        assert!(Schema::new(json!({"$ref": "https://example.com/s.json"})).is_err());
        assert!(Schema::new(json!({"$ref": "#/definitions/missing"})).is_err());
    }

    #[test]
    fn numbers_print_as_go_and_multiples_are_decimal() {
        assert_eq!(violations(json!({"maximum": 1e6}), json!(2e6)), ["(root): Must be less than or equal to 1e+06"]);
        assert!(violations(json!({"multipleOf": 0.1}), json!(0.3)).is_empty());
        assert_eq!(violations(json!({"multipleOf": 0.25}), json!(0.3)), ["(root): Must be a multiple of 0.25"]);
    }

    #[test]
    fn draft_bounds_read_by_draft() {
        let draft4 =
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 5, "exclusiveMinimum": true});
        assert_eq!(violations(draft4, json!(5)), ["(root): Must be greater than 5"]);
        let draft7 =
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "minimum": 5, "exclusiveMinimum": true});
        assert_eq!(Schema::new(draft7).unwrap_err(), "Invalid type. Expected: number, given: exclusiveMinimum");
    }

    #[test]
    fn keyword_values_are_checked_when_loading() {
        let error = |schema: Json| Schema::new(json!({"properties": {"a": schema}})).unwrap_err();
        assert_eq!(error(json!({"required": true})), "required must be of an array");
        assert_eq!(error(json!({"minLength": 2.0})), "minLength must be of an integer");
        assert_eq!(error(json!({"allOf": 5})), "anyOf must be of an array");
        assert_eq!(error(json!({"enum": [1, 1.0]})), "enum items must be unique");
        assert!(Schema::new(json!({"minItems": 3, "maxItems": 1})).is_ok());
        let named_like_keywords = json!({"properties": {"id": {"type": "integer"}, "required": {"type": "boolean"}}});
        assert!(Schema::new(named_like_keywords).is_ok(), "property names are not keywords");
    }
}
