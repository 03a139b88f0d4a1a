//! The endorsement pages. `/endorsements` is each person's view: a faculty member's open
//! requests and own endorsements, a student's endorsements and requests, the office's
//! list of all. Writing (find a student, then the form; or answer a request), editing
//! within 24 hours, revoking (asked first), hiding, asking and declining. Handlers are
//! thin: who asks (extractors), the rules, one store call, a view or a redirect with flash.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::requests;
use super::rules::{self, EndorsementInput, RequestInput};
use super::store::{self, Who, LIST_PAGE};
use super::views::{decline_form, endorsement_form, request_form, EndorsementCard, RequestCard, StudentCard};
use crate::auth::csrf::CheckedForm;
use crate::auth::extract::{Faculty, Student, Viewer};
use crate::core::{Clock, EndorsementId, Error, FacultyId, OpportunityId, Role, StudentId};
use crate::db::{self, Pool};
use crate::web::confirm::Confirmation;
use crate::web::flash::redirect_with_flash;
use crate::web::forms::{Form, Values};
use crate::web::pages::{context, Pager};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/endorsements", web::get().to(index))
        .route("/endorsements", web::post().to(create))
        .route("/endorsements/new", web::get().to(new_page))
        .route("/endorsements/requests/new", web::get().to(new_request_page))
        .route("/endorsements/requests", web::post().to(create_request))
        .route("/endorsements/requests/{id}", web::get().to(request_page))
        .route("/endorsements/requests/{id}/decline", web::post().to(decline))
        .route("/endorsements/{id}", web::get().to(detail))
        .route("/endorsements/{id}/edit", web::get().to(edit_page))
        .route("/endorsements/{id}/edit", web::post().to(update))
        .route("/endorsements/{id}/revoke", web::post().to(revoke))
        .route("/endorsements/{id}/hide", web::post().to(hide))
        .route("/endorsements/{id}/show", web::post().to(show));
}

/// Who the viewer is, for the visibility rules.
fn who_of(v: &Viewer) -> Who {
    let p = &v.principal;
    Who {
        faculty: p.faculty_id.clone().filter(|_| p.has(Role::Faculty)),
        student: p.student_id.clone().filter(|_| p.has(Role::Student)),
        office: p.is_staff(),
        employer: p.employer_id.clone().filter(|_| p.has(Role::Recruiter)),
    }
}

fn faculty_id(v: &Faculty) -> Result<FacultyId, AppError> {
    v.principal.faculty_id.clone().ok_or_else(|| Error::Forbidden.into())
}

fn student_id(v: &Student) -> Result<StudentId, AppError> {
    v.principal.student_id.clone().ok_or_else(|| Error::Forbidden.into())
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    #[serde(default)]
    skill: String,
    page: Option<String>,
}

async fn index(
    req: HttpRequest,
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<IndexQuery>,
) -> Result<HttpResponse, AppError> {
    let who = who_of(&viewer);
    if who.faculty.is_none() && who.student.is_none() && !who.office {
        // Recruiters see endorsements only on the applications they were shared on.
        return Err(if who.employer.is_some() { Error::NotFound } else { Error::Forbidden }.into());
    }
    let q = q.into_inner();
    let (w, skill, requested) = (who.clone(), q.skill.clone(), Pager::page_of(q.page.as_deref()));
    let (faculty, student, office) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let faculty = match &w.faculty {
            Some(f) => Some((requests::open_for_faculty(conn, f)?, store::by_faculty(conn, f)?)),
            None => None,
        };
        let student = match &w.student {
            Some(s) => Some((store::of_student(conn, s)?, requests::of_student(conn, s)?)),
            None => None,
        };
        let office = if w.office {
            // Load the page the pager will show (a page past the end shows the last).
            let total = store::count_all(conn, &skill)?;
            let page = Pager::new(requested, total, LIST_PAGE, "");
            Some((store::all(conn, &skill, page.offset(), LIST_PAGE)?, total))
        } else {
            None
        };
        Ok((faculty, student, office))
    })
    .await?;
    let mut view = json!({ "skill": q.skill, "faculty": null, "student": null, "office": null });
    if let Some((open, mine)) = faculty {
        view["faculty"] = json!({
            "requests": open.into_iter().map(RequestCard::from).collect::<Vec<_>>(),
            "endorsements": mine.into_iter().map(EndorsementCard::from).collect::<Vec<_>>(),
        });
    }
    if let Some((mine, asked)) = student {
        view["student"] = json!({
            "endorsements": mine.into_iter().map(EndorsementCard::from).collect::<Vec<_>>(),
            "requests": asked.into_iter().map(RequestCard::from).collect::<Vec<_>>(),
        });
    }
    if let Some((rows, total)) = office {
        let pager = Pager::new(requested, total, LIST_PAGE, &Pager::base(req.path(), req.query_string()));
        if let Some(r) = pager.redirect_if_clamped() {
            return Ok(r);
        }
        view["office"] = json!({
            "endorsements": rows.into_iter().map(EndorsementCard::from).collect::<Vec<_>>(),
            "pager": pager,
        });
    }
    templates.page("endorsements/index", context("Endorsements", Some(&viewer), view))
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    #[serde(default)]
    q: String,
    student: Option<String>,
    request: Option<String>,
}

/// What the form page needs besides the form: the student, the request it answers, the
/// skills to suggest.
struct FormContext {
    student: StudentCard,
    request: Option<RequestCard>,
    vocabulary: Vec<String>,
}

async fn form_context(
    pool: &Pool,
    clock: &Clock,
    faculty: FacultyId,
    student: Option<String>,
    request: Option<String>,
) -> Result<FormContext, AppError> {
    let today = clock.today();
    db::run(pool, move |conn| -> Result<_, AppError> {
        let request = match &request {
            Some(id) => {
                let r = requests::one(conn, id, Some(&faculty), None)?;
                if r.row.status != rules::RequestStatus::Pending {
                    return Err(Error::conflict("this request is no longer open").into());
                }
                Some(r)
            }
            None => None,
        };
        let student_id = match (&request, student) {
            (Some(r), _) => r.row.student_id.clone(),
            (None, Some(s)) => StudentId::from(s),
            (None, None) => return Err(Error::NotFound.into()),
        };
        let student = store::reachable_student(conn, &faculty, &student_id, today)?;
        Ok(FormContext {
            student: student.into(),
            request: request.map(RequestCard::from),
            vocabulary: store::vocabulary(conn, &faculty)?,
        })
    })
    .await
}

fn render_form(
    templates: &Templates,
    viewer: &Faculty,
    title: &str,
    action: String,
    form: Form,
    fc: Option<&FormContext>,
    extra: serde_json::Value,
) -> Result<HttpResponse, AppError> {
    let mut view = json!({
        "form": form,
        "action": action,
        "student": fc.map(|c| &c.student),
        "request": fc.and_then(|c| c.request.as_ref()),
        "vocabulary": fc.map(|c| c.vocabulary.clone()).unwrap_or_default(),
        "max": rules::STATEMENT_MAX,
        "editing": false,
    });
    if let (Some(v), Some(e)) = (view.as_object_mut(), extra.as_object()) {
        v.extend(e.clone());
    }
    templates.page_as(form.status(), "endorsements/form", context(title, Some(viewer), view))
}

/// Write an endorsement: find the student first (name, email or student number), then
/// the form; or the form prefilled from a request.
async fn new_page(
    viewer: Faculty,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let q = q.into_inner();
    if q.student.is_none() && q.request.is_none() {
        let (f, text, today) = (faculty.clone(), q.q.clone(), clock.today());
        let found =
            db::run(&pool, move |conn| Ok::<_, AppError>(store::find_students(conn, &f, &text, today)?)).await?;
        let view = json!({
            "q": q.q,
            "searched": !q.q.trim().is_empty(),
            "students": found.into_iter().map(StudentCard::from).collect::<Vec<_>>(),
        });
        return templates.page("endorsements/find", context("Write an endorsement", Some(&viewer), view));
    }
    let fc = form_context(&pool, &clock, faculty, q.student, q.request).await?;
    let mut values = Values::new().with("student", fc.student.id.to_string());
    if let Some(r) = &fc.request {
        values = values.with("request", r.id.clone()).with("skills", r.skills.clone());
    }
    let title = format!("Endorse {}", fc.student.name);
    render_form(
        &templates,
        &viewer,
        &title,
        "/endorsements".into(),
        endorsement_form().with_values(values),
        Some(&fc),
        json!({}),
    )
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct WriteForm {
    #[serde(default)]
    student: String,
    #[serde(default)]
    request: String,
    #[serde(flatten)]
    fields: EndorsementInput,
}

async fn create(
    viewer: Faculty,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<WriteForm>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let submitted = form.0;
    let request = Some(submitted.request.clone()).filter(|r| !r.is_empty());
    let student = Some(submitted.student.clone()).filter(|s| !s.is_empty());
    let checked = rules::check_endorsement(&submitted.fields);
    let outcome = match checked {
        Err(problems) => Err(Error::Invalid(problems)),
        Ok(e) => {
            let (f, s, r, actor) =
                (faculty.clone(), submitted.student.clone(), request.clone(), viewer.principal.actor());
            let (today, now) = (clock.today(), clock.now_utc());
            db::run(&pool, move |conn| {
                // Answering a request endorses the student who asked.
                let student = match &r {
                    Some(r) => match requests::one(conn, r, Some(&f), None) {
                        Ok(found) => found.row.student_id,
                        Err(e) => return Ok::<_, AppError>(Err(e)),
                    },
                    None => StudentId::from(s),
                };
                Ok(store::write(conn, &f, &student, &e, r.as_deref(), &actor, today, now))
            })
            .await?
        }
    };
    match outcome {
        Ok(w) => {
            Ok(redirect_with_flash(&format!("/endorsements/{}", w.id), format!("Endorsement for {} saved", w.student)))
        }
        Err(Error::Invalid(problems)) => {
            let fc = form_context(&pool, &clock, faculty, student, request).await?;
            let form = endorsement_form().with_values(Values::of(&submitted)).with_problems(problems);
            let title = format!("Endorse {}", fc.student.name);
            render_form(&templates, &viewer, &title, "/endorsements".into(), form, Some(&fc), json!({}))
        }
        Err(e) => Err(e.into()),
    }
}

async fn detail(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
) -> Result<HttpResponse, AppError> {
    let (who, actor, now) = (who_of(&viewer), viewer.principal.actor(), clock.now_utc());
    let id = id.into_inner();
    let (e, reader) = db::run(&pool, move |conn| store::read(conn, &id, &who, &actor, now)).await?;
    let author = reader == rules::Reader::Author;
    let view = json!({
        "can_edit": author && e.row.revoked_at.is_none() && rules::may_edit(e.row.created_at, now),
        "edit_until": e.row.created_at + chrono::Duration::hours(rules::EDIT_WINDOW_HOURS),
        "can_revoke": author && e.row.revoked_at.is_none(),
        "is_student": reader == rules::Reader::Student,
        "is_author": author,
        "endorsement": EndorsementCard::from(e),
    });
    templates.page("endorsements/detail", context("Endorsement", Some(&viewer), view))
}

async fn edit_page(
    viewer: Faculty,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let (id, now) = (id.into_inner(), clock.now_utc());
    let (who, actor) = (Who { faculty: Some(faculty.clone()), ..Who::default() }, viewer.principal.actor());
    let (f, i) = (faculty.clone(), id.clone());
    let (e, vocabulary) = db::run(&pool, move |conn| -> Result<_, AppError> {
        let (e, reader) = store::read(conn, &i, &who, &actor, now)?;
        if reader != rules::Reader::Author {
            return Err(Error::NotFound.into());
        }
        Ok((e, store::vocabulary(conn, &f)?))
    })
    .await?;
    if e.row.revoked_at.is_some() || !rules::may_edit(e.row.created_at, now) {
        return Err(Error::conflict(
            "an endorsement can be changed only within 24 hours of writing it, and not once revoked",
        )
        .into());
    }
    let values = Values::new()
        .with("skills", rules::skills_for_people(&e.row.skills))
        .with("statement", e.row.statement.clone())
        .with("relationship", e.row.relationship.as_str())
        .with("course", e.row.course.clone().unwrap_or_default());
    let title = format!("Change the endorsement for {}", e.student_name);
    let view_extra = json!({ "editing": true, "vocabulary": vocabulary });
    render_form(
        &templates,
        &viewer,
        &title,
        format!("/endorsements/{id}/edit"),
        endorsement_form().with_values(values),
        None,
        view_extra,
    )
}

async fn update(
    viewer: Faculty,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
    form: CheckedForm<EndorsementInput>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let (id, submitted, now) = (id.into_inner(), form.0, clock.now_utc());
    let outcome = match rules::check_endorsement(&submitted) {
        Err(p) => Err(Error::Invalid(p)),
        Ok(e) => {
            let (f, i, actor) = (faculty.clone(), id.clone(), viewer.principal.actor());
            db::run(&pool, move |conn| Ok::<_, AppError>(store::edit(conn, &i, &f, &e, &actor, now))).await?
        }
    };
    match outcome {
        Ok(student) => {
            Ok(redirect_with_flash(&format!("/endorsements/{id}"), format!("Endorsement for {student} changed")))
        }
        Err(Error::Invalid(problems)) => {
            let form = endorsement_form().with_values(Values::of(&submitted)).with_problems(problems);
            let view_extra = json!({ "editing": true });
            render_form(
                &templates,
                &viewer,
                "Change the endorsement",
                format!("/endorsements/{id}/edit"),
                form,
                None,
                view_extra,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Serialize)]
struct ConfirmForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn revoke(
    req: HttpRequest,
    viewer: Faculty,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
    form: CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let (id, now) = (id.into_inner(), clock.now_utc());
    let page = format!("/endorsements/{id}");
    let (who, actor) = (Who { faculty: Some(faculty.clone()), ..Who::default() }, viewer.principal.actor());
    let i = id.clone();
    let (e, _) = db::run(&pool, move |conn| store::read(conn, &i, &who, &actor, now)).await?;
    if e.row.faculty_id != faculty {
        return Err(Error::NotFound.into());
    }
    if let Some(ask) = Confirmation::new(format!("Revoke your endorsement of {}?", e.student_name))
        .explain("Employers stop seeing it at once, also on applications it was already shared on. The student is told. A revoked endorsement cannot be restored; you may write a new one.")
        .fact("Skills", rules::skills_for_people(&e.row.skills))
        .button("Revoke the endorsement")
        .cancel_to(&page)
        .cancel_label("Keep the endorsement")
        .unless_confirmed(&req, &form.0, &*viewer)?
    {
        return Ok(ask);
    }
    let actor = viewer.principal.actor();
    let student = db::run(&pool, move |conn| store::revoke(conn, &id, &faculty, &actor, now)).await?;
    Ok(redirect_with_flash(&page, format!("Endorsement for {student} revoked; employers no longer see it")))
}

async fn set_hidden(
    viewer: Student,
    pool: &Pool,
    clock: &Clock,
    id: EndorsementId,
    hidden: bool,
) -> Result<HttpResponse, AppError> {
    let student = student_id(&viewer)?;
    let (actor, now, i) = (viewer.principal.actor(), clock.now_utc(), id.clone());
    let faculty = db::run(pool, move |conn| store::set_hidden(conn, &i, &student, hidden, &actor, now)).await?;
    let message = if hidden {
        format!("Endorsement from {faculty} hidden: employers no longer see it")
    } else {
        format!("Endorsement from {faculty} can be shared again")
    };
    Ok(redirect_with_flash(&format!("/endorsements/{id}"), message))
}

async fn hide(
    viewer: Student,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
    _form: CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_hidden(viewer, &pool, &clock, id.into_inner(), true).await
}

async fn show(
    viewer: Student,
    pool: web::Data<Pool>,
    clock: web::Data<Clock>,
    id: web::Path<EndorsementId>,
    _form: CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_hidden(viewer, &pool, &clock, id.into_inner(), false).await
}

// ---------------------------------------------------------------- requests

async fn request_form_page(
    pool: &Pool,
    templates: &Templates,
    viewer: &Student,
    values: Values,
    problems: crate::core::Problems,
) -> Result<HttpResponse, AppError> {
    let (faculty, postings, vocabulary) = db::run(pool, |conn| -> Result<_, AppError> {
        let vocabulary = store::posting_vocabulary(conn)?;
        Ok((requests::faculty_choices(conn)?, requests::posting_choices(conn)?, vocabulary))
    })
    .await?;
    let form = request_form(&faculty, &postings).with_values(values).with_problems(problems);
    let view = json!({ "form": form, "vocabulary": vocabulary });
    templates.page_as(form.status(), "endorsements/request_form", context("Ask for an endorsement", Some(viewer), view))
}

async fn new_request_page(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<RequestInput>,
) -> Result<HttpResponse, AppError> {
    student_id(&viewer)?;
    let values = Values::of(&q.into_inner());
    request_form_page(&pool, &templates, &viewer, values, crate::core::Problems::new()).await
}

async fn create_request(
    viewer: Student,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    form: CheckedForm<RequestInput>,
) -> Result<HttpResponse, AppError> {
    let student = student_id(&viewer)?;
    let submitted = form.0;
    let outcome = match rules::check_request(&submitted) {
        Err(p) => Err(Error::Invalid(p)),
        Ok(r) => {
            let faculty = FacultyId::from(submitted.faculty.trim().to_owned());
            let posting = Some(submitted.posting.trim().to_owned()).filter(|p| !p.is_empty()).map(OpportunityId::from);
            let (actor, now) = (viewer.principal.actor(), clock.now_utc());
            db::run(&pool, move |conn| {
                Ok::<_, AppError>(requests::ask(conn, &student, &faculty, posting.as_ref(), &r, &actor, now))
            })
            .await?
        }
    };
    match outcome {
        Ok(faculty) => Ok(redirect_with_flash("/endorsements", format!("Request sent to {faculty}"))),
        Err(Error::Invalid(problems)) => {
            request_form_page(&pool, &templates, &viewer, Values::of(&submitted), problems).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn request_page(
    viewer: Viewer,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let who = who_of(&viewer);
    let id = id.into_inner();
    let w = who.clone();
    let r = db::run(&pool, move |conn| requests::one(conn, &id, w.faculty.as_ref(), w.student.as_ref())).await?;
    let is_faculty = who.faculty.as_ref() == Some(&r.row.faculty_id);
    let card = RequestCard::from(r);
    let view = json!({ "request": card, "is_faculty": is_faculty, "form": decline_form() });
    templates.page("endorsements/request", context("Endorsement request", Some(&viewer), view))
}

#[derive(Debug, Deserialize, Serialize)]
struct DeclineForm {
    #[serde(default)]
    note: String,
}

async fn decline(
    viewer: Faculty,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    id: web::Path<String>,
    form: CheckedForm<DeclineForm>,
) -> Result<HttpResponse, AppError> {
    let faculty = faculty_id(&viewer)?;
    let (id, submitted, now) = (id.into_inner(), form.0, clock.now_utc());
    let note = match rules::check_note(&submitted.note) {
        Ok(n) => n,
        Err(problems) => {
            let (f, i) = (faculty.clone(), id.clone());
            let r = db::run(&pool, move |conn| requests::one(conn, &i, Some(&f), None)).await?;
            let form = decline_form().with_values(Values::of(&submitted)).with_problems(problems);
            let view = json!({ "request": RequestCard::from(r), "is_faculty": true, "form": form });
            return templates.page_as(
                form.status(),
                "endorsements/request",
                context("Endorsement request", Some(&viewer), view),
            );
        }
    };
    let actor = viewer.principal.actor();
    let student =
        db::run(&pool, move |conn| requests::decline(conn, &id, &faculty, note.as_deref(), &actor, now)).await?;
    Ok(redirect_with_flash("/endorsements", format!("Request from {student} declined; they were told")))
}
