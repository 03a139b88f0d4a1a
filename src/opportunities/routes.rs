//! The lifecycle's pages and actions. One page per thing (posting, application,
//! engagement) serves every side; the viewer's scope decides what they see and may do,
//! and another side's records answer 404.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

use super::model::{self, Acting, Scope, Step};
use super::rules::{self, validate_posting, PostingForm, CATEGORIES};
use crate::auth::csrf::{CheckedForm, CsrfChecked};
use crate::auth::extract::{EmployerStaff, Manager, Participant, Staff, Student, Viewer};
use crate::config::Settings;
use crate::core::money;
use crate::core::Clock;
use crate::core::{EmployerId, Error, FieldProblem, Problems, Role};
use crate::db::schema::{applications, employers, engagements, offers, opportunities, students};
use crate::db::{self, Pool};
use crate::web::error::status_of;
use crate::web::pages::{context, html, see_other, Feedback};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/workspace/postings/new", web::get().to(new_posting_page))
        .route("/workspace/postings", web::post().to(create_posting))
        .route("/workspace/postings/{id}", web::get().to(posting_page))
        .route("/postings/{id}", web::get().to(posting_page))
        .route("/postings/{id}/edit", web::get().to(edit_posting_page))
        .route("/postings/{id}/edit", web::post().to(update_posting))
        .route("/postings/{id}/move", web::post().to(move_posting))
        .route("/employers/{id}/postings/new", web::get().to(new_posting_for_page))
        .route("/employers/{id}/postings", web::post().to(create_posting_for))
        .route("/review", web::get().to(review_queue))
        .route("/opportunities/{id}/apply", web::post().to(apply))
        .route("/dashboard", web::get().to(dashboard))
        .route("/applications/{id}", web::get().to(application_page))
        .route("/applications/{id}/move", web::post().to(move_application))
        .route("/engagements/{id}", web::get().to(engagement_page))
        .route("/engagements/{id}/move", web::post().to(move_engagement))
        .route("/engagements/{id}/cancel-request", web::post().to(request_cancel))
        .route("/engagements/{id}/rating", web::post().to(rate))
        .route("/engagements/{id}/payment", web::post().to(pay))
        .route("/engagements/{id}/offers", web::post().to(make_offer))
        .route("/offers/{id}/decision", web::post().to(decide_offer));
}

/// The viewer's scope: the office sees all, a recruiter their employer, a student themself.
fn scope_of(v: &Viewer) -> Option<Scope> {
    let p = &v.principal;
    if p.is_staff() {
        // Staff who are also a student stay a student on their own records.
        match (p.has(Role::Student), &p.student_id) {
            (true, Some(s)) => Some(Scope::OfficeAndStudent(s.clone())),
            _ => Some(Scope::Office),
        }
    } else if let (true, Some(e)) = (p.has(Role::Recruiter), &p.employer_id) {
        Some(Scope::Employer(e.clone()))
    } else if let (true, Some(s)) = (p.has(Role::Student), &p.student_id) {
        Some(Scope::Student(s.clone()))
    } else {
        None
    }
}

fn scope(v: &Viewer) -> Result<Scope, AppError> {
    scope_of(v).ok_or(AppError::Domain(Error::Forbidden))
}

/// A lifecycle result as the page shows it: done, or refused with the reason, under the
/// status the one mapping gives it (`web::error::status_of`).
fn outcome(r: Result<(), Error>, done: &str) -> Feedback {
    let Err(e) = r else { return Feedback::done(done) };
    let status = status_of(&e);
    let (notice, problems) = match e {
        Error::Invalid(p) => ("Not changed: please correct the form.".into(), p),
        Error::Conflict(m) => (format!("Not changed: {m}."), Problems::new()),
        Error::NotFound => ("Not found.".into(), Problems::new()),
        other => {
            tracing::error!(error = %other, "lifecycle change failed");
            ("Not changed: something went wrong on our side.".into(), Problems::new())
        }
    };
    Feedback { notice: Some(notice), problems, status }
}

/// A date typed into a form, or the field's problem.
fn date_field(field: &str, raw: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| Error::invalid(field, "is not a date YYYY-MM-DD"))
}

fn actor(v: &Viewer) -> crate::core::Actor {
    v.principal.actor()
}

/// Every read of student data by a recruiter goes to the audit log (FERPA).
fn audit_recruiter_read(
    conn: &mut db::DbConnection,
    scope: &Scope,
    reader: &crate::core::Actor,
    subject_type: &str,
    id: &str,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    if !matches!(scope, Scope::Employer(_)) {
        return Ok(());
    }
    crate::audit::record(
        conn,
        crate::audit::Event {
            actor: reader,
            action: "student_record.viewed",
            subject_type,
            subject_id: Some(id),
            at: now,
            ip: None,
            details: json!({}),
        },
    )
}

// ------------------------------------------------------------------ postings

fn posting_form_page(
    templates: &Templates,
    v: &Viewer,
    action: &str,
    title: &str,
    f: &PostingForm,
    problems: &[FieldProblem],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let categories: Vec<Value> =
        CATEGORIES.iter().map(|(v, l)| json!({ "value": v, "label": l, "selected": *v == f.category })).collect();
    let body = templates.render(
        "opportunities/form",
        &context(title, Some(v), json!({ "action": action, "form": f, "categories": categories, "onsite": f.mode == "onsite", "problems": problems })),
    )?;
    Ok(html(status, body))
}

fn blank_form() -> PostingForm {
    PostingForm {
        hours: "10".into(),
        openings: "1".into(),
        currency: "USD".into(),
        mode: "remote".into(),
        category: "research".into(),
        ..Default::default()
    }
}

async fn new_posting_page(v: Manager, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(_)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    posting_form_page(&templates, &v, "/workspace/postings", "New micro-internship", &blank_form(), &[], StatusCode::OK)
}

/// An employer's records are the office's: a recruiter probing them learns nothing (404,
/// as on every other `/employers/{id}` route).
async fn new_posting_for_page(
    v: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let id2 = id.clone();
    let name: String = db::run(&pool, move |conn| {
        employers::table.find(&id2).select(employers::name).first(conn).optional()?.ok_or(Error::NotFound)
    })
    .await?;
    posting_form_page(
        &templates,
        &v,
        &format!("/employers/{id}/postings"),
        &format!("New micro-internship for {name}"),
        &blank_form(),
        &[],
        StatusCode::OK,
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PostingSubmission {
    #[serde(flatten)]
    form: PostingForm,
    /// "save" keeps a draft; "submit" also sends it for review.
    #[serde(default)]
    intent: String,
}

/// A new posting as submitted: for which employer, and from which form (shown again with
/// its problems if it does not pass).
struct NewPosting<'a> {
    employer_id: EmployerId,
    action: &'a str,
    sub: PostingSubmission,
}

async fn create_in(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    settings: &Settings,
    clock: &Clock,
    new: NewPosting<'_>,
) -> Result<HttpResponse, AppError> {
    let NewPosting { employer_id, action, sub } = new;
    // An apply-by date typed in the form is a campus date: "in the future" is after today on campus.
    let (today, now) = (clock.today(), clock.now_utc());
    let posting = match validate_posting(&sub.form, today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => {
            return posting_form_page(
                templates,
                v,
                action,
                "New micro-internship",
                &sub.form,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let (a, scope) = (actor(v), scope(v)?);
    let submit = sub.intent == "submit";
    let made = db::run(pool, move |conn| -> Result<_, AppError> {
        let id = model::create_posting(conn, &employer_id, &posting, &a, now)?;
        let submitted = if submit {
            let by = Acting { scope: &scope, actor: &a, today, now };
            Some(model::move_posting(conn, &id, "pending_review", "", &by))
        } else {
            None
        };
        Ok((id, submitted))
    })
    .await?;
    match made {
        (id, Some(Err(e))) => {
            // Saved as a draft, but not submitted: say why on the posting's page.
            let notice = outcome(Err(e), "").notice.unwrap_or_default();
            Ok(see_other(&format!(
                "/postings/{id}?notice={}",
                url::form_urlencoded::byte_serialize(notice.as_bytes()).collect::<String>()
            )))
        }
        (id, _) => Ok(see_other(&format!("/postings/{id}"))),
    }
}

async fn create_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let Some(Scope::Employer(employer)) = scope_of(&v) else { return Err(Error::Forbidden.into()) };
    let new = NewPosting { employer_id: employer, action: "/workspace/postings", sub: form.0 };
    create_in(&v, &pool, &templates, &settings, &clock, new).await
}

async fn create_posting_for(
    v: EmployerStaff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let id2 = id.clone();
    // An unknown employer is not found, whatever the form says.
    db::run(&pool, move |conn| {
        employers::table.find(&id2).select(employers::id).first::<String>(conn).optional()?.ok_or(Error::NotFound)
    })
    .await?;
    let action = format!("/employers/{id}/postings");
    let new = NewPosting { employer_id: EmployerId::from(id), action: &action, sub: form.0 };
    create_in(&v, &pool, &templates, &settings, &clock, new).await
}

fn form_of(p: &model::PostingRow) -> PostingForm {
    PostingForm {
        title: p.title.clone(),
        description: p.description.clone(),
        category: p.category.clone(),
        skills: p.skills.clone(),
        hours: p.hours.to_string(),
        fee: money::display(p.fee_cents),
        currency: p.currency.clone(),
        mode: if p.remote { "remote".into() } else { "onsite".into() },
        location: p.location.clone().unwrap_or_default(),
        apply_by: p.apply_by.to_string(),
        due_by: p.due_by.to_string(),
        openings: p.openings.to_string(),
        eligible_colleges: p.eligible_colleges.clone(),
        eligible_majors: p.eligible_majors.clone(),
        eligible_class_years: p.eligible_class_years.clone(),
    }
}

async fn edit_posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let s = scope(&v)?;
    let id2 = id.clone();
    let p = db::run(&pool, move |conn| model::posting(conn, &id2, &s).map_err(AppError::from)).await?;
    if p.status != "draft" {
        return Err(Error::conflict("only a draft can be edited").into());
    }
    posting_form_page(
        &templates,
        &v,
        &format!("/postings/{id}/edit"),
        &format!("Edit {}", p.title),
        &form_of(&p),
        &[],
        StatusCode::OK,
    )
}

async fn update_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    settings: web::Data<std::sync::Arc<Settings>>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PostingSubmission>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let sub = form.0;
    let action = format!("/postings/{id}/edit");
    let (today, now) = (clock.today(), clock.now_utc());
    let posting = match validate_posting(&sub.form, today, settings.min_hourly_fee_cents) {
        Ok(p) => p,
        Err(problems) => {
            return posting_form_page(
                &templates,
                &v,
                &action,
                "Edit the posting",
                &sub.form,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let (a, s) = (actor(&v), scope(&v)?);
    let submit = sub.intent == "submit";
    let id2 = id.clone();
    db::run(&pool, move |conn| -> Result<(), AppError> {
        let by = Acting { scope: &s, actor: &a, today, now };
        model::update_posting(conn, &id2, &posting, &by)?;
        if submit {
            model::move_posting(conn, &id2, "pending_review", "", &by)?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/postings/{id}")))
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn posting_page(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let shown = Feedback { notice: q.notice.clone(), ..Feedback::none() };
    render_posting(&v, &pool, &templates, &clock, &path.into_inner(), shown).await
}

/// An applicant as the posting's page lists them.
#[derive(Debug, Queryable)]
struct Applicant {
    id: String,
    name: String,
    college: String,
    major: String,
    class_year: i32,
    status: String,
    statement: String,
    message: Option<String>,
}

/// A posting waiting for review.
#[derive(Debug, Queryable)]
struct Submitted {
    id: String,
    title: String,
    employer: String,
    hours: i32,
    fee_cents: i64,
    apply_by: NaiveDate,
    submitted_at: Option<chrono::NaiveDateTime>,
}

async fn render_posting(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: &str,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let s = scope(v)?;
    let recruiter = matches!(s, Scope::Employer(_));
    let a = actor(v);
    let now = clock.now_utc();
    let id = id.to_owned();
    let data = db::run(pool, move |conn| -> Result<_, AppError> {
        let p = model::posting(conn, &id, &s)?;
        let employer: String = employers::table.find(&p.employer_id).select(employers::name).first(conn)?;
        let rows: Vec<Applicant> = applications::table
            .inner_join(students::table)
            .filter(applications::opportunity_id.eq(&id))
            .select((
                applications::id,
                students::name,
                students::college,
                students::major,
                students::class_year,
                applications::status,
                applications::statement,
                applications::decision_message,
            ))
            .order((applications::created_at, applications::id))
            .load(conn)?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let shared = model::shared_endorsements(conn, &ids)?;
        let engaged: Vec<(String, String, String)> = engagements::table
            .filter(engagements::opportunity_id.eq(&id))
            .select((engagements::application_id, engagements::id, engagements::status))
            .load(conn)?;
        if recruiter && !rows.is_empty() {
            crate::audit::record(
                conn,
                crate::audit::Event {
                    actor: &a,
                    action: "applicants.viewed",
                    subject_type: "opportunity",
                    subject_id: Some(&id),
                    at: now,
                    ip: None,
                    details: json!({ "students": rows.len() }),
                },
            )?;
        }
        Ok((p, employer, rows, shared, engaged))
    })
    .await?;
    let (p, employer, rows, shared, engaged) = data;
    let applicants: Vec<Value> = rows
        .into_iter()
        .map(|Applicant { id: aid, name, college, major, class_year: year, status, statement, message }| {
            let endorsements: Vec<Value> = shared
                .iter()
                .filter(|e| e.application_id == aid)
                .map(|e| json!({ "faculty": e.faculty, "title": e.title, "relationship": e.relationship, "skills": e.skills, "statement": e.statement }))
                .collect();
            let engagement = engaged.iter().find(|e| e.0 == aid).map(|e| json!({ "id": e.1, "status": e.2 }));
            json!({ "id": aid, "name": name, "college": college, "major": major, "class_year": year, "status": status, "statement": statement, "message": message,
                    "endorsements": endorsements, "engagement": engagement,
                    "can_shortlist": status == "submitted", "can_reject": status == "submitted" || status == "shortlisted", "can_offer": status == "shortlisted" })
        })
        .collect();
    let moves: Vec<Value> = ["pending_review", "open", "draft", "closed", "cancelled"]
        .iter()
        .filter(|to| rules::posting_move(&p.status, to, scope(v).map(|s| s.side()).unwrap_or(rules::Side::Recruiter)).is_ok())
        .map(|to| json!({ "to": to, "label": match *to { "pending_review" => "Submit for review", "open" => "Approve and open", "draft" => "Return to the employer", "closed" => "Close applications", _ => "Cancel the posting" }, "needs_reason": *to == "draft" || *to == "cancelled" }))
        .collect();
    let body = templates.render(
        "opportunities/manage",
        &context(
            &p.title.clone(),
            Some(v),
            json!({ "p": p, "employer": employer, "fee": money::display(p.fee_cents), "count": applicants.len(), "applicants": applicants, "moves": moves, "editable": p.status == "draft", "recruiter": recruiter, "notice": notice, "problems": problems }),
        ),
    )?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    to: String,
    #[serde(default)]
    reason: String,
}

async fn move_posting(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = form.0;
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let (id2, to) = (id.clone(), f.to.clone());
    let r = db::run(&pool, move |conn| {
        let by = Acting { scope: &s, actor: &a, today, now };
        Ok::<_, AppError>(model::move_posting(conn, &id2, &to, &f.reason, &by))
    })
    .await?;
    if matches!(r, Err(Error::NotFound)) {
        return Err(Error::NotFound.into());
    }
    render_posting(&v, &pool, &templates, &clock, &id, outcome(r, "Done.")).await
}

async fn review_queue(
    v: Staff,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let rows = db::run(&pool, |conn| -> Result<Vec<Submitted>, Error> {
        Ok(opportunities::table
            .inner_join(employers::table)
            .filter(opportunities::status.eq("pending_review"))
            .select((
                opportunities::id,
                opportunities::title,
                employers::name,
                opportunities::hours,
                opportunities::fee_cents,
                opportunities::apply_by,
                opportunities::submitted_at,
            ))
            .order((opportunities::submitted_at.asc(), opportunities::id))
            .load(conn)?)
    })
    .await?;
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|r| json!({ "id": r.id, "title": r.title, "employer": r.employer, "hours": r.hours, "fee": money::display(r.fee_cents), "apply_by": r.apply_by, "submitted_at": r.submitted_at }))
        .collect();
    templates.page("opportunities/review", &context("Postings to review", Some(&v), json!({ "rows": rows })))
}

// ------------------------------------------------------------------ applying

/// Applying: a statement and the endorsements ticked to share. Each ticked endorsement
/// sends its own `share` key, so the form is read as pairs.
async fn apply(
    v: Student,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let statement = pairs.iter().find(|(k, _)| k == "statement").map(|(_, s)| s.clone()).unwrap_or_default();
    let shared: Vec<String> = pairs.iter().filter(|(k, _)| k == "share").map(|(_, s)| s.clone()).collect();
    let id = path.into_inner();
    let student = v.principal.student_id.clone().ok_or(Error::Forbidden)?;
    let who = actor(&v);
    // Applications are taken until the end of the apply-by date on campus.
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(model::apply(
            conn,
            &id2,
            model::Applicant { student_id: &student, actor: &who },
            &statement,
            &shared,
            today,
            now,
        ))
    })
    .await?;
    match r {
        Ok(application) => Ok(see_other(&format!("/applications/{application}"))),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ dashboard and applications

async fn dashboard(
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
) -> Result<HttpResponse, AppError> {
    let Some(student) = v.principal.student_id.clone() else {
        // Signed in as a student, but no roster record carries this email yet.
        return templates.page(
            "opportunities/dashboard",
            &context("My micro-internships", Some(&v), json!({ "items": [], "no_record": true })),
        );
    };
    let rows = db::run(&pool, move |conn| -> Result<_, AppError> {
        let rows: Vec<(String, String, String, String, String, chrono::NaiveDateTime)> = applications::table
            .inner_join(opportunities::table.inner_join(employers::table))
            .filter(applications::student_id.eq(&student))
            .select((
                applications::id,
                applications::status,
                opportunities::title,
                employers::name,
                opportunities::id,
                applications::created_at,
            ))
            .order((applications::created_at.desc(), applications::id))
            .load(conn)?;
        let engaged: Vec<(String, String, String, chrono::NaiveDate, Option<i32>)> = engagements::table
            .filter(engagements::student_id.eq(&student))
            .select((
                engagements::application_id,
                engagements::id,
                engagements::status,
                engagements::due_on,
                engagements::student_rating,
            ))
            .load(conn)?;
        Ok((rows, engaged))
    })
    .await?;
    let (rows, engaged) = rows;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(id, status, title, employer, posting, at)| {
            let e = engaged.iter().find(|e| e.0 == id);
            json!({ "id": id, "status": status, "title": title, "employer": employer, "posting": posting, "applied": at,
                    "engagement": e.map(|e| json!({ "id": e.1, "status": e.2, "due_on": e.3 })),
                    "next": rules::student_next_step(&status, e.map(|e| e.2.as_str()), e.is_some_and(|e| e.4.is_some())) })
        })
        .collect();
    templates.page(
        "opportunities/dashboard",
        &context("My micro-internships", Some(&v), json!({ "items": items, "no_record": false })),
    )
}

async fn application_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render_application(&v, &pool, &templates, &clock, &path.into_inner(), None, StatusCode::OK).await
}

async fn render_application(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: &str,
    notice: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let id = id.to_owned();
    let reader = actor(v);
    let now = clock.now_utc();
    let (a, p, employer, shared, engagement) = db::run(pool, move |conn| -> Result<_, AppError> {
        let (a, p) = model::application(conn, &id, &s)?;
        audit_recruiter_read(conn, &s, &reader, "application", &id, now)?;
        let employer: String = employers::table.find(&p.employer_id).select(employers::name).first(conn)?;
        let shared = model::shared_endorsements(conn, std::slice::from_ref(&id))?;
        let engagement: Option<String> = engagements::table
            .filter(engagements::application_id.eq(&id))
            .select(engagements::id)
            .first(conn)
            .optional()?;
        Ok((a, p, employer, shared, engagement))
    })
    .await?;
    let is_student = matches!(viewer_scope.on_record_of(&a.student_id), Scope::Student(_));
    let shared: Vec<Value> =
        shared.into_iter().map(|e| json!({ "faculty": e.faculty, "statement": e.statement })).collect();
    let can = |to: &str| is_student && rules::application_move(&a.status, to, rules::Side::Student).is_ok();
    let body = templates.render(
        "opportunities/application",
        &context(
            &p.title.clone(),
            Some(v),
            json!({ "a": a, "p": p, "employer": employer, "shared": shared, "engagement": engagement, "notice": notice,
                    "next": rules::student_next_step(&a.status, None, false), "is_student": is_student,
                    "can_accept": can("accepted"), "can_decline": can("declined"), "can_withdraw": can("withdrawn") }),
        ),
    )?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ApplicationMove {
    to: String,
    #[serde(default)]
    message: String,
}

async fn move_application(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<ApplicationMove>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = form.0;
    let (a, s) = (actor(&v), scope(&v)?);
    let viewer_scope = s.clone();
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let by = Acting { scope: &s, actor: &a, today, now };
        Ok::<_, AppError>(model::move_application(conn, &id2, &f.to, &f.message, &by))
    })
    .await?;
    // A student (also staff on their own application) goes back to the application; the
    // employer and the office to the posting's applicants.
    let posting = match &r {
        Err(Error::NotFound) => return Err(Error::NotFound.into()),
        _ if matches!(viewer_scope, Scope::Student(_)) => None,
        _ => {
            let id3 = id.clone();
            let (posting, student) = db::run(&pool, move |conn| {
                applications::table
                    .find(&id3)
                    .select((applications::opportunity_id, applications::student_id))
                    .first::<(String, String)>(conn)
                    .map_err(AppError::from)
            })
            .await?;
            (!matches!(viewer_scope.on_record_of(&student), Scope::Student(_))).then_some(posting)
        }
    };
    let r = r.map(|_| ());
    let shown = outcome(r, "Done.");
    match posting {
        Some(p) => render_posting(&v, &pool, &templates, &clock, &p, shown).await,
        None => render_application(&v, &pool, &templates, &clock, &id, shown.notice, shown.status).await,
    }
}

// ------------------------------------------------------------------ engagements

async fn engagement_page(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render_engagement(&v, &pool, &templates, &clock, &path.into_inner(), Feedback::none()).await
}

async fn render_engagement(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: &str,
    shown: Feedback,
) -> Result<HttpResponse, AppError> {
    let Feedback { notice, problems, status } = shown;
    let s = scope(v)?;
    let viewer_scope = s.clone();
    let id = id.to_owned();
    let reader = actor(v);
    let now = clock.now_utc();
    let (e, title, employer, student, fee, currency, offers) = db::run(pool, move |conn| -> Result<_, AppError> {
        let e = model::engagement(conn, &id, &s)?;
        audit_recruiter_read(conn, &s, &reader, "engagement", &id, now)?;
        let (title, fee, currency): (String, i64, String) = opportunities::table
            .find(&e.opportunity_id)
            .select((opportunities::title, opportunities::fee_cents, opportunities::currency))
            .first(conn)?;
        let employer: String = employers::table.find(&e.employer_id).select(employers::name).first(conn)?;
        let student: String = students::table.find(&e.student_id).select(students::name).first(conn)?;
        let offers: Vec<model::OfferRow> = offers::table
            .filter(offers::engagement_id.eq(&id))
            .select(model::OfferRow::as_select())
            .order(offers::offer_on)
            .load(conn)?;
        Ok((e, title, employer, student, fee, currency, offers))
    })
    .await?;
    let side = match viewer_scope.on_record_of(&e.student_id) {
        Scope::Student(_) => "student",
        Scope::Employer(_) => "recruiter",
        Scope::Office | Scope::OfficeAndStudent(_) => "office",
    };
    let st = e.status.as_str();
    let offers: Vec<Value> =
        offers.into_iter().map(|o| json!({ "o": o, "open": o.status == "extended" && side != "student" })).collect();
    let body = templates.render(
        "opportunities/engagement",
        &context(
            &title.clone(),
            Some(v),
            json!({
                "e": e, "title": title, "employer": employer, "student": student, "fee": money::display(fee), "currency": currency,
                "paid": e.amount_paid_cents.map(money::display), "notice": notice, "problems": problems, "offers": offers, "today": clock.today(),
                "can_deliver": side == "student" && matches!(st, "active" | "revision_requested"),
                "can_review": side == "recruiter" && st == "submitted",
                "can_rate": side == "student" && st == "completed" && e.student_rating.is_none(),
                "can_pay": side != "student" && st == "completed" && e.paid_on.is_none(),
                "can_offer": side != "student" && st == "completed",
                "can_request_cancel": side != "office" && st == "active" && e.cancel_requested_by.is_none(),
                "can_cancel": side == "office" && st == "active",
            }),
        ),
    )?;
    Ok(html(status, body))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct EngagementMove {
    step: String,
    #[serde(default)]
    deliverable_url: String,
    #[serde(default)]
    deliverable_note: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    reason: String,
}

async fn after_engagement_change(
    v: &Viewer,
    pool: &Pool,
    templates: &Templates,
    clock: &Clock,
    id: &str,
    r: Result<(), Error>,
) -> Result<HttpResponse, AppError> {
    if matches!(r, Err(Error::NotFound)) {
        return Err(Error::NotFound.into());
    }
    render_engagement(v, pool, templates, clock, id, outcome(r, "Done.")).await
}

async fn move_engagement(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<EngagementMove>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let f = form.0;
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| -> Result<_, AppError> {
        let step = match f.step.as_str() {
            "deliver" => Step::Deliver { url: &f.deliverable_url, note: &f.deliverable_note },
            "complete" => match rules::rating(&f.rating) {
                Ok(rating) => Step::Complete { rating, feedback: &f.feedback },
                Err(p) => return Ok(Err(Error::Invalid(p.into()))),
            },
            "revision" => Step::AskRevision { request: &f.feedback },
            "cancel" => Step::Cancel { reason: &f.reason },
            other => return Err(AppError::BadRequest(format!("unknown step `{other}`"))),
        };
        Ok(model::move_engagement(conn, &id2, step, &Acting { scope: &s, actor: &a, today, now }))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, &id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Reason {
    #[serde(default)]
    reason: String,
}

async fn request_cancel(
    v: Participant,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<Reason>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let by = Acting { scope: &s, actor: &a, today, now };
        Ok::<_, AppError>(model::request_cancel(conn, &id2, &form.0.reason, &by))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, &id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct RatingForm {
    rating: String,
    #[serde(default)]
    feedback: String,
}

async fn rate(
    v: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<RatingForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(match rules::rating(&form.0.rating) {
            Ok(rating) => {
                let by = Acting { scope: &s, actor: &a, today, now };
                model::rate_experience(conn, &id2, rating, &form.0.feedback, &by)
            }
            Err(p) => Err(Error::Invalid(p.into())),
        })
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, &id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PaymentForm {
    amount: String,
    paid_on: String,
}

async fn pay(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<PaymentForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        let amount =
            rules::parse_money(&form.0.amount).ok_or_else(|| Error::invalid("amount", "is not an amount like 450.00"));
        Ok::<_, AppError>(amount.and_then(|amount| {
            let date = date_field("paid_on", &form.0.paid_on)?;
            model::record_payment(conn, &id2, amount, date, &Acting { scope: &s, actor: &a, today, now })
        }))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, &id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct OfferForm {
    kind: String,
    job_title: String,
    offer_on: String,
}

async fn make_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let r = db::run(&pool, move |conn| {
        Ok::<_, AppError>(date_field("offer_on", &form.0.offer_on).and_then(|d| {
            let by = Acting { scope: &s, actor: &a, today, now };
            model::make_offer(conn, &id2, &form.0.kind, &form.0.job_title, d, &by).map(|_| ())
        }))
    })
    .await?;
    after_engagement_change(&v, &pool, &templates, &clock, &id, r).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    decision: String,
    decided_on: String,
}

async fn decide_offer(
    v: Manager,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    form: CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (a, s) = (actor(&v), scope(&v)?);
    let (today, now) = (clock.today(), clock.now_utc());
    let id2 = id.clone();
    let s2 = s.clone();
    let (engagement, r) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let engagement: Option<String> =
            offers::table.find(&id2).select(offers::engagement_id).first(conn).optional()?;
        let accepted = match form.0.decision.as_str() {
            "accepted" => true,
            "declined" => false,
            _ => return Ok((engagement, Err(Error::invalid("decision", "choose accepted or declined")))),
        };
        let r = date_field("decided_on", &form.0.decided_on)
            .and_then(|d| model::decide_offer(conn, &id2, accepted, d, &Acting { scope: &s2, actor: &a, today, now }));
        Ok((engagement, r))
    })
    .await?;
    let engagement = engagement.ok_or(Error::NotFound)?;
    after_engagement_change(&v, &pool, &templates, &clock, &engagement, r).await
}
