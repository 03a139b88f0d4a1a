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
}

#[derive(Debug, Serialize)]
pub struct InboxItem {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub kind: String,
    pub at: NaiveDateTime,
    /// Not read before this page was opened (opening it marks it read).
    pub unread: bool,
}

impl From<Item> for InboxItem {
    fn from(n: Item) -> Self {
        InboxItem {
            unread: n.read_at.is_none(),
            title: n.title,
            body: n.body,
            link: n.link,
            kind: n.kind,
            at: n.created_at,
        }
    }
}
