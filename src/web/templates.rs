//! Handlebars templates, embedded in the binary (so it runs from any directory) and
//! registered in strict mode: a misspelt variable is an error, not a blank.
//!
//! Pages get dates and stored (UTC) timestamps as they are, and show them through two
//! helpers on the campus clock: `{{campus_time t}}` reads "Feb 17, 2027, 9:00 AM EST" and
//! `{{campus_date d}}` "Feb 17, 2027", each inside a `<time datetime>` element that keeps
//! the machine-readable value (ISO 8601; UTC with a `Z` for times).
//!
//! People's words for amounts and counts: `{{money cents currency}}` reads "$575.00",
//! "€1,200.50", "¥575" or "575.00 XYZ" (`core::money::format`), and `{{plural n "project"}}`
//! "1 project" / "3 projects" (`{{plural n "person" "people"}}` for an irregular plural;
//! `core::words::plural`). Statuses show their `label()`, given by the page's view.
//!
//! A partial's indentation is not added to its lines (`prevent_indent`): a textarea's
//! kept value must come back exactly as it was typed, wherever the partial is included.

use std::sync::Arc;

use actix_web::http::header::ContentType;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::{NaiveDate, NaiveDateTime};
use handlebars::{
    html_escape, Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError, RenderErrorReason,
};
use rust_embed::RustEmbed;
use serde::Serialize;

use super::error::AppError;
use crate::core::clock::{format_date, Clock};
use crate::core::{money, words};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "**/*.hbs"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "templates/assets/"]
pub struct Assets;

/// What a page is rendered from: the context `pages::context` made (taken as it is;
/// handlebars would otherwise copy it whole first, and a catalogue page's context holds
/// all its cards), or a reference to anything serializable.
pub trait PageData {
    fn into_context(self) -> Result<handlebars::Context, handlebars::RenderError>;
}

impl PageData for serde_json::Value {
    fn into_context(self) -> Result<handlebars::Context, handlebars::RenderError> {
        Ok(handlebars::Context::from(self))
    }
}

impl<T: Serialize + ?Sized> PageData for &T {
    fn into_context(self) -> Result<handlebars::Context, handlebars::RenderError> {
        handlebars::Context::wraps(self)
    }
}

#[derive(Clone)]
pub struct Templates {
    registry: Arc<Handlebars<'static>>,
}

/// A stored timestamp as serde writes it (`2027-02-17T14:00:00`, maybe with fractions).
fn timestamp(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
}

/// The one parameter of a date helper: a string, or null (which shows nothing). A name
/// that is not in the data is an error, as everywhere in these templates.
fn date_param<'a>(h: &'a Helper<'_>, name: &'static str) -> Result<Option<&'a str>, RenderError> {
    let param = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
    if param.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
    }
    let value = param.value();
    if value.is_null() {
        return Ok(None);
    }
    value.as_str().map(Some).ok_or_else(|| RenderErrorReason::InvalidParamType("a date or a time").into())
}

fn register_campus_helpers(hb: &mut Handlebars<'static>, clock: &Clock) {
    let c = clock.clone();
    hb.register_helper(
        "campus_time",
        Box::new(
            move |h: &Helper<'_>,
                  _: &Handlebars<'_>,
                  _: &Context,
                  _: &mut RenderContext<'_, '_>,
                  out: &mut dyn Output|
                  -> HelperResult {
                let Some(raw) = date_param(h, "campus_time")? else { return Ok(()) };
                let t = timestamp(raw).ok_or(RenderErrorReason::InvalidParamType("a time YYYY-MM-DDTHH:MM:SS"))?;
                out.write(&format!(
                    "<time datetime=\"{}\">{}</time>",
                    t.format("%Y-%m-%dT%H:%M:%SZ"),
                    html_escape(&c.format_datetime(t))
                ))?;
                Ok(())
            },
        ),
    );
    let c = clock.clone();
    hb.register_helper(
        "campus_date",
        Box::new(
            move |h: &Helper<'_>,
                  _: &Handlebars<'_>,
                  _: &Context,
                  _: &mut RenderContext<'_, '_>,
                  out: &mut dyn Output|
                  -> HelperResult {
                let Some(raw) = date_param(h, "campus_date")? else { return Ok(()) };
                // A date is a campus date already; a timestamp shows the campus date it fell on.
                let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .ok()
                    .or_else(|| timestamp(raw).map(|t| c.campus_date_of(t)))
                    .ok_or(RenderErrorReason::InvalidParamType("a date YYYY-MM-DD"))?;
                out.write(&format!("<time datetime=\"{d}\">{}</time>", format_date(d)))?;
                Ok(())
            },
        ),
    );
}

/// Parameter `i` of a helper: present in the data (strict, as everywhere), of any value.
fn param<'a>(h: &'a Helper<'_>, helper: &'static str, i: usize) -> Result<&'a serde_json::Value, RenderError> {
    let p = h.param(i).ok_or(RenderErrorReason::ParamNotFoundForIndex(helper, i))?;
    if p.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
    }
    Ok(p.value())
}

/// A whole number, or its text ("12"), as the views give counts and cents.
fn integer(v: &serde_json::Value, what: &'static str) -> Result<i64, RenderError> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| RenderErrorReason::InvalidParamType(what).into())
}

fn text<'a>(v: &'a serde_json::Value, what: &'static str) -> Result<&'a str, RenderError> {
    v.as_str().ok_or_else(|| RenderErrorReason::InvalidParamType(what).into())
}

/// `{{money cents currency}}` and `{{plural n "one" ["many"]}}` (see the module's documentation).
fn register_word_helpers(hb: &mut Handlebars<'static>) {
    hb.register_helper(
        "money",
        Box::new(
            |h: &Helper<'_>,
             _: &Handlebars<'_>,
             _: &Context,
             _: &mut RenderContext<'_, '_>,
             out: &mut dyn Output|
             -> HelperResult {
                let cents = param(h, "money", 0)?;
                if cents.is_null() {
                    return Ok(());
                }
                let cents = integer(cents, "an amount in cents")?;
                let currency = text(param(h, "money", 1)?, "a currency code")?;
                out.write(&html_escape(&money::format(cents, currency)))?;
                Ok(())
            },
        ),
    );
    hb.register_helper(
        "plural",
        Box::new(
            |h: &Helper<'_>,
             _: &Handlebars<'_>,
             _: &Context,
             _: &mut RenderContext<'_, '_>,
             out: &mut dyn Output|
             -> HelperResult {
                let n = integer(param(h, "plural", 0)?, "a count")?;
                let one = text(param(h, "plural", 1)?, "a noun")?;
                let many = match h.param(2) {
                    Some(_) => Some(text(param(h, "plural", 2)?, "a plural noun")?),
                    None => None,
                };
                out.write(&html_escape(&words::plural(n, one, many)))?;
                Ok(())
            },
        ),
    );
}

impl Templates {
    /// The templates, showing dates and times on `clock`'s campus zone.
    pub fn load(clock: &Clock) -> Result<Self, handlebars::TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.set_dev_mode(false);
        hb.set_prevent_indent(true);
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        register_campus_helpers(&mut hb, clock);
        register_word_helpers(&mut hb);
        Ok(Templates { registry: Arc::new(hb) })
    }

    pub fn render(&self, name: &str, data: impl PageData) -> Result<String, AppError> {
        Ok(self.registry.render_with_context(name, &data.into_context()?)?)
    }

    /// Renders `template` (text, not a name) with the registered partials and helpers:
    /// for tests of the partials, and previews.
    pub fn render_str<T: Serialize>(&self, template: &str, data: &T) -> Result<String, AppError> {
        Ok(self.registry.render_template(template, data)?)
    }

    /// A 200 HTML page.
    pub fn page(&self, name: &str, data: impl PageData) -> Result<HttpResponse, AppError> {
        self.page_as(StatusCode::OK, name, data)
    }

    /// An HTML page answered with `status`: a form shown again with its problems is
    /// `form.status()` (422).
    pub fn page_as(&self, status: StatusCode, name: &str, data: impl PageData) -> Result<HttpResponse, AppError> {
        let body = self.render(name, data)?;
        Ok(HttpResponse::build(status).content_type(ContentType::html()).body(body))
    }

    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self.registry.get_templates().keys().cloned().collect();
        n.sort();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_york() -> Clock {
        Clock::system(chrono_tz::America::New_York)
    }

    #[test]
    fn every_template_compiles_and_error_page_renders() {
        let t = Templates::load(&new_york()).expect("templates compile");
        assert!(t.names().contains(&"layouts/base".to_string()));
        let html = t
            .render(
                "errors/page",
                serde_json::json!({"title": "Not found", "status": 404, "message": "gone", "request_id": "r1", "nav": crate::web::pages::Nav::anonymous()}),
            )
            .unwrap();
        assert!(html.contains("<main"));
        assert!(html.contains("gone"));
    }

    #[test]
    fn money_and_plurals_in_people_s_words() {
        let t = Templates::load(&new_york()).unwrap();
        let data = serde_json::json!({ "fee": 57_500, "text": "120050", "usd": "USD", "yen": "JPY", "odd": "XYZ",
            "none": null, "one": 1, "three": 3, "many": 1204 });
        let r = |s: &str| t.render_str(s, &data).unwrap();
        assert_eq!(r("{{money fee usd}}"), "$575.00");
        assert_eq!(r("{{money text usd}}"), "$1,200.50", "cents as text too");
        assert_eq!(r("{{money fee yen}}"), "¥575");
        assert_eq!(r("{{money fee odd}}"), "575.00 XYZ");
        assert_eq!(r("{{money fee \"EUR\"}}"), "€575.00");
        assert_eq!(r("[{{money none usd}}]"), "[]", "no amount shows nothing");
        assert_eq!(r("{{plural one \"project\"}}"), "1 project");
        assert_eq!(r("{{plural three \"project\"}}"), "3 projects");
        assert_eq!(r("{{plural three \"person\" \"people\"}}"), "3 people");
        assert_eq!(r("{{plural many \"student\"}}"), "1,204 students");
        assert!(t.render_str("{{money missing usd}}", &data).is_err(), "strict");
        assert!(t.render_str("{{plural usd \"project\"}}", &data).is_err(), "not a count");
    }

    #[test]
    fn strict_mode_refuses_missing_variables() {
        let t = Templates::load(&new_york()).unwrap();
        assert!(t.render("errors/page", serde_json::json!({})).is_err());
    }

    #[test]
    fn times_show_on_the_campus_clock_with_the_zone_and_keep_the_utc_value() {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register_campus_helpers(&mut hb, &new_york());
        let at = NaiveDate::from_ymd_opt(2027, 2, 17).unwrap().and_hms_opt(0, 30, 0).unwrap();
        let data = serde_json::json!({ "at": at, "on": NaiveDate::from_ymd_opt(2027, 2, 16).unwrap(), "none": null });
        let render = |t: &str| hb.render_template(t, &data).unwrap();
        // 00:30 UTC on Feb 17 is 7:30 pm on Feb 16 in New York.
        assert_eq!(
            render("{{campus_time at}}"),
            r#"<time datetime="2027-02-17T00:30:00Z">Feb 16, 2027, 7:30 PM EST</time>"#
        );
        assert_eq!(render("{{campus_date at}}"), r#"<time datetime="2027-02-16">Feb 16, 2027</time>"#);
        assert_eq!(render("{{campus_date on}}"), r#"<time datetime="2027-02-16">Feb 16, 2027</time>"#);
        assert_eq!(render("[{{campus_time none}}]"), "[]");
        assert!(hb.render_template("{{campus_time on}}", &data).is_err(), "a date is not a time");
        assert!(hb.render_template("{{campus_date missing}}", &data).is_err(), "strict mode");
        let paris = Clock::system(chrono_tz::Europe::Paris);
        let mut hb = Handlebars::new();
        register_campus_helpers(&mut hb, &paris);
        assert_eq!(
            hb.render_template("{{campus_time at}}", &data).unwrap(),
            r#"<time datetime="2027-02-17T00:30:00Z">Feb 17, 2027, 1:30 AM CET</time>"#,
            "the configured zone"
        );
    }
}
