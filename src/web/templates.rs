//! Handlebars templates, embedded in the binary (so it runs from any directory) and
//! registered in strict mode: a misspelt variable is an error, not a blank.
//!
//! Pages get dates and stored (UTC) timestamps as they are, and show them through two
//! helpers on the campus clock: `{{campus_time t}}` reads "Feb 17, 2027, 9:00 AM EST" and
//! `{{campus_date d}}` "Feb 17, 2027", each inside a `<time datetime>` element that keeps
//! the machine-readable value (ISO 8601; UTC with a `Z` for times).

use std::sync::Arc;

use actix_web::http::header::ContentType;
use actix_web::HttpResponse;
use chrono::{NaiveDate, NaiveDateTime};
use handlebars::{
    html_escape, Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError, RenderErrorReason,
};
use rust_embed::RustEmbed;
use serde::Serialize;

use super::error::AppError;
use crate::core::clock::{format_date, Clock};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "**/*.hbs"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "templates/assets/"]
pub struct Assets;

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

impl Templates {
    /// The templates, showing dates and times on `clock`'s campus zone.
    pub fn load(clock: &Clock) -> Result<Self, handlebars::TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.set_dev_mode(false);
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        register_campus_helpers(&mut hb, clock);
        Ok(Templates { registry: Arc::new(hb) })
    }

    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, AppError> {
        Ok(self.registry.render(name, data)?)
    }

    /// A 200 HTML page.
    pub fn page<T: Serialize>(&self, name: &str, data: &T) -> Result<HttpResponse, AppError> {
        let body = self.render(name, data)?;
        Ok(HttpResponse::Ok().content_type(ContentType::html()).body(body))
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
                &serde_json::json!({"title": "Not found", "status": 404, "message": "gone", "request_id": "r1", "nav": crate::web::pages::Nav::anonymous()}),
            )
            .unwrap();
        assert!(html.contains("<main"));
        assert!(html.contains("gone"));
    }

    #[test]
    fn strict_mode_refuses_missing_variables() {
        let t = Templates::load(&new_york()).unwrap();
        assert!(t.render("errors/page", &serde_json::json!({})).is_err());
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
