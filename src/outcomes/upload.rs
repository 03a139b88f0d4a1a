//! The portal's outcomes import (`/outcomes/import`, counselors and admins): the same
//! all-or-nothing import as `waypoint import outcomes FILE.csv`, from an uploaded file
//! (read as the employers import reads its upload). A refused file comes back with every
//! problem as `FILE:LINE: field: problem` and nothing written; a good one answers with a
//! flash of its counts (Post/Redirect/Get). Uploading the same file again changes nothing.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::import::{import_outcomes, COLUMNS};
use crate::auth::csrf::CsrfChecked;
use crate::auth::extract::Require;
use crate::core::{Clock, Error};
use crate::db::{self, Pool};
use crate::partners::routes::import::read_upload;
use crate::records::routes::StudentRecordsRule;
use crate::web::flash::redirect_with_flash;
use crate::web::pages::context;
use crate::web::{AppError, Templates};

type Office = Require<StudentRecordsRule>;

const PATH: &str = "/outcomes/import";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(import_page)).route(PATH, web::post().to(upload));
}

fn page(
    templates: &Templates,
    office: &Office,
    status: StatusCode,
    problems: Vec<String>,
    file: Option<String>,
) -> Result<HttpResponse, AppError> {
    let view =
        json!({ "required": COLUMNS.required, "optional": COLUMNS.optional, "problems": problems, "file": file });
    let mut r = templates.page_as(status, "outcomes/import", context("Import outcomes", Some(office), &view))?;
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn import_page(office: Office, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    page(&templates, &office, StatusCode::OK, Vec::new(), None)
}

async fn upload(
    office: Office,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (file_name, bytes) = read_upload(payload).await?;
    let actor = office.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let label = file_name.clone();
    let result =
        db::run(&pool, move |c| import_outcomes(c, &label, std::io::Cursor::new(bytes), &actor, today, now)).await;
    match result {
        Ok(counts) => Ok(redirect_with_flash(PATH, format!("Imported {file_name}: {counts}"))),
        Err(Error::Invalid(p)) => page(
            &templates,
            &office,
            StatusCode::UNPROCESSABLE_ENTITY,
            p.iter().map(ToString::to_string).collect(),
            Some(file_name),
        ),
        Err(e) => Err(e.into()),
    }
}
