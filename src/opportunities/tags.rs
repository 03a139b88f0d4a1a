//! A posting's tags: its skills, and the colleges, majors and class years it is open to,
//! each a row in normal form (the rules' `skill_tags` and `Eligibility`), so that the
//! catalogue matches them exactly through an index. The one writer of the tag tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::{skill_tags, Eligibility};
use crate::core::OpportunityId;
use crate::db::schema::{
    opportunities, opportunity_class_years, opportunity_colleges, opportunity_majors, opportunity_skills,
};
use crate::db::{self, DbConnection};

/// A posting's lists as typed (comma-separated), for [`write_tags`].
#[derive(Debug, Clone, Copy)]
pub struct PostingLists<'a> {
    pub id: &'a OpportunityId,
    pub skills: &'a str,
    pub colleges: &'a str,
    pub majors: &'a str,
    pub class_years: &'a str,
    /// When the lists were written (the tag rows' timestamps).
    pub at: NaiveDateTime,
}

/// Rows per INSERT when tags are written in bulk (well inside both backends' bind limits).
const TAG_ROWS_PER_INSERT: usize = 200;

/// Writes postings' tags (skills, and the colleges, majors and class years each is open
/// to) in the normal form of the rules, replacing what was there. The one writer of the
/// tag tables that the catalogue matches exactly: every store function that sets a
/// posting's lists calls it in the same transaction, and the demo seed after loading.
pub fn write_tags(conn: &mut DbConnection, postings: &[PostingLists<'_>]) -> QueryResult<()> {
    for chunk in postings.chunks(TAG_ROWS_PER_INSERT) {
        let ids: Vec<&OpportunityId> = chunk.iter().map(|p| p.id).collect();
        diesel::delete(opportunity_skills::table.filter(opportunity_skills::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq_any(&ids)))
            .execute(conn)?;
    }
    let (mut skills, mut colleges, mut majors, mut years) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in postings {
        skills.extend(skill_tags(p.skills).into_iter().map(|t| (p, TagValue::Text(t))));
        let e = Eligibility::of_lists(p.colleges, p.majors, p.class_years);
        colleges.extend(e.colleges.into_iter().map(|t| (p, TagValue::Text(t))));
        majors.extend(e.majors.into_iter().map(|t| (p, TagValue::Text(t))));
        years.extend(e.class_years.into_iter().map(|y| (p, TagValue::Year(y))));
    }
    insert_tags(conn, "opportunity_skills", "skill", &skills)?;
    insert_tags(conn, "opportunity_colleges", "college", &colleges)?;
    insert_tags(conn, "opportunity_majors", "major", &majors)?;
    insert_tags(conn, "opportunity_class_years", "class_year", &years)?;
    Ok(())
}

enum TagValue {
    Text(String),
    Year(i32),
}

/// Inserts tag rows, many per statement (diesel's batch insert does not reach both
/// backends through one connection type, so the statement is written here).
fn insert_tags(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
    rows: &[(&PostingLists<'_>, TagValue)],
) -> QueryResult<()> {
    use diesel::sql_types::{Integer, Text, Timestamp};
    for chunk in rows.chunks(TAG_ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = |k: usize| conn.placeholder(i * 4 + k);
                format!("({}, {}, {}, {}, {})", n(1), n(2), n(3), n(4), n(4))
            })
            .collect();
        let statement = format!(
            "INSERT INTO {table} (id, opportunity_id, {column}, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut query = diesel::sql_query(statement).into_boxed::<db::MultiBackend>();
        for (posting, value) in chunk {
            query = query.bind::<Text, _>(uuid::Uuid::new_v4().to_string()).bind::<Text, _>(posting.id.to_string());
            query = match value {
                TagValue::Text(t) => query.bind::<Text, _>(t.clone()),
                TagValue::Year(y) => query.bind::<Integer, _>(*y),
            };
            query = query.bind::<Timestamp, _>(posting.at);
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// Writes the tags of postings that have none yet (postings loaded as rows, e.g. by the
/// demo seed), stamped with the posting's last change. Postings with tags are left alone,
/// so running it twice changes nothing.
pub fn write_missing_tags(conn: &mut DbConnection) -> QueryResult<usize> {
    use diesel::dsl::{exists, not};
    let rows: Vec<(OpportunityId, String, String, String, String, NaiveDateTime)> = opportunities::table
        .filter(not(exists(opportunity_skills::table.filter(opportunity_skills::opportunity_id.eq(opportunities::id)))))
        .filter(not(exists(
            opportunity_colleges::table.filter(opportunity_colleges::opportunity_id.eq(opportunities::id)),
        )))
        .filter(not(exists(opportunity_majors::table.filter(opportunity_majors::opportunity_id.eq(opportunities::id)))))
        .filter(not(exists(
            opportunity_class_years::table.filter(opportunity_class_years::opportunity_id.eq(opportunities::id)),
        )))
        .select((
            opportunities::id,
            opportunities::skills,
            opportunities::eligible_colleges,
            opportunities::eligible_majors,
            opportunities::eligible_class_years,
            opportunities::updated_at,
        ))
        .load(conn)?;
    let lists: Vec<PostingLists<'_>> = rows
        .iter()
        .map(|(id, skills, colleges, majors, class_years, at)| PostingLists {
            id,
            skills,
            colleges,
            majors,
            class_years,
            at: *at,
        })
        .collect();
    write_tags(conn, &lists)?;
    Ok(lists.len())
}
