//! `/api`: the JSON API for campus systems (`/api/v1/...`), its OpenAPI document
//! (`/api/openapi.json`) and reference (`/api/docs`). Bodies are JSON of at most
//! [`MAX_BODY`] bytes (413 beyond); every error is a problem detail (`super::problem`).

pub mod reads;
pub mod reports;
pub mod writes;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::problem::{json_error, ApiError, Problem};
use crate::core::Error;

/// The largest request body taken (a roster batch of a few thousand students).
pub const MAX_BODY: usize = 2 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .app_data(web::JsonConfig::default().limit(MAX_BODY).error_handler(json_error))
            .app_data(web::PayloadConfig::default().limit(MAX_BODY))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError::Problem(Problem::new(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    format!("The query string could not be read: {e}"),
                ))
                .into()
            }))
            .route("/openapi.json", web::get().to(super::openapi::document))
            .route("/docs", web::get().to(super::docs::page))
            .service(
                web::scope("/v1")
                    .service(web::resource("/students").route(web::post().to(writes::upsert_students)))
                    .service(web::resource("/employers").route(web::get().to(reads::employers)))
                    .service(web::resource("/opportunities").route(web::get().to(reads::opportunities)))
                    .service(
                        web::resource("/outcomes")
                            .route(web::get().to(reads::outcomes))
                            .route(web::post().to(writes::upsert_outcomes)),
                    )
                    .service(web::resource("/reports/{name}").route(web::get().to(reports::report)))
                    .service(web::resource("/fairs/sessions").route(web::get().to(reads::fair_sessions))),
            ),
    );
}

/// The strong validator of a body: a digest of its bytes.
fn etag_of(body: &str) -> String {
    format!("\"{}\"", &crate::auth::tokens::digest(body)[..32])
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare as strong ones.
fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    let Some(v) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    v.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

/// A read's answer: the body as JSON with its `ETag`, or `304 Not Modified` when the
/// client already has it. (Still `no-store` for shared caches: the bodies can hold
/// student records; a client that keeps its copy revalidates with `If-None-Match`.)
pub fn read_answer<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let text = serde_json::to_string(body).map_err(Error::internal)?;
    respond(req, text, "application/json")
}

pub fn respond(req: &HttpRequest, body: String, content_type: &'static str) -> Result<HttpResponse, ApiError> {
    let etag = etag_of(&body);
    let mut res = if not_modified(req, &etag) {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok().insert_header((header::CONTENT_TYPE, content_type)).body(body)
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept, Authorization"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn etags_match_strong_weak_and_any() {
        let tag = etag_of("{}");
        assert!(tag.starts_with('"') && tag.len() == 34);
        let r =
            TestRequest::default().insert_header((header::IF_NONE_MATCH, format!("\"x\", W/{tag}"))).to_http_request();
        assert!(not_modified(&r, &tag));
        let r = TestRequest::default().insert_header((header::IF_NONE_MATCH, "*")).to_http_request();
        assert!(not_modified(&r, &tag));
        let r = TestRequest::default().insert_header((header::IF_NONE_MATCH, "\"other\"")).to_http_request();
        assert!(!not_modified(&r, &tag));
        assert!(!not_modified(&TestRequest::default().to_http_request(), &tag));
    }
}
