//! What every page shares: the navigation context, error pages, static assets,
//! and the security headers sent on every response.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;

use super::error::{status_of, AppError, PublicMessage};
use super::templates::{Assets, Templates};
use crate::core::{money, Error, Problems, Role};

/// Who is signed in, as the navigation shows them. `auth::extract::Viewer` is one: the
/// web layer knows no more of sessions and accounts than this.
pub trait SignedIn {
    fn display_name(&self) -> &str;
    fn roles(&self) -> &[Role];
    /// Whether the person has a roster record (students reach their dashboard).
    fn has_student_record(&self) -> bool;
    /// Unread inbox items.
    fn unread(&self) -> i64;
    /// The session's form token (the sign-out form carries it).
    fn csrf(&self) -> &str;
}

#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// A count shown beside the label (unread inbox items).
    pub count: Option<i64>,
}

fn link(href: &'static str, label: &'static str) -> NavLink {
    NavLink { href, label, count: None }
}

/// The site navigation shown by the base layout: what this person may open, and the
/// sign-in link or the sign-out form (which carries the session's CSRF token).
#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    pub links: Vec<NavLink>,
    pub signed_in: bool,
    pub user_name: String,
    pub roles: Vec<Role>,
    pub csrf: String,
}

impl Nav {
    pub fn anonymous() -> Self {
        Nav {
            links: vec![link("/", "Home")],
            signed_in: false,
            user_name: String::new(),
            roles: Vec::new(),
            csrf: String::new(),
        }
    }

    pub fn for_viewer(viewer: Option<&dyn SignedIn>) -> Self {
        let Some(v) = viewer else { return Nav::anonymous() };
        let has = |r: Role| v.roles().contains(&r);
        let staff = v.roles().iter().any(|r| r.is_staff());
        let mut links = vec![link("/", "Home")];
        if has(Role::Student) || has(Role::Faculty) || staff {
            links.push(link("/opportunities", "Micro-internships"));
            links.push(link("/partners", "Partners"));
        }
        if has(Role::Student) && v.has_student_record() {
            links.push(link("/dashboard", "My micro-internships"));
        }
        if has(Role::Student) || has(Role::Faculty) || staff {
            links.push(link("/endorsements", "Endorsements"));
        }
        if has(Role::Recruiter) {
            links.push(link("/workspace", "Workspace"));
        }
        if has(Role::Student) || has(Role::Recruiter) || staff {
            links.push(link("/fairs", "Fairs"));
        }
        if staff {
            links.push(link("/review", "Review postings"));
            links.push(link("/employers", "Employers"));
            links.push(link("/projects", "Projects"));
            links.push(link("/students", "Students"));
            links.push(link("/outcomes/cohorts", "Cohorts"));
            links.push(link("/reports", "Reports"));
            links.push(link("/office/dashboard", "Dashboard"));
            links.push(link("/recruiters/invite", "Invite a recruiter"));
        }
        if has(Role::Admin) {
            links.push(link("/admin/roles", "Roles"));
            links.push(link("/admin/audit", "Audit log"));
            links.push(link("/admin/tokens", "API tokens"));
        }
        links.push(NavLink { href: "/inbox", label: "Inbox", count: Some(v.unread()) });
        links.push(link("/account", "My account"));
        Nav {
            links,
            signed_in: true,
            user_name: v.display_name().to_owned(),
            roles: v.roles().to_vec(),
            csrf: v.csrf().to_owned(),
        }
    }
}

/// What a page says back after a form: a notice (done, or why not), the form's problems
/// (shown beside their fields), and the status the page is answered with.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub notice: Option<String>,
    pub problems: Problems,
    pub status: StatusCode,
}

impl Feedback {
    /// The page as asked for: no notice, 200.
    pub fn none() -> Self {
        Feedback { notice: None, problems: Problems::new(), status: StatusCode::OK }
    }

    /// Done, and what was done.
    pub fn done(notice: impl Into<String>) -> Self {
        Feedback { notice: Some(notice.into()), ..Feedback::none() }
    }

    /// A form refused for its problems (the status invalid input is answered with).
    pub fn invalid(problems: Problems) -> Self {
        Feedback { notice: None, status: status_of(&Error::Invalid(Problems::new())), problems }
    }
}

/// A list's pages: "Page 2 of 12", with first, previous, next and last links that keep
/// the list's other parameters (`base` is the list's URL with its filters, ending in `?`
/// or `&`: [`Pager::base`] makes it from the request). A page past the end is clamped to
/// the last (and one before the first to the first): count first, make the pager, then
/// [`redirect_if_clamped`](Pager::redirect_if_clamped) (so the address says the page
/// shown) and load the rows at [`offset`](Pager::offset).
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// "Page 2 of 12".
    pub label: String,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
    #[serde(skip)]
    requested: i64,
    #[serde(skip)]
    size: i64,
    #[serde(skip)]
    base: String,
}

/// The `page` parameter of a paginated list.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

impl PageQuery {
    pub fn number(&self) -> i64 {
        Pager::page_of(self.page.as_deref())
    }
}

/// The most a `page` parameter is read as (the pager then clamps it to the last page).
const MAX_PAGE: i64 = 100_000;

impl Pager {
    /// The page asked for: a number from 1 (anything else is page 1; a huge one is read
    /// as 100,000, which the pager clamps to the last page).
    pub fn page_of(raw: Option<&str>) -> i64 {
        raw.and_then(|p| p.trim().parse::<i64>().ok()).map(|p| p.clamp(1, MAX_PAGE)).unwrap_or(1)
    }

    /// Page `requested` (clamped to `1..=pages`) of `total` rows, `size` a page.
    pub fn new(requested: i64, total: i64, size: i64, base: &str) -> Self {
        let size = size.max(1);
        let pages = ((total.max(0) + size - 1) / size).max(1);
        let page = requested.clamp(1, pages);
        let link = |n: i64| format!("{base}page={n}");
        Pager {
            page,
            pages,
            total,
            label: format!("Page {} of {}", money::group(page.unsigned_abs()), money::group(pages.unsigned_abs())),
            first: (page > 1).then(|| link(1)),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            last: (page < pages).then(|| link(pages)),
            requested,
            size,
            base: base.to_owned(),
        }
    }

    /// The list's URL with its parameters but `page`, ready for `page=N`: `/inbox?`,
    /// `/employers?status=active&sort=name&`. Page links made from it keep the filters.
    pub fn base(path: &str, query: &str) -> String {
        let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            return format!("{path}?");
        }
        let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
        format!("{path}?{q}&")
    }

    /// The rows to skip for this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.size
    }

    /// Whether the page asked for was out of range (and this is the nearest one).
    pub fn was_clamped(&self) -> bool {
        self.page != self.requested
    }

    /// This page's address.
    pub fn here(&self) -> String {
        format!("{}page={}", self.base, self.page)
    }

    /// A 303 to the page shown, when the one asked for was out of range ("page 99 of 2"
    /// goes to page 2, with the same filters).
    pub fn redirect_if_clamped(&self) -> Option<HttpResponse> {
        self.was_clamped().then(|| see_other(&self.here()))
    }
}

/// The base of a list's page links: its path with the filters that are set (not the
/// page), ready for `page=N` to be appended (see [`Pager::new`]). Links stay short and stable.
pub fn list_base<T: Serialize>(path: &str, q: &T) -> String {
    let full = serde_urlencoded::to_string(q).unwrap_or_default();
    let set: Vec<(String, String)> = url::form_urlencoded::parse(full.as_bytes())
        .into_owned()
        .filter(|(k, v)| !v.is_empty() && k != "page")
        .collect();
    match serde_urlencoded::to_string(set).unwrap_or_default() {
        qs if qs.is_empty() => format!("{path}?"),
        qs => format!("{path}?{qs}&"),
    }
}

/// The context every page template gets: title and navigation, plus the page's own data.
/// `data` is the page's own view (a struct deriving `Serialize`, or a `json!` object): its
/// fields sit beside `title` and `nav`. One that does not serialize as an object is
/// logged, and the page then fails to render (templates are strict) rather than show
/// half its data.
pub fn context(title: &str, viewer: Option<&dyn SignedIn>, data: impl Serialize) -> serde_json::Value {
    let mut ctx = serde_json::json!({ "title": title, "nav": Nav::for_viewer(viewer) });
    match serde_json::to_value(data) {
        Ok(serde_json::Value::Object(extra)) => {
            if let Some(obj) = ctx.as_object_mut() {
                obj.extend(extra);
            }
        }
        Ok(other) => tracing::error!(page = title, kind = ?other, "a page's data is not an object"),
        Err(e) => tracing::error!(page = title, error = %e, "a page's data did not serialize"),
    }
    ctx
}

/// Security headers for every response. No inline script is allowed anywhere.
///
/// Nothing is cached by default (`Cache-Control: no-store`): pages and files may show
/// student records (FERPA), and a shared campus computer's browser must not keep them for
/// the back button or the next person. A response that sets its own Cache-Control keeps
/// it: only the public assets do (`asset`).
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CACHE_CONTROL, "no-store"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
}

fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request could not be understood.",
        401 => "Please sign in to continue.",
        403 => "You do not have access to this page.",
        404 => "We could not find that page.",
        405 => "That action is not available here.",
        409 => "That change conflicts with the current state.",
        413 => "That upload is too large.",
        415 => "That kind of content is not accepted here.",
        422 => "Some of the information given is not valid.",
        429 => "Too many attempts. Please wait a little and try again.",
        503 => "The service is briefly unavailable. Please try again in a moment.",
        s if s >= 500 => "Something went wrong on our side. The problem has been logged.",
        _ => "The request could not be completed.",
    }
}

fn wants_plain(req: &HttpRequest) -> bool {
    let path = req.path();
    path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Replaces the body of an error response with the site's error page, unless a handler
/// rendered its own body or the route is for machines.
/// The page shows a public message and the request id, never the cause.
pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // A body the handler chose (a form shown again as HTML, an OAuth error as JSON)
    // stays; only plain-text or empty error bodies become the site's error page.
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !plain || wants_plain(res.request()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = res
        .response()
        .extensions()
        .get::<PublicMessage>()
        .map(|m| m.0.clone())
        .unwrap_or_else(|| default_message(status).to_owned());
    let request_id =
        res.request().extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string()).unwrap_or_default();
    let title = status.canonical_reason().unwrap_or("Error");
    // The navigation of whoever is signed in, if this request already looked them up
    // (the sign-in extractor leaves it in the request's extensions).
    let nav = res.request().extensions().get::<Nav>().cloned().unwrap_or_else(Nav::anonymous);
    let body = res.request().app_data::<web::Data<Templates>>().and_then(|t| {
        t.render(
            "errors/page",
            serde_json::json!({
                "title": title,
                "status": status.as_u16(),
                "message": message,
                "request_id": request_id,
                "nav": nav,
            }),
        )
        .map_err(|e| tracing::error!(error = %e, "error page did not render"))
        .ok()
    });
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    let new = match body {
        Some(html) => new.content_type(ContentType::html()).body(html),
        None => new.content_type(ContentType::plaintext()).body(message),
    };
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body()))
}

/// The answer for any path no route matched.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(Error::NotFound.into())
}

/// Static files (stylesheet, icons) embedded from `templates/assets/`.
pub async fn asset(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let file = Assets::get(&name).ok_or(Error::NotFound)?;
    let mime = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript; charset=utf-8",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(mime)))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.data.into_owned()))
}

/// An HTML page with `status` (a form shown again with its problems: 422).
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type(ContentType::html()).body(body)
}

/// After a successful form post: go to `to` (303, so the browser GETs it).
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_say_where_they_are_and_link_to_the_ends() {
        let p = Pager::new(2, 290, 25, "/employers?status=active&");
        assert_eq!((p.page, p.pages, p.label.as_str()), (2, 12, "Page 2 of 12"));
        assert_eq!(p.first.as_deref(), Some("/employers?status=active&page=1"));
        assert_eq!(p.prev.as_deref(), Some("/employers?status=active&page=1"));
        assert_eq!(p.next.as_deref(), Some("/employers?status=active&page=3"));
        assert_eq!(p.last.as_deref(), Some("/employers?status=active&page=12"));
        assert_eq!(p.offset(), 25);
        assert!(!p.was_clamped() && p.redirect_if_clamped().is_none());
        let first = Pager::new(1, 290, 25, "/x?");
        assert!(first.first.is_none() && first.prev.is_none() && first.last.is_some());
        let only = Pager::new(1, 0, 25, "/x?");
        assert_eq!(only.label, "Page 1 of 1", "an empty list is one page");
        assert!(only.first.is_none() && only.next.is_none() && only.last.is_none());
        assert_eq!(Pager::new(1, 3_000_000, 25, "/x?").label, "Page 1 of 120,000");
    }

    #[test]
    fn out_of_range_pages_are_clamped_and_redirected() {
        let p = Pager::new(99, 40, 25, "/inbox?");
        assert_eq!((p.page, p.pages, p.label.as_str()), (2, 2, "Page 2 of 2"), "not \"Page 99 of 2\"");
        assert_eq!(p.offset(), 25);
        assert!(p.was_clamped());
        let r = p.redirect_if_clamped().expect("a redirect");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers().get(header::LOCATION).unwrap(), "/inbox?page=2");
        assert_eq!(Pager::new(0, 40, 25, "/inbox?").page, 1);
        assert_eq!(Pager::page_of(Some("99")), 99);
        assert_eq!(Pager::page_of(Some("-3")), 1);
        assert_eq!(Pager::page_of(Some("two")), 1);
        assert_eq!(Pager::page_of(None), 1);
        assert_eq!(Pager::page_of(Some("9999999999999999")), MAX_PAGE, "read as the most, then clamped");
    }

    #[test]
    fn page_links_keep_the_other_parameters() {
        assert_eq!(Pager::base("/inbox", ""), "/inbox?");
        assert_eq!(Pager::base("/inbox", "page=3"), "/inbox?");
        assert_eq!(
            Pager::base("/employers", "status=active&page=4&q=caf%C3%A9+%26+co"),
            "/employers?status=active&q=caf%C3%A9+%26+co&"
        );
    }
}
