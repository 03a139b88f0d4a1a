//! What the inbox page shows.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::notify::Item;
use crate::web::pages::Pager;

/// `inbox/index`: a page of a person's notifications, newest first.
#[derive(Debug, Serialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub pager: Pager,
    /// Unread items in all (the "Mark all as read" button shows when there are some).
    pub unread: i64,
}

#[derive(Debug, Serialize)]
pub struct InboxItem {
    /// Where the item's link goes: `/inbox/{id}` (marks it read, then on to the thing).
    pub open: String,
    pub title: String,
    pub body: String,
    pub kind: String,
    pub at: NaiveDateTime,
    pub unread: bool,
}

impl From<Item> for InboxItem {
    fn from(n: Item) -> Self {
        InboxItem {
            open: format!("/inbox/{}", url::form_urlencoded::byte_serialize(n.id.as_bytes()).collect::<String>()),
            unread: n.read_at.is_none(),
            title: n.title,
            body: n.body,
            kind: n.kind,
            at: n.created_at,
        }
    }
}
