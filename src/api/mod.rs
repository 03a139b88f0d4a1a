//! The JSON API for campus integrations (DESIGN §5): the student information system
//! pushes the roster, the data warehouse pulls outcomes and reports, other campus tools
//! read the catalogue and the fairs. Callers are API tokens with scopes (`rules::Scope`),
//! made by an admin (`admin`: `/admin/tokens`; or `waypoint token create`) and stored
//! as digests (`tokens`); `extract::ApiToken<S>` checks each call (401/403/429, audited).
//! Errors are problem details (`problem`), the OpenAPI 3.1 document is generated from
//! the code (`openapi`, shown readably at `/api/docs` by `docs`).

pub mod admin;
pub mod docs;
pub mod extract;
pub mod openapi;
pub mod problem;
pub mod routes;
pub mod rules;
pub mod store;
pub mod tokens;
pub mod types;

pub use extract::RateLimiter;

/// The portal's token page and the API itself.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    admin::configure(cfg);
    routes::configure(cfg);
}
