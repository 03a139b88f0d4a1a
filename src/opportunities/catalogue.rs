//! The students' catalogue of open micro-internships: full-text search (SQLite FTS5 or
//! PostgreSQL tsvector, chosen per backend behind one function) with filters, sorts and
//! stable page links, and what a student needs on a posting's page to apply. Only open
//! postings of employers with an active partnership show. The query is read by the pure
//! rules (`rules::catalogue`); the partners' pages list an employer's postings through
//! [`search`] too.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Text, Timestamp};
use serde::Serialize;

use super::applications::student_facts;
pub use super::rules::catalogue::{CatalogueQuery, Cursor, Found, Search, Sort, SortKey, COUNT_CAP};
use super::rules::{eligibility, eligibility_key, Relationship, StudentFacts};
use super::store::Result;
use crate::core::{ApplicationId, EmployerId, EndorsementId, Error, OpportunityId, StudentId};
use crate::db::schema::{
    applications, employers, endorsements, faculty, opportunities, opportunity_class_years, opportunity_colleges,
    opportunity_majors, opportunity_skills, users,
};
use crate::db::{Backend, DbConnection, MultiBackend};

/// Postings per catalogue page.
pub const PAGE: i64 = 20;

/// An open posting as the catalogue shows it.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct Listing {
    pub id: OpportunityId,
    pub title: String,
    pub description: String,
    pub skills: String,
    pub hours: i32,
    pub fee_cents: i64,
    pub currency: String,
    pub remote: bool,
    pub location: Option<String>,
    pub apply_by: NaiveDate,
    pub openings: i32,
    pub eligible_colleges: String,
    pub eligible_majors: String,
    pub eligible_class_years: String,
    pub employer_id: EmployerId,
    pub employer_name: String,
    pub industry: String,
    /// When it opened (its place in the newest-first sort).
    pub opened_at: Option<NaiveDateTime>,
}

impl Listing {
    /// Its place in the catalogue's order for `sort`.
    pub fn cursor(&self, sort: Sort, backward: bool) -> Cursor {
        let key = match sort {
            Sort::Newest => SortKey::Opened(self.opened_at.unwrap_or(NaiveDateTime::MIN)),
            Sort::ApplyBy => SortKey::ApplyBy(self.apply_by),
            Sort::Fee => SortKey::Fee(self.fee_cents),
        };
        Cursor { key, id: self.id.to_string(), backward }
    }
}

/// The columns of a [`Listing`], in its order.
macro_rules! listing_columns {
    () => {
        (
            opportunities::id,
            opportunities::title,
            opportunities::description,
            opportunities::skills,
            opportunities::hours,
            opportunities::fee_cents,
            opportunities::currency,
            opportunities::remote,
            opportunities::location,
            opportunities::apply_by,
            opportunities::openings,
            opportunities::eligible_colleges,
            opportunities::eligible_majors,
            opportunities::eligible_class_years,
            employers::id,
            employers::name,
            employers::industry,
            opportunities::opened_at,
        )
    };
}

/// The catalogue's rows (open, partner active, still taking applications), for `backend`.
///
/// The partner check is a correlated `EXISTS` on the index of partnerships by employer and
/// status: the database walks the postings in the order asked and looks up each one's
/// partner, stopping at the page. (An `IN (active partners)` list cost a list of every
/// active partner per query, and let SQLite start from the partners and sort every open
/// posting: 30 to 40 ms a page at 100,000 students. Measured in BENCHMARKS.md.)
///
/// On SQLite the apply-by condition is written with a unary `+` (SQLite's way to keep a
/// term from choosing the index), so that the planner walks the sort's index rather than
/// starting from the date range; with search words (`from_text`) the status is too, so
/// that it starts from the full-text matches, whose number it cannot estimate.
macro_rules! open_postings {
    // The postings alone, for counting: every filter is on the posting's own columns or a
    // subquery, so a count joins no employer; with no order to walk, it reads the open
    // postings in apply-by order from the index that also holds each one's employer and id.
    (@count $today:expr, $backend:expr, $from_text:expr) => {
        open_postings!(@from opportunities::table, $today, $backend, $from_text, true)
    };
    (@from $source:expr, $today:expr, $backend:expr, $from_text:expr, $counting:expr) => {{
        let backend: Backend = $backend;
        let sqlite = backend == Backend::Sqlite;
        let (status, apply_by) = match (sqlite, $from_text, $counting) {
            (true, true, _) => ("+opportunities.status = 'open'", "+opportunities.apply_by >= "),
            (true, false, false) => ("opportunities.status = 'open'", "+opportunities.apply_by >= "),
            _ => ("opportunities.status = 'open'", "opportunities.apply_by >= "),
        };
        $source
            .filter(sql::<Bool>(status))
            .filter(sql::<Bool>(apply_by).bind::<diesel::sql_types::Date, _>($today))
            .filter(sql::<Bool>(&active_partner_of(backend, "opportunities.employer_id")))
            .into_boxed::<MultiBackend>()
    }};
    ($today:expr, $backend:expr) => {
        open_postings!($today, $backend, false)
    };
    ($today:expr, $backend:expr, $from_text:expr) => {
        open_postings!(@from opportunities::table.inner_join(employers::table), $today, $backend, $from_text, false)
    };
}

/// `employer` (a column) has an active partnership: see [`open_postings`]. Answered from
/// the index on (employer, status) alone, reading no partnership's row.
fn active_partner_of(backend: Backend, employer: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM partnerships WHERE partnerships.employer_id = {employer} \
         AND partnerships.status = 'active'{})",
        one_at_a_time(backend)
    )
}

/// What keeps PostgreSQL from turning a correlated `EXISTS` into a join: it would hash
/// every active partnership (and every employer) to answer for a page of twenty postings
/// or a dozen industries (10 ms where looking each up takes 0.5). `OFFSET 0` is its
/// documented fence; SQLite looks each up anyway and has no `OFFSET` without `LIMIT`.
fn one_at_a_time(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => " OFFSET 0",
        Backend::Sqlite => "",
    }
}

/// Applies the search's filters to a boxed catalogue query.
macro_rules! filtered {
    ($q:expr, $s:expr, $backend:expr, $me:expr) => {
        filtered!($q, $s, $backend, $me, false, false)
    };
    ($q:expr, $s:expr, $backend:expr, $me:expr, $broad:expr, $broad_skills:expr) => {{
        let mut q = $q;
        let s: &Search = $s;
        if !s.words.is_empty() {
            q = match $backend {
                // Words found in most postings: the postings are walked in the order asked
                // and each is tested against the set of matching rowids, which the full-text
                // index gives without reading any match's content (the rowids are paired,
                // migration 2026-11-30-001000_scale_indexes). The `+` keeps SQLite from
                // starting at the matches instead.
                Backend::Sqlite if $broad => {
                    q.filter(sql::<Bool>("+opportunities.rowid IN (SELECT rowid FROM opportunity_search WHERE opportunity_search MATCH ").bind::<Text, _>(fts_match(&s.words)).sql(")"))
                }
                Backend::Sqlite => {
                    q.filter(sql::<Bool>("opportunities.id IN (SELECT opportunity_id FROM opportunity_search WHERE opportunity_search MATCH ").bind::<Text, _>(fts_match(&s.words)).sql(")"))
                }
                Backend::Postgres => {
                    let t = s.words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ");
                    q.filter(
                        sql::<Bool>("opportunities.id IN (SELECT opportunity_id FROM opportunity_search WHERE document @@ to_tsquery('english', ")
                            .bind::<Text, _>(t)
                            .sql("))"),
                    )
                }
            };
        }
        // Tags in normal form, matched exactly through their index: a `%` is a `%`.
        for skill in &s.skills {
            q = if $broad_skills {
                // A skill of most postings, on SQLite: the postings are walked in the order
                // asked and each is looked up in the skill's set (the `+` keeps SQLite from
                // starting at the set and sorting thousands of postings).
                q.filter(
                    sql::<Bool>("+opportunities.id IN (SELECT opportunity_id FROM opportunity_skills WHERE skill = ")
                        .bind::<Text, _>(skill.clone())
                        .sql(")"),
                )
            } else {
                q.filter(opportunities::id.eq_any(
                    opportunity_skills::table.filter(opportunity_skills::skill.eq(skill.clone())).select(opportunity_skills::opportunity_id),
                ))
            };
        }
        if s.endorsed_only {
            q = q.filter(opportunities::id.eq_any(
                opportunity_skills::table.filter(opportunity_skills::skill.eq_any(s.endorsed_skills.clone())).select(opportunity_skills::opportunity_id),
            ));
        }
        if let Some(employer) = &s.employer_id {
            q = q.filter(opportunities::employer_id.eq(employer.clone()));
        }
        if let Some(industry) = &s.industry {
            // A subquery (not the joined employer), so that a count needs no join.
            q = q.filter(
                sql::<Bool>("opportunities.employer_id IN (SELECT industry_of.id FROM employers industry_of WHERE industry_of.industry = ")
                    .bind::<Text, _>(industry.clone())
                    .sql(")"),
            );
        }
        if let Some(remote) = s.remote {
            q = q.filter(opportunities::remote.eq(remote));
        }
        if let Some(h) = s.hours.0 {
            q = q.filter(opportunities::hours.ge(h));
        }
        if let Some(h) = s.hours.1 {
            q = q.filter(opportunities::hours.le(h));
        }
        if let Some(f) = s.fee_cents.0 {
            q = q.filter(opportunities::fee_cents.ge(f));
        }
        if let Some(f) = s.fee_cents.1 {
            q = q.filter(opportunities::fee_cents.le(f));
        }
        if let Some(d) = s.open_until {
            q = q.filter(opportunities::apply_by.ge(d));
        }
        // The rule of `Eligibility::admits`, on the rows the store wrote from it: each list
        // is empty, or holds the student's value in the same normal form.
        if let (true, Some(me)) = (s.eligible_only, $me) {
            let me: &StudentFacts = me;
            q = q
                .filter(
                    not(exists(opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq(opportunities::id))))
                        .or(opportunities::id.eq_any(
                            opportunity_colleges::table
                                .filter(opportunity_colleges::college.eq(eligibility_key(&me.college)))
                                .select(opportunity_colleges::opportunity_id),
                        )),
                )
                .filter(
                    not(exists(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq(opportunities::id))))
                        .or(opportunities::id.eq_any(
                            opportunity_majors::table
                                .filter(opportunity_majors::major.eq(eligibility_key(&me.major)))
                                .select(opportunity_majors::opportunity_id),
                        )),
                )
                .filter(
                    not(exists(
                        opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq(opportunities::id)),
                    ))
                    .or(opportunities::id.eq_any(
                        opportunity_class_years::table
                            .filter(opportunity_class_years::class_year.eq(me.class_year))
                            .select(opportunity_class_years::opportunity_id),
                    )),
                );
        }
        q
    }};
}

/// The words of a search as an FTS5 query: each a quoted prefix.
fn fts_match(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
}

/// More text matches than this and SQLite walks the postings in the order asked rather
/// than sorting every match.
const BROAD: i64 = 1_000;

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whether SQLite's full-text index finds the words in more than [`BROAD`] postings
/// (counted from the index alone, stopping there).
fn broad_on_sqlite(conn: &mut DbConnection, words: &[String]) -> QueryResult<bool> {
    more_than_broad(conn, "opportunity_search WHERE opportunity_search MATCH ?", fts_match(words))
}

/// Whether more than [`BROAD`] rows of `from_where` (a table and a condition with one
/// text parameter) match `value`, counted from an index and stopping there.
fn more_than_broad(conn: &mut DbConnection, from_where: &str, value: String) -> QueryResult<bool> {
    let c: Counted =
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from_where} LIMIT {})", BROAD + 1))
            .bind::<Text, _>(value)
            .get_result(conn)?;
    Ok(c.n > BROAD)
}

/// One page of the catalogue: its rows, how many match (up to [`COUNT_CAP`]), and the
/// places of the pages before and after it.
#[derive(Debug)]
pub struct CataloguePage {
    pub rows: Vec<Listing>,
    pub found: Found,
    pub prev: Option<Cursor>,
    pub next: Option<Cursor>,
}

/// How the database is to find a search's rows (see [`open_postings`] and [`filtered`]).
#[derive(Clone, Copy)]
struct Plan {
    backend: Backend,
    from_text: bool,
    broad: bool,
    /// SQLite, and every skill asked for is one of more than [`BROAD`] postings.
    broad_skills: bool,
}

fn plan(conn: &mut DbConnection, s: &Search) -> QueryResult<Plan> {
    let backend = conn.backend();
    let words = backend == Backend::Sqlite && !s.words.is_empty();
    let broad = words && broad_on_sqlite(conn, &s.words)?;
    let mut broad_skills = backend == Backend::Sqlite && !s.skills.is_empty();
    for skill in &s.skills {
        if !broad_skills {
            break;
        }
        broad_skills = skill_is_broad(conn, skill)?;
    }
    Ok(Plan { backend, from_text: words && !broad, broad, broad_skills })
}

/// Whether more than [`BROAD`] postings (of any status) ask for `skill`, counted from its
/// index and stopping there. SQLite cannot tell a common skill from a rare one by its
/// statistics, and the right plans differ: a rare skill's few postings are found and
/// sorted, a common skill's postings are walked in the order asked.
fn skill_is_broad(conn: &mut DbConnection, skill: &str) -> QueryResult<bool> {
    more_than_broad(conn, "opportunity_skills WHERE skill = ?", skill.to_owned())
}

/// Up to `PAGE + 1` rows in the search's order (reversed when `backward`), after (or
/// before) `cursor`, skipping `offset` (only an old numbered link has one).
fn page_rows(
    conn: &mut DbConnection,
    s: &Search,
    me: Option<&StudentFacts>,
    today: NaiveDate,
    p: Plan,
    cursor: Option<&Cursor>,
    offset: i64,
) -> QueryResult<Vec<Listing>> {
    let mut q = filtered!(open_postings!(today, p.backend, p.from_text), s, p.backend, me, p.broad, p.broad_skills)
        .select(listing_columns!());
    let backward = cursor.is_some_and(|c| c.backward);
    if let Some(c) = cursor {
        // `key <= k AND (key < k OR id > i)` for a descending key going forward: the first
        // half is a range on the sort's index; the `+` keeps it from being one when SQLite
        // starts from the text matches.
        let plus = if p.from_text { "+" } else { "" };
        let (near, far, id_op) = match (c.backward, matches!(c.key, SortKey::ApplyBy(_))) {
            (false, false) | (true, true) => ("<=", "<", if c.backward { "<" } else { ">" }),
            (false, true) | (true, false) => (">=", ">", if c.backward { "<" } else { ">" }),
        };
        macro_rules! keyset {
            ($col:literal, $st:ty, $k:expr) => {
                q.filter(
                    sql::<Bool>(&format!("{plus}{} {near} ", $col))
                        .bind::<$st, _>($k)
                        .sql(&format!(" AND ({plus}{} {far} ", $col))
                        .bind::<$st, _>($k)
                        .sql(&format!(" OR opportunities.id {id_op} "))
                        .bind::<Text, _>(c.id.clone())
                        .sql(")"),
                )
            };
        }
        q = match c.key {
            SortKey::Opened(t) => keyset!("opportunities.opened_at", Timestamp, t),
            SortKey::ApplyBy(d) => keyset!("opportunities.apply_by", Date, d),
            SortKey::Fee(f) => keyset!("opportunities.fee_cents", BigInt, f),
        };
    }
    let q = match (s.sort, backward) {
        (Sort::Newest, false) => q.order(opportunities::opened_at.desc()).then_order_by(opportunities::id.asc()),
        (Sort::Newest, true) => q.order(opportunities::opened_at.asc()).then_order_by(opportunities::id.desc()),
        (Sort::ApplyBy, false) => q.order(opportunities::apply_by.asc()).then_order_by(opportunities::id.asc()),
        (Sort::ApplyBy, true) => q.order(opportunities::apply_by.desc()).then_order_by(opportunities::id.desc()),
        (Sort::Fee, false) => q.order(opportunities::fee_cents.desc()).then_order_by(opportunities::id.asc()),
        (Sort::Fee, true) => q.order(opportunities::fee_cents.asc()).then_order_by(opportunities::id.desc()),
    };
    q.limit(PAGE + 1).offset(offset).load(conn)
}

/// One page of the catalogue (the first, or the one `s.cursor` places), and how many
/// postings match, counted up to [`COUNT_CAP`].
pub fn search(
    conn: &mut DbConnection,
    s: &Search,
    me: Option<&StudentFacts>,
    today: NaiveDate,
) -> QueryResult<CataloguePage> {
    let p = plan(conn, s)?;
    let counted: Vec<i32> =
        filtered!(open_postings!(@count today, p.backend, p.from_text), s, p.backend, me, p.broad, p.broad_skills)
            .select(sql::<Integer>("1"))
            .limit(COUNT_CAP + 1)
            .load(conn)?;
    let found = Found::of(counted.len() as i64);
    let cursor = s.cursor.as_ref();
    if cursor.is_some_and(|c| c.backward) {
        let mut rows = page_rows(conn, s, me, today, p, cursor, 0)?;
        // Fewer than a page before it: that is the first page (shown whole).
        if rows.len() as i64 > PAGE {
            rows.truncate(PAGE as usize);
            rows.reverse();
            let prev = rows.first().map(|r| r.cursor(s.sort, true));
            let next = rows.last().map(|r| r.cursor(s.sort, false));
            return Ok(CataloguePage { rows, found, prev, next });
        }
        return first_or_after(conn, s, me, today, p, None, found);
    }
    first_or_after(conn, s, me, today, p, cursor, found)
}

fn first_or_after(
    conn: &mut DbConnection,
    s: &Search,
    me: Option<&StudentFacts>,
    today: NaiveDate,
    p: Plan,
    cursor: Option<&Cursor>,
    found: Found,
) -> QueryResult<CataloguePage> {
    let mut rows = page_rows(conn, s, me, today, p, cursor, 0)?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = if more { rows.last().map(|r| r.cursor(s.sort, false)) } else { None };
    let prev = if cursor.is_some() { rows.first().map(|r| r.cursor(s.sort, true)) } else { None };
    Ok(CataloguePage { rows, found, prev, next })
}

/// Where an old numbered link's page (`page=N`, N > 1) starts: after the last posting of
/// page N - 1 (None: the search has no such posting). One offset read, once, for a link.
pub fn place_of_page(
    conn: &mut DbConnection,
    s: &Search,
    me: Option<&StudentFacts>,
    today: NaiveDate,
    page: i64,
) -> QueryResult<Option<Cursor>> {
    let p = plan(conn, s)?;
    let offset = (page - 1) * PAGE - 1;
    let rows = page_rows(conn, s, me, today, p, None, offset)?;
    Ok(rows.first().map(|r| r.cursor(s.sort, false)))
}

/// The catalogue's rows after the posting `after` in id order, at most `limit` (the JSON
/// API's pages: keyset on the id, so rows added meanwhile neither shift nor repeat any).
pub fn search_after(
    conn: &mut DbConnection,
    s: &Search,
    today: NaiveDate,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Listing>> {
    let backend = conn.backend();
    let from_text = backend == Backend::Sqlite && !s.words.is_empty();
    let mut q = filtered!(open_postings!(today, backend, from_text), s, backend, None::<&StudentFacts>)
        .select(listing_columns!());
    if let Some(after) = after {
        q = q.filter(opportunities::id.gt(after.to_owned()));
    }
    q.order(opportunities::id).limit(limit).load(conn)
}

/// One open posting as the catalogue shows it (None: not open, or its partner is not active).
pub fn listing(conn: &mut DbConnection, id: &OpportunityId, today: NaiveDate) -> QueryResult<Option<Listing>> {
    open_postings!(today, conn.backend())
        .filter(opportunities::id.eq(id.clone()))
        .select(listing_columns!())
        .first(conn)
        .optional()
}

/// The industries of active partners (for the filter).
///
/// The industries are few and the employers thousands: each industry is found from the
/// index on industry by a skip (the next one after the last), then kept if one of its
/// employers is an active partner, rather than every employer checked on every catalogue
/// page.
pub fn industries(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Industry {
        #[diesel(sql_type = Text)]
        industry: String,
    }
    let rows: Vec<Industry> = diesel::sql_query(format!(
        "WITH RECURSIVE industry_of(name) AS ( \
             SELECT MIN(industry) FROM employers \
             UNION ALL \
             SELECT (SELECT MIN(industry) FROM employers WHERE industry > industry_of.name) \
             FROM industry_of WHERE industry_of.name IS NOT NULL) \
         SELECT name AS industry FROM industry_of \
         WHERE name IS NOT NULL AND EXISTS ( \
             SELECT 1 FROM employers JOIN partnerships ON partnerships.employer_id = employers.id \
             WHERE employers.industry = industry_of.name AND partnerships.status = 'active'{}) \
         ORDER BY name",
        one_at_a_time(conn.backend())
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.industry).collect())
}

/// What a student needs on a posting's page to apply: whether they may (or why not),
/// whether they did, and their endorsements to choose from.
pub struct ApplyDesk {
    pub eligible: std::result::Result<(), String>,
    pub applied: Option<ApplicationId>,
    pub endorsements: Vec<OwnEndorsement>,
}

/// One of the student's current endorsements, as they choose what to share.
#[derive(Debug, Clone, Queryable)]
pub struct OwnEndorsement {
    pub id: EndorsementId,
    pub by: String,
    pub relationship: Relationship,
    pub skills: String,
}

/// The student's side of a listing (their roster record must exist).
pub fn apply_desk(conn: &mut DbConnection, listing: &Listing, student_id: &StudentId) -> Result<ApplyDesk> {
    let me = student_facts(conn, student_id)?.ok_or(Error::NotFound)?;
    let eligible =
        eligibility(&listing.eligible_colleges, &listing.eligible_majors, &listing.eligible_class_years, &me);
    let applied: Option<ApplicationId> = applications::table
        .filter(applications::opportunity_id.eq(&listing.id))
        .filter(applications::student_id.eq(student_id))
        .select(applications::id)
        .first(conn)
        .optional()?;
    let endorsements: Vec<OwnEndorsement> = endorsements::table
        .inner_join(faculty::table.inner_join(users::table))
        .filter(endorsements::student_id.eq(student_id))
        .filter(endorsements::revoked_at.is_null())
        .filter(endorsements::hidden_at.is_null())
        .select((endorsements::id, users::display_name, endorsements::relationship, endorsements::skills))
        .order(endorsements::created_at.desc())
        .load(conn)?;
    Ok(ApplyDesk { eligible, applied, endorsements })
}

/// The student's facts for "eligible for me" (None: not a student with a roster record).
pub fn facts_of(conn: &mut DbConnection, student_id: Option<&StudentId>) -> QueryResult<Option<StudentFacts>> {
    match student_id {
        Some(id) => student_facts(conn, id),
        None => Ok(None),
    }
}
