//! Handlebars templates, embedded in the binary (so it runs from any directory) and
//! registered in strict mode: a misspelt variable is an error, not a blank.

use std::sync::Arc;

use actix_web::http::header::ContentType;
use actix_web::HttpResponse;
use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use super::error::AppError;

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

impl Templates {
    pub fn load() -> Result<Self, handlebars::TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.set_dev_mode(false);
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
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

    #[test]
    fn every_template_compiles_and_error_page_renders() {
        let t = Templates::load().expect("templates compile");
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
        let t = Templates::load().unwrap();
        assert!(t.render("errors/page", &serde_json::json!({})).is_err());
    }
}
