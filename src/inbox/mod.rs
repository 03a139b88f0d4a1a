//! The inbox page: a person's notifications, newest first; opening a page of it marks
//! what it shows as read. (The notifications and their mail are `notify`'s.)

pub mod views;

use actix_web::{web, HttpResponse};

use self::views::{InboxItem, InboxPage};
use crate::auth::extract::Viewer;
use crate::core::{Clock, Error};
use crate::db::{self, Pool};
use crate::notify;
use crate::web::pages::{context, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/inbox", web::get().to(inbox));
}

const PAGE: i64 = 25;

async fn inbox(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = q.number();
    let user_id = viewer.principal.id.clone();
    let now = clock.now_utc();
    let (items, total) =
        db::run(&pool, move |conn| notify::page(conn, &user_id, page, PAGE, now).map_err(Error::from)).await?;
    let view = InboxPage {
        items: items.into_iter().map(InboxItem::from).collect(),
        pager: Pager::new(page, total, PAGE, "/inbox?"),
    };
    templates.page("inbox/index", &context("Inbox", Some(&viewer), &view))
}
