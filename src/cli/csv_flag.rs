//! Values of list flags read as Helm's flag library (pflag) reads them: each
//! occurrence is one CSV record, so `a,"b,c"` is two items and an empty
//! value adds none. Pure; it must not know which flag it reads.

/// Splits one occurrence of a list flag as pflag's `readAsCSV` does
/// (Go's `encoding/csv`, first record only). The error is Go's CSV error.
pub fn read_csv_flag(value: &str) -> Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let line = value.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        if bytes.get(pos) == Some(&b'"') {
            let mut field = String::new();
            let mut i = pos + 1;
            loop {
                match line[i..].find('"') {
                    None => {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            line.len() + 1
                        ));
                    }
                    Some(offset) => {
                        field.push_str(&line[i..i + offset]);
                        let after = i + offset + 1;
                        match bytes.get(after) {
                            Some(b'"') => {
                                field.push('"');
                                i = after + 1;
                            }
                            Some(b',') => {
                                fields.push(field);
                                pos = after + 1;
                                break;
                            }
                            None => {
                                fields.push(field);
                                return Ok(fields);
                            }
                            Some(_) => {
                                return Err(format!(
                                    "parse error on line 1, column {after}: extraneous or missing \" in quoted-field"
                                ));
                            }
                        }
                    }
                }
            }
        } else {
            let end = line[pos..].find(',').map_or(line.len(), |offset| pos + offset);
            let field = &line[pos..end];
            if let Some(quote) = field.find('"') {
                return Err(format!("parse error on line 1, column {}: bare \" in non-quoted-field", pos + quote + 1));
            }
            fields.push(field.to_string());
            if end == line.len() {
                return Ok(fields);
            }
            pos = end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_csv_flag;

    #[test]
    fn splits_like_pflag() {
        assert_eq!(read_csv_flag("").unwrap(), Vec::<String>::new());
        assert_eq!(read_csv_flag(",").unwrap(), vec!["", ""]);
        assert_eq!(read_csv_flag("a/v1,b/v1").unwrap(), vec!["a/v1", "b/v1"]);
        assert_eq!(read_csv_flag(r#""a,b",c"#).unwrap(), vec!["a,b", "c"]);
        assert_eq!(read_csv_flag(r#""a""b""#).unwrap(), vec![r#"a"b"#]);
        assert!(read_csv_flag(r#"a"b"#).is_err());
    }
}
