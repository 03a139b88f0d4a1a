//! The portal inbox: what needs someone's attention, newest first, with an unread
//! count in the navigation. Each notification is also written to the mail outbox, in
//! the same transaction (see [`mail`]).

pub mod mail;

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::core::Clock;
use crate::db::schema::notifications;
use crate::db::{self, DbConnection, Pool};
use crate::web::extract::Viewer;
use crate::web::pages::{context, PageQuery, Pager};
use crate::web::{AppError, Templates};

pub struct Message<'a> {
    pub kind: &'a str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

/// Puts a message in the user's inbox and, in the same statement's transaction, its mail
/// in the outbox (addressed to the user's current email; none for a disabled user).
/// Callers run inside their own transaction, so the message and its mail are made, or
/// not, with the change they report.
///
/// The mail is written whether or not this instance has `WAYPOINT_SMTP_URL`: the outbox
/// is the record of what is owed, and whichever instance runs the mail worker sends it,
/// however long after (nothing made while no worker ran is lost).
pub fn send(conn: &mut DbConnection, user_id: &str, m: &Message<'_>, now: NaiveDateTime) -> QueryResult<()> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(&id),
            notifications::user_id.eq(user_id),
            notifications::kind.eq(m.kind),
            notifications::title.eq(&m.title),
            notifications::body.eq(&m.body),
            notifications::link.eq(&m.link),
            notifications::created_at.eq(now),
            notifications::updated_at.eq(now),
        ))
        .execute(conn)?;
    mail::enqueue(conn, &id, user_id, &m.title, &mail::text(&m.body, m.link.as_deref()), now)
}

pub fn unread(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

#[derive(Debug, Serialize, Queryable)]
struct Item {
    title: String,
    body: String,
    link: Option<String>,
    kind: String,
    created_at: NaiveDateTime,
    read_at: Option<NaiveDateTime>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/inbox", web::get().to(inbox));
}

const PAGE: i64 = 25;

/// The inbox; opening it marks what it shows as read.
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
    let (items, total) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let total: i64 = notifications::table.filter(notifications::user_id.eq(&user_id)).count().get_result(conn)?;
        let rows: Vec<(String, Item)> = notifications::table
            .filter(notifications::user_id.eq(&user_id))
            .order((notifications::created_at.desc(), notifications::id))
            .limit(PAGE)
            .offset((page - 1) * PAGE)
            .select((
                notifications::id,
                (
                    notifications::title,
                    notifications::body,
                    notifications::link,
                    notifications::kind,
                    notifications::created_at,
                    notifications::read_at,
                ),
            ))
            .load(conn)?;
        let unread: Vec<&String> = rows.iter().filter(|(_, i)| i.read_at.is_none()).map(|(id, _)| id).collect();
        if !unread.is_empty() {
            diesel::update(notifications::table.filter(notifications::id.eq_any(unread)))
                .set((notifications::read_at.eq(now), notifications::updated_at.eq(now)))
                .execute(conn)?;
        }
        Ok((rows.into_iter().map(|(_, i)| i).collect::<Vec<_>>(), total))
    })
    .await?;
    let items: Vec<_> = items
        .into_iter()
        .map(|i| json!({ "title": i.title, "body": i.body, "link": i.link, "kind": i.kind, "at": i.created_at, "unread": i.read_at.is_none() }))
        .collect();
    templates.page(
        "notify/inbox",
        &context("Inbox", Some(&viewer), json!({ "items": items, "pager": Pager::new(page, total, PAGE, "/inbox?") })),
    )
}
