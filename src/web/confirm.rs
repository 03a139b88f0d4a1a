//! Destructive actions ask first, without JavaScript: a POST that cancels, ends, pauses,
//! revokes or rejects, arriving without `confirm=yes`, is answered with a confirmation
//! page — what will happen, to what, a Cancel link back, and a danger-styled button that
//! posts the same fields again plus `confirm=yes`. With it, the action runs. In a handler,
//! after checking the form and before acting, one statement:
//!
//! ```ignore
//! if let Some(ask) = Confirmation::new("Cancel the project “Churn study”?")
//!     .explain("Dana Kim and Ledgerwise are told. A cancelled project cannot be restarted.")
//!     .fact("Student", "Dana Kim")
//!     .button("Cancel the project")
//!     .cancel_to(&project_page)
//!     .unless_confirmed(&req, &form, &viewer)?
//! {
//!     return Ok(ask);
//! }
//! ```
//!
//! The form struct must have the field `confirm` (`#[serde(default)] confirm:
//! Option<String>`) and derive `Serialize`: the confirmation page posts its fields again
//! from it. A form without the field is a programming error, refused loudly rather than
//! asking for ever.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::error::AppError;
use super::forms::Values;
use super::pages::{context, SignedIn};
use super::templates::Templates;

/// The question a destructive action asks before it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Confirmation {
    /// The page's heading and title: the action and its object, as a question.
    title: String,
    /// What will happen (who is told, what cannot be undone).
    explain: Vec<String>,
    /// What it is done to: label-value pairs ("Student", "Dana Kim").
    facts: Vec<Fact>,
    /// The danger button's words: the action, not "OK" ("Cancel the project").
    button: String,
    /// Where Cancel goes: the page the action was started from.
    cancel_to: String,
    /// The Cancel link's words.
    cancel_label: String,
}

#[derive(Debug, Clone, Serialize)]
struct Fact {
    label: String,
    value: String,
}

/// The confirmation page's form: where it posts, and the fields it posts again.
#[derive(Debug, Serialize)]
struct ConfirmPage<'a> {
    confirm: &'a Confirmation,
    action: String,
    hidden: Vec<Hidden<'a>>,
    csrf: &'a str,
}

#[derive(Debug, Serialize)]
struct Hidden<'a> {
    name: &'a str,
    value: &'a str,
}

impl Confirmation {
    pub fn new(title: impl Into<String>) -> Self {
        Confirmation {
            title: title.into(),
            explain: Vec::new(),
            facts: Vec::new(),
            button: "Yes, go ahead".into(),
            cancel_to: "/".into(),
            cancel_label: "Cancel".into(),
        }
    }

    /// A paragraph of what will happen (call again for another).
    pub fn explain(mut self, text: impl Into<String>) -> Self {
        self.explain.push(text.into());
        self
    }

    /// A fact about what it is done to.
    pub fn fact(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.facts.push(Fact { label: label.into(), value: value.into() });
        self
    }

    pub fn button(mut self, label: impl Into<String>) -> Self {
        self.button = label.into();
        self
    }

    /// Where Cancel goes back to (the page the action started from).
    pub fn cancel_to(mut self, path: impl Into<String>) -> Self {
        self.cancel_to = path.into();
        self
    }

    /// The Cancel link's words ("Keep the project"); "Cancel" unless set.
    pub fn cancel_label(mut self, label: impl Into<String>) -> Self {
        self.cancel_label = label.into();
        self
    }

    /// `None` when `submitted` says `confirm=yes` (go on and act); else the confirmation
    /// page (200), whose form posts `submitted`'s fields again to this request's path,
    /// with the viewer's form token and `confirm=yes`.
    pub fn unless_confirmed(
        &self,
        req: &HttpRequest,
        submitted: &impl Serialize,
        viewer: &dyn SignedIn,
    ) -> Result<Option<HttpResponse>, AppError> {
        let values = Values::of(submitted);
        if !values.has("confirm") {
            return Err(AppError::internal(format!(
                "the form posted to {} has no `confirm` field: it could never be confirmed",
                req.path()
            )));
        }
        if values.get("confirm") == "yes" {
            return Ok(None);
        }
        let templates = req.app_data::<web::Data<Templates>>().ok_or_else(|| AppError::internal("no templates"))?;
        let action = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        let page = ConfirmPage {
            confirm: self,
            action,
            hidden: values.pairs().into_iter().map(|(name, value)| Hidden { name, value }).collect(),
            csrf: viewer.csrf(),
        };
        templates.page("confirm/page", context(&self.title, Some(viewer), &page)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use actix_web::test::TestRequest;
    use serde::Deserialize;

    use super::*;
    use crate::core::{Clock, Role};

    struct Counselor;
    impl SignedIn for Counselor {
        fn display_name(&self) -> &str {
            "Cory Banks"
        }
        fn roles(&self) -> &[Role] {
            &[Role::Counselor]
        }
        fn has_student_record(&self) -> bool {
            false
        }
        fn unread(&self) -> i64 {
            0
        }
        fn csrf(&self) -> &str {
            "the-session-token"
        }
    }

    #[derive(Serialize, Deserialize)]
    struct CancelForm {
        reason: String,
        step: String,
        #[serde(default)]
        confirm: Option<String>,
    }

    fn request() -> HttpRequest {
        let templates = Templates::load(&Clock::system(chrono_tz::America::New_York)).unwrap();
        TestRequest::post().uri("/engagements/e1/move?from=queue").app_data(web::Data::new(templates)).to_http_request()
    }

    fn question() -> Confirmation {
        Confirmation::new("Cancel the project “Churn study”?")
            .explain("Dana Kim and Ledgerwise are told. A cancelled project cannot be restarted.")
            .fact("Student", "Dana Kim")
            .button("Cancel the project")
            .cancel_to("/engagements/e1")
            .cancel_label("Keep the project")
    }

    #[actix_web::test]
    async fn without_confirm_yes_the_page_asks_and_posts_the_same_fields_again() {
        let form =
            CancelForm { reason: "Team \"reorganised\" <today>\nSorry.".into(), step: "cancel".into(), confirm: None };
        let page = question().unless_confirmed(&request(), &form, &Counselor).unwrap().expect("asks");
        assert_eq!(page.status(), 200);
        let html = String::from_utf8(to_bytes(page.into_body()).await.unwrap().to_vec()).unwrap();
        for part in [
            "<h1>Cancel the project “Churn study”?</h1>",
            "Dana Kim and Ledgerwise are told. A cancelled project cannot be restarted.",
            "<dt>Student</dt>",
            // (handlebars writes `=` as `&#x3D;`: the same address to the browser)
            r#"<form method="post" action="/engagements/e1/move?from&#x3D;queue""#,
            r#"<input type="hidden" name="csrf_token" value="the-session-token">"#,
            r#"<input type="hidden" name="step" value="cancel">"#,
            "<input type=\"hidden\" name=\"reason\" value=\"Team &quot;reorganised&quot; &lt;today&gt;\nSorry.\">",
            r#"<input type="hidden" name="confirm" value="yes">"#,
            r#"<button type="submit" class="button-danger">Cancel the project</button>"#,
            r#"<a class="button secondary" href="/engagements/e1">Keep the project</a>"#,
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
        assert_eq!(html.matches("name=\"confirm\"").count(), 1, "the answer once, never the one submitted");
    }

    #[actix_web::test]
    async fn with_confirm_yes_the_action_goes_on() {
        let form = CancelForm { reason: "r".into(), step: "cancel".into(), confirm: Some("yes".into()) };
        assert!(question().unless_confirmed(&request(), &form, &Counselor).unwrap().is_none());
        let other = CancelForm { confirm: Some("no".into()), ..form };
        assert!(question().unless_confirmed(&request(), &other, &Counselor).unwrap().is_some(), "only yes");
    }

    #[actix_web::test]
    async fn a_form_without_the_confirm_field_is_refused_loudly() {
        #[derive(Serialize)]
        struct Forgot {
            reason: String,
        }
        let e = question().unless_confirmed(&request(), &Forgot { reason: "r".into() }, &Counselor).unwrap_err();
        assert!(e.to_string().contains("no `confirm` field"), "{e}");
    }
}
