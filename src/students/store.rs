//! Student rows and their queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::students;

#[derive(Debug, Clone, Queryable, Selectable, PartialEq, Eq)]
#[diesel(table_name = students)]
pub struct Student {
    pub id: String,
    pub user_id: Option<String>,
    pub student_number: String,
    pub email: String,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: String,
    pub profile_visibility: String,
    pub headline: String,
    pub skills: String,
    pub portfolio_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The roster's fields of a student (what the SIS owns; the rest is the student's own).
#[derive(Debug, Clone, Insertable, AsChangeset, PartialEq, Eq)]
#[diesel(table_name = students)]
pub struct RosterFields {
    pub student_number: String,
    pub email: String,
    pub name: String,
    pub college: String,
    pub major: String,
    pub class_year: i32,
    pub graduation_term: String,
}

impl RosterFields {
    pub fn of(s: &Student) -> Self {
        RosterFields {
            student_number: s.student_number.clone(),
            email: s.email.clone(),
            name: s.name.clone(),
            college: s.college.clone(),
            major: s.major.clone(),
            class_year: s.class_year,
            graduation_term: s.graduation_term.clone(),
        }
    }
}
