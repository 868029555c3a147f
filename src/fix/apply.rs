//! Writes one planned repair (see `plan` for the why): the guarded JSON patch,
//! then, for a server-side deployer, the forced apply; a forced server-side
//! apply that re-creates a missing object; or a delete. `preview_fix` sends
//! the same requests as dry-runs.
//!
//! The JSON patch is sent with `<`, `>` and `&` escaped as Go's encoder
//! escapes them (`\u003c`…): the API server's JSON patch library compares a
//! `test` operation's value with the stored object's JSON byte for byte, and
//! the stored JSON holds them escaped.

use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};

use super::{FixAction, FixError, PlannedFix};
use crate::cluster::{ApiError, ResourceInfo};

fn api_for(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Api<DynamicObject> {
    match fix.reference.namespace.as_deref().filter(|_| info.namespaced) {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &info.resource),
        None => Api::all_with(client.clone(), &info.resource),
    }
}

/// Sends the repair as a server-side dry-run: validation, admission and
/// immutable-field errors come back without anything being written.
pub async fn preview_fix(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Result<(), FixError> {
    write(client, fix, info, true).await
}

/// Writes the repair.
pub async fn apply_fix(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Result<(), FixError> {
    write(client, fix, info, false).await
}

async fn write(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo, dry_run: bool) -> Result<(), FixError> {
    let api = api_for(client, fix, info);
    let name = &fix.reference.name;
    let failed = |action: &str| {
        let action = format!("{action} {}", fix.reference);
        move |error: kube::Error| FixError::Api { action, source: ApiError(error) }
    };
    match fix.action {
        FixAction::Skip => Ok(()),
        FixAction::Delete => {
            let params = DeleteParams { dry_run, ..Default::default() };
            api.delete(name, &params).await.map(|_| ()).map_err(failed("deleting"))
        }
        FixAction::Create => {
            let body = fix.body.as_ref().ok_or(FixError::NothingToSend { reference: fix.reference.clone() })?;
            let mut params = PatchParams::apply(&fix.manager).force();
            params.dry_run = dry_run;
            api.patch(name, &params, &Patch::Apply(&body.0)).await.map(|_| ()).map_err(failed("re-creating"))
        }
        FixAction::Apply => {
            if !fix.patch.is_empty() {
                let params = PatchParams { field_manager: Some(fix.manager.clone()), dry_run, ..Default::default() };
                send_json_patch(client, &api, name, &params, &fix.patch).await.map_err(|error| match error {
                    kube::Error::Api(status) if status.code == 422 && status.message.contains("test") => {
                        FixError::Changed { reference: fix.reference.clone(), message: status.message }
                    }
                    other => failed("patching")(other),
                })?;
            }
            let Some(body) = &fix.body else { return Ok(()) };
            if dry_run && !fix.preview_apply && !fix.patch.is_empty() {
                // The apply builds on the patch, which a dry-run does not keep.
                return Ok(());
            }
            let mut params = PatchParams::apply(&fix.manager).force();
            params.dry_run = dry_run;
            api.patch(name, &params, &Patch::Apply(&body.0)).await.map(|_| ()).map_err(failed("applying"))
        }
    }
}

/// Sends an RFC 6902 patch whose strings are escaped as Go escapes them.
async fn send_json_patch(
    client: &kube::Client,
    api: &Api<DynamicObject>,
    name: &str,
    params: &PatchParams,
    operations: &[serde_json::Value],
) -> Result<(), kube::Error> {
    let patch = Patch::<()>::Json(json_patch::Patch(
        serde_json::from_value(serde_json::Value::Array(operations.to_vec())).map_err(kube::Error::SerdeError)?,
    ));
    let request =
        kube::core::Request::new(api.resource_url()).patch(name, params, &patch).map_err(kube::Error::BuildRequest)?;
    let (parts, body) = request.into_parts();
    let request = http::Request::from_parts(parts, escape_like_go(&body));
    client.request::<DynamicObject>(request).await.map(|_| ())
}

/// JSON text with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`, as Go's
/// `encoding/json` writes them. Outside strings JSON never holds these characters, so
/// every occurrence is inside a string, where the escape means the same character.
fn escape_like_go(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    for &byte in json {
        match byte {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_characters_are_escaped_as_go_escapes_them_and_mean_the_same() {
        let original = serde_json::json!([{"op": "test", "path": "/data/a", "value": "a<b>&c\\u0026"}]);
        let escaped = escape_like_go(&serde_json::to_vec(&original).unwrap());
        let text = String::from_utf8(escaped.clone()).unwrap();
        assert_eq!(text, r#"[{"op":"test","path":"/data/a","value":"a\u003cb\u003e\u0026c\\u0026"}]"#);
        let back: serde_json::Value = serde_json::from_slice(&escaped).unwrap();
        assert_eq!(back, original);
    }
}
