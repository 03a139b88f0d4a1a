//! The home page. Signed out (or signed in without a role in the programme): what the
//! programme is, with the office's headline figures. Signed in: the home of the person's
//! role, what waits for them, each item a link to the place to act on it (sign-in lands
//! here unless a page asked for it): a student's dashboard, a recruiter's queue at their
//! employer, the office's queue (admins: with their tools), a faculty member's requests.

pub mod faculty;
pub mod office;
pub mod recruiter;
pub mod student;
pub mod views;

use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use self::views::{Figures, HomePage};
use crate::auth::extract::{MaybeViewer, Viewer};
use crate::core::{Clock, Role};
use crate::db::schema::{engagements, fairs, offers, opportunities, partnerships};
use crate::db::{self, DbConnection, Pool};
use crate::partners::rules::PartnershipStatus;
use crate::students;
use crate::web::pages::context;
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home_page));
}

/// The figures on the campus clock: a posting is open through its apply-by date on campus.
pub fn figures(conn: &mut DbConnection, clock: &Clock) -> QueryResult<Figures> {
    let (today, now) = (clock.today(), clock.now_utc());
    Ok(Figures {
        students: students::store::count(conn)?,
        // An employer has at most one current partnership (a unique index), so this
        // counts employers.
        partner_employers: partnerships::table
            .filter(partnerships::status.eq(PartnershipStatus::Active))
            .count()
            .get_result(conn)?,
        open_opportunities: opportunities::table
            .filter(opportunities::status.eq("open"))
            .filter(opportunities::apply_by.ge(today))
            .count()
            .get_result(conn)?,
        completed_engagements: engagements::table
            .filter(engagements::status.eq("completed"))
            .count()
            .get_result(conn)?,
        offers: offers::table.count().get_result(conn)?,
        upcoming_fairs: fairs::table
            .filter(fairs::status.eq("published"))
            .filter(fairs::ends_at.gt(now))
            .count()
            .get_result(conn)?,
    })
}

/// How many items of each queue a home lists (oldest first); the rest are a link away.
const SHOWN: i64 = 20;

/// Which home a person lands on: the first of their roles in this order (the office's
/// powers first; someone who is faculty and a student sees their faculty work).
enum Home {
    Office { admin: bool },
    Recruiter,
    Faculty,
    Student,
    Public,
}

fn home_of(v: &Viewer) -> Home {
    let p = &v.principal;
    if p.is_staff() {
        Home::Office { admin: p.has(Role::Admin) }
    } else if p.has(Role::Recruiter) && p.employer_id.is_some() {
        Home::Recruiter
    } else if p.has(Role::Faculty) {
        Home::Faculty
    } else if p.has(Role::Student) {
        Home::Student
    } else {
        Home::Public
    }
}

fn value(view: impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(view).map_err(AppError::internal)
}

async fn home_page(
    viewer: MaybeViewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, AppError> {
    let now = clock.now_utc();
    if let Some(v) = &viewer.0 {
        let p = v.principal.clone();
        let page = |template: &str, title: &str, view: serde_json::Value| {
            templates.page(template, context(title, Some(v), view))
        };
        match home_of(v) {
            Home::Office { admin } => {
                let view = db::run(&pool, move |c| office::office_home(c, admin, now).map_err(AppError::from)).await?;
                return page("home/office", "The office's queue", value(view)?);
            }
            Home::Recruiter => {
                let employer = p.employer_id.clone().ok_or_else(|| AppError::internal("recruiter without employer"))?;
                let view =
                    db::run(&pool, move |c| recruiter::recruiter_home(c, &employer, now).map_err(AppError::from))
                        .await?;
                let title = format!("{}: what waits for you", view.employer);
                return page("home/recruiter", &title, value(view)?);
            }
            Home::Faculty => {
                let f = p.faculty_id.clone();
                let view =
                    db::run(&pool, move |c| faculty::faculty_home(c, f.as_ref(), now).map_err(AppError::from)).await?;
                return page("home/faculty", "Endorsement requests", value(view)?);
            }
            Home::Student => {
                let Some(s) = p.student_id.clone() else {
                    // Signed in as a student, but no roster record carries this person yet.
                    return page("home/student", "My micro-internships", value(views::StudentHome::no_record())?);
                };
                let view = db::run(&pool, move |c| student::student_home(c, &s, now).map_err(AppError::from)).await?;
                return page("home/student", "My micro-internships", value(view)?);
            }
            Home::Public => {}
        }
    }
    let clock = clock.get_ref().clone();
    let figures = db::run(&pool, move |conn| figures(conn, &clock).map_err(AppError::from)).await?;
    let view = HomePage { figures };
    templates.page("home", context("Micro-internships and career outcomes", viewer.signed_in(), &view))
}
