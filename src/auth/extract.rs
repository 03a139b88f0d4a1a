//! "Must be signed in as X" is an argument of the handler. The session is read once per
//! request and kept in the request's extensions (with the navigation it gives, which the
//! error pages show). Handlers name who may call them: `Staff`, `Student`, `Recruiter`,
//! ... or `Require<SomeRule>` for a rule of their own.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::sessions::{self, CookieKind};
use super::users::{load_principal, Principal};
use super::AuthContext;
use crate::core::{Clock, Error, Role, Secret};
use crate::db::{self, Pool};
use crate::web::pages::{Nav, SignedIn};
use crate::web::AppError;

/// The signed-in person and their session's form token. The session's cookie value is a
/// `Secret`: a `Viewer` in a log line does not give the session away.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Principal,
    /// The session's form token (pages carry it; it stays out of `Debug` too).
    pub csrf: Secret,
    pub session_secret: Secret,
    /// Unread inbox items, for the navigation.
    pub unread: i64,
}

/// Loads the viewer for this request (once; cached in the extensions).
pub async fn viewer_of(req: &HttpRequest) -> Result<Option<Viewer>, AppError> {
    if let Some(cached) = req.extensions().get::<Option<Viewer>>() {
        return Ok(cached.clone());
    }
    let auth = req.app_data::<web::Data<AuthContext>>().ok_or_else(|| AppError::internal("no auth context"))?;
    let pool = req.app_data::<web::Data<Pool>>().ok_or_else(|| AppError::internal("no pool"))?;
    let clock = req.app_data::<web::Data<Clock>>().ok_or_else(|| AppError::internal("no clock"))?;
    let secret = req.cookie(auth.cookies.name(&CookieKind::Session)).map(|c| c.value().to_owned());
    let client_ip = crate::web::client::client_ip(req);
    let viewer = match secret.filter(|s| !s.is_empty()) {
        None => None,
        Some(secret) => {
            let now = clock.now_utc();
            db::run(pool, move |conn| -> Result<Option<Viewer>, AppError> {
                let Some(session) = sessions::find_live(conn, &secret, now)? else { return Ok(None) };
                let Some(mut principal) = load_principal(conn, &session.user_id)? else {
                    // Disabled since: the session ends with the account.
                    sessions::destroy_all_of(conn, &session.user_id)?;
                    return Ok(None);
                };
                principal.client_ip = client_ip;
                let unread = crate::notify::unread(conn, &principal.id)?;
                let session_secret = Secret::new(secret);
                let csrf = Secret::new(session.csrf_token);
                Ok(Some(Viewer { principal, csrf, session_secret, unread }))
            })
            .await?
        }
    };
    req.extensions_mut().insert(Nav::for_viewer(viewer.as_ref().map(|v| v as &dyn SignedIn)));
    req.extensions_mut().insert(viewer.clone());
    Ok(viewer)
}

impl SignedIn for Viewer {
    fn display_name(&self) -> &str {
        &self.principal.display_name
    }
    fn roles(&self) -> &[Role] {
        &self.principal.roles
    }
    fn has_student_record(&self) -> bool {
        self.principal.student_id.is_some()
    }
    fn unread(&self) -> i64 {
        self.unread
    }
    fn csrf(&self) -> &str {
        self.csrf.expose()
    }
}

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

/// Anyone, signed in or not.
pub struct MaybeViewer(pub Option<Viewer>);

impl MaybeViewer {
    /// Whoever is signed in, for the page's navigation.
    pub fn signed_in(&self) -> Option<&dyn SignedIn> {
        self.0.as_ref().map(|v| v as &dyn SignedIn)
    }
}

impl FromRequest for MaybeViewer {
    type Error = AppError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeViewer(viewer_of(&req).await?)) })
    }
}

/// Where a person who is not signed in is sent back to after signing in.
fn sign_in_required(req: &HttpRequest) -> AppError {
    let back = if req.method() == actix_web::http::Method::GET {
        req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into())
    } else {
        "/".into()
    };
    AppError::SignInRequired(back)
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { viewer_of(&req).await?.ok_or_else(|| sign_in_required(&req)) })
    }
}

/// A rule about who may use a handler.
pub trait Rule {
    fn allows(p: &Principal) -> bool;
    /// The answer to a signed-in person the rule refuses: 403, or 404 where even the
    /// existence of a record must not be given away (recruiters and other employers' ids).
    fn refusal(_p: &Principal) -> Error {
        Error::Forbidden
    }
}

/// The viewer, who passed the rule `R` (else 403; not signed in: to the sign-in page).
pub struct Require<R: Rule>(pub Viewer, PhantomData<R>);

impl<R: Rule> std::ops::Deref for Require<R> {
    type Target = Viewer;
    fn deref(&self) -> &Viewer {
        &self.0
    }
}

/// So that `context(title, Some(&staff), ...)` takes the extractor itself.
impl<R: Rule> SignedIn for Require<R> {
    fn display_name(&self) -> &str {
        self.0.display_name()
    }
    fn roles(&self) -> &[Role] {
        self.0.roles()
    }
    fn has_student_record(&self) -> bool {
        self.0.has_student_record()
    }
    fn unread(&self) -> i64 {
        self.0.unread()
    }
    fn csrf(&self) -> &str {
        self.0.csrf()
    }
}

impl<R: Rule + 'static> FromRequest for Require<R> {
    type Error = AppError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let viewer = viewer_of(&req).await?.ok_or_else(|| sign_in_required(&req))?;
            if R::allows(&viewer.principal) {
                Ok(Require(viewer, PhantomData))
            } else {
                Err(R::refusal(&viewer.principal).into())
            }
        })
    }
}

pub struct StaffRule;
impl Rule for StaffRule {
    fn allows(p: &Principal) -> bool {
        p.is_staff()
    }
}
pub struct AdminRule;
impl Rule for AdminRule {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Admin)
    }
}
pub struct StudentRule;
impl Rule for StudentRule {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Student)
    }
}
pub struct FacultyRule;
impl Rule for FacultyRule {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Faculty)
    }
}
pub struct RecruiterRule;
impl Rule for RecruiterRule {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Recruiter) && p.employer_id.is_some()
    }
}

/// Employer records are the office's: a recruiter probing ids learns nothing (404).
pub struct EmployerRecordsRule;
impl Rule for EmployerRecordsRule {
    fn allows(p: &Principal) -> bool {
        p.is_staff()
    }
    fn refusal(p: &Principal) -> Error {
        if p.has(Role::Recruiter) {
            Error::NotFound
        } else {
            Error::Forbidden
        }
    }
}

/// The catalogue of open projects and partners: students, faculty and the office.
/// Recruiters work in their own employer's workspace and see no other employer (404).
pub struct CatalogueRule;
impl Rule for CatalogueRule {
    fn allows(p: &Principal) -> bool {
        p.has(Role::Student) || p.has(Role::Faculty) || p.is_staff()
    }
    fn refusal(p: &Principal) -> Error {
        if p.has(Role::Recruiter) {
            Error::NotFound
        } else {
            Error::Forbidden
        }
    }
}

/// Those who manage postings and projects: the office, and recruiters (their own employer's).
pub struct ManagerRule;
impl Rule for ManagerRule {
    fn allows(p: &Principal) -> bool {
        p.is_staff() || (p.has(Role::Recruiter) && p.employer_id.is_some())
    }
}

/// Anyone with a part in the programme: students (their own records), recruiters
/// (their employer's), the office (all). Each query is then scoped to what they may see.
pub struct ParticipantRule;
impl Rule for ParticipantRule {
    fn allows(p: &Principal) -> bool {
        p.is_staff()
            || (p.has(Role::Recruiter) && p.employer_id.is_some())
            || (p.has(Role::Student) && p.student_id.is_some())
    }
}

/// Counselors and admins.
pub type Staff = Require<StaffRule>;
pub type Manager = Require<ManagerRule>;
pub type Participant = Require<ParticipantRule>;
/// Counselors and admins, on an employer's records.
pub type EmployerStaff = Require<EmployerRecordsRule>;
/// Whoever may browse the catalogue.
pub type Browser = Require<CatalogueRule>;
pub type Admin = Require<AdminRule>;
pub type Student = Require<StudentRule>;
pub type Faculty = Require<FacultyRule>;
pub type Recruiter = Require<RecruiterRule>;
