//! The directory students (and faculty, staff) browse: employers whose current
//! partnership is active, with how many projects each has open. A paused or ended
//! partner is not in it, and its page answers 404.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::employers::{self, Employer};
use super::{lower, partnerships};
use crate::core::EmployerId;
use crate::db::schema::{employers as employers_t, opportunities, partnerships as partnerships_t};
use crate::db::{DbConnection, MultiBackend};
use crate::partners::rules::PartnershipStatus;

pub const PAGE: i64 = 25;

/// One partner as the directory lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: EmployerId,
    pub name: String,
    pub industry: String,
    pub location: String,
    pub description: String,
    /// Projects open for applications today (on campus).
    pub open: i64,
}

/// The active partners (in one industry, if given), by name: a page of them and how
/// many there are in all. Open projects are counted for the page in one query.
pub fn page(
    conn: &mut DbConnection,
    industry: Option<&str>,
    page: i64,
    today: NaiveDate,
) -> QueryResult<(Vec<Partner>, i64)> {
    let active = |industry: Option<&str>| {
        let mut q = employers_t::table
            .inner_join(partnerships_t::table)
            .filter(partnerships_t::status.eq(PartnershipStatus::Active))
            .into_boxed::<MultiBackend>();
        if let Some(industry) = industry {
            q = q.filter(employers_t::industry.eq(industry.to_owned()));
        }
        q
    };
    let total: i64 = active(industry).count().get_result(conn)?;
    let rows: Vec<(EmployerId, String, String, String, String)> = active(industry)
        .select((
            employers_t::id,
            employers_t::name,
            employers_t::industry,
            employers_t::location,
            employers_t::description,
        ))
        .order((lower(employers_t::name), employers_t::id))
        .limit(PAGE)
        .offset((page - 1) * PAGE)
        .load(conn)?;
    let ids: Vec<&EmployerId> = rows.iter().map(|r| &r.0).collect();
    let counts: Vec<(EmployerId, i64)> = opportunities::table
        .filter(opportunities::employer_id.eq_any(ids))
        .filter(opportunities::status.eq("open"))
        .filter(opportunities::apply_by.ge(today))
        .group_by(opportunities::employer_id)
        .select((opportunities::employer_id, diesel::dsl::count_star()))
        .load(conn)?;
    let partners = rows
        .into_iter()
        .map(|(id, name, industry, location, description)| {
            let open = counts.iter().find(|(e, _)| *e == id).map_or(0, |(_, n)| *n);
            Partner { id, name, industry, location, description, open }
        })
        .collect();
    Ok((partners, total))
}

/// The industries of active partners (for the filter).
pub fn industries(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    employers_t::table
        .inner_join(partnerships_t::table)
        .filter(partnerships_t::status.eq(PartnershipStatus::Active))
        .select(employers_t::industry)
        .distinct()
        .order(employers_t::industry)
        .load(conn)
}

/// A partner's public profile: only while its partnership is active (else `None`).
pub fn partner(conn: &mut DbConnection, id: &EmployerId) -> QueryResult<Option<Employer>> {
    if !partnerships::is_active(conn, id)? {
        return Ok(None);
    }
    employers::find(conn, id)
}
