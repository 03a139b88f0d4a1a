//! A student's home: their dashboard (every application and project with its next
//! step, the opportunities area's), and above it what waits for their answer (a project
//! offered to them, an internship or job offer after a project), their endorsement
//! requests, and the fair sessions they registered for that are still to come.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::views::{request_status, AnswerItem, RegistrationItem, RequestByStudent, StudentHome};
use super::SHOWN;
use crate::core::StudentId;
use crate::db::schema::{employers, endorsement_requests, faculty, fair_sessions, fairs, registrations, users};
use crate::db::DbConnection;
use crate::opportunities::applications::dashboard;
use crate::opportunities::offers::open_offers_of;
use crate::opportunities::rules::ApplicationStatus;
use crate::opportunities::views::DashboardPage;

pub fn student_home(conn: &mut DbConnection, student: &StudentId, now: NaiveDateTime) -> QueryResult<StudentHome> {
    let (rows, projects) = dashboard(conn, student)?;
    // Projects offered to the student: on their dashboard, and first among the answers.
    let mut answers: Vec<AnswerItem> = rows
        .iter()
        .filter(|r| r.status == ApplicationStatus::Offered)
        .map(|r| AnswerItem {
            href: format!("/applications/{}", r.id),
            what: "Project offered to you",
            title: r.title.clone(),
            employer: r.employer.clone(),
        })
        .collect();
    // Offers after a project: answered on the project's page (and on the dashboard).
    let open = open_offers_of(conn, student)?;
    answers.extend(open.iter().take(SHOWN as usize).map(|o| AnswerItem {
        href: format!("/engagements/{}", o.engagement_id),
        what: o.kind.label(),
        title: o.job_title.clone(),
        employer: o.employer.clone(),
    }));
    // The career office's first-destination survey, until the graduate answers it.
    if crate::outcomes::survey::waiting_for(conn, student.as_str())? {
        answers.push(AnswerItem {
            href: "/survey".to_owned(),
            what: "The career office asks",
            title: "Where are you now? (the first-destination survey)".to_owned(),
            employer: "the career office".to_owned(),
        });
    }
    let requests: Vec<(String, String, NaiveDateTime)> = endorsement_requests::table
        .inner_join(faculty::table.inner_join(users::table))
        .filter(endorsement_requests::student_id.eq(student))
        .select((users::display_name, endorsement_requests::status, endorsement_requests::created_at))
        .order((endorsement_requests::created_at.desc(), endorsement_requests::id))
        .limit(SHOWN)
        .load(conn)?;
    #[allow(clippy::type_complexity)]
    let sessions: Vec<(String, String, String, NaiveDateTime, String, String)> = registrations::table
        .inner_join(fair_sessions::table.inner_join(fairs::table).inner_join(employers::table))
        .filter(registrations::student_id.eq(student))
        .filter(registrations::status.eq_any(["registered", "waitlisted"]))
        .filter(fair_sessions::status.eq("scheduled"))
        .filter(fair_sessions::ends_at.gt(now))
        .select((
            fair_sessions::title,
            employers::name,
            fairs::name,
            fair_sessions::starts_at,
            registrations::status,
            fair_sessions::id,
        ))
        .order((fair_sessions::starts_at.asc(), registrations::id))
        .limit(SHOWN)
        .load(conn)?;
    Ok(StudentHome {
        dashboard: DashboardPage::new(rows, &projects, open),
        answers,
        requests: requests
            .into_iter()
            .map(|(faculty, status, asked_at)| RequestByStudent { faculty, status: request_status(&status), asked_at })
            .collect(),
        registrations: sessions
            .into_iter()
            .map(|(title, employer, fair, starts_at, status, session)| {
                let waitlisted = status == "waitlisted";
                RegistrationItem {
                    title,
                    employer,
                    fair,
                    starts_at,
                    waitlisted,
                    // The meeting link is for those with a place.
                    join: (!waitlisted).then(|| format!("/sessions/{session}/join")),
                }
            })
            .collect(),
    })
}
