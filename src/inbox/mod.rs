//! The inbox page: a person's notifications, newest first. Each item links to the thing
//! it is about through `/inbox/{id}`, which marks it read and goes there; listing them
//! reads nothing, and "Mark all as read" reads them all. (The notifications and their
//! mail are `notify`'s.)

pub mod views;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use self::views::{InboxItem, InboxPage};

use crate::auth::csrf::CheckedForm;
use crate::auth::extract::Viewer;
use crate::core::{words, Clock, Error};
use crate::db::{self, Pool};
use crate::notify;
use crate::web::flash::redirect_with_flash;
use crate::web::pages::{context, see_other, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/inbox", web::get().to(inbox))
        .route("/inbox/read", web::post().to(mark_all_read))
        .route("/inbox/{id}", web::get().to(open_item));
}

const PAGE: i64 = 25;

async fn inbox(
    req: HttpRequest,
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let requested = q.number();
    let base = Pager::base(req.path(), req.query_string());
    let user_id = viewer.principal.id.clone();
    let (items, pager) = db::run(&pool, move |conn| -> Result<_, Error> {
        let pager = Pager::new(requested, notify::count(conn, &user_id)?, PAGE, &base);
        let items = if pager.was_clamped() { Vec::new() } else { notify::list(conn, &user_id, pager.offset(), PAGE)? };
        Ok((items, pager))
    })
    .await?;
    if let Some(to) = pager.redirect_if_clamped() {
        return Ok(to);
    }
    let view = InboxPage { unread: viewer.unread, items: items.into_iter().map(InboxItem::from).collect(), pager };
    templates.page("inbox/index", context("Inbox", Some(&viewer), &view))
}

/// A path on this site ("/engagements/…"), not another site's address ("//evil", "https:").
fn is_local_path(link: &str) -> bool {
    link.starts_with('/') && !link.starts_with("//") && !link.starts_with("/\\")
}

/// Opens one of the viewer's items: marks it read and goes (303) to the thing it is
/// about; an item about no page goes back to the inbox. Another person's item is 404.
async fn open_item(
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (user_id, id, now) = (viewer.principal.id.clone(), id.into_inner(), clock.now_utc());
    let link = db::run(&pool, move |conn| notify::open(conn, &user_id, &id, now).map_err(Error::from))
        .await?
        .ok_or(Error::NotFound)?;
    Ok(see_other(link.as_deref().filter(|l| is_local_path(l)).unwrap_or("/inbox")))
}

#[derive(Debug, Deserialize)]
struct Empty {}

/// "Mark all as read": back to the inbox, saying how many were.
async fn mark_all_read(
    viewer: Viewer,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    _form: CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (user_id, now) = (viewer.principal.id.clone(), clock.now_utc());
    let n = db::run(&pool, move |conn| notify::mark_all_read(conn, &user_id, now).map_err(Error::from)).await?;
    let message = match n {
        0 => "Nothing was unread.".to_owned(),
        n => format!("Marked {} as read.", words::plural(n as i64, "message", None)),
    };
    Ok(redirect_with_flash("/inbox", message))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        for ok in ["/engagements/e1", "/review", "/"] {
            assert!(super::is_local_path(ok), "{ok}");
        }
        for bad in ["//evil.example/x", "/\\evil.example", "https://evil.example", "javascript:alert(1)", ""] {
            assert!(!super::is_local_path(bad), "{bad}");
        }
    }
}
