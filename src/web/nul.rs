//! A NUL character in an address's query (`%00`): no text Waypoint keeps or searches
//! holds one, and PostgreSQL refuses one in a query (a 500 before this). Refused here,
//! once, for every page, with a 400 that says so. The JSON API answers its own way
//! (`api::problem`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::AppError;

/// The name of the first query parameter whose name or value holds a NUL character.
pub fn nul_in_query(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

pub async fn refuse(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !req.path().starts_with("/api/") {
        if let Some(name) = nul_in_query(req.query_string()) {
            return Err(AppError::BadRequest(format!(
                "The address's `{name}` holds a NUL character (%00), which no search or page takes: remove it and try again."
            ))
            .into());
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::nul_in_query;

    #[test]
    fn a_nul_anywhere_in_the_query_is_found_and_named() {
        assert_eq!(nul_in_query("q=a%00b&page=2").as_deref(), Some("q"));
        assert_eq!(nul_in_query("skills=excel&industry=%00").as_deref(), Some("industry"));
        assert_eq!(nul_in_query("x%00y=1").as_deref(), Some("xy"));
        assert_eq!(nul_in_query("q=a%2500b&page=2"), None, "an escaped percent sign is text");
        assert_eq!(nul_in_query(""), None);
    }
}
