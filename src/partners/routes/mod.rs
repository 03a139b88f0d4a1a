//! The partners area's pages, by aggregate: the counselors' employers (list, add, edit,
//! the employer page) and partnerships (status, terms, a new one), the employers import,
//! the students' partner directory, and the recruiter's workspace. Handlers stay thin:
//! extract, call the rules and the store, render a view from `views.rs` or redirect.

mod directory;
mod employers;
pub(crate) mod import;
mod partnerships;
mod workspace;

use actix_web::web;

/// Every route of the area. `/employers/import` and `/employers/new` come before
/// `/employers/{id}`, which would take them for ids.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(import::configure)
        .configure(employers::configure)
        .configure(partnerships::configure)
        .configure(directory::configure)
        .configure(workspace::configure);
}

/// The base of a list's page links: its path with the filters that are set (not the
/// page), ready for `page=N` to be appended. Links stay short and stable.
fn list_base<T: serde::Serialize>(path: &str, q: &T) -> String {
    let full = serde_urlencoded::to_string(q).unwrap_or_default();
    let set: Vec<(String, String)> = url::form_urlencoded::parse(full.as_bytes())
        .into_owned()
        .filter(|(k, v)| !v.is_empty() && k != "page")
        .collect();
    match serde_urlencoded::to_string(set).unwrap_or_default() {
        qs if qs.is_empty() => format!("{path}?"),
        qs => format!("{path}?{qs}&"),
    }
}
