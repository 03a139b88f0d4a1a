//! `/api/docs`: the API's reference, rendered on the server from the OpenAPI document
//! itself (so it says what the document says), as a portal page: no script, nothing
//! from elsewhere, so it works under the portal's Content-Security-Policy
//! (`default-src 'self'`) and without JavaScript.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use super::problem::KINDS;
use super::rules::Scope;
use crate::auth::extract::MaybeViewer;
use crate::web::pages::context;
use crate::web::{AppError, Templates};

#[derive(Debug, Serialize)]
struct Param {
    name: String,
    place: String,
    required: bool,
    kind: String,
    description: String,
}

#[derive(Debug, Serialize)]
struct Answer {
    status: String,
    description: String,
    body: String,
}

#[derive(Debug, Serialize)]
struct Operation {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    scopes: String,
    params: Vec<Param>,
    body: String,
    answers: Vec<Answer>,
}

#[derive(Debug, Serialize)]
struct Property {
    name: String,
    kind: String,
    required: bool,
    description: String,
}

#[derive(Debug, Serialize)]
struct SchemaView {
    name: String,
    description: String,
    properties: Vec<Property>,
}

#[derive(Debug, Serialize)]
struct ScopeView {
    name: &'static str,
    label: &'static str,
}

#[derive(Debug, Serialize)]
struct KindView {
    anchor: String,
    title: &'static str,
    status: u16,
}

#[derive(Debug, Serialize)]
struct DocsPage {
    intro: String,
    version: String,
    operations: Vec<Operation>,
    schemas: Vec<SchemaView>,
    scopes: Vec<ScopeView>,
    kinds: Vec<KindView>,
}

/// A text of the document, without its Markdown code marks (the page shows plain text).
fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").replace('`', "")
}

/// A schema in a few words: "string (date)", "array of Employer", "integer or null".
fn kind_of(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(kind_of).collect::<Vec<_>>().join(" or ");
    }
    let types = match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => vec![],
    };
    let mut words: Vec<String> = types
        .into_iter()
        .map(|t| match (t.as_str(), s.get("items")) {
            ("array", Some(items)) => format!("array of {}", kind_of(items)),
            _ => t,
        })
        .collect();
    if let Some(f) = s.get("format").and_then(Value::as_str) {
        if let Some(first) = words.first_mut() {
            first.push_str(&format!(" ({f})"));
        }
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        words.push(format!("one of {}", values.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")));
    }
    if words.is_empty() {
        "any".into()
    } else {
        words.join(" or ")
    }
}

fn body_of(v: &Value) -> String {
    v.get("content")
        .and_then(Value::as_object)
        .map(|c| c.iter().map(|(mime, m)| format!("{mime}: {}", kind_of(&m["schema"]))).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post"] {
            let Some(op) = item.get(method) else { continue };
            let description = text(op, "description");
            let summary = match text(op, "summary") {
                s if s.is_empty() => description.lines().next().unwrap_or("").to_owned(),
                s => s,
            };
            let scopes = op["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("bearer").and_then(Value::as_array))
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Param {
                    name: text(p, "name"),
                    place: text(p, "in"),
                    required: p["required"].as_bool().unwrap_or(false),
                    kind: kind_of(&p["schema"]),
                    description: text(p, "description"),
                })
                .collect();
            let answers = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| Answer {
                    status: status.clone(),
                    description: text(r, "description"),
                    body: body_of(r),
                })
                .collect();
            out.push(Operation {
                anchor: format!("{method}-{}", path.trim_start_matches('/').replace(['/', '{', '}'], "-")),
                method: method.to_uppercase(),
                path: path.clone(),
                summary,
                description,
                scopes,
                params,
                body: op.get("requestBody").map(body_of).unwrap_or_default(),
                answers,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<SchemaView> {
    doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| {
            let required: Vec<&str> =
                s["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            SchemaView {
                name: name.clone(),
                description: text(s, "description"),
                properties: s["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(p, ps)| Property {
                        name: p.clone(),
                        kind: kind_of(ps),
                        required: required.contains(&p.as_str()),
                        description: text(ps, "description"),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The reference page (anyone may read it: it holds no data).
pub async fn page(viewer: MaybeViewer, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    let doc: Value = serde_json::from_str(&super::openapi::json()).map_err(AppError::internal)?;
    let view = DocsPage {
        intro: text(&doc["info"], "description"),
        version: text(&doc, "openapi"),
        operations: operations(&doc),
        schemas: schemas(&doc),
        scopes: Scope::ALL.iter().map(|s| ScopeView { name: s.as_str(), label: s.label() }).collect(),
        kinds: KINDS
            .iter()
            .map(|(slug, title, status)| KindView { anchor: format!("problem-{slug}"), title, status: *status })
            .collect(),
    };
    templates.page("api/docs", context("API reference", viewer.signed_in(), view))
}
